"""Every diary and retrospective action as plain forms, with JavaScript switched off."""

from playwright.sync_api import Page, expect

from journal.models import Entry
from weekly.models import Item, ItemKind, ReadingNote


def test_the_diary_works_as_plain_forms(page_without_js: Page, live_server):
    page = page_without_js
    page.goto(live_server.url + "/")
    form = page.locator("#new-entry")
    form.get_by_label("タイトル").fill("紙のように")
    form.get_by_label("本文").fill("JavaScript なしで書いた。")
    form.get_by_role("button", name="保存").click()
    entry = Entry.objects.get()
    expect(page.locator(f"#entry-{entry.uuid} .prose")).to_contain_text("JavaScript なしで書いた。")

    page.locator(f"#entry-{entry.uuid}").get_by_role("link", name="編集").click()
    expect(page).to_have_url(f"{live_server.url}/entries/{entry.uuid}/edit/")
    page.get_by_label("本文").fill("書き直した。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(f"#entry-{entry.uuid} .prose")).to_contain_text("書き直した。")

    page.locator(f"#entry-{entry.uuid}").get_by_role("button", name="稼働").click()
    expect(page.locator("#week-progress")).to_contain_text("1/3")

    page.locator(f"#entry-{entry.uuid}").get_by_role("button", name="削除").click()
    page.get_by_role("button", name="元に戻す").click()
    expect(page.locator(f"#entry-{entry.uuid} .prose")).to_contain_text("書き直した。")
    entry.refresh_from_db()
    assert entry.deleted_at is None
    assert entry.worked
    assert entry.revision == 5  # created, edited, worked, deleted, restored


def test_the_retrospective_works_as_plain_forms(page_without_js: Page, live_server, user):
    page = page_without_js
    start = user.journal_settings.week_of(user.journal_settings.today())[0]
    page.goto(f"{live_server.url}/weeks/{start}/")
    add = page.locator("#section-problem form.item-add")
    add.get_by_label("Problem か Try を追加").fill("寝る時間が遅い")
    add.get_by_role("button", name="追加").click()
    add = page.locator("#section-problem form.item-add")
    add.get_by_label("Problem か Try を追加").fill("23時に画面を閉じる")
    add.get_by_label("階層").select_option("1")
    add.get_by_label("★ Try").check()
    add.get_by_role("button", name="追加").click()

    try_ = Item.objects.get(kind=ItemKind.TRY)
    assert try_.parent.text == "寝る時間が遅い"
    row = page.locator(f"#item-row-{try_.uuid}")
    row.locator("summary").click()
    row.get_by_role("button", name="浅く").click()
    try_.refresh_from_db()
    assert try_.parent is None

    page.locator(f"#item-row-{try_.uuid}").get_by_role("button", name="Try(★)").click()
    try_.refresh_from_db()
    assert try_.kind == ItemKind.PROBLEM

    page.locator(".reading-add > summary").click()
    page.locator("#reading-new-title").fill("睡眠の本")
    page.locator("#reading-new-url").fill("javascript:alert(1)")
    page.locator(".reading-add").get_by_role("button", name="追加").click()
    expect(page.locator(".reading-add .field-errors")).to_contain_text("http://")
    expect(page.locator("#reading-new-title")).to_have_value("睡眠の本")
    page.locator("#reading-new-url").fill("https://example.org/sleep")
    page.locator(".reading-add").get_by_role("button", name="追加").click()
    expect(page.locator(".reading-note h3")).to_contain_text("睡眠の本")
    assert ReadingNote.objects.get().url == "https://example.org/sleep"
