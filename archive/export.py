"""The whole journal as one zip: the project's own format (docs/export-format.md).

    tsuzuri.json                  every setting, entry, week, item, reading note, conflict copy
                                  and photo row, tombstones included, linked by UUID
    photos/<file_key>/<size>.webp the stored photo files, each once
    markdown/days/YYYY-MM-DD.md   a day's live entries, with front matter (Obsidian daily notes)
    markdown/weeks/YYYY-MM-DD.md  a week in the DESIGN.md §8 shape

The JSON is deterministic: records in a fixed order of fields the import keeps (never database
ids), keys in a fixed order, so two exports of the same journal, or of its re-import elsewhere,
are byte-identical apart from `exported_at`. archive/readers/tsuzuri.py reads it back.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zoneinfo
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from django.utils import timezone

FORMAT, VERSION = "tsuzuri", 1
JSON_NAME = "tsuzuri.json"
PHOTO_FILE_SUFFIX = ".webp"

# The fields of each kind of record, in the order they are written (docs/export-format.md).
SETTINGS_FIELDS = (
    "title",
    "goal",
    "weekly_target_days",
    "week_start",
    "day_boundary_hour",
    "time_zone",
    "language",
)


def stamp(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC with microseconds: 2026-11-23T01:02:03.000456Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def day(value: date) -> str:
    return value.isoformat()


def ref(value) -> str | None:
    return None if value is None else str(value)


def sync_fields(row) -> dict:
    """uuid, revision and the times; deleted_at only for kinds that keep tombstones (not weeks)."""
    fields = {
        "uuid": str(row.uuid),
        "revision": row.revision,
        "created_at": stamp(row.created_at),
        "updated_at": stamp(row.updated_at),
    }
    if hasattr(row, "deleted_at"):
        fields["deleted_at"] = stamp(row.deleted_at)
    return fields


def photo_files(user_id: int, file_key) -> list[tuple[str, bytes]]:
    """(name, bytes) of a photo's stored files, by name; none when its folder is gone."""
    from journal.imaging import folder

    where = folder(user_id, file_key)
    if not where.is_dir():
        return []
    return [
        (path.name, path.read_bytes())
        for path in sorted(where.iterdir())
        if path.is_file() and path.suffix == PHOTO_FILE_SUFFIX and path.stem.isdigit()
    ]


def journal_data(user, exported_at: datetime) -> tuple[dict, dict[str, list[tuple[str, bytes]]]]:
    """The tsuzuri.json document and the photo files by file key."""
    from journal.models import ConflictCopy, Entry, JournalSettings, Photo
    from weekly.models import Item, ReadingNote, Week, WeeklyConflictCopy

    prefs = JournalSettings.objects.filter(user=user).first() or JournalSettings(user=user)
    entries = list(Entry.objects.filter(user=user).order_by("date", "position", "uuid"))
    entry_uuid = {entry.pk: entry.uuid for entry in entries}
    weeks = list(Week.objects.filter(user=user).order_by("start_date", "uuid"))
    week_uuid = {week.pk: week.uuid for week in weeks}
    week_start = {week.pk: week.start_date for week in weeks}
    items = list(Item.objects.filter(user=user))
    item_uuid = {item.pk: item.uuid for item in items}
    items.sort(key=lambda item: (week_start[item.week_id], item.position, str(item.uuid)))
    notes = list(ReadingNote.objects.filter(user=user))
    note_uuid = {note.pk: note.uuid for note in notes}
    notes.sort(key=lambda note: (week_start[note.week_id], note.position, str(note.uuid)))
    photos = sorted(Photo.objects.filter(user=user), key=lambda p: (p.created_at, str(p.uuid)))
    conflicts = sorted(
        ConflictCopy.objects.filter(user=user), key=lambda c: (c.created_at, str(c.uuid))
    )
    weekly_conflicts = sorted(
        WeeklyConflictCopy.objects.filter(user=user), key=lambda c: (c.created_at, str(c.uuid))
    )

    files: dict[str, list[tuple[str, bytes]]] = {}
    photo_rows = []
    for photo in photos:
        key = str(photo.file_key)
        if key not in files:
            files[key] = photo_files(user.pk, photo.file_key)
        photo_rows.append(
            {
                **sync_fields(photo),
                "entry": ref(entry_uuid.get(photo.entry_id)),
                "reading_note": ref(note_uuid.get(photo.reading_note_id)),
                "sha256": photo.sha256,
                "file_key": key,
                "width": photo.width,
                "height": photo.height,
                "alt": photo.alt,
                "position": photo.position,
                "files": [
                    {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                    for name, data in files[key]
                ],
            }
        )

    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": stamp(exported_at),
        "settings": {name: getattr(prefs, name) for name in SETTINGS_FIELDS},
        "entries": [
            {
                **sync_fields(entry),
                "date": day(entry.date),
                "position": entry.position,
                "title": entry.title,
                "body": entry.body,
                "worked": entry.worked,
                "starred": entry.starred,
                "source": entry.source,
            }
            for entry in entries
        ],
        "conflict_copies": [
            {
                "uuid": str(copy.uuid),
                "entry": ref(entry_uuid[copy.entry_id]),
                "base_revision": copy.base_revision,
                "title": copy.title,
                "body": copy.body,
                "worked": copy.worked,
                "starred": copy.starred,
                "created_at": stamp(copy.created_at),
                "resolved_at": stamp(copy.resolved_at),
            }
            for copy in conflicts
        ],
        "weeks": [
            {
                **sync_fields(week),
                "start_date": day(week.start_date),
                "end_date": day(week.end_date),
                "title": week.title,
                "summary": week.summary,
            }
            for week in weeks
        ],
        "items": [
            {
                **sync_fields(item),
                "week": ref(week_uuid[item.week_id]),
                "parent": ref(item_uuid.get(item.parent_id)),
                "position": item.position,
                "kind": item.kind,
                "text": item.text,
                "review": item.review,
                "carried_from": ref(item_uuid.get(item.carried_from_id)),
            }
            for item in items
        ],
        "reading_notes": [
            {
                **sync_fields(note),
                "week": ref(week_uuid[note.week_id]),
                "position": note.position,
                "kind": note.kind,
                "title": note.title,
                "url": note.url,
                "notes": note.notes,
                "impressions": note.impressions,
            }
            for note in notes
        ],
        "weekly_conflict_copies": [
            {
                "uuid": str(copy.uuid),
                "kind": copy.kind,
                "week": ref(week_uuid[copy.week_id]),
                "item": ref(item_uuid.get(copy.item_id)),
                "reading_note": ref(note_uuid.get(copy.note_id)),
                "base_revision": copy.base_revision,
                "fields": {name: copy.fields[name] for name in sorted(copy.fields)}
                if isinstance(copy.fields, dict)
                else copy.fields,
                "created_at": stamp(copy.created_at),
                "resolved_at": stamp(copy.resolved_at),
            }
            for copy in weekly_conflicts
        ],
        "photos": photo_rows,
    }
    return document, files


def dump(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


# Markdown


def _yaml_string(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: quotes, colons and newlines stay safe.
    return json.dumps(text, ensure_ascii=False)


def day_to_markdown(day_: date, entries: list) -> str:
    """A day's live entries as an Obsidian daily note: front matter, then one section each."""
    titles = [entry.title for entry in entries if entry.title]
    lines = [
        "---",
        f"date: {day_.isoformat()}",
        f"worked: {'true' if any(entry.worked for entry in entries) else 'false'}",
        f"starred: {'true' if any(entry.starred for entry in entries) else 'false'}",
    ]
    if titles:
        lines.append("titles:")
        lines += [f"  - {_yaml_string(title)}" for title in titles]
    lines += ["---", ""]
    for number, entry in enumerate(entries):
        if entry.title:
            star = " ★" if entry.starred else ""
            lines += [f"## {' '.join(entry.title.split())}{star}", ""]
        elif number:
            lines += ["* * *", ""]
        body = entry.body.strip("\n")
        if body:
            lines += [body, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown_files(user) -> list[tuple[str, str]]:
    """(path inside the zip, text) of every day with a live entry and every week."""
    from journal.models import Entry
    from weekly.models import Week
    from weekly.report_format import week_to_markdown

    by_day: dict[date, list] = defaultdict(list)
    for entry in Entry.objects.filter(user=user, deleted_at__isnull=True).order_by(
        "date", "position", "id"
    ):
        by_day[entry.date].append(entry)
    files = [
        (f"markdown/days/{day_.isoformat()}.md", day_to_markdown(day_, entries))
        for day_, entries in sorted(by_day.items())
    ]
    for week in Week.objects.filter(user=user).select_related("user").order_by("start_date"):
        files.append((f"markdown/weeks/{week.start_date.isoformat()}.md", week_to_markdown(week)))
    return files


# The zip


def write_export(user, fileobj, exported_at: datetime | None = None) -> None:
    """Write the user's whole journal to `fileobj` (writable, binary) as one zip."""
    exported_at = exported_at or timezone.now()
    document, files = journal_data(user, exported_at)
    when = exported_at.astimezone(UTC).timetuple()[:6]

    def member(name: str, compress: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=when)
        info.compress_type = compress
        info.external_attr = 0o644 << 16
        return info

    with zipfile.ZipFile(fileobj, "w") as archive:
        archive.writestr(member(JSON_NAME, zipfile.ZIP_DEFLATED), dump(document))
        for key in sorted(files):
            for name, data in files[key]:
                # WebP is compressed already.
                archive.writestr(member(f"photos/{key}/{name}", zipfile.ZIP_STORED), data)
        for path, text in markdown_files(user):
            archive.writestr(member(path, zipfile.ZIP_DEFLATED), text.encode())


def export_name(user, now: datetime | None = None) -> str:
    """tsuzuri-<username>-YYYYMMDD-HHMMSS.zip, in the user's time zone when known."""
    now = (now or timezone.now()).astimezone(_zone(user))
    safe = "".join(c for c in user.get_username() if c.isalnum() or c in "-_") or "journal"
    return f"tsuzuri-{safe}-{now:%Y%m%d-%H%M%S}.zip"


def _zone(user):
    from journal.models import JournalSettings

    prefs = JournalSettings.objects.filter(user=user).first()
    try:
        return prefs.zone if prefs else UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # an unknown zone name
        return UTC


def write_export_file(user, path: Path) -> None:
    """Write the export to `path` atomically (a half-written zip never has the final name)."""
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as out:
        write_export(user, out)
    partial.replace(path)
