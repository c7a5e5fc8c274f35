"""Every page at phone and desktop widths, light and dark: nothing scrolls sideways, and a
screenshot of each is saved under test-artifacts/screenshots/ for a person to look at."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from journal.models import Entry
from tests.sample_text import LONG_ENTRIES, SAMPLE_KEEP, SAMPLE_PROBLEM, SAMPLE_READING
from weekly.models import Item, ItemKind, ReadingNote, Review, Week

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture
def written_journal(user):
    today = user.journal_settings.today()
    for title, body in LONG_ENTRIES:
        Entry.objects.create(user=user, date=today, title=title, body=body, worked=True)
    for days_ago in (1, 3, 4, 9):
        Entry.objects.create(
            user=user, date=today - timedelta(days=days_ago), title="短い記録", body="晴れ。"
        )
    return today


def add_lines(user, week: Week, kind: str, lines) -> None:
    parents: dict[int, Item] = {}
    for depth, text, *is_try in lines:
        item = Item.objects.create(
            user=user,
            week=week,
            kind=ItemKind.TRY if is_try else kind,
            text=text,
            parent=parents.get(depth - 1),
        )
        parents[depth] = item


@pytest.fixture
def written_week(user, written_journal):
    start = user.journal_settings.week_of(written_journal)[0]
    previous = Week.get_or_create_for(user, start - timedelta(days=7))
    for text, review in [("毎日日記を書く", Review.DONE), ("夜は早めに寝る", Review.NOT_DONE)]:
        Item.objects.create(user=user, week=previous, kind=ItemKind.TRY, text=text, review=review)
    week = Week.get_or_create_for(user, start)
    week.summary = "今週の振り返り。英語と研究の両立を意識した一週間。"
    week.save()
    add_lines(user, week, ItemKind.KEEP, SAMPLE_KEEP)
    add_lines(user, week, ItemKind.PROBLEM, SAMPLE_PROBLEM)
    for title, url, kind, notes, impressions in SAMPLE_READING:
        ReadingNote.objects.create(
            user=user, week=week, title=title, url=url, kind=kind, notes=notes,
            impressions=impressions,
        )  # fmt: skip
    return start


def overflow(page: Page) -> int:
    return page.evaluate(
        "() => { const root = document.documentElement;"
        " return root.scrollWidth - root.clientWidth; }"
    )


def shoot_pages(page: Page, base_url: str, pages: list[tuple[str, str]], size, scheme=None):
    """Screenshot each (name, path) at the given size and colour scheme; none may scroll
    sideways."""
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    if scheme:
        page.emulate_media(color_scheme=scheme)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in pages:
        page.goto(base_url + path)
        suffix = f"-{scheme}" if scheme else ""
        page.screenshot(path=SHOTS / f"{name}-{size}{suffix}.png", full_page=True)
        assert overflow(page) == 0, f"{path} scrolls sideways at {size}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_diary_pages_fit_the_screen(
    logged_in_page: Page, live_server, written_journal, size, scheme
):
    month = written_journal.strftime("%Y-%m")
    pages = [("today", "/"), ("month", f"/months/{month}/"), ("settings", "/settings/")]
    shoot_pages(logged_in_page, live_server.url, pages, size, scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_week_pages_fit_the_screen(logged_in_page: Page, live_server, written_week, size, scheme):
    week = f"/weeks/{written_week}/"
    pages = [("week", week), ("board", f"{week}board/"), ("report", f"{week}report/")]
    shoot_pages(logged_in_page, live_server.url, pages, size, scheme)


@pytest.mark.parametrize("size", SIZES)
def test_setup_page_fits_the_screen(page: Page, live_server, transactional_db, size):
    shoot_pages(page, live_server.url, [("setup", "/setup/")], size)


@pytest.fixture
def looked_back_on(user):
    """A year of the synthetic journal, and entries on today's date in two earlier years."""
    call_command("seed_demo", "--years", "1", "--seed", "5", stdout=StringIO())
    today = user.journal_settings.today()
    for years in (1, 3):
        try:
            day = today.replace(year=today.year - years)
        except ValueError:  # February 29
            continue
        title = f"{years}年前の今日: 研究室の大掃除"
        Entry.objects.create(
            user=user, date=day, title=title, body="机の下から古いノートが出てきた。"
        )
    return today


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_looking_back_pages_fit_the_screen(
    logged_in_page: Page, live_server, looked_back_on, size, scheme
):
    pages = [
        ("timeline", "/weeks/"),
        ("year", f"/years/{looked_back_on.year}/"),
        ("today-on-this-day", "/"),
    ]
    shoot_pages(logged_in_page, live_server.url, pages, size, scheme)
