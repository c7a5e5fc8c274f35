"""The month calendar's day cells (/months/2026-11/) as HTML.

A month shows 35 to 42 days, each a link with its marks and, for screen readers, how many
entries it holds. Through the template language each cell (a `{% url %}`, a `{% blocktranslate
count %}`, six conditions) cost some 50 microseconds here, two milliseconds a page; here the route
is reversed and the words translated once a page, as the year's heatmap does (journal/heatmap.py).
"""

from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from config.http import url_format

WRITTEN = '<span class="mark written" aria-hidden="true"></span>'
WORKED = '<span class="mark worked" aria-hidden="true"></span>'


class MonthCells:
    def __init__(self, month: date, today: date):
        self.month, self.today = month, today
        self.day_url = url_format("journal:day")
        self.worked = escape(gettext("worked"))
        self.counts: dict[int, str] = {}

    def row(self, cells: list[dict]) -> SafeString:
        """A week's <td>s, from {"date", "entries", "worked"} a day."""
        return mark_safe(" ".join(self.cell(**cell) for cell in cells))  # the words escaped

    def cell(self, date: date, entries: int, worked: bool) -> str:
        css = "" if date.month == self.month.month else "other-month"
        current = ""
        if date == self.today:
            css, current = css + " is-today", ' aria-current="date"'
        if entries:
            css += " is-written"
        if worked:
            css += " is-worked"
        marks = ""
        if entries:
            said = self.entries(entries) + (f", {self.worked}" if worked else "")
            marks = (
                f'<span class="day-marks"> {WRITTEN}{WORKED if worked else ""} </span> '
                f'<span class="visually-hidden">{said}</span>'
            )
        # The spaces between the parts are the template's: a screen reader reads the link as
        # "2 3件の記事, 稼働", not "23件の記事".
        return (
            f'<td class="{css}"> <a href="{self.day_url.format(date.isoformat())}"{current}> '
            f'<span class="day-number">{date.day}</span> {marks} </a> </td>'
        )

    def entries(self, count: int) -> str:
        if count not in self.counts:
            said = ngettext("%(n)s entry", "%(n)s entries", count) % {"n": count}
            self.counts[count] = escape(said)
        return self.counts[count]
