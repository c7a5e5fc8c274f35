"""The weekly retrospective in Chromium, by keyboard alone."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.late import FirstAnswerHeld
from weekly.models import Item, ItemKind, ReadingNote, Week


@pytest.fixture
def this_week(user):
    prefs = user.journal_settings
    return prefs.week_of(prefs.today())[0]


def add_items(page: Page, field_id: str, lines: list[tuple[str, str, str]]) -> None:
    """Type each line into an "add" field: keys before the text (Tab, Shift+Tab) set its level,
    the key after it adds it (Enter, or Control+Enter for a ★ Try)."""
    page.locator(f"#{field_id}").focus()
    section = page.locator(f"#section-{field_id.split('-')[1]}")
    for keys, text, submit in lines:
        for key in keys.split():
            page.keyboard.press(key)
        page.keyboard.insert_text(text)
        before = section.locator(".kpt-item").count()
        page.keyboard.press(submit)
        expect(section.locator(".kpt-item")).to_have_count(before + 1)
        expect(page.locator(f"#{field_id}")).to_be_focused()


def test_a_week_like_a_published_report_is_built_by_keyboard(
    logged_in_page: Page, live_server, this_week
):
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{this_week}/")

    add_items(
        page,
        "add-keep-text",
        [
            ("", "英語の勉強を毎日続けられた", "Enter"),
            ("Tab", "発音アプリで苦手な音がわかってきた", "Enter"),
            ("", "録音して聞き返すのは効く", "Enter"),
            ("Shift+Tab", "論文を二本読んだ", "Enter"),
        ],
    )
    add_items(
        page,
        "add-problem-text",
        [
            ("", "言いたいことがすぐ英語で出てこない", "Enter"),
            ("Tab", "毎朝five minutesの独り言", "Control+Enter"),
        ],
    )
    # Added with Ctrl+Enter: a starred Try under the Problem it answers.
    try_ = Item.objects.get(kind=ItemKind.TRY)
    assert try_.parent.text == "言いたいことがすぐ英語で出てこない"
    item_text = page.locator(f"#item-row-{try_.uuid} .item-text")
    expect(page.locator(f"#item-row-{try_.uuid} .star")).to_have_attribute("aria-pressed", "true")

    # Edit the Try in place: Enter on its text opens the editor, Enter saves.
    item_text.focus()
    page.keyboard.press("Enter")
    editor = page.locator(f"form#item-row-{try_.uuid} input[name=text]")
    expect(editor).to_be_focused()
    editor.fill("1月中は今の勉強法を続ける")
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-row-{try_.uuid} .item-text")).to_have_text(
        "1月中は今の勉強法を続ける"
    )

    keep = Week.objects.get().items.filter(kind=ItemKind.KEEP)
    assert [(i.text, i.parent.text if i.parent else None) for i in keep.order_by("id")] == [
        ("英語の勉強を毎日続けられた", None),
        ("発音アプリで苦手な音がわかってきた", "英語の勉強を毎日続けられた"),
        ("録音して聞き返すのは効く", "英語の勉強を毎日続けられた"),
        ("論文を二本読んだ", None),
    ]
    nested = page.locator("#section-keep .kpt-list > li:first-child ul .item-text")
    expect(nested).to_have_text(["発音アプリで苦手な音がわかってきた", "録音して聞き返すのは効く"])

    notes = [
        (
            "同調しない組織の作り方",
            "https://example.org/culture",
            "意見を言いやすい仕組みが要る",
            "自分の振る舞いを見直したい",
        ),
        (
            "研究を製品にするまで",
            "https://example.org/book",
            "時期を待つことも戦略",
            "すぐ本番に入れがち",
        ),
        ("ハードとモデルの同時探索", "https://arxiv.org/abs/0000.00000", "精度と効率の両立", ""),
    ]
    for title, url, body, impressions in notes:
        summary = page.locator(".reading-add > summary")
        if not page.locator(".reading-add[open]").count():
            summary.focus()
            page.keyboard.press("Enter")
        # After each note is added the form stays open with the focus in its title.
        expect(page.locator("#reading-new-title")).to_be_focused()
        page.keyboard.insert_text(title)
        page.keyboard.press("Tab")
        page.keyboard.insert_text(url)
        page.keyboard.press("Tab")  # kind
        page.keyboard.press("Tab")
        page.keyboard.insert_text(body)
        page.keyboard.press("Tab")
        page.keyboard.insert_text(impressions)
        count = ReadingNote.objects.count()
        page.keyboard.press("Control+Enter")
        expect(page.locator(".reading-note")).to_have_count(count + 1)
    expect(page.locator(".reading-note h3")).to_contain_text([n[0] for n in notes])

    page.reload()
    expect(page.locator("#section-keep .kpt-item")).to_have_count(4)
    expect(page.locator("#section-problem .star[aria-pressed=true]")).to_have_count(1)


def test_last_weeks_try_is_reviewed_and_carried_forward(
    logged_in_page: Page, live_server, user, this_week
):
    previous = Week.get_or_create_for(user, this_week - timedelta(days=7))
    problem = Item.objects.create(user=user, week=previous, kind=ItemKind.PROBLEM, text="夜更かし")
    try_ = Item.objects.create(
        user=user, week=previous, kind=ItemKind.TRY, text="23時に画面を閉じる", parent=problem
    )
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{this_week}/")
    row = page.locator(".review-row")
    expect(row).to_contain_text("23時に画面を閉じる")

    row.get_by_role("button", name="未達").focus()
    page.keyboard.press("Enter")
    carry = page.locator(".review-row").get_by_role("button", name="今週のTryに持ち越す")
    expect(carry).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".review-row .badge.carried")).to_be_visible()
    carried = page.locator("#section-problem .item-row.is-try")
    expect(carried).to_contain_text("23時に画面を閉じる")
    expect(carried.locator(".badge.carried")).to_be_visible()
    try_.refresh_from_db()
    assert try_.review == "not_done"
    assert Item.objects.get(carried_from=try_).week.start_date == this_week

    page.goto(f"{live_server.url}/weeks/{previous.start_date}/")
    expect(page.locator(f"#item-row-{try_.uuid} .badge.review-not_done")).to_be_visible()


def test_a_second_change_while_the_section_is_being_refreshed_still_shows(
    logged_in_page: Page, live_server, user, this_week
):
    """Marking last week's Try not done refreshes the Problem section; carrying it forward while
    that refresh is still on its way must show the carried Try, not the older answer."""
    previous = Week.get_or_create_for(user, this_week - timedelta(days=7))
    problem = Item.objects.create(user=user, week=previous, kind=ItemKind.PROBLEM, text="夜更かし")
    Item.objects.create(
        user=user, week=previous, kind=ItemKind.TRY, text="23時に画面を閉じる", parent=problem
    )
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{this_week}/")
    first_refresh = FirstAnswerHeld(page, "**/items/?section=problem")
    page.locator(".review-row").get_by_role("button", name="未達").click()
    carry = page.locator(".review-row").get_by_role("button", name="今週のTryに持ち越す")
    carry.click()
    expect(page.locator(".review-row .badge.carried")).to_be_visible()
    first_refresh.deliver()  # the older answer, after the newer change

    expect(page.locator("#section-problem .item-row.is-try")).to_contain_text("23時に画面を閉じる")
    page.wait_for_timeout(300)  # nothing older lands on top of it afterwards
    expect(page.locator("#section-problem .item-row.is-try")).to_contain_text("23時に画面を閉じる")


# Asks the Problem section to refresh, and asks again just after the first answer is swapped
# in; resolves to how many requests the section made.
REFRESH_TWICE = """async () => {
  let requests = 0;
  document.body.addEventListener('htmx:beforeRequest', (event) => {
    if (event.detail.elt.id === 'section-problem') requests += 1;
  });
  await new Promise((resolve) => {
    let first = true;
    document.body.addEventListener('htmx:afterSwap', (event) => {
      if (!first || event.detail.elt.id !== 'section-problem') return;
      first = false;
      setTimeout(() => { htmx.trigger(document.body, 'kpt-changed'); resolve(); }, 0);
    });
    htmx.trigger(document.body, 'kpt-changed');
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  return requests;
}"""


def test_a_change_just_after_a_refresh_landed_is_still_shown(
    logged_in_page: Page, live_server, this_week
):
    """A section that was just swapped in listens for the next change at once: with htmx's
    default 20 ms settle delay, a second change in that window (carrying a Try forward right
    after marking it) never refreshed the section."""
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{this_week}/")
    page.wait_for_function("window.htmx !== undefined")
    assert page.evaluate(REFRESH_TWICE) == 2


def test_the_report_prints_without_the_apps_chrome(logged_in_page: Page, live_server, this_week):
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{this_week}/report/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".day-nav")).to_be_hidden()
    expect(page.locator(".report .toc")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
