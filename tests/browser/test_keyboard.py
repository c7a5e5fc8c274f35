"""Keyboard alone: the shortcuts (? lists them), where focus lands after each htmx swap, and the
live region that says what happened."""

from playwright.sync_api import Page, expect

from journal.models import Entry
from tests.browser.test_layout import written_journal, written_week  # noqa: F401
from tests.browser.test_search import written  # noqa: F401
from weekly.models import Item


def announced(page: Page, words: str) -> None:
    expect(page.locator("#announcer")).to_have_text(words)


def tab_to(page: Page, selector: str, presses: int = 80) -> None:
    """Press Tab until the element has focus, as a person without a mouse would."""
    target = page.locator(selector)
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_an_entry_is_written_edited_deleted_and_restored_by_keyboard(
    logged_in_page: Page, live_server, today_entry
):
    page = logged_in_page
    page.goto(live_server.url + "/weeks/")
    page.keyboard.press("n")  # from another page: today's form, cursor in its title
    expect(page).to_have_url(live_server.url + "/#new-entry")
    title = page.locator("#new-entry").get_by_label("タイトル")
    expect(title).to_be_focused()
    page.keyboard.type("nの字も打てる")  # letters typed in a field are text, not shortcuts
    expect(title).to_have_value("nの字も打てる")
    page.keyboard.press("Enter")
    expect(page.locator("#new-entry").get_by_label("本文")).to_be_focused()
    page.keyboard.type("キーボードだけで書いた。")
    page.keyboard.press("Control+Enter")

    entry = page.locator("article.entry").filter(has_text="nの字も打てる")
    expect(entry).to_be_focused()  # the saved entry
    announced(page, "保存しました。")

    page.keyboard.press("k")  # previous item: the morning's entry
    first = page.locator(f"#entry-{today_entry.uuid}")
    expect(first).to_be_focused()
    page.keyboard.press("e")
    expect(first.get_by_label("タイトル")).to_be_focused()  # the form's first field
    page.keyboard.press("Escape")
    expect(first).to_be_focused()  # cancelled: back on the entry
    expect(first.locator(".prose")).to_have_text("川沿いを歩いた。")

    tab_to(page, f"#entry-{today_entry.uuid} .entry-actions button.quiet")  # Delete
    page.keyboard.press("Enter")
    expect(entry).to_be_focused()  # the next item
    announced(page, "削除しました。U キーか「元に戻す」ボタンで戻せます。")
    page.keyboard.press("u")
    expect(first.locator(".prose")).to_be_visible()
    announced(page, "元に戻しました。")
    assert Entry.objects.filter(deleted_at__isnull=True).count() == 2


def test_a_week_is_filled_by_keyboard_with_focus_after_each_swap(
    logged_in_page: Page, live_server, user
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.keyboard.press("w")
    expect(page.locator("#add-keep-text")).to_be_attached()
    tab_to(page, "#add-keep-text")
    for text in ["朝に書く", "図書館で読む", "早く寝る"]:
        page.keyboard.insert_text(text)
        page.keyboard.press("Enter")
        expect(page.locator("#section-keep .item-text").last).to_have_text(text)
        expect(page.locator("#add-keep-text")).to_be_focused()  # ready for the next one

    rows = page.locator("#section-keep .item-text")
    page.keyboard.press("Escape")  # leave the field: letters are shortcuts again
    page.keyboard.press("j")
    expect(rows.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(rows.nth(1)).to_be_focused()
    page.keyboard.press("e")
    editor = page.locator("#section-keep form[data-item-editor] input[name=text]")
    expect(editor).to_be_focused()
    editor.fill("図書館で二冊読む")
    page.keyboard.press("Enter")
    saved = page.locator("#section-keep .item-text", has_text="図書館で二冊読む")
    expect(saved).to_be_focused()  # the saved item
    announced(page, "保存しました。")

    # One thumb, or one key at a time: the ⋯ menu's buttons move and nest an item.
    menu = page.locator("#section-keep .kpt-item").nth(1).locator("summary").first
    tab_to(page, "#section-keep .kpt-item:nth-child(2) summary")
    page.keyboard.press("Enter")
    tab_to(page, "#section-keep .kpt-item:nth-child(2) button[value=indent]", presses=6)
    page.keyboard.press("Enter")
    moved = page.locator("#section-keep .kpt-list ul .item-text")
    expect(moved).to_have_text("図書館で二冊読む")
    expect(moved).to_be_focused()
    assert Item.objects.get(text="図書館で二冊読む").parent.text == "朝に書く"

    menu = page.locator("#section-keep .kpt-list ul summary")
    tab_to(page, "#section-keep .kpt-list ul summary", presses=6)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # closes the menu, focus back on its button
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(page, "#section-keep .kpt-list ul button.quiet", presses=8)  # Delete
    page.keyboard.press("Enter")
    expect(page.locator("#section-keep .item-text", has_text="早く寝る")).to_be_focused()
    announced(page, "削除しました。U キーか「元に戻す」ボタンで戻せます。")
    page.keyboard.press("u")
    expect(page.locator("#section-keep .item-text")).to_have_count(3)


def test_search_is_reached_and_read_by_keyboard(logged_in_page: Page, live_server, written):  # noqa: F811
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.keyboard.press("/")
    field = page.locator("#search-q")
    expect(field).to_be_focused()
    page.keyboard.insert_text("英語")
    hits = page.locator(".search-hit-title a")
    expect(hits.first).to_be_visible()
    expect(field).to_be_focused()  # live results do not take the cursor away
    page.keyboard.press("Tab")  # out of the box (Esc would clear it)
    page.keyboard.press("j")
    expect(hits.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(hits.nth(1)).to_be_focused()
    page.keyboard.press("/")  # back to the box, its words selected for a new search
    expect(field).to_be_focused()
    page.keyboard.insert_text("発音")
    expect(field).to_have_value("発音")


def test_question_mark_lists_the_shortcuts_and_escape_closes_the_list(
    logged_in_page: Page, live_server, user
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.locator("#new-entry").get_by_label("タイトル").focus()
    page.keyboard.type("?")  # typed into the title: no list
    expect(page.locator("#shortcuts")).not_to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("キーボードショートカット")
    expect(dialog.get_by_role("button", name="閉じる")).to_be_focused()
    page.keyboard.press("j")  # nothing moves under the list
    page.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()
    page.get_by_role("button", name="キーボードショートカット").click()
    expect(dialog).to_be_visible()


def test_a_conflict_and_a_change_kept_offline_are_announced(
    logged_in_page: Page, live_server, today_entry
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.keyboard.press("j")
    page.keyboard.press("e")
    editor = page.locator(f"form#entry-{today_entry.uuid}")
    expect(editor.get_by_label("タイトル")).to_be_focused()
    assert today_entry.save_revision(1, body="別の端末で書いた版。")  # another device saves first
    page.keyboard.press("Tab")
    page.keyboard.insert_text("この端末で")
    page.keyboard.press("Control+Enter")
    # Said once, by the conflict's own section (role=alert), not again by the announcer.
    conflict = page.locator(f"article#entry-{today_entry.uuid} .conflict[role=alert]")
    expect(conflict).to_contain_text("競合")
    expect(page.locator("#announcer")).not_to_contain_text("競合")

    page.context.set_offline(True)
    page.keyboard.press("n")
    page.keyboard.insert_text("圏外で")
    page.keyboard.press("Control+Enter")
    announced(page, "この端末に保存しました。接続が戻ると送信します。")
    page.context.set_offline(False)
    announced(page, "保存しました。")


FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (element === document.body) return null;  // past the last stop, in the browser's own UI
  const ring = (style) => style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shown = ring(getComputedStyle(element))
    || (element.parentElement && ring(getComputedStyle(element.parentElement)));  // photo picker
  return shown ? null : element.outerHTML.slice(0, 100);
}"""


def test_every_tab_stop_shows_where_focus_is(
    logged_in_page: Page,
    live_server,
    written_week,  # noqa: F811
):
    page = logged_in_page
    unseen = []
    for path in ["/", f"/weeks/{written_week}/", f"/weeks/{written_week}/board/", "/weeks/"]:
        page.goto(live_server.url + path)
        for _ in range(40):
            page.keyboard.press("Tab")
            missing = page.evaluate(FOCUS_SHOWN)
            if missing:
                unseen.append(f"{path}: {missing}")
    assert unseen == []
