"""Plain SQL for the few read paths that every page or every card repeats.

Building and compiling an ORM query costs some tenths of a millisecond before it runs, and
turning its rows into dicts as much again; the queries these paths need run in a few hundredths.
The SQL here is written once for SQLite and PostgreSQL alike: double-quoted identifiers, `%s`
parameters, no functions either lacks. Rows come back as the database driver gives them, so
dates, UUIDs and booleans go through the helpers below.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def dicts(sql: str, params: Sequence, names: Sequence[str]) -> list[dict]:
    """The rows as dicts with these keys, in the order of the SELECT."""
    return [dict(zip(names, row, strict=True)) for row in fetch(sql, params)]


def marks(values: Iterable) -> str:
    """`%s, %s, …`: one placeholder for each value, for an IN (…)."""
    return ", ".join("%s" for _ in values)


def as_date(value) -> date:
    """SQLite gives dates as ISO text, PostgreSQL as dates."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def as_uuid(value) -> uuid.UUID:
    """SQLite gives UUIDs as 32 hex digits, PostgreSQL as UUIDs."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def uuid_text(value) -> str:
    """A UUID as HTML shows it (8-4-4-4-12 hex digits), from either database, without making a
    UUID object: a timeline page formats some hundred of them."""
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(as_uuid(value))
