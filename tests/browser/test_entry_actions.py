from playwright.sync_api import Page, expect

from journal.models import Entry
from tests.browser.late import FirstAnswerHeld


def test_marking_worked_updates_the_weeks_dots_in_place(
    logged_in_page: Page, live_server, today_entry: Entry
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    expect(page.locator("#week-progress .dots")).to_have_text("○○○")

    page.locator(f"#entry-{today_entry.uuid}").get_by_role("button", name="稼働").click()

    expect(page.locator("#week-progress .dots")).to_have_text("●○○")
    expect(page.locator("#week-progress")).to_contain_text("1/3")
    toggle = page.locator(f"#entry-{today_entry.uuid}").get_by_role("button", name="稼働")
    expect(toggle).to_have_attribute("aria-pressed", "true")


def test_the_dots_follow_a_second_toggle_made_while_they_are_being_refreshed(
    logged_in_page: Page, live_server, today_entry: Entry
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    first_refresh = FirstAnswerHeld(page, "**/progress/")
    toggle = page.locator(f"#entry-{today_entry.uuid}").get_by_role("button", name="稼働")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    first_refresh.deliver()  # the older answer, after the newer change

    page.wait_for_timeout(300)
    expect(page.locator("#week-progress .dots")).to_have_text("○○○")
    expect(page.locator("#week-progress")).to_contain_text("0/3")


def test_delete_offers_undo_in_place(logged_in_page: Page, live_server, today_entry: Entry):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.locator(f"#entry-{today_entry.uuid}").get_by_role("button", name="削除").click()

    tombstone = page.locator(f"#entry-{today_entry.uuid}")
    expect(tombstone).to_contain_text("「朝の散歩」を削除しました。")
    today_entry.refresh_from_db()
    assert today_entry.deleted_at is not None

    tombstone.get_by_role("button", name="元に戻す").click()
    expect(page.locator(f"#entry-{today_entry.uuid} .prose")).to_contain_text("川沿いを歩いた。")
    today_entry.refresh_from_db()
    assert today_entry.deleted_at is None


def test_escape_cancels_an_inline_edit(logged_in_page: Page, live_server, today_entry: Entry):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.locator(f"#entry-{today_entry.uuid}").get_by_role("link", name="編集").click()
    title = page.locator(f"form#entry-{today_entry.uuid}").get_by_label("タイトル")
    expect(title).to_be_focused()
    title.fill("保存しない題")
    title.press("Escape")
    expect(page.locator(f"article#entry-{today_entry.uuid} h2")).to_have_text("朝の散歩")
    today_entry.refresh_from_db()
    assert today_entry.revision == 1
