"""Counts of written and worked days, for the header on every page, the month and the year.

Plain SQL (config/sql.py): each runs in some hundredths of a millisecond, where building the same
query with the ORM took some tenths, on every page.
"""

from datetime import MINYEAR, date

from django.db import connection

from config import sql
from config.sql import as_date

from .models import Entry

ENTRIES = Entry._meta.db_table
# A date's day number as date.toordinal() gives it (0001-01-01 is 1); no spelling serves both.
DAY_NUMBER = {
    "sqlite": 'CAST(julianday("date") - 1721424.5 AS INTEGER)',
    "postgresql": "(\"date\" - DATE '0001-01-01' + 1)",
}


def day_summaries(user, first: date, last: date) -> dict[date, dict]:
    """{date: {"entries": n, "worked": bool}} for the days in range with live entries."""
    rows = sql.fetch(
        f'SELECT "date", COUNT(*), SUM(CASE WHEN "worked" THEN 1 ELSE 0 END) FROM {ENTRIES} '
        'WHERE "user_id" = %s AND "deleted_at" IS NULL AND "date" BETWEEN %s AND %s '
        'GROUP BY "date"',
        [user.pk, first, last],
    )
    return {as_date(day): {"entries": count, "worked": worked > 0} for day, count, worked in rows}


def worked_days(user, first: date, last: date) -> int:
    """How many days in range have a live entry marked worked."""
    [(count,)] = sql.fetch(
        f'SELECT COUNT(DISTINCT "date") FROM {ENTRIES} WHERE "user_id" = %s '
        'AND "deleted_at" IS NULL AND "worked" AND "date" BETWEEN %s AND %s',
        [user.pk, first, last],
    )
    return count


def weeks_meeting(user, week_start: int, target: int) -> list[int]:
    """The numbers of the weeks with at least `target` worked days, over all history, in order.

    A week's number is (day.toordinal() - 1 - week_start) // 7 of any of its days (never
    negative after year 1). The database counts, so ten years come back as some hundreds of
    integers, not as thousands of dates to convert.
    """
    week = f"({DAY_NUMBER[connection.vendor]} - %s) / 7"
    # Each worked day once, then its week: the date arithmetic runs once a day rather than once
    # an entry, and a week counts its rows rather than its distinct dates (a third faster).
    rows = sql.fetch(
        f'SELECT {week} AS "week" FROM (SELECT DISTINCT "date" FROM {ENTRIES} '
        'WHERE "user_id" = %s AND "deleted_at" IS NULL AND "worked" AND "date" >= %s) AS "days" '
        "GROUP BY 1 HAVING COUNT(*) >= %s ORDER BY 1",
        [1 + week_start, user.pk, date(MINYEAR + 1, 1, 1), target],
    )
    return [number for (number,) in rows]
