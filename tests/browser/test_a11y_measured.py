"""Issue 9's points that a checker does not see, measured in Chromium: the size of what a thumb
presses (the month's days, the offline page's kept pages), the contrast of the year map's days,
j / k through every list a page has, and one announcement per event, not two."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from journal.models import Entry
from tests.browser.test_layout import SHOTS, written_journal, written_week  # noqa: F401
from tests.browser.test_offline_writing import open_warm
from weekly.models import Item, ItemKind, Week

BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter((element) => element.getClientRects().length)
  .map((element) => { const b = element.getBoundingClientRect();
                      return {x: b.x, y: b.y, width: b.width, height: b.height}; })"""


def test_the_month_calendar_days_are_44_px_from_320_px(
    logged_in_page: Page,
    live_server,
    user,
    written_journal,  # noqa: F811
):
    page = logged_in_page
    path = f"/months/{written_journal:%Y-%m}/"
    for width in (320, 372, 390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + path)
        days = page.evaluate(BOXES, ".calendar td a")
        assert len(days) >= 28
        small = [d for d in days if d["width"] < 44 or d["height"] < 44]
        assert small == [], f"at {width} px: {small[:3]}"
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
        if width == 320:
            page.screenshot(path=SHOTS / "month-320-days.png")
    # Under 373 px the week's count takes no column, but a screen reader still reads it.
    page.set_viewport_size({"width": 320, "height": 800})
    counts = page.locator(".calendar td.week-col")
    assert counts.count() >= 4
    assert counts.first.inner_text().strip()
    assert counts.first.bounding_box()["width"] <= 1
    page.set_viewport_size({"width": 390, "height": 800})
    assert counts.first.bounding_box()["width"] > 20


def test_the_offline_pages_kept_pages_are_44_px_tall(logged_in_page: Page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + "/offline/")
    page.evaluate(
        """async () => { await navigator.serviceWorker.ready;  // its activation clears others
        const shell = (await caches.keys()).find((name) => name.startsWith('shell-'));
        const cache = await caches.open(shell.replace('shell-', 'pages-'));
        for (const day of ['2026-11-23', '2026-11-24', '2026-11-25'])
          await cache.put(`/days/${day}/`, new Response('kept'));
        await cache.put('/weeks/2026-11-23/', new Response('kept')); }"""
    )
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        expect(page.locator(".saved-pages a[href='/days/2026-11-24/']")).to_be_visible()
        boxes = page.evaluate(BOXES, ".saved-pages a")
        assert all(box["height"] >= 44 for box in boxes), boxes
        page.screenshot(path=SHOTS / f"offline-kept-{width}.png")


# The colour of each day's edge against the page (WCAG 1.4.11: 3:1 for a graphic that must be seen).
EDGE_CONTRAST = """() => {
  const rgb = (text) => (text.match(/rgba?\\(([^)]+)\\)/) || [null, '0,0,0'])[1]
    .split(',').slice(0, 3).map(Number);
  const luminance = (c) => { const [r, g, b] = c.map((v) => { v /= 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const page = luminance(rgb(getComputedStyle(document.body).backgroundColor));
  return [...document.querySelectorAll('.heatmap tbody a, .heatmap-legend .swatch')].map((cell) => {
    const edge = luminance(rgb(getComputedStyle(cell).boxShadow));
    const ratio = (Math.max(edge, page) + 0.05) / (Math.min(edge, page) + 0.05);
    return [cell.closest('td') ? cell.closest('td').className : cell.className, ratio];
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_day_of_the_year_map_is_drawn_at_3_to_1_against_the_page(
    logged_in_page: Page,
    live_server,
    user,
    written_journal,  # noqa: F811
    scheme,
):
    Entry.objects.create(
        user=user, date=written_journal - timedelta(days=20), title="稼働", worked=True
    )
    page = logged_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/years/{written_journal.year}/")
    cells = page.evaluate(EDGE_CONTRAST)
    kinds = {kind.split()[0] if kind else "" for kind, _ in cells}
    assert {"day", "swatch"} <= kinds  # empty days and the legend's squares are measured
    assert any("is-written" in kind for kind, _ in cells)
    assert any("is-worked" in kind for kind, _ in cells)
    faint = [(kind, round(ratio, 2)) for kind, ratio in cells if ratio < 3]
    assert faint == []


# Each colour a day of the year map is filled with, and each the legend shows.
FILLS = """() => ({
  days: [...new Set([...document.querySelectorAll('.heatmap tbody td.day a')]
    .map((cell) => getComputedStyle(cell).backgroundColor))],
  legend: [...document.querySelectorAll('.heatmap-legend .swatch:not(.met)')]
    .map((swatch) => getComputedStyle(swatch).backgroundColor),
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_legend_shows_every_fill_the_year_map_uses_but_the_middle_ones(
    logged_in_page: Page, live_server, user, scheme
):
    """Worked days with one entry were a lighter green than the legend's: the legend now has
    the lightest and the darkest of both hues (two entries sit between them)."""
    today = user.journal_settings.today()
    year = today.year if today.month > 1 else today.year - 1  # the days below are past
    for day, count, worked in [(5, 1, False), (6, 3, False), (7, 1, True), (8, 3, True)]:
        for n in range(count):
            Entry.objects.create(
                user=user, date=date(year, 1, day), title=f"記録{n}", worked=worked
            )
    page = logged_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/years/{year}/")
    fills = page.evaluate(FILLS)
    assert len(fills["days"]) == 5  # nothing written, and each hue light and dark
    assert set(fills["days"]) == set(fills["legend"])


# j / k: the focused element and whether a ring shows round it.
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {text: element.textContent.trim().slice(0, 40), ring};
}"""


def walk(page: Page, key: str, steps: int) -> list[str]:
    seen = []
    for _ in range(steps):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        assert focused["ring"], f"no focus ring on {focused['text']}"
        seen.append(focused["text"])
    return seen


def test_j_and_k_go_through_a_past_days_entries_with_a_ring(
    logged_in_page: Page, live_server, user
):
    day = user.journal_settings.today() - timedelta(days=3)
    for title in ("朝", "昼", "夜"):
        Entry.objects.create(user=user, date=day, title=title, body=f"{title}の記録。")
    page = logged_in_page
    page.goto(f"{live_server.url}/days/{day}/")
    seen = walk(page, "j", 4)
    assert [text[:1] for text in seen] == ["朝", "昼", "夜", "夜"]  # stays on the last
    assert [text[:1] for text in walk(page, "k", 2)] == ["昼", "朝"]
    page.keyboard.press("e")
    expect(page.locator("form.entry-form input[name=title]").first).to_be_focused()


WEEK_ITEMS = ".review-row, .week-diary li li, .kpt-list .item-row:not(form), .reading-note"
WHICH = """(selector) => {
  const items = [...document.querySelectorAll(selector)];
  const item = document.activeElement.closest(selector);
  return [items.indexOf(item), item ? item.className : null];
}"""


def test_j_and_k_reach_every_list_of_the_week_page(
    logged_in_page: Page,
    live_server,
    user,
    written_week,  # noqa: F811
):
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{written_week}/")
    count = page.evaluate("(selector) => document.querySelectorAll(selector).length", WEEK_ITEMS)
    kinds = set()
    for expected in range(count):
        walk(page, "j", 1)
        at, kind = page.evaluate(WHICH, WEEK_ITEMS)
        assert at == expected  # each in turn, none skipped
        kinds.add(kind.split()[0] if kind else "")
    assert kinds == {"review-row", "", "item-row", "reading-note"}  # the diary's <li> has no class
    walk(page, "k", 1)
    assert page.evaluate(WHICH, WEEK_ITEMS)[0] == count - 2
    page.screenshot(path=SHOTS / "week-j-focus.png")


def test_j_and_k_go_through_the_boards_cells(
    logged_in_page: Page,
    live_server,
    user,
    written_week,  # noqa: F811
):
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{written_week}/board/")
    cells = page.locator(".kpt-board li")
    count = cells.count()
    assert count > 4
    seen = walk(page, "j", count)
    assert seen == [text.strip()[:40] for text in cells.all_text_contents()]
    page.screenshot(path=SHOTS / "board-j-focus.png")


# What a screen reader is given to say: each text that appears in a live region (role alert,
# status or log, or aria-live) or arrives as a whole new alert or status, with its region.
LISTEN = """() => {
  window.voices = [];
  if (window.voiceObserver) window.voiceObserver.disconnect();
  const regionOf = (element) => {
    for (; element && element !== document.documentElement; element = element.parentElement) {
      const live = element.getAttribute("aria-live");
      if (live) return live === "off" ? null : element;
      if (/^(alert|status|log)$/.test(element.getAttribute("role") || "")) return element;
    }
    return null;
  };
  const say = (region, text) => {
    if (text.trim()) window.voices.push(`${region.id || region.className}: ${text.trim()}`);
  };
  window.voiceObserver = new MutationObserver((records) => {
    for (const record of records) {
      const nodes = record.type === "characterData" ? [record.target] : [...record.addedNodes];
      for (const node of nodes) {
        const region = regionOf(node.nodeType === 1 ? node : node.parentElement);
        if (region) say(region, node.textContent || "");
        else if (node.nodeType === 1)
          node.querySelectorAll("[role=alert], [role=status], [aria-live]:not([aria-live=off])")
            .forEach((inner) => say(inner, inner.textContent || ""));
      }
    }
  });
  const all = {childList: true, subtree: true, characterData: true};
  window.voiceObserver.observe(document.body, all);
}"""


def voices_after(page: Page, button, settle: str) -> list[str]:
    page.evaluate(LISTEN)
    button.click()
    expect(page.locator(settle).first).to_be_visible()
    page.wait_for_timeout(400)  # the announcer speaks 50 ms after it is emptied
    return page.evaluate("() => window.voices")


def test_each_change_is_announced_once(logged_in_page: Page, live_server, today_entry):
    page = logged_in_page
    page.goto(live_server.url + "/")
    entry = page.locator(f"#entry-{today_entry.uuid}")

    said = voices_after(page, entry.get_by_role("button", name="削除"), ".is-deleted")
    assert said == ["announcer: 削除しました。U キーか「元に戻す」ボタンで戻せます。"]
    said = voices_after(page, entry.get_by_role("button", name="元に戻す"), ".prose")
    assert said == ["announcer: 元に戻しました。"]

    entry.get_by_role("link", name="編集").click()
    form = page.locator(f"form#entry-{today_entry.uuid}")
    form.get_by_label("本文").fill("この端末で書き直した。")
    said = voices_after(page, form.get_by_role("button", name="保存"), ".prose")
    assert said == ["announcer: 保存しました。"]

    entry.get_by_role("link", name="編集").click()
    expect(form.get_by_label("タイトル")).to_be_focused()  # the form, at the revision it read
    today_entry.refresh_from_db()
    assert today_entry.save_revision(today_entry.revision, body="別の端末で書いた版。")
    form.get_by_label("本文").fill("この端末の版。")
    said = voices_after(page, form.get_by_role("button", name="保存"), ".conflict")
    assert len(said) == 1, said
    assert said[0].startswith("conflict:")  # its own section, role=alert
    expect(page.locator("#sync-notices li")).to_have_count(0)  # not said again under the bar

    page.context.set_offline(True)
    new = page.locator("#new-entry")
    new.get_by_label("本文").fill("圏外で書いた。")
    said = voices_after(page, new.get_by_role("button", name="保存"), ".pending-card")
    assert said == ["announcer: この端末に保存しました。接続が戻ると送信します。"]
    expect(page.locator("#outbox [data-outbox-count]")).to_contain_text("1")
    page.context.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=10_000)


def test_a_conflict_sent_from_another_page_is_said_by_the_notice_alone(
    logged_in_page: Page, live_server, user
):
    """Written offline on the week, sent from today's page: the notice under the bar says it,
    with a link to where both versions wait; the announcer stays silent."""
    start = user.journal_settings.week_of(user.journal_settings.today())[0]
    week = Week.get_or_create_for(user, start)
    item = Item.objects.create(user=user, week=week, kind=ItemKind.KEEP, text="朝に走った")
    page = logged_in_page
    open_warm(page, f"{live_server.url}/weeks/{start}/", "/", f"/weeks/{start}/")
    page.locator(f"#item-row-{item.uuid} .item-text").click()
    field = page.locator(f"form#item-row-{item.uuid} input[name=text]")
    expect(field).to_be_focused()
    page.context.set_offline(True)
    field.fill("電車で直した")
    field.press("Enter")
    expect(page.locator(f"#item-row-{item.uuid}.pending-card")).to_be_visible()
    page.goto(live_server.url + "/")  # kept by the worker
    assert item.save_revision(1, text="別の端末で直した")
    page.evaluate(LISTEN)
    page.context.set_offline(False)
    notice = page.locator("#sync-notices li[role=alert]")
    expect(notice).to_contain_text("競合", timeout=10_000)
    expect(notice.get_by_role("link", name="開く")).to_have_attribute(
        "href", f"/weeks/{start}/#item-{item.uuid}"
    )
    page.wait_for_timeout(400)
    said = page.evaluate("() => window.voices")
    assert len(said) == 1, said
    assert said[0].startswith("notice: 別の場所での変更と競合しました。")  # the notice, role=alert


def test_t_and_w_go_to_today_and_this_weeks_page_from_anywhere(
    logged_in_page: Page, live_server, user
):
    prefs = user.journal_settings
    page = logged_in_page
    page.goto(f"{live_server.url}/years/{prefs.today().year}/")
    page.keyboard.press("t")
    expect(page).to_have_url(live_server.url + "/")
    page.keyboard.press("w")
    expect(page).to_have_url(f"{live_server.url}/weeks/{prefs.week_of(prefs.today())[0]}/")


def test_a_kpt_item_and_a_reading_note_deleted_are_announced_once(
    logged_in_page: Page,
    live_server,
    user,
    written_week,  # noqa: F811
):
    page = logged_in_page
    page.goto(f"{live_server.url}/weeks/{written_week}/")
    deleted = "announcer: 削除しました。U キーか「元に戻す」ボタンで戻せます。"
    page.locator("#section-keep .item-menu > summary").first.click()
    menu = page.locator("#section-keep .item-menu[open]")
    said = voices_after(page, menu.get_by_role("button", name="削除"), "#section-keep .undo")
    assert said == [deleted]
    note = page.locator(".reading-note").first
    said = voices_after(page, note.get_by_role("button", name="削除"), "#reading .undo")
    assert said == [deleted]


def test_no_shortcut_fires_while_an_ime_composes(logged_in_page: Page, live_server, today_entry):
    """Outside a field too: a key that belongs to an IME conversion (isComposing, or Safari's
    keyCode 229) moves nothing, opens nothing, goes nowhere."""
    page = logged_in_page
    page.goto(live_server.url + "/")
    for key in ("j", "?", "t", "n"):
        for composing in ({"isComposing": True}, {"keyCode": 229}):
            page.evaluate(
                """([key, composing]) => document.body.dispatchEvent(new KeyboardEvent('keydown',
                     {key, bubbles: true, cancelable: true, ...composing}))""",
                [key, composing],
            )
    assert page.evaluate("() => document.activeElement === document.body")
    expect(page.locator("#shortcuts")).not_to_be_visible()
    assert page.url == live_server.url + "/"
    page.keyboard.press("j")  # the same key, not composing: it moves
    expect(page.locator(f"#entry-{today_entry.uuid}")).to_be_focused()
