"""What the day page reads: its entries (with their photos and open conflicts), the same date in
earlier years, and every open conflict copy (today's page only).

Plain SQL (config/sql.py): each ORM query here cost a millisecond or more to build and compile
(the 100 dates of "on this day", the UNION of the conflicts, the Exists and two prefetches of the
entries), several times what the database took to answer it.
"""

import calendar
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy

from config import sql
from config.http import url_format
from config.sql import as_date, as_uuid
from weekly.models import Item, ReadingNote, Week, WeeklyConflictCopy

from .models import ON_THIS_DAY_YEARS, ConflictCopy, Entry, Photo

ENTRIES, CONFLICTS, PHOTOS = (
    model._meta.db_table for model in (Entry, ConflictCopy, Photo)
)  # fmt: skip
WEEKLY_CONFLICTS, WEEKS, ITEMS, NOTES = (
    model._meta.db_table for model in (WeeklyConflictCopy, Week, Item, ReadingNote)
)  # fmt: skip
OPEN_CONFLICT = (
    f'SELECT 1 FROM {CONFLICTS} AS "c" WHERE "c"."entry_id" = "e"."id" '
    'AND "c"."resolved_at" IS NULL'
)
DAY_ENTRIES = (
    'SELECT "e"."id", "e"."uuid", "e"."user_id", "e"."date", "e"."title", "e"."body_html", '
    '"e"."render_version", "e"."worked", "e"."starred", "e"."position", "e"."revision", '
    '"e"."deleted_at", '
    f'EXISTS ({OPEN_CONFLICT}) AS "has_open_conflicts", '
    f'EXISTS (SELECT 1 FROM {PHOTOS} AS "p" WHERE "p"."entry_id" = "e"."id") AS "has_photos" '
    f'FROM {ENTRIES} AS "e" WHERE "e"."user_id" = %s AND "e"."date" = %s '
    f'AND ("e"."deleted_at" IS NULL OR EXISTS ({OPEN_CONFLICT})) '
    'ORDER BY "e"."position", "e"."id"'
)


def day_entries(user, day: date) -> list[Entry]:
    """A day's entries in order, and the deleted ones that still hold an open conflict copy,
    with `prefetched_photos` (shown photos) and `open_conflicts` set on each.

    The photos and the conflicts are each asked for only when an entry has some: one query for
    the entries on most days, whatever their number."""
    entries = list(Entry.objects.raw(DAY_ENTRIES, [user.pk, day]))
    for entry in entries:
        entry.ensure_rendered()
        if not entry.has_photos:
            entry.prefetched_photos = []
        if not entry.has_open_conflicts:
            entry.open_conflicts = []
    if with_photos := [entry for entry in entries if entry.has_photos]:
        shown = Prefetch("photos", Photo.objects.shown(), to_attr="prefetched_photos")
        prefetch_related_objects(with_photos, shown)
    if with_conflicts := [entry for entry in entries if entry.has_open_conflicts]:
        unresolved = ConflictCopy.objects.filter(resolved_at__isnull=True)
        prefetch_related_objects(
            with_conflicts, Prefetch("conflicts", unresolved, to_attr="open_conflicts")
        )
    return entries


def same_date_earlier(day: date) -> list[date]:
    """The same month and day in the years before, newest first. February 29 is remembered on
    February 28 of the years that have none."""
    feb29_on_feb28 = (day.month, day.day) == (2, 28) and not calendar.isleap(day.year)
    earlier = []
    for year in range(day.year - 1, max(day.year - ON_THIS_DAY_YEARS, 0), -1):
        leap = calendar.isleap(year)
        if (day.month, day.day) != (2, 29) or leap:
            earlier.append(day.replace(year=year))
        if feb29_on_feb28 and leap:
            earlier.append(date(year, 2, 29))
    return earlier


def on_this_day(user, day: date) -> list[dict]:
    """{url, date, title} of the live entries of the same date in earlier years, newest first."""
    earlier = same_date_earlier(day)
    if not earlier:
        return []
    rows = sql.fetch(
        f'SELECT "uuid", "date", "title" FROM {ENTRIES} WHERE "user_id" = %s '
        f'AND "deleted_at" IS NULL AND "date" IN ({sql.marks(earlier)}) '
        'ORDER BY "date" DESC, "position", "id"',
        [user.pk, *earlier],
    )
    day_url = url_format("journal:day")
    return [
        {"url": f"{day_url.format(as_date(on))}#entry-{as_uuid(uuid)}", "date": as_date(on),
         "title": title}
        for uuid, on, title in rows
    ]  # fmt: skip


CONFLICT_KINDS = {
    "entry": gettext_lazy("Entry"),
    "item": gettext_lazy("KPT item"),
    "note": gettext_lazy("Reading note"),
    "week": gettext_lazy("Week's title and summary"),
}
OPEN_CONFLICTS = (
    'SELECT "c"."created_at", \'entry\', "e"."date", "e"."title", "e"."uuid" '
    f'FROM {CONFLICTS} AS "c" INNER JOIN {ENTRIES} AS "e" ON "c"."entry_id" = "e"."id" '
    'WHERE "c"."user_id" = %s AND "c"."resolved_at" IS NULL '
    "UNION ALL "
    'SELECT "w"."created_at", "w"."kind", "k"."start_date", '
    'COALESCE("i"."text", "n"."title", "k"."title"), COALESCE("i"."uuid", "n"."uuid") '
    f'FROM {WEEKLY_CONFLICTS} AS "w" INNER JOIN {WEEKS} AS "k" ON "w"."week_id" = "k"."id" '
    f'LEFT JOIN {ITEMS} AS "i" ON "w"."item_id" = "i"."id" '
    f'LEFT JOIN {NOTES} AS "n" ON "w"."note_id" = "n"."id" '
    'WHERE "w"."user_id" = %s AND "w"."resolved_at" IS NULL '
    "ORDER BY 1"
)


def open_conflicts(user) -> list[dict]:
    """Every open conflict copy, of entries and of the weekly kinds, oldest first, in one query:
    what today's list shows and where each one waits ({kind, is_entry, day, label, url})."""
    day_url, week_url = url_format("journal:day"), url_format("weekly:week")
    found = []
    for _created, kind, day, label, target in sql.fetch(OPEN_CONFLICTS, [user.pk, user.pk]):
        day = as_date(day)
        if kind == "entry":
            url = f"{day_url.format(day)}#entry-{as_uuid(target)}"
        elif kind == "week":
            url = f"{week_url.format(day)}#week-head"
        else:  # an item (#item-…) or a reading note (#note-…) of that week
            url = f"{week_url.format(day)}#{kind}-{as_uuid(target)}"
        found.append({"kind": CONFLICT_KINDS[kind], "is_entry": kind == "entry", "day": day,
                      "label": label, "url": url})  # fmt: skip
    return found
