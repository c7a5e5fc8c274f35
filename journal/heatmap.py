"""The year at a glance (/years/2026/): a heatmap of written and worked days, and streaks of weeks
that met the weekly target.

The heatmap has some 420 cells. Each is made here as a line of HTML: through the template
language they would take tens of milliseconds, here they take one or two.
"""

from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta
from html import escape

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.http import url_format

from .models import JournalSettings
from .templatetags.journal import weekday_short

EMPTY_CELL = '<td class="out"></td>'


@dataclass
class Column:
    start: date
    cells: list[str] = field(default_factory=list)  # a <td> a day
    worked: int = 0
    met: bool = False


@dataclass
class Streak:
    weeks: int = 0
    first: date | None = None  # the start of its first week
    last: date | None = None  # the start of its last week

    @property
    def end(self) -> date | None:
        return self.last and self.last + timedelta(days=6)


def year_context(
    prefs: JournalSettings, year: int, summaries: dict[date, dict], met_weeks: list[int]
) -> dict:
    """What /years/<year>/ shows, from the day summaries of its weeks and the numbers of all the
    weeks that met the target."""
    today = prefs.today()
    cells = Cells(today)
    columns = year_columns(prefs, year, summaries, cells)
    current, longest = week_streaks(prefs, met_weeks, today)
    in_year = [summary for day, summary in summaries.items() if day.year == year]
    return {
        "year": year,
        "columns": columns,
        "rows": _joined(
            f'<tr><th scope="row" class="wd-{weekday}">{cells.weekdays[weekday]}</th>'
            f"{''.join(column.cells[n] for column in columns)}</tr>\n"
            for n in range(7)
            for weekday in [(prefs.week_start + n) % 7]
        ),
        "met_row": _joined(cells.met(column) for column in columns),
        "month_row": _joined(cells.month(head) for head in month_heads(columns, year)),
        "written_days": len(in_year),
        "worked_days": sum(summary["worked"] for summary in in_year),
        "met_weeks": sum(column.met for column in columns),
        "current_streak": current,
        "longest_streak": longest,
        "previous_year": year - 1 if year - 1 > MINYEAR else None,
        "next_year": year + 1 if year + 1 < MAXYEAR else None,
        "this_year": today.year,
    }


def year_columns(
    prefs: JournalSettings, year: int, summaries: dict[date, dict], cells: "Cells"
) -> list[Column]:
    """One column a week, from the week holding January 1 to the one holding December 31."""
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    target = prefs.weekly_target_days
    columns = []
    # Day numbers rather than dates and timedeltas: this loop runs some 370 times a page.
    for start in range(prefs.week_of(date(year, 1, 1))[0].toordinal(), last + 1, 7):
        column = Column(date.fromordinal(start))
        worked = 0
        for number in range(start, start + 7):
            day = date.fromordinal(number)
            summary = summaries.get(day)
            worked += bool(summary and summary["worked"])  # the days of other years count too
            column.cells.append(cells.day(day, summary) if first <= number <= last else EMPTY_CELL)
        column.worked, column.met = worked, worked >= target
        columns.append(column)
    return columns


class Cells:
    """Makes the <td> of each day and of each week's "target met" mark, such as
    <td class="day is-written level-2"><a href="/days/…/" tabindex="-1" title="…"></a></td>;
    the title names the link for screen readers and shows on hover. The links are out of the Tab
    order: a keyboard reaches a day through its month's link above (issue 9). URLs are reversed
    and words translated once a page: each costs microseconds, and a year has 365 days."""

    def __init__(self, today: date):
        self.today = today
        self.day_url = url_format("journal:day")
        self.month_url = reverse("journal:month", args=[date(2000, 1, 1)]).replace("2000-01", "{}")
        self.week_url = url_format("weekly:week")
        # Escaped once here; the dates and counts put into them are digits.
        self.weekdays = [escape(weekday_short(n)) for n in range(7)]
        self.cells: dict[tuple[int, bool, bool], str] = {}  # see _cell
        self.met_label = escape(_("Week of %(date)s: target met"))

    def date(self, day: date, iso: str = "") -> str:
        """2026/11/23(月), as the jdate filter writes it (from its ISO form, when known)."""
        return f"{(iso or day.isoformat()).replace('-', '/')}({self.weekdays[day.weekday()]})"

    def day(self, day: date, summary: dict | None) -> str:
        count, worked = (summary["entries"], summary["worked"]) if summary else (0, False)
        key = (count, worked, day == self.today)
        cell = self.cells.get(key) or self._cell(*key)
        iso = day.isoformat()  # once for the link and the label: 365 days a page
        return cell.format(iso, self.date(day, iso))

    def _cell(self, count: int, worked: bool, today: bool) -> str:
        """The <td> of a day of this kind as a format string: {0} its ISO date, {1} its date
        as the label writes it. Every part escaped, and its braces doubled."""
        css = "day"
        if count:
            css += f" is-written{' is-worked' if worked else ''} level-{min(count, 3)}"
        if today:
            css += " is-today"
        label = _literal(escape(_label_format(count, worked))) % {"date": "{1}", "count": count}
        url = "{0}".join(_literal(part) for part in self.day_url.split("{}"))
        self.cells[count, worked, today] = (
            f'<td class="{css}"><a href="{url}" tabindex="-1" title="{label}"></a></td>'
        )
        return self.cells[count, worked, today]

    def month(self, head: dict) -> str:
        """A month's heading over the columns of its weeks, linking to the month."""
        url = self.month_url.format(f"{head['month']:%Y-%m}")
        name = escape(head["name"])
        return f'<th scope="colgroup" colspan="{head["span"]}"><a href="{url}">{name}</a></th>'

    def met(self, column: Column) -> str:
        if not column.met:
            return "<td></td>"
        label = self.met_label % {"date": self.date(column.start)}
        url = self.week_url.format(column.start)
        return f'<td class="met"><a href="{url}" tabindex="-1" title="{label}"></a></td>'


def _literal(text: str) -> str:
    """Text as str.format() gives it back: its braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def _label_format(count: int, worked: bool) -> str:
    if not count:
        return _("%(date)s: nothing written")
    if worked:
        return ngettext(
            "%(date)s: %(count)s entry, worked", "%(date)s: %(count)s entries, worked", count
        )
    return ngettext("%(date)s: %(count)s entry", "%(date)s: %(count)s entries", count)


def _joined(cells) -> SafeString:
    return mark_safe("".join(cells))  # every part was made above, its label escaped


def month_heads(columns: list[Column], year: int) -> list[dict]:
    """Month labels over the heatmap: each spans the columns from the week its first day falls
    in to the week before the next month's (January starts at the first column)."""
    firsts = [0] + [(date(year, month, 1) - columns[0].start).days // 7 for month in range(2, 13)]
    firsts.append(len(columns))
    return [
        {
            "month": date(year, month, 1),
            "name": str(MONTHS_3[month]).title(),
            "span": firsts[month] - firsts[month - 1],
        }
        for month in range(1, 13)
        if firsts[month] > firsts[month - 1]
    ]


def week_streaks(prefs: JournalSettings, met: list[int], today: date) -> tuple[Streak, Streak]:
    """(current, longest) runs of consecutive weeks meeting the target, over all history, from
    the numbers of the weeks that met it (journal.summaries.weeks_meeting), in order.

    The current run ends with this week if it already met the target, else with last week: a
    week still under way has not broken anything yet.
    """
    longest = run = (0, None)  # (weeks, number of its last week)
    for week in met:
        run = (run[0] + 1, week) if run[1] == week - 1 else (1, week)
        if run[0] > longest[0]:  # the first of equally long runs stays the longest
            longest = run
    this_week = (today.toordinal() - 1 - prefs.week_start) // 7
    current = run if run[1] in (this_week, this_week - 1) else (0, None)
    return _streak(prefs, *current), _streak(prefs, *longest)


def _streak(prefs: JournalSettings, weeks: int, last: int | None) -> Streak:
    if last is None:
        return Streak()
    last_start = date.fromordinal(last * 7 + 1 + prefs.week_start)
    return Streak(weeks, last_start - timedelta(days=7 * (weeks - 1)), last_start)
