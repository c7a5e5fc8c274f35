"""Enter that commits a Japanese IME conversion must never save or submit.

Chromium's DevTools protocol composes text like a real IME (Input.imeSetComposition), so the
key events below reach the page with isComposing set, as a user's would.
"""

from playwright.sync_api import CDPSession, Page, expect

from journal.models import Entry


def start_composing(page: Page, text: str) -> CDPSession:
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.imeSetComposition",
        {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
    )
    return cdp


def record_posts(page: Page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: r.method == "POST" and sent.append(r.url))
    return sent


def record_composing_keydowns(page: Page) -> None:
    page.evaluate(
        """() => { window.composingKeys = [];
        document.addEventListener('keydown', e => { if (e.isComposing) composingKeys.push(e.key); },
                                  {capture: true}); }"""
    )


def test_ctrl_enter_while_composing_does_not_save(logged_in_page: Page, live_server):
    page = logged_in_page
    page.goto(live_server.url + "/")
    sent = record_posts(page)
    record_composing_keydowns(page)
    body = page.locator("#new-entry").get_by_label("本文")
    body.click()
    body.press_sequentially("今日は")
    start_composing(page, "にっき")

    page.keyboard.press("Control+Enter")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)

    assert page.evaluate("window.composingKeys") == ["Control", "Enter", "Enter"]
    assert sent == []
    assert not Entry.objects.exists()


def test_enter_committing_a_conversion_in_the_title_does_not_submit(
    logged_in_page: Page, live_server
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    sent = record_posts(page)
    record_composing_keydowns(page)
    title = page.locator("#new-entry").get_by_label("タイトル")
    title.click()
    cdp = start_composing(page, "にっき")

    page.keyboard.press("Enter")
    cdp.send("Input.insertText", {"text": "日記"})  # the IME commits the conversion
    page.wait_for_timeout(300)

    assert page.evaluate("window.composingKeys") == ["Enter"]
    expect(title).to_be_focused()
    expect(title).to_have_value("日記")
    assert sent == []


def test_enter_in_the_title_moves_to_the_body_when_not_composing(logged_in_page: Page, live_server):
    page = logged_in_page
    page.goto(live_server.url + "/")
    form = page.locator("#new-entry")
    form.get_by_label("タイトル").fill("題")
    form.get_by_label("タイトル").press("Enter")
    expect(form.get_by_label("本文")).to_be_focused()
    assert not Entry.objects.exists()


def test_ctrl_enter_saves_when_not_composing(logged_in_page: Page, live_server):
    page = logged_in_page
    page.goto(live_server.url + "/")
    body = page.locator("#new-entry").get_by_label("本文")
    body.fill("変換を確定してから保存する。")
    body.press("Control+Enter")
    expect(page.locator("#entry-list article")).to_have_count(1)
    assert Entry.objects.get().body == "変換を確定してから保存する。"


def test_enter_committing_a_conversion_does_not_add_a_kpt_item(
    logged_in_page: Page, live_server, user
):
    page = logged_in_page
    start = user.journal_settings.week_of(user.journal_settings.today())[0]
    page.goto(f"{live_server.url}/weeks/{start}/")
    sent = record_posts(page)
    record_composing_keydowns(page)
    field = page.locator("#add-keep-text")
    field.click()
    cdp = start_composing(page, "えいご")

    page.keyboard.press("Enter")
    cdp.send("Input.insertText", {"text": "英語"})
    page.wait_for_timeout(300)

    assert page.evaluate("window.composingKeys") == ["Enter"]
    expect(field).to_have_value("英語")
    assert sent == []

    page.keyboard.press("Enter")  # the conversion is done: now Enter adds the item
    expect(page.locator("#section-keep .item-text")).to_have_text(["英語"])
