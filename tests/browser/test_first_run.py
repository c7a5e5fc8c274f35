from playwright.sync_api import Page, expect

from journal.models import Entry


def test_a_new_owner_sets_up_writes_and_edits_todays_entry_inline(page: Page, live_server):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/setup/")

    page.get_by_label("ユーザー名").fill("mika")
    page.get_by_label("パスワード", exact=True).fill("kiroku-no-hi-2026")
    page.get_by_label("パスワード(確認用)").fill("kiroku-no-hi-2026")
    page.get_by_role("button", name="アカウントを作成").click()
    expect(page).to_have_url(live_server.url + "/settings/")

    page.get_by_role("link", name="今日", exact=True).first.click()
    form = page.locator("#new-entry")
    form.get_by_label("タイトル").fill("はじめての日記")
    form.get_by_label("本文").fill("今日から**「綴り」**で日記を書く。")
    form.get_by_role("button", name="保存").click()

    expect(page.locator("#entry-list article")).to_have_count(1)
    entry = Entry.objects.get()
    article = page.locator(f"#entry-{entry.uuid}")
    expect(article.locator("strong")).to_have_text("「綴り」")
    expect(page.locator("#new-entry").get_by_label("タイトル")).to_have_value("")

    article.get_by_role("link", name="編集").click()
    editor = page.locator(f"form#entry-{entry.uuid}")
    expect(editor.get_by_label("タイトル")).to_be_focused()  # settled: typing goes where aimed
    assert page.url == live_server.url + "/"  # edited in place, no navigation
    editor.get_by_label("本文").fill("書き直した本文。\n二行目。")
    editor.get_by_label("本文").press("Control+Enter")
    expect(page.locator(f"article#entry-{entry.uuid} .prose")).to_contain_text("書き直した本文。")

    page.reload()
    expect(page.locator(f"article#entry-{entry.uuid} .prose")).to_contain_text("二行目。")
    entry.refresh_from_db()
    assert entry.revision == 2
