"""The month's day cells written in Python (journal/month_rows.py): the template's HTML."""

from datetime import date

from django.utils.translation import override

from journal.month_rows import MonthCells

NOV = date(2026, 11, 1)


def test_a_written_and_worked_day_reads_as_its_number_then_its_entries():
    with override("ja"):
        html = MonthCells(NOV, today=date(2026, 11, 25)).cell(date(2026, 11, 12), 2, True)
    assert html == (
        '<td class=" is-written is-worked"> <a href="/days/2026-11-12/"> '
        '<span class="day-number">12</span> <span class="day-marks"> '
        '<span class="mark written" aria-hidden="true"></span>'
        '<span class="mark worked" aria-hidden="true"></span> </span> '
        '<span class="visually-hidden">2件の記事, 稼働</span> </a> </td>'
    )


def test_today_and_the_days_of_other_months_are_marked():
    cells = MonthCells(NOV, today=date(2026, 11, 25))
    assert cells.cell(date(2026, 11, 25), 0, False) == (
        '<td class=" is-today"> <a href="/days/2026-11-25/" aria-current="date"> '
        '<span class="day-number">25</span>  </a> </td>'
    )
    assert cells.cell(date(2026, 10, 26), 0, False).startswith('<td class="other-month"> ')


def test_the_words_follow_the_language():
    with override("en"):
        html = MonthCells(NOV, today=date(2026, 11, 25)).cell(date(2026, 11, 5), 1, False)
    assert '<span class="visually-hidden">1 entry</span>' in html
