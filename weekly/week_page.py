"""What the week page and its fragments read: the stored week, its live KPT items, last week's
Tries, the week's diary entries and its reading notes with their covers.

Plain SQL (as journal/day_page.py): each ORM query here cost from half a millisecond to one and
a half to build and compile (the Exists of the open conflicts, the join of a Try's parent), and
`Model.objects.raw` a third of a millisecond to map and convert its columns, several times what
SQLite took to answer. The rows still become model instances (`Model.from_db`, as the ORM makes
them), so the views and templates use them as before; the diary's lines, which only the page
lists, are plain tuples.
"""

import uuid as uuid_lib
from datetime import date, timedelta
from typing import NamedTuple

from django.db import models

from config import sql
from config.sql import as_date, as_uuid
from journal.models import Entry, Photo

from .models import Item, ItemKind, ReadingNote, Week, WeeklyConflictCopy

WEEKS, ITEMS, NOTES, CONFLICTS = (
    model._meta.db_table for model in (Week, Item, ReadingNote, WeeklyConflictCopy)
)  # fmt: skip
ENTRIES, PHOTOS = Entry._meta.db_table, Photo._meta.db_table
# What the database drivers give in another type than the model's (SQLite: text and 0/1). Every
# query here reads live rows only, so deleted_at, the one date-time read, is always NULL.
CONVERT = {models.UUIDField: as_uuid, models.DateField: as_date, models.BooleanField: bool}


class Columns:
    """Some of a model's fields: the columns to SELECT, in the order Model.from_db takes them."""

    def __init__(self, model, names: str, table: str = ""):
        wanted = set(names.split())
        fields = [field for field in model._meta.concrete_fields if field.attname in wanted]
        assert len(fields) == len(wanted), f"{wanted} are not all fields of {model.__name__}"
        self.model, self.names = model, [field.attname for field in fields]
        self.sql = ", ".join(f'{table}"{field.column}"' for field in fields)
        self.converters = [
            (index, CONVERT[type(field)])
            for index, field in enumerate(fields)
            if type(field) in CONVERT
        ]

    def instance(self, row):
        values = list(row[: len(self.names)])
        for index, convert in self.converters:
            if values[index] is not None:
                values[index] = convert(values[index])
        return self.model.from_db("default", self.names, values)


WEEK_FIELDS = "id uuid revision user_id start_date end_date title summary summary_html"
WEEK = Columns(Week, f"{WEEK_FIELDS} render_version", '"w".')
ITEM_FIELDS = "id uuid revision deleted_at user_id week_id kind text parent_id position review"
ITEM = Columns(Item, f"{ITEM_FIELDS} carried_from_id", '"i".')
NOTE_FIELDS = "id uuid revision deleted_at user_id week_id title url kind notes notes_html"
NOTE = Columns(ReadingNote, f"{NOTE_FIELDS} impressions impressions_html render_version position")
COVER = Columns(Photo, "id uuid user_id reading_note_id width height alt position")

STORED_WEEK = (
    f'SELECT {WEEK.sql}, EXISTS (SELECT 1 FROM {CONFLICTS} AS "c" WHERE "c"."week_id" = "w"."id" '
    'AND "c"."user_id" = "w"."user_id" AND "c"."resolved_at" IS NULL) '
    f'FROM {WEEKS} AS "w" WHERE "w"."user_id" = %s AND "w"."start_date" = %s'
)
LIVE_ITEMS = (
    f'SELECT {ITEM.sql} FROM {ITEMS} AS "i" '
    'WHERE "i"."user_id" = %s AND "i"."week_id" = %s AND "i"."deleted_at" IS NULL '
    'ORDER BY "i"."position", "i"."id"'
)
# The week is found by a subquery: joined, SQLite walked all of the user's items to find it.
PREVIOUS_TRIES = (
    f'SELECT {ITEM.sql}, "p"."text" FROM {ITEMS} AS "i" '
    f'LEFT JOIN {ITEMS} AS "p" ON "p"."id" = "i"."parent_id" '
    'WHERE "i"."user_id" = %s AND "i"."deleted_at" IS NULL AND "i"."kind" = %s '
    f'AND "i"."week_id" IN (SELECT "w"."id" FROM {WEEKS} AS "w" '
    'WHERE "w"."user_id" = %s AND "w"."start_date" = %s) '
    'ORDER BY "p"."position", "i"."position", "i"."id"'
)
DIARY_ENTRIES = (
    f'SELECT "uuid", "date", "title", "worked", "starred" FROM {ENTRIES} '
    'WHERE "user_id" = %s AND "deleted_at" IS NULL AND "date" BETWEEN %s AND %s '
    'ORDER BY "date", "position", "id"'
)
LIVE_NOTES = (
    f"SELECT {NOTE.sql} FROM {NOTES} "
    'WHERE "user_id" = %s AND "week_id" = %s AND "deleted_at" IS NULL ORDER BY "position", "id"'
)


def stored_week(user, start: date) -> Week | None:
    """The user's week starting on `start`, knowing whether it holds open conflict copies."""
    rows = sql.fetch(STORED_WEEK, [user.pk, start])
    if not rows:
        return None
    week = WEEK.instance(rows[0])
    week.has_open_conflicts = bool(rows[0][-1])
    return week


def live_items(user, week: Week) -> list[Item]:
    """The week's live items in order, each knowing its parent (items nest within a week)."""
    if week.pk is None:
        return []
    items = [ITEM.instance(row) for row in sql.fetch(LIVE_ITEMS, [user.pk, week.pk])]
    by_id = {item.id: item for item in items}
    for item in items:
        if item.parent_id in by_id:
            item.parent = by_id[item.parent_id]
    return items


def previous_tries(user, start: date) -> list[Item]:
    """Last week's live Tries, under their Problems' order; a Try under a Problem has `parent`
    with the Problem's text."""
    last_week = start - timedelta(days=7)
    tries = []
    for row in sql.fetch(PREVIOUS_TRIES, [user.pk, ItemKind.TRY, user.pk, last_week]):
        try_ = ITEM.instance(row)
        if try_.parent_id:
            try_.parent = Item.from_db("default", ["id", "text"], [try_.parent_id, row[-1]])
        tries.append(try_)
    return tries


class DiaryLine(NamedTuple):
    """A diary entry as the week page lists it: its title, linked to it on its day."""

    uuid: uuid_lib.UUID
    date: date
    title: str
    worked: bool
    starred: bool


def diary_entries(user, week: Week) -> list[DiaryLine]:
    """The week's live entries, in the order of its days: only what the page lists of them."""
    rows = sql.fetch(DIARY_ENTRIES, [user.pk, week.start_date, week.end_date])
    return [
        DiaryLine(as_uuid(uuid), as_date(day), title, bool(worked), bool(starred))
        for uuid, day, title, worked, starred in rows
    ]


def live_notes(user, week: Week) -> list[ReadingNote]:
    """The week's live reading notes in order, with `prefetched_covers` (the `cover` filter)."""
    if week.pk is None:
        return []
    notes = [NOTE.instance(row) for row in sql.fetch(LIVE_NOTES, [user.pk, week.pk])]
    if notes:
        covers: dict[int, list[Photo]] = {note.id: [] for note in notes}
        rows = sql.fetch(
            f'SELECT {COVER.sql} FROM {PHOTOS} WHERE "deleted_at" IS NULL '
            f'AND "reading_note_id" IN ({sql.marks(covers)}) ORDER BY "position", "id"',
            list(covers),
        )
        for row in rows:
            photo = COVER.instance(row)
            covers[photo.reading_note_id].append(photo)
        for note in notes:
            note.prefetched_covers = covers[note.id]
    return notes
