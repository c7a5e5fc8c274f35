"""Weekly reports (DESIGN.md §8), many at once: a folder or zip of .md / .txt files, or one file.

Each file becomes one line of the plan: created (a new week, or a week with nothing written yet),
updated (an existing retrospective, only with replace=True), skipped when the week already holds
exactly this report, or refused with its file and line. A report already imported is recognised
by its content: the stored week, written out as Markdown and read back, says the same as the file
(title, summary, items with their kinds and nesting, reading notes). Reading both through the same
parser makes the variants real posts use (K/P/T labels, bare-line headings) compare equal to the
canonical shape. 前回のTry lines are left out of the comparison: they review last week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from weekly.models import Week, default_week_title
from weekly.report_format import (
    ParsedItem,
    ParsedReport,
    ReportFormatError,
    has_retrospective,
    import_report,
    parse_weekly_report,
    report_week,
    week_to_markdown,
)

from ..importing import CREATE, DUPLICATE, UPDATE, ImportRefused, Line, Plan, Progress, reader
from ..sources import Source

SUFFIXES = (".md", ".txt")


@dataclass
class PlannedReport:
    path: str
    parsed: ParsedReport
    start: date
    replace: bool


class WeeklyPlan(Plan):
    format = "weekly"

    def __init__(self, user, source: Source, week: date | None = None, replace: bool = False):
        super().__init__(source.name)
        self.reports: list[PlannedReport] = []
        paths = list(source.text_paths(SUFFIXES))
        if not paths:
            self.refuse(source.name, _("There are no .md or .txt files to read."))
        elif week is not None and len(paths) > 1:
            self.refuse(source.name, _("A week can be given only when importing one file."))
        else:
            weeks: dict[date, str] = {}
            for path in paths:
                self.read(user, source, path, week, replace, weeks)

    def read(self, user, source: Source, path: str, week, replace: bool, weeks: dict) -> None:
        try:
            parsed = parse_weekly_report(source.read(path), filename=path)
            start, end = report_week(user, parsed, week)
        except ReportFormatError as error:
            where = f"{path}:{error.line}" if error.line else path
            self.refuse(where, error.reason)
            return
        what = describe(parsed, start)
        if start in weeks:
            reason = _("The same week (%(week)s) as %(file)s.") % {
                "week": start,
                "file": weeks[start],
            }
            self.refuse(path, reason, what)
            return
        weeks[start] = path
        existing = Week.objects.for_start(user, start)
        written = existing is not None and has_retrospective(existing)
        if written and content(parse_weekly_report(week_to_markdown(existing)), start, end) == (
            content(parsed, start, end)
        ):
            self.lines.append(Line(DUPLICATE, path, what, _("this week already holds it")))
        elif written and not replace:
            reason = _("The week of %(week)s already has a retrospective.") % {"week": start}
            self.refuse(path, reason, what)
        else:
            self.lines.append(Line(UPDATE if written else CREATE, path, what))
            self.reports.append(PlannedReport(path, parsed, start, replace=written))

    def _apply(self, user, progress: Progress) -> None:
        for done, report in enumerate(self.reports, 1):
            try:
                import_report(user, report.parsed, week_start=report.start, replace=report.replace)
            except ReportFormatError as error:  # the week was written since the dry run
                raise ImportRefused(f"{report.path}: {error.reason}") from error
            progress(done, self.total)


def describe(parsed: ParsedReport, start: date) -> str:
    counts = parsed.counts()
    return _(
        "week of %(week)s「%(title)s」: Keep %(keep)s, Problem %(problem)s, Try %(try)s, "
        "reading notes %(reading)s"
    ) % {"week": start, "title": parsed.title or _("(no title)"), **counts}


def content(parsed: ParsedReport, start: date, end: date) -> tuple:
    """What a report says, without its file name, line numbers or review of last week."""

    def items(nodes: list[ParsedItem]) -> tuple:
        return tuple((node.kind, node.text, items(node.children)) for node in nodes)

    notes = tuple(
        (note.title, note.url, note.notes.strip(), note.impressions.strip())
        for note in parsed.reading_notes
    )
    title = parsed.title or default_week_title(start, end)
    return (title, parsed.summary.strip(), items(parsed.keep), items(parsed.problem_try), notes)


@reader("weekly")
def read_weekly(
    user, source: Source, *, week: date | None = None, replace: bool = False, **options
) -> WeeklyPlan:
    return WeeklyPlan(user, source, week=week, replace=replace)
