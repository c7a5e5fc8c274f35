"""Writing with the network gone: saves wait in the outbox, survive a reload, and reach the
server exactly once when the network returns."""

from playwright.sync_api import Page, expect

from journal.models import Entry
from offline.models import AppliedOp
from tests.browser.test_offline_reading import WAIT_CONTROLLED, WAIT_WARMED
from weekly.models import Item


def open_warm(page: Page, url: str, *paths: str) -> None:
    page.goto(url)
    page.evaluate(WAIT_CONTROLLED)
    for path in paths:
        assert page.evaluate(WAIT_WARMED, path)


def write_an_entry_offline(page: Page, base: str, title: str) -> None:
    """Today's page, kept for offline use; then, offline, a new entry saved into the outbox."""
    open_warm(page, base + "/", "/")
    page.context.set_offline(True)
    form = page.locator("#new-entry")
    form.get_by_label("タイトル").fill(title)
    form.get_by_role("button", name="保存").click()


def test_an_entry_and_kpt_items_written_offline_survive_a_reload_and_sync_once(
    logged_in_page: Page, live_server, user
):
    prefs = user.journal_settings
    today, start = prefs.today(), prefs.week_of(prefs.today())[0]
    page = logged_in_page
    open_warm(page, live_server.url + "/", "/", f"/weeks/{start}/")

    page.context.set_offline(True)
    form = page.locator("#new-entry")
    form.get_by_label("タイトル").fill("電車の中で")
    form.get_by_label("本文").fill("圏外でも書ける。")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".pending-card")).to_contain_text("電車の中で")
    expect(page.locator("#outbox")).to_contain_text("1")
    expect(form.get_by_label("タイトル")).to_have_value("")

    page.goto(f"{live_server.url}/weeks/{start}/")  # from the service worker's copy
    add = page.locator("#add-keep-text")
    for text in ["電波がなくても続けた", "手帳のように書けた"]:
        add.fill(text)
        add.press("Enter")
        expect(page.locator("#section-keep .pending-card")).to_contain_text([text])
    expect(page.locator("#outbox")).to_contain_text("3")

    page.reload()  # still offline: nothing is lost, the previews come back
    expect(page.locator("#section-keep .pending-card")).to_have_count(2)
    assert not Entry.objects.exists()
    assert not Item.objects.exists()

    page.context.set_offline(False)  # the `online` event replays the outbox
    expect(page.locator("#outbox")).to_be_hidden(timeout=10_000)
    expect(page.locator("#section-keep .item-text")).to_have_text(
        ["電波がなくても続けた", "手帳のように書けた"]
    )
    entry = Entry.objects.get()
    assert (entry.title, entry.body, entry.date) == ("電車の中で", "圏外でも書ける。", today)
    assert list(Item.objects.order_by("position").values_list("text", flat=True)) == [
        "電波がなくても続けた",
        "手帳のように書けた",
    ]
    assert AppliedOp.objects.count() == 3

    page.reload()  # replays nothing twice
    page.wait_for_timeout(500)
    assert Entry.objects.count() == 1
    assert Item.objects.count() == 2


def test_an_offline_edit_that_raced_another_device_becomes_a_visible_conflict(
    logged_in_page: Page, live_server, today_entry: Entry
):
    page = logged_in_page
    open_warm(page, live_server.url + "/", "/")
    page.locator(f"#entry-{today_entry.uuid}").get_by_role("link", name="編集").click()
    editor = page.locator(f"form#entry-{today_entry.uuid}")
    expect(editor.get_by_label("タイトル")).to_be_focused()  # settled: typing goes where aimed

    page.context.set_offline(True)
    editor.get_by_label("本文").fill("圏外で直した版。")
    editor.get_by_role("button", name="保存").click()
    expect(page.locator(f"#entry-{today_entry.uuid}.pending-card")).to_contain_text(
        "圏外で直した版。"
    )

    assert today_entry.save_revision(1, body="別の端末で先に直した版。")
    page.context.set_offline(False)

    conflict = page.locator(f"article#entry-{today_entry.uuid} .conflict")
    expect(conflict).to_contain_text("圏外で直した版。")
    today_entry.refresh_from_db()
    assert today_entry.body == "別の端末で先に直した版。"
    assert today_entry.conflicts.get().body == "圏外で直した版。"


def test_a_draft_survives_a_reload_and_is_kept_only_after_conversion(
    logged_in_page: Page, live_server
):
    page = logged_in_page
    page.goto(live_server.url + "/")
    body = page.locator("#new-entry").get_by_label("本文")
    body.click()
    body.press_sequentially("書きかけの")
    page.wait_for_timeout(600)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "にっき", "selectionStart": 3, "selectionEnd": 3})
    page.wait_for_timeout(600)
    saved = page.evaluate(
        """() => new Promise(resolve => { const open = indexedDB.open('tsuzuri', 2);
        open.onsuccess = () => {
          const get = open.result.transaction('drafts').objectStore('drafts').getAll();
        get.onsuccess = () => resolve(get.result.map(d => d.fields.body)); }; })"""
    )
    assert saved == ["書きかけの"]  # the unconverted kana were not kept
    cdp.send("Input.insertText", {"text": "日記"})
    page.wait_for_timeout(600)

    page.reload()
    offer = page.locator("#new-entry .draft-offer")
    expect(offer).to_contain_text("下書き")
    offer.get_by_role("button", name="戻す").click()
    expect(page.locator("#new-entry").get_by_label("本文")).to_have_value("書きかけの日記")
    page.locator("#new-entry").get_by_role("button", name="保存").click()
    expect(page.locator("#entry-list article")).to_have_count(1)
    page.reload()
    expect(page.locator(".draft-offer")).to_have_count(0)


def test_ops_wait_through_an_expired_session_and_are_sent_after_login(
    logged_in_page: Page, live_server, user
):
    from django.contrib.sessions.models import Session

    page = logged_in_page
    write_an_entry_offline(page, live_server.url, "期限切れの間に")
    expect(page.locator(".pending-card")).to_contain_text("期限切れの間に")

    Session.objects.all().delete()  # the session ends while the phone is offline
    page.context.set_offline(False)
    login = page.locator("#outbox [data-outbox-login]")
    expect(login).to_be_visible(timeout=10_000)
    assert not Entry.objects.exists()

    login.get_by_role("link", name="ログイン").click()
    page.get_by_label("ユーザー名").fill("alice")
    page.get_by_label("パスワード").fill("correct horse 綴り")
    page.get_by_role("button", name="ログイン").click()
    titles = page.locator("#entry-list .entry-title")
    expect(titles).to_have_text(["期限切れの間に"], timeout=10_000)
    assert Entry.objects.get().title == "期限切れの間に"


def test_logout_waits_for_unsent_changes_then_clears_the_device(logged_in_page: Page, live_server):
    page = logged_in_page
    write_an_entry_offline(page, live_server.url, "まだ送っていない")
    expect(page.locator(".pending-card")).to_be_visible()

    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_timeout(300)
    assert "1" in questions[0]
    assert page.url == live_server.url + "/"  # still here, the change still kept
    assert page.evaluate("window.tsuzuriOutbox.allOps().then(ops => ops.length)") == 1

    page.context.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=10_000)
    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    wiped = page.evaluate(
        """async () => { for (let i = 0; i < 50; i++) {
             const names = await caches.keys();
             const dbs = indexedDB.databases ? await indexedDB.databases() : [];
             const workers = await navigator.serviceWorker.getRegistrations();
             if (!names.length && !dbs.length && !workers.length) return true;
             await new Promise(r => setTimeout(r, 100)); }
           return [await caches.keys(), indexedDB.databases ? await indexedDB.databases() : [],
                   (await navigator.serviceWorker.getRegistrations()).length]; }"""
    )
    assert wiped is True, wiped
    assert Entry.objects.get().title == "まだ送っていない"


def test_two_browsers_edit_one_entry_and_the_offline_one_gets_a_conflict(
    logged_in_page: Page, live_server, today_entry: Entry, browser
):
    phone = logged_in_page
    open_warm(phone, live_server.url + "/", "/")
    phone.locator(f"#entry-{today_entry.uuid}").get_by_role("link", name="編集").click()
    phone_editor = phone.locator(f"form#entry-{today_entry.uuid}")
    expect(phone_editor.get_by_label("タイトル")).to_be_focused()  # opened online, settled
    phone.context.set_offline(True)
    phone_editor.get_by_label("本文").fill("スマホで圏外のまま直した。")
    phone_editor.get_by_role("button", name="保存").click()

    laptop_context = browser.new_context(locale="ja-JP")
    laptop_context.add_cookies(phone.context.cookies())
    laptop = laptop_context.new_page()
    laptop.goto(live_server.url + "/")
    laptop.locator(f"#entry-{today_entry.uuid}").get_by_role("link", name="編集").click()
    laptop_editor = laptop.locator(f"form#entry-{today_entry.uuid}")
    expect(laptop_editor.get_by_label("タイトル")).to_be_focused()
    laptop_editor.get_by_label("本文").fill("ノートPCで直した。")
    laptop_editor.get_by_role("button", name="保存").click()
    expect(laptop.locator(f"article#entry-{today_entry.uuid} .prose")).to_contain_text("ノートPC")
    laptop_context.close()

    phone.context.set_offline(False)
    conflict = phone.locator(f"article#entry-{today_entry.uuid} .conflict")
    expect(conflict).to_contain_text("スマホで圏外のまま直した。", timeout=10_000)
    conflict.get_by_role("button", name="自分の版を採用").click()
    expect(phone.locator(f"article#entry-{today_entry.uuid} > .prose")).to_contain_text("スマホで")
    today_entry.refresh_from_db()
    assert today_entry.body == "スマホで圏外のまま直した。"
    assert today_entry.revision == 3  # the laptop's save, then "keep mine"; the loser wrote none
    assert today_entry.conflicts.get().resolved_at is not None


def test_a_reading_note_is_edited_offline_from_the_kept_form(
    logged_in_page: Page, live_server, user
):
    from weekly.models import ReadingNote, Week

    prefs = user.journal_settings
    start = prefs.week_of(prefs.today())[0]
    note = ReadingNote.objects.create(
        user=user, week=Week.get_or_create_for(user, start), title="積ん読", kind="book"
    )
    edit_path = f"/weeks/{start}/reading/{note.uuid}/edit/"
    page = logged_in_page
    open_warm(page, f"{live_server.url}/weeks/{start}/", f"/weeks/{start}/", edit_path)

    page.context.set_offline(True)
    page.locator(f"#note-{note.uuid}").get_by_role("link", name="編集").click()
    expect(page).to_have_url(live_server.url + edit_path)  # the kept full-page form
    page.locator(f"#note-{note.uuid}-impressions").fill("電車で読み終えた。")
    page.locator(f"form#note-{note.uuid}").get_by_role("button", name="保存").click()
    expect(page.locator(f"#note-{note.uuid}.pending-card")).to_be_visible()

    page.context.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=10_000)
    note.refresh_from_db()
    assert note.impressions == "電車で読み終えた。"
    assert note.revision == 2


# Holds the outbox's next send until window.releaseSend() is called, then lets it fail as a send
# made offline does; later sends go to the network.
HOLD_NEXT_SEND = """() => {
  const realFetch = window.fetch;
  window.fetch = () => {
    window.fetch = realFetch;
    return new Promise((resolve, reject) => {
      window.releaseSend = () => reject(new TypeError("Failed to fetch"));
    });
  };
}"""


def test_the_network_coming_back_during_a_failing_send_still_sends_the_queue(
    logged_in_page: Page, live_server
):
    """The `online` event often arrives while the page's own flush still waits for a send that
    was made offline; that send fails, and the queue must go at once, not 30 s later."""
    page = logged_in_page
    write_an_entry_offline(page, live_server.url, "トンネルを出たら")
    expect(page.locator("#outbox")).to_contain_text("1")

    page.evaluate(HOLD_NEXT_SEND)
    page.evaluate("() => { window.tsuzuriOutbox.flush(); }")  # its send is held
    page.wait_for_function("typeof window.releaseSend === 'function'")
    page.context.set_offline(False)  # `online` asks for a flush while that one runs
    page.evaluate("window.releaseSend()")

    expect(page.locator("#outbox")).to_be_hidden(timeout=5_000)
    assert list(Entry.objects.values_list("title", flat=True)) == ["トンネルを出たら"]
    assert AppliedOp.objects.count() == 1
