"""How fast offline works, measured in Chromium (docs/decisions.md, "Offline reading and
writing"). The tests assert only correctness; the times are printed and written to
test-artifacts/offline-timings.json, never asserted (the machine's load decides them)."""

import json
import statistics
from pathlib import Path

from playwright.sync_api import Page, expect

from offline.models import AppliedOp
from tests.browser.test_layout import add_lines
from tests.browser.test_offline_writing import open_warm
from tests.sample_text import SAMPLE_KEEP, SAMPLE_PROBLEM, SAMPLE_READING
from weekly.models import Item, ItemKind, ReadingNote, Week

RESULTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "offline-timings.json"
RELOADS = 10
OPS = 100

NAVIGATION = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {response: n.responseEnd - n.startTime, load: n.loadEventEnd - n.startTime}; }"""
# Resolves with the ms from the `online` event to an empty outbox.
UNTIL_EMPTY = """async () => {
  while ((await window.tsuzuriOutbox.allOps()).length) await new Promise(r => setTimeout(r, 10));
  return performance.now() - window.__onlineAt;
}"""


def record(name: str, value: dict, capsys) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = value
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    with capsys.disabled():
        print(f"\n{name}: {json.dumps(value)}")


def test_an_offline_reload_of_a_week_is_served_by_the_worker(
    logged_in_page: Page, live_server, user, capsys
):
    prefs = user.journal_settings
    start = prefs.week_of(prefs.today())[0]
    week = Week.get_or_create_for(user, start)
    add_lines(user, week, ItemKind.KEEP, SAMPLE_KEEP)
    add_lines(user, week, ItemKind.PROBLEM, SAMPLE_PROBLEM)
    for title, url, kind, notes, impressions in SAMPLE_READING:
        ReadingNote.objects.create(
            user=user, week=week, title=title, url=url, kind=kind, notes=notes,
            impressions=impressions,
        )  # fmt: skip
    page = logged_in_page
    path = f"/weeks/{start}/"
    open_warm(page, live_server.url + path, path)

    page.context.set_offline(True)
    responses, loads = [], []
    for _ in range(RELOADS):
        response = page.reload(wait_until="load")
        assert response.from_service_worker
        expect(page.locator("#section-keep .item-text").first).to_be_visible()
        timing = page.evaluate(NAVIGATION)
        responses.append(timing["response"])
        loads.append(timing["load"])
    expect(page.locator("#connection")).to_contain_text("オフライン")
    record(
        "offline_week_reload_ms",
        {
            "reloads": RELOADS,
            "items": Item.objects.count(),
            "median_response": round(statistics.median(responses), 1),
            "median_load": round(statistics.median(loads), 1),
            "max_load": round(max(loads), 1),
        },
        capsys,
    )


def test_a_hundred_ops_made_offline_replay_once_each(
    logged_in_page: Page, live_server, user, capsys
):
    prefs = user.journal_settings
    start = prefs.week_of(prefs.today())[0]
    page = logged_in_page
    path = f"/weeks/{start}/"
    open_warm(page, live_server.url + path, path)

    page.context.set_offline(True)
    add = page.locator("#add-keep-text")
    texts = [f"圏外で書いた項目 {n:03}" for n in range(OPS)]
    for text in texts:
        add.fill(text)
        add.press("Enter")
    expect(page.locator("#section-keep .pending-card")).to_have_count(OPS)
    assert page.evaluate("window.tsuzuriOutbox.allOps().then(ops => ops.length)") == OPS

    page.evaluate(
        "window.addEventListener('online', () => { window.__onlineAt = performance.now(); })"
    )
    page.context.set_offline(False)
    replay_ms = page.evaluate(UNTIL_EMPTY)
    fetches = page.evaluate(
        """() => performance.getEntriesByType('resource')
             .filter(e => e.initiatorType === 'fetch' && e.name.includes('/items/')
                          && e.startTime >= window.__onlineAt)
             .map(e => e.duration)"""
    )

    expect(page.locator("#outbox")).to_be_hidden()
    expect(page.locator("#section-keep .item-text")).to_have_count(OPS)
    stored = list(Item.objects.order_by("position").values_list("text", flat=True))
    assert stored == texts  # all of them, once each, in the order written
    assert AppliedOp.objects.count() == OPS
    record(
        "outbox_replay_100_ops_ms",
        {
            "ops": OPS,
            "total": round(replay_ms),
            "per_op": round(replay_ms / OPS, 1),
            "requests": len(fetches),
            "request_median": round(statistics.median(fetches), 1) if fetches else None,
            "request_total": round(sum(fetches)),
        },
        capsys,
    )
