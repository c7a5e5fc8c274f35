"""The timeline in Chromium: more weeks load as it scrolls, and plain links page without JS."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from journal.models import Entry
from weekly.models import Item, ItemKind, Week
from weekly.timeline import PAGE_SIZE

WEEKS = 40


@pytest.fixture
def forty_weeks(user) -> list:
    """40 weeks back from this one, each with a retrospective and a few entries."""
    prefs = user.journal_settings
    newest = prefs.week_of(prefs.today())[0]
    starts = [newest - timedelta(weeks=n) for n in range(WEEKS)]
    weeks = Week.objects.bulk_create(
        Week(user=user, start_date=start, end_date=start + timedelta(days=6), title=f"週{n}")
        for n, start in enumerate(starts)
    )
    Entry.objects.bulk_create(
        Entry(user=user, date=start + timedelta(days=day), title=f"{start:%m/%d}の記録{day}")
        for start in starts
        for day in (0, 2, 4)
    )
    Item.objects.bulk_create(
        Item(user=user, week=week, kind=kind, text=text)
        for week in weeks
        for kind, text in [(ItemKind.KEEP, "毎日書けた"), (ItemKind.TRY, "早く寝る")]
    )
    return starts


def test_scrolling_loads_older_weeks_page_by_page(logged_in_page: Page, live_server, forty_weeks):
    page = logged_in_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/weeks/")
    cards = page.locator("li.week-card")
    expect(cards).to_have_count(PAGE_SIZE)
    for expected in range(2 * PAGE_SIZE, WEEKS + 1, PAGE_SIZE):  # four more loads
        shown = cards.count()
        page.mouse.wheel(0, 20_000)
        expect(cards).to_have_count(expected)
        assert cards.count() > shown
    expect(page.locator("#timeline-more")).to_have_count(0)
    ids = cards.evaluate_all("cards => cards.map(card => card.id)")
    assert ids == [f"week-{start}" for start in forty_weeks]  # in order, none twice
    assert page.url == f"{live_server.url}/weeks/"


def test_without_javascript_the_older_weeks_link_pages(
    page_without_js: Page, live_server, forty_weeks
):
    page = page_without_js
    page.goto(f"{live_server.url}/weeks/")
    cards = page.locator("li.week-card")
    expect(cards).to_have_count(PAGE_SIZE)
    page.locator("#timeline-more a").click()
    expect(page).to_have_url(f"{live_server.url}/weeks/?before={forty_weeks[PAGE_SIZE - 1]}")
    expect(cards).to_have_count(PAGE_SIZE)
    expect(cards.first).to_have_id(f"week-{forty_weeks[PAGE_SIZE]}")
    for _ in range(WEEKS // PAGE_SIZE - 2):
        page.locator("#timeline-more a").click()
    expect(cards).to_have_count(PAGE_SIZE)
    expect(page.locator("#timeline-more")).to_have_count(0)
