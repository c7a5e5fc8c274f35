"""What the week page and its fragments read: the stored week, its live KPT items, last week's
Tries, the week's diary entries and its reading notes with their covers.

Plain SQL (as journal/day_page.py): each ORM query here cost from half a millisecond to one and
a half to build and compile (the Exists of the open conflicts, the join of a Try's parent),
several times what SQLite took to answer it. The rows still come back as model instances, so
the views and templates use them as before: through `Model.objects.raw`, and the items, the
longest list, through `Item.from_db` (raw() converting each column cost as much again).
"""

from datetime import date, timedelta

from config import sql
from config.sql import as_uuid
from journal.models import Entry, Photo

from .models import Item, ItemKind, ReadingNote, Week, WeeklyConflictCopy

WEEKS, ITEMS, NOTES, CONFLICTS = (
    model._meta.db_table for model in (Week, Item, ReadingNote, WeeklyConflictCopy)
)  # fmt: skip
ENTRIES, PHOTOS = Entry._meta.db_table, Photo._meta.db_table
# Live items (no deleted_at to convert), in the order of Item's fields for Item.from_db.
ITEM_FIELDS = ["uuid", "revision", "deleted_at", "id", "user_id", "week_id", "kind", "text",
               "parent_id", "position", "review", "carried_from_id"]  # fmt: skip
ITEM_COLUMNS = ", ".join(f'"i"."{name}"' for name in ITEM_FIELDS)
STORED_WEEK = (
    'SELECT "w"."id", "w"."uuid", "w"."revision", "w"."user_id", "w"."start_date", '
    '"w"."end_date", "w"."title", "w"."summary", "w"."summary_html", "w"."render_version", '
    f'EXISTS (SELECT 1 FROM {CONFLICTS} AS "c" WHERE "c"."week_id" = "w"."id" '
    'AND "c"."user_id" = "w"."user_id" AND "c"."resolved_at" IS NULL) AS "has_open_conflicts" '
    f'FROM {WEEKS} AS "w" WHERE "w"."user_id" = %s AND "w"."start_date" = %s'
)
LIVE_ITEMS = (
    f'SELECT {ITEM_COLUMNS} FROM {ITEMS} AS "i" '
    'WHERE "i"."user_id" = %s AND "i"."week_id" = %s AND "i"."deleted_at" IS NULL '
    'ORDER BY "i"."position", "i"."id"'
)
# The week is found by a subquery: joined, SQLite walked all of the user's items to find it.
PREVIOUS_TRIES = (
    f'SELECT {ITEM_COLUMNS}, "p"."text" AS "parent_text" FROM {ITEMS} AS "i" '
    f'LEFT JOIN {ITEMS} AS "p" ON "p"."id" = "i"."parent_id" '
    'WHERE "i"."user_id" = %s AND "i"."deleted_at" IS NULL AND "i"."kind" = %s '
    f'AND "i"."week_id" IN (SELECT "w"."id" FROM {WEEKS} AS "w" '
    'WHERE "w"."user_id" = %s AND "w"."start_date" = %s) '
    'ORDER BY "p"."position", "i"."position", "i"."id"'
)
DIARY_ENTRIES = (
    'SELECT "id", "uuid", "date", "title", "worked", "starred" '
    f'FROM {ENTRIES} WHERE "user_id" = %s AND "deleted_at" IS NULL AND "date" BETWEEN %s AND %s '
    'ORDER BY "date", "position", "id"'
)
LIVE_NOTES = (
    'SELECT "id", "uuid", "revision", "deleted_at", "user_id", "week_id", "title", "url", "kind", '
    '"notes", "notes_html", "impressions", "impressions_html", "render_version", "position" '
    f'FROM {NOTES} WHERE "user_id" = %s AND "week_id" = %s AND "deleted_at" IS NULL '
    'ORDER BY "position", "id"'
)


def stored_week(user, start: date) -> Week | None:
    """The user's week starting on `start`, knowing whether it holds open conflict copies."""
    week = next(iter(Week.objects.raw(STORED_WEEK, [user.pk, start])), None)
    if week is not None:
        week.has_open_conflicts = bool(week.has_open_conflicts)  # SQLite answers 0 or 1
    return week


def live_items(user, week: Week) -> list[Item]:
    """The week's live items in order, each knowing its parent (items nest within a week)."""
    if week.pk is None:
        return []
    items = [
        Item.from_db("default", ITEM_FIELDS, [as_uuid(row[0]), *row[1:]])
        for row in sql.fetch(LIVE_ITEMS, [user.pk, week.pk])
    ]
    by_id = {item.id: item for item in items}
    for item in items:
        if item.parent_id in by_id:
            item.parent = by_id[item.parent_id]
    return items


def previous_tries(user, start: date) -> list[Item]:
    """Last week's live Tries, under their Problems' order; a Try under a Problem has `parent`
    with the Problem's text."""
    last_week = start - timedelta(days=7)
    tries = list(Item.objects.raw(PREVIOUS_TRIES, [user.pk, ItemKind.TRY, user.pk, last_week]))
    for try_ in tries:
        if try_.parent_id:
            try_.parent = Item.from_db(None, ["id", "text"], [try_.parent_id, try_.parent_text])
    return tries


def diary_entries(user, week: Week) -> list[Entry]:
    return list(Entry.objects.raw(DIARY_ENTRIES, [user.pk, week.start_date, week.end_date]))


def live_notes(user, week: Week) -> list[ReadingNote]:
    """The week's live reading notes in order, with `prefetched_covers` (the `cover` filter)."""
    if week.pk is None:
        return []
    notes = list(ReadingNote.objects.raw(LIVE_NOTES, [user.pk, week.pk]))
    if notes:
        covers: dict[int, list[Photo]] = {note.id: [] for note in notes}
        photos = Photo.objects.raw(
            'SELECT "id", "uuid", "user_id", "reading_note_id", "width", "height", "alt", '
            f'"position" FROM {PHOTOS} WHERE "deleted_at" IS NULL AND "reading_note_id" IN '
            f'({", ".join("%s" for _ in covers)}) ORDER BY "position", "id"',
            list(covers),
        )
        for photo in photos:
            covers[photo.reading_note_id].append(photo)
        for note in notes:
            note.prefetched_covers = covers[note.id]
    return notes
