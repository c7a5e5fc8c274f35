"""The published weekly report the product grew from, read from ../shared (never copied here)."""

from datetime import date
from pathlib import Path

import pytest

from weekly.models import ItemKind, Week
from weekly.report_format import import_report, parse_weekly_report, week_to_markdown

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
REPORTS = sorted(SEEDS.glob("004_*.txt")) if SEEDS.is_dir() else []

pytestmark = pytest.mark.skipif(not REPORTS, reason="../shared/seeds is not beside the project")


@pytest.fixture
def report_text() -> str:
    return REPORTS[0].read_text(encoding="utf-8")


def test_the_seed_report_imports_with_its_sections(user, report_text):
    week = import_report(user, parse_weekly_report(report_text, REPORTS[0].name))
    assert week.start_date == date(2021, 1, 18)
    assert week.end_date == date(2021, 1, 24)
    assert week.title == "Weekly Report 2021/01/18-01/24"
    kinds = list(Week.objects.get().items.values_list("kind", flat=True))
    assert kinds.count(ItemKind.KEEP) == 12
    assert kinds.count(ItemKind.PROBLEM) == 2
    assert kinds.count(ItemKind.TRY) == 1
    notes = list(week.reading_notes.order_by("position"))
    assert len(notes) == 3
    assert all(note.impressions for note in notes[:2])
    assert notes[2].kind == "paper"


def test_the_seed_report_exports_and_imports_back_identically(user, other_user, report_text):
    first = week_to_markdown(import_report(user, parse_weekly_report(report_text)))
    again = week_to_markdown(import_report(other_user, parse_weekly_report(first)))
    assert again == first
