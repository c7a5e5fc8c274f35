import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from archive.importing import CREATE, DUPLICATE, REFUSE, UPDATE, ImportRefused, plan_import
from archive.sources import FolderSource, bytes_source
from weekly.models import Item, ReadingNote, Week
from weekly.report_format import import_report, parse_weekly_report, week_to_markdown

FIXTURES = Path(__file__).parent.parent / "weekly" / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def plan(user, data: bytes, name: str = "reports.zip", **options):
    return plan_import("weekly", user, bytes_source(data, name), **options)


@pytest.fixture(autouse=True)
def _english():
    """Plans are made outside a request: their messages follow the active language."""
    with translation.override("en"):
        yield


def test_it_plans_a_line_per_report_in_a_zip_in_name_order(user):
    data = zipped(
        {
            "reports/b-published.txt": fixture("plain_published.txt"),
            "reports/a-separate.md": fixture("separate_headings.md"),
            "reports/photo.jpg": b"\xff\xd8\xff not a report",
            "__MACOSX/reports/._a-separate.md": b"\x00\x05",
        }
    )

    result = plan(user, data)

    assert [(line.action, line.where) for line in result.lines] == [
        (CREATE, "reports/a-separate.md"),
        (CREATE, "reports/b-published.txt"),
    ]
    assert result.lines[0].what.startswith("week of 2021-01-18「週報 2021年1月18日〜1月24日」")
    assert result.lines[1].what.endswith("Keep 5, Problem 3, Try 1, reading notes 3")
    assert result.total == 2
    assert not Week.objects.for_user(user).exists()  # a plan writes nothing


def test_apply_stores_every_report_and_reports_progress(user):
    data = zipped(
        {"a.md": fixture("separate_headings.md"), "b.txt": fixture("plain_published.txt")}
    )
    steps = []

    counts = plan(user, data).apply(user, lambda done, total: steps.append((done, total)))

    assert counts[CREATE] == 2
    assert steps == [(1, 2), (2, 2)]
    weeks = Week.objects.for_user(user).order_by("start_date")
    assert [week.start_date for week in weeks] == [date(2021, 1, 18), date(2022, 3, 7)]
    assert ReadingNote.objects.for_user(user).filter(week=weeks[1]).count() == 3


def test_one_file_is_read_as_a_report(user):
    result = plan(user, fixture("kpt_labels.txt"), "kpt.txt")

    assert [(line.action, line.where) for line in result.lines] == [(CREATE, "kpt.txt")]


def test_a_folder_is_read_too(user, tmp_path):
    (tmp_path / "one.md").write_bytes(fixture("separate_headings.md"))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")

    result = plan_import("weekly", user, FolderSource(tmp_path))

    assert [line.where for line in result.lines] == ["one.md"]


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_imported(user):
    data = zipped(
        {
            "a.md": fixture("separate_headings.md"),
            "c-diary.md": fixture("diary_entry.md"),
            "d-binary.txt": b"# x\n\x89PNG\r\n\x1a\n",
        }
    )

    result = plan(user, data)

    assert [(line.action, line.where) for line in result.refused] == [
        (REFUSE, "c-diary.md:3"),
        (REFUSE, "d-binary.txt:2"),
    ]
    assert "UTF-8" in result.refused[1].reason
    with pytest.raises(ImportRefused, match="2 problems were found, so nothing was imported"):
        result.apply(user)
    assert not Week.objects.for_user(user).exists()


def test_two_reports_of_the_same_week_are_refused(user):
    data = zipped({"a.md": fixture("separate_headings.md"), "c.txt": fixture("kpt_labels.txt")})

    result = plan(user, data)

    assert [line.action for line in result.lines] == [CREATE, REFUSE]
    assert result.lines[1].reason == "The same week (2021-01-18) as a.md."


def test_a_week_with_a_retrospective_is_refused_unless_replacing(user):
    import_report(user, parse_weekly_report(fixture("separate_headings.md")))

    refused = plan(user, fixture("kpt_labels.txt"), "kpt.txt")
    replacing = plan(user, fixture("kpt_labels.txt"), "kpt.txt", replace=True)

    assert refused.lines[0].action == REFUSE
    assert refused.lines[0].reason == "The week of 2021-01-18 already has a retrospective."
    assert replacing.lines[0].action == UPDATE
    replacing.apply(user)
    week = Week.objects.for_user(user).get()
    texts = set(Item.objects.for_user(user).filter(week=week).alive().values_list("text", flat=1))
    assert "英語のポッドキャストを毎日聞いた" in texts


def test_a_report_imported_before_is_skipped_as_a_duplicate(user):
    plan(user, fixture("plain_published.txt"), "r.txt").apply(user)

    again = plan(user, fixture("plain_published.txt"), "r.txt")

    assert [line.action for line in again.lines] == [DUPLICATE]
    assert again.lines[0].reason == "this week already holds it"
    again.apply(user)  # nothing to do, nothing refused
    assert Item.objects.for_user(user).count() == 9


def test_the_exported_markdown_of_a_week_is_a_duplicate_of_it(user):
    plan(user, fixture("separate_headings.md"), "a.md").apply(user)
    week = Week.objects.for_user(user).get()

    again = plan(user, week_to_markdown(week).encode(), "export.md")

    assert [line.action for line in again.lines] == [DUPLICATE]


def test_a_changed_report_of_an_imported_week_is_not_a_duplicate(user):
    plan(user, fixture("kpt_labels.txt"), "k.txt").apply(user)
    changed = fixture("kpt_labels.txt").replace("部屋の片付け".encode(), "机の片付け".encode())

    again = plan(user, changed, "k.txt")

    assert [line.action for line in again.lines] == [REFUSE]


def test_an_empty_week_is_filled_without_replacing(user):
    Week.objects.create(
        user=user, start_date=date(2021, 1, 18), end_date=date(2021, 1, 24), title="空の週"
    )

    result = plan(user, fixture("kpt_labels.txt"), "kpt.txt")

    assert [line.action for line in result.lines] == [CREATE]


def test_the_week_option_places_one_file(user):
    result = plan(user, fixture("kpt_labels.txt"), "kpt.txt", week=date(2021, 3, 1))
    result.apply(user)

    assert Week.objects.for_user(user).get().start_date == date(2021, 3, 1)


def test_the_week_option_is_refused_for_many_files(user):
    data = zipped({"a.md": fixture("separate_headings.md"), "b.txt": fixture("kpt_labels.txt")})

    result = plan(user, data, week=date(2021, 3, 1))

    assert [(line.action, line.where) for line in result.lines] == [(REFUSE, "reports.zip")]


def test_a_zip_without_reports_is_refused(user):
    result = plan(user, zipped({"photo.jpg": b"\xff\xd8"}))

    assert result.refused[0].reason == "There are no .md or .txt files to read."


def test_a_week_written_since_the_dry_run_refuses_the_import(user):
    result = plan(user, fixture("kpt_labels.txt"), "kpt.txt")
    import_report(user, parse_weekly_report(fixture("separate_headings.md")))

    with pytest.raises(ImportRefused, match="kpt.txt: "):
        result.apply(user)
