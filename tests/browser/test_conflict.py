from playwright.sync_api import Page, expect

from journal.models import ConflictCopy, Entry


def test_a_stale_save_shows_both_texts_and_keeping_mine_resolves_it(
    logged_in_page: Page, live_server, today_entry: Entry
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    article = page.locator(f"#entry-{today_entry.uuid}")
    article.get_by_role("link", name="編集").click()
    editor = page.locator(f"form#entry-{today_entry.uuid}")
    expect(editor.get_by_label("タイトル")).to_be_focused()  # settled: typing goes where aimed

    # Another device saves first, while this form still holds revision 1.
    assert today_entry.save_revision(1, body="別の端末で書いた版。")

    editor.get_by_label("本文").fill("この端末で書いた版。")
    editor.get_by_role("button", name="保存").click()

    conflict = page.locator(f"article#entry-{today_entry.uuid} .conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("この端末で書いた版。")
    expect(page.locator(f"article#entry-{today_entry.uuid} > .prose")).to_contain_text(
        "別の端末で書いた版。"
    )
    copy = ConflictCopy.objects.get()
    assert copy.body == "この端末で書いた版。"

    page.reload()  # the conflict is kept on the server, not only in this page
    conflict = page.locator(f"article#entry-{today_entry.uuid} .conflict")
    conflict.get_by_role("button", name="自分の版を採用").click()
    expect(page.locator(f"article#entry-{today_entry.uuid} .conflict")).to_have_count(0)
    expect(page.locator(f"article#entry-{today_entry.uuid} > .prose")).to_contain_text(
        "この端末で書いた版。"
    )
    today_entry.refresh_from_db()
    assert today_entry.body == "この端末で書いた版。"
    copy.refresh_from_db()
    assert copy.resolved_at is not None
