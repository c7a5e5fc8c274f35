"""The week page with open conflicts and today's list of them, at phone and desktop widths, light
and dark: screenshots under test-artifacts/screenshots/ for a person to look at."""

import pytest
from playwright.sync_api import Page

from journal.models import Entry
from tests.browser.test_layout import SIZES, shoot_pages, written_journal, written_week  # noqa: F401
from weekly.models import Item, ItemKind, ReadingNote, Week, save_or_conflict


@pytest.fixture
def conflicted_week(user, written_week):  # noqa: F811
    week = Week.objects.get(user=user, start_date=written_week)
    item = Item.objects.filter(week=week, kind=ItemKind.KEEP).order_by("position").first()
    base = item.revision
    item.save_revision(base, text=f"{item.text}(ノートPCで追記)")
    save_or_conflict(item, base, text=f"{item.text}。電車の中でスマホから書き足した長めの補足")
    note = ReadingNote.objects.filter(week=week).first()
    base = note.revision
    note.save_revision(base, impressions="ノートPCで書いた感想。")
    save_or_conflict(note, base, title=note.title, impressions="スマホで書いた感想。**太字**も。")
    gone = Item.objects.create(user=user, week=week, kind=ItemKind.PROBLEM, text="消された項目")
    save_or_conflict(gone, 0, text="消される前に直した項目")
    gone.delete_softly()
    base = week.revision
    week.save_revision(base, summary="ノートPCで書いた要約。")
    save_or_conflict(week, base, title=week.title, summary="スマホで書いた要約。")
    entry = Entry.objects.filter(user=user).first()
    entry.edit_or_conflict(entry.revision - 1, body="遅れて届いた本文。")
    return written_week


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_conflicts_fit_the_screen(logged_in_page: Page, live_server, conflicted_week, size, scheme):
    pages = [("week-conflicts", f"/weeks/{conflicted_week}/"), ("today-conflicts", "/")]
    shoot_pages(logged_in_page, live_server.url, pages, size, scheme)
