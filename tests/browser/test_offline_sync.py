"""Offline sync beyond the happy path: a KPT item edited offline that raced another device, a
service worker update with changes still waiting, and damaged or refused ops in the outbox."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_offline_reading import WAIT_WARMED
from tests.browser.test_offline_writing import open_warm
from weekly.models import Item, ItemKind, ReadingNote, Week, WeeklyConflictCopy, save_or_conflict

CACHE_NAMES = "async () => (await caches.keys()).sort()"
OUTBOX = "() => window.tsuzuriOutbox.allOps()"
# Polls until a cache named `wanted` exists and none whose name ends with `gone`.
UNTIL = """async ([wanted, gone]) => {
  for (let i = 0; i < 100; i++) {
    const names = await caches.keys();
    if (names.includes(wanted) && !names.some((name) => name.endsWith(gone))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}"""


@pytest.fixture
def week_start(user):
    prefs = user.journal_settings
    return prefs.week_of(prefs.today())[0]


def test_an_item_edited_offline_that_raced_becomes_a_conflict_listed_and_resolved(
    logged_in_page: Page, live_server, user, week_start
):
    week = Week.get_or_create_for(user, week_start)
    item = Item.objects.create(user=user, week=week, kind=ItemKind.KEEP, text="朝に走った")
    page = logged_in_page
    week_path = f"/weeks/{week_start}/"
    open_warm(page, live_server.url + week_path, week_path)
    page.locator(f"#item-row-{item.uuid} .item-text").click()
    field = page.locator(f"form#item-row-{item.uuid} input[name=text]")
    expect(field).to_be_focused()

    page.context.set_offline(True)
    field.fill("電車で直した: 朝に5km走った")
    field.press("Enter")
    expect(page.locator(f"#item-row-{item.uuid}.pending-card")).to_be_visible()

    assert item.save_revision(1, text="別の端末で直した: 朝に走れなかった")
    page.context.set_offline(False)

    conflict = page.locator(f"#item-row-{item.uuid} .conflict")
    expect(conflict).to_contain_text("電車で直した: 朝に5km走った", timeout=10_000)
    expect(page.locator(f"#item-row-{item.uuid} > .item-text")).to_have_text(
        "別の端末で直した: 朝に走れなかった"
    )
    expect(page.locator(f"#item-row-{item.uuid} .conflict[role=alert]")).to_be_visible()
    expect(page.locator("#sync-notices li")).to_have_count(0)  # shown here: said once, by it
    expect(page.locator("#outbox")).to_be_hidden()
    copy = WeeklyConflictCopy.objects.get()
    assert (copy.item, copy.fields) == (item, {"text": "電車で直した: 朝に5km走った"})

    page.goto(live_server.url + "/")  # today lists it with the entries' conflicts
    listed = page.locator(".open-conflicts li a")
    expect(listed).to_contain_text("別の端末で直した")
    listed.click()
    expect(page).to_have_url(f"{live_server.url}{week_path}#item-{item.uuid}")
    page.locator(f"#item-row-{item.uuid} .conflict").get_by_role(
        "button", name="自分の版を採用"
    ).click()
    expect(page.locator("#section-keep .conflict")).to_have_count(0)
    expect(page.locator(f"#item-row-{item.uuid} .item-text")).to_have_text(
        "電車で直した: 朝に5km走った"
    )
    item.refresh_from_db()
    assert (item.text, item.revision) == ("電車で直した: 朝に5km走った", 3)
    copy.refresh_from_db()
    assert copy.resolved_at is not None
    page.goto(live_server.url + "/")
    expect(page.locator(".open-conflicts")).to_have_count(0)


def test_the_week_head_conflict_is_merged_by_editing_both_together(
    logged_in_page: Page, live_server, user, week_start
):
    week = Week.get_or_create_for(user, week_start)
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{week_start}/")
    page.get_by_role("link", name="タイトルと概要を編集").click()
    summary = page.locator("#week-summary")
    expect(summary).to_be_visible()
    assert week.save_revision(1, summary="ノートPCで書いた要約。")
    summary.fill("スマホで書いた要約。")
    page.locator("form#week-head").get_by_role("button", name="保存").click()

    conflict = page.locator("#week-head .conflict")
    expect(conflict).to_contain_text("スマホで書いた要約。")
    conflict.get_by_role("link", name="両方を見ながら編集").click()
    expect(summary).to_have_value("ノートPCで書いた要約。\n\n---\n\nスマホで書いた要約。")
    expect(page.locator("form#week-head input[name=merge]")).to_have_count(1)
    page.wait_for_load_state("networkidle")  # the swap settled, nothing else on its way
    summary.fill("ノートPCとスマホの要約をまとめた。")
    expect(summary).to_have_value("ノートPCとスマホの要約をまとめた。")
    page.locator("form#week-head").get_by_role("button", name="保存").click()
    expect(page.locator("#week-head .prose")).to_contain_text("まとめた")
    expect(page.locator("#week-head .conflict")).to_have_count(0)
    week.refresh_from_db()
    assert week.summary == "ノートPCとスマホの要約をまとめた。"
    assert WeeklyConflictCopy.objects.get().resolved_at is not None


def test_a_new_service_worker_clears_old_caches_and_keeps_the_outbox(
    logged_in_page: Page, live_server, user, week_start, monkeypatch
):
    page = logged_in_page
    week_path = f"/weeks/{week_start}/"
    open_warm(page, live_server.url + week_path, week_path)
    old = page.evaluate(CACHE_NAMES)
    old_version = next(name for name in old if name.startswith("shell-")).removeprefix("shell-")
    assert f"pages-{old_version}" in old

    page.context.set_offline(True)
    add = page.locator("#add-keep-text")
    add.fill("更新の前に書いた")
    add.press("Enter")
    expect(page.locator("#section-keep .pending-card")).to_have_count(1)

    # A deploy: the worker's version changes. Writes cannot get through yet (the server is
    # still restarting), so the op must wait through the worker's update.
    monkeypatch.setattr("offline.views._version", lambda shell: "updated0test")
    page.route(
        "**/*",
        lambda route: route.abort() if route.request.method == "POST" else route.fallback(),
    )
    page.context.set_offline(False)
    page.reload()
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    assert page.evaluate(UNTIL, ["shell-updated0test", f"-{old_version}"]), page.evaluate(
        CACHE_NAMES
    )
    assert (
        page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{live_server.url}/sw.js"
    )
    names = page.evaluate(CACHE_NAMES)
    assert not [name for name in names if old_version in name], names
    assert "shell-updated0test" in names
    # The new worker keeps the recent pages again, in its own cache.
    assert page.evaluate(WAIT_WARMED, week_path)
    ops = page.evaluate(OUTBOX)
    assert [op["preview"]["title"] for op in ops] == ["更新の前に書いた"]
    assert not Item.objects.exists()

    page.unroute("**/*")
    page.locator("#outbox [data-outbox-sync]").click()
    expect(page.locator("#outbox")).to_be_hidden(timeout=10_000)
    expect(page.locator("#section-keep .item-text")).to_have_text(["更新の前に書いた"])
    assert list(Item.objects.values_list("text", flat=True)) == ["更新の前に書いた"]


INJECT = """async (records) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('tsuzuri', 2);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('ops', 'readwrite');
    for (const record of records) tx.objectStore('ops').put(record);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}"""


def test_damaged_and_refused_ops_are_shown_and_do_not_hold_up_the_rest(
    logged_in_page: Page, live_server, user, week_start
):
    page = logged_in_page
    week_path = f"/weeks/{week_start}/"
    open_warm(page, live_server.url + week_path, week_path)
    page.context.set_offline(True)
    add = page.locator("#add-keep-text")
    add.fill("後ろで待っていた変更")
    add.press("Enter")
    expect(page.locator("#section-keep .pending-card")).to_have_count(1)

    gone = uuid.uuid4()
    page.evaluate(
        INJECT,
        [
            # Older than the real op, so they come first in the queue.
            {"opId": "damaged-1", "createdAt": 1},
            {"opId": "damaged-2", "url": 42, "body": None, "createdAt": 2, "state": "pending"},
            {
                "opId": str(uuid.uuid4()),
                "url": f"/weeks/{week_start}/items/{gone}/edit/",
                "body": "text=%E6%B6%88%E3%81%88%E3%81%9F%E9%A0%85%E7%9B%AE&base_revision=1",
                "createdAt": 3,
                "state": "pending",
            },
        ],
    )
    page.context.set_offline(False)  # `online`: the whole queue is looked at

    expect(page.locator("#section-keep .item-text")).to_have_text(
        ["後ろで待っていた変更"], timeout=10_000
    )
    assert list(Item.objects.values_list("text", flat=True)) == ["後ろで待っていた変更"]
    refused = page.locator("#outbox [data-outbox-refused-list] li")
    expect(refused).to_have_count(3)
    expect(refused.nth(0)).to_contain_text("壊れていて、送信できません")
    expect(refused.nth(1)).to_contain_text("壊れていて、送信できません")
    expect(refused.nth(2)).to_contain_text("変更先がもう存在しません(エラー 404)")
    expect(refused.nth(2).locator("blockquote")).to_have_text("消えた項目")
    expect(page.locator("#outbox [data-outbox-count]")).to_be_hidden()

    page.reload()  # still listed, still kept
    expect(refused).to_have_count(3)
    page.once("dialog", lambda dialog: dialog.accept())
    refused.nth(0).get_by_role("button", name="この端末から削除").click()
    expect(refused).to_have_count(2)
    assert len(page.evaluate(OUTBOX)) == 2
    assert Item.objects.count() == 1


def test_without_javascript_a_note_conflict_is_shown_and_resolved(
    page_without_js: Page, live_server, user, week_start
):
    note = ReadingNote.objects.create(
        user=user, week=Week.get_or_create_for(user, week_start), title="積ん読", kind="book"
    )
    note.save_revision(1, impressions="ノートPCで書いた感想。")
    save_or_conflict(note, 1, title="積ん読", impressions="スマホで書いた感想。")
    page = page_without_js
    page.goto(f"{live_server.url}/")
    page.locator(".open-conflicts").get_by_role("link", name="積ん読").click()
    conflict = page.locator(f"#note-{note.uuid} .conflict")
    expect(conflict).to_contain_text("スマホで書いた感想。")
    conflict.get_by_role("button", name="今の版を残す").click()
    expect(page).to_have_url(f"{live_server.url}/weeks/{week_start}/#note-{note.uuid}")
    expect(page.locator(".conflict")).to_have_count(0)
    note.refresh_from_db()
    assert note.impressions == "ノートPCで書いた感想。"
    assert WeeklyConflictCopy.objects.get().resolved_at is not None
