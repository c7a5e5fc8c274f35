"""The own format back in (docs/export-format.md): the zip archive/export.py writes, an unpacked
copy of it, or its bare tsuzuri.json (which brings no photos).

Every record is checked before anything is written: its shape and types, its dates, its
references (a UUID in the file or already here), its photo files (present, their sizes and
sha256 as listed). Each record is then matched by UUID: not here → created; here with the same
revision → a duplicate; here with an older revision → updated; here with a newer one → skipped;
another user's → refused. So importing the same file twice changes nothing.

Rows are written with plain INSERTs and UPDATEs, a batch at a time: save() and bulk_create would
stamp created_at and updated_at anew, and the import keeps every UUID, revision and time as the
file says. What save() would compute (the rendered HTML, search_text) is computed here; the
full-text index follows by its triggers (archive/migrations/0001_search_index.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import uuid as uuid_lib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from journal import imaging
from journal.markdown import RENDER_VERSION, render_markdown
from journal.models import (
    BODY_MAX_LENGTH,
    PHOTO_ALT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ConflictCopy,
    Entry,
    JournalSettings,
    Language,
    Photo,
    normalize_for_search,
    time_zone_choices,
)
from weekly.models import (
    CONFLICT_FIELDS,
    ITEM_MAX_LENGTH,
    MAX_DEPTH,
    ConflictKind,
    Item,
    ItemKind,
    ReadingKind,
    ReadingNote,
    Review,
    Week,
    WeeklyConflictCopy,
)

from ..export import FORMAT, JSON_NAME, VERSION
from ..importing import (
    CREATE,
    DUPLICATE,
    FIRST_DAY,
    LAST_DAY,
    UPDATE,
    ImportRefused,
    Line,
    Plan,
    Progress,
    reader,
)
from ..sources import Source

BATCH = 500
MAX_INT = 2_147_483_647  # PositiveIntegerField on PostgreSQL
SHA256 = re.compile(r"[0-9a-f]{64}")
PHOTO_FILE_NAME = re.compile(r"[0-9]{1,5}\.webp")
WEB_URL = URLValidator()  # http, https, ftp, ftps: what the reading-note form accepts


# Checking values: each check returns the value as Python wants it, or raises Bad.


class Bad(ValueError):
    """A value of the wrong type or out of range; the message says which and why."""


Check = Callable[[Any], Any]


def _kind(value) -> str:
    """What a JSON value is, for messages."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    kinds = {dict: _("an object"), list: _("a list"), str: _("a string")}
    return kinds.get(type(value), _("null"))


def text(max_length: int, *, blank: bool = True) -> Check:
    def check(value):
        if not isinstance(value, str):
            raise Bad(_("should be text, not %(kind)s") % {"kind": _kind(value)})
        if len(value) > max_length:
            raise Bad(_("is longer than %(max)s characters") % {"max": max_length})
        if "\x00" in value:
            raise Bad(_("holds a NUL character"))
        if not blank and not value:
            raise Bad(_("is empty"))
        return value

    return check


def integer(low: int = 0, high: int = MAX_INT) -> Check:
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise Bad(_("should be a whole number, not %(kind)s") % {"kind": _kind(value)})
        if not low <= value <= high:
            raise Bad(_("should be between %(low)s and %(high)s") % {"low": low, "high": high})
        return value

    return check


def boolean(value):
    if not isinstance(value, bool):
        raise Bad(_("should be true or false, not %(kind)s") % {"kind": _kind(value)})
    return value


def choice(choices: Iterable) -> Check:
    allowed = [str(value) for value in choices]

    def check(value):
        if value not in allowed:
            raise Bad(_("should be one of %(choices)s") % {"choices": ", ".join(allowed)})
        return value

    return check


def a_uuid(value):
    if not isinstance(value, str):
        raise Bad(_("should be a UUID, not %(kind)s") % {"kind": _kind(value)})
    try:
        return uuid_lib.UUID(value)
    except ValueError:
        raise Bad(_("is not a UUID")) from None


def optional(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def a_date(value):
    if not isinstance(value, str):
        raise Bad(_("should be a date (YYYY-MM-DD), not %(kind)s") % {"kind": _kind(value)})
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Bad(_("is not a date (YYYY-MM-DD)")) from None
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise Bad(
            _("%(date)s is out of range (%(first)s to %(last)s)")
            % {"date": value, "first": FIRST_DAY, "last": LAST_DAY}
        )
    return parsed


def a_moment(value):
    if not isinstance(value, str):
        raise Bad(_("should be a time (ISO 8601), not %(kind)s") % {"kind": _kind(value)})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Bad(_("is not a time (ISO 8601)")) from None
    if parsed.tzinfo is None:
        raise Bad(_("has no time zone (end it with Z)"))
    if not FIRST_DAY.year < parsed.year < LAST_DAY.year:
        raise Bad(_("%(time)s is out of range") % {"time": value})
    return parsed


def sha256(value):
    if not isinstance(value, str) or not SHA256.fullmatch(value):
        raise Bad(_("should be a SHA-256 in hexadecimal"))
    return value


def web_url(value):
    value = text(ReadingNote._meta.get_field("url").max_length)(value)
    if value:
        try:
            WEB_URL(value)
        except ValidationError:
            raise Bad(_("is not a web address")) from None
    return value


def photo_files(value):
    if not isinstance(value, list):
        raise Bad(_("should be a list, not %(kind)s") % {"kind": _kind(value)})
    files = []
    for number, one in enumerate(value):
        if not isinstance(one, dict):
            raise Bad(_("file %(n)s should be an object") % {"n": number})
        try:
            name = text(20)(one.get("name"))
            if not PHOTO_FILE_NAME.fullmatch(name):
                raise Bad(_("is not a photo file name such as 480.webp"))
            files.append(
                PhotoFile(
                    name, integer(0, imaging.MAX_BYTES)(one.get("size")), sha256(one.get("sha256"))
                )
            )
        except Bad as error:
            raise Bad(_("file %(n)s: %(error)s") % {"n": number, "error": error}) from None
    if len({file.name for file in files}) != len(files):
        raise Bad(_("lists a file twice"))
    return files


def fields_object(value):
    if not isinstance(value, dict):
        raise Bad(_("should be an object, not %(kind)s") % {"kind": _kind(value)})
    for one in value.values():
        text(BODY_MAX_LENGTH)(one)
    return value


@dataclass(frozen=True)
class PhotoFile:
    name: str
    size: int
    sha256: str


SYNC = {
    "uuid": a_uuid,
    "revision": integer(),
    "created_at": a_moment,
    "updated_at": a_moment,
}
TOMBSTONED = {**SYNC, "deleted_at": optional(a_moment)}

# Every kind of record: its list in the file, its fields and their checks (all required, but
# for ADDED_LATER).
SCHEMAS: dict[str, dict[str, Check]] = {
    "entries": {
        **TOMBSTONED,
        "date": a_date,
        "position": integer(),
        "title": text(TITLE_MAX_LENGTH),
        "body": text(BODY_MAX_LENGTH),
        "worked": boolean,
        "starred": boolean,
        "source": text(Entry._meta.get_field("source").max_length),
    },
    "conflict_copies": {
        "uuid": a_uuid,
        "entry": a_uuid,
        "base_revision": integer(),
        "title": text(TITLE_MAX_LENGTH),
        "body": text(BODY_MAX_LENGTH),
        "worked": boolean,
        "starred": boolean,
        "created_at": a_moment,
        "resolved_at": optional(a_moment),
    },
    "weeks": {
        **SYNC,
        "start_date": a_date,
        "end_date": a_date,
        "title": text(Week._meta.get_field("title").max_length),
        "summary": text(BODY_MAX_LENGTH),
    },
    "items": {
        **TOMBSTONED,
        "week": a_uuid,
        "parent": optional(a_uuid),
        "position": integer(),
        "kind": choice(ItemKind.values),
        "text": text(ITEM_MAX_LENGTH),
        "review": choice(Review.values),
        "carried_from": optional(a_uuid),
    },
    "reading_notes": {
        **TOMBSTONED,
        "week": a_uuid,
        "position": integer(),
        "kind": choice(ReadingKind.values),
        "title": text(ReadingNote._meta.get_field("title").max_length),
        "url": web_url,
        "notes": text(BODY_MAX_LENGTH),
        "impressions": text(BODY_MAX_LENGTH),
    },
    "weekly_conflict_copies": {
        "uuid": a_uuid,
        "kind": choice(ConflictKind.values),
        "week": a_uuid,
        "item": optional(a_uuid),
        "reading_note": optional(a_uuid),
        "base_revision": integer(),
        "fields": fields_object,
        "created_at": a_moment,
        "resolved_at": optional(a_moment),
    },
    "photos": {
        **TOMBSTONED,
        "entry": optional(a_uuid),
        "reading_note": optional(a_uuid),
        "sha256": sha256,
        "file_key": a_uuid,
        "width": integer(1),
        "height": integer(1),
        "alt": text(PHOTO_ALT_MAX_LENGTH),
        "position": integer(),
        "files": photo_files,
    },
}
SETTINGS_SCHEMA: dict[str, Check] = {
    "title": text(JournalSettings._meta.get_field("title").max_length, blank=False),
    "goal": text(JournalSettings._meta.get_field("goal").max_length),
    "weekly_target_days": integer(0, 7),
    "week_start": integer(0, 6),
    "day_boundary_hour": integer(0, 23),
    "time_zone": lambda value: choice(name for name, _label in time_zone_choices())(value),
    "language": choice(Language.values),
}
# Fields added to version 1 after its first files were written: a file without one is read with
# this value (what such a record meant then), never refused.
ADDED_LATER: dict[str, dict[str, object]] = {
    "conflict_copies": {"starred": False},
}

MODELS = {
    "entries": Entry,
    "conflict_copies": ConflictCopy,
    "weeks": Week,
    "items": Item,
    "reading_notes": ReadingNote,
    "weekly_conflict_copies": WeeklyConflictCopy,
    "photos": Photo,
}
# What each record refers to: {field: the list its UUID must be in (or here)}.
REFERENCES = {
    "conflict_copies": {"entry": "entries"},
    "items": {"week": "weeks", "parent": "items", "carried_from": "items"},
    "reading_notes": {"week": "weeks"},
    "weekly_conflict_copies": {"week": "weeks", "item": "items", "reading_note": "reading_notes"},
    "photos": {"entry": "entries", "reading_note": "reading_notes"},
}
# The list of the object a weekly conflict copy of each kind holds fields of.
CONFLICT_TARGETS = {ConflictKind.ITEM: "items", ConflictKind.NOTE: "reading_notes",
                    ConflictKind.WEEK: "weeks"}  # fmt: skip
# Checked in this order, so a reference is checked after what it refers to.
KINDS = tuple(SCHEMAS)
REVISIONED = {"entries", "weeks", "items", "reading_notes", "photos"}


@dataclass
class Record:
    kind: str
    where: str
    what: str
    values: dict
    action: str = CREATE
    pk: int | None = None  # the row here, for a duplicate or an update

    @property
    def uuid(self) -> uuid_lib.UUID:
        return self.values["uuid"]


@dataclass
class Here:
    pk: int
    user_id: int
    revision: int | None


def describe(kind: str, values: dict) -> str:
    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 40 else text[:39] + "…"

    if kind == "entries":
        return f"{values['date']}「{short(values['title']) or _('(no title)')}」"
    if kind == "weeks":
        return f"{values['start_date']}「{short(values['title'])}」"
    if kind == "items":
        return f"{values['kind'].capitalize()}「{short(values['text'])}」"
    if kind == "reading_notes":
        return f"「{short(values['title'])}」"
    if kind == "photos":
        return short(values["alt"]) or _("photo %(uuid)s") % {"uuid": values["uuid"]}
    return _("conflict copy %(uuid)s") % {"uuid": values["uuid"]}


def find_json(source: Source) -> str | None:
    """The path of tsuzuri.json (the shallowest), or of the one .json file given alone."""
    found = sorted(
        (path for path in source.text_paths((".json",)) if PurePosixPath(path).name == JSON_NAME),
        key=lambda path: (path.count("/"), path),
    )
    if found:
        return found[0]
    paths = source.paths()
    if len(paths) == 1 and paths[0].lower().endswith(".json"):
        return paths[0]
    return None


class TsuzuriPlan(Plan):
    format = "tsuzuri"

    def __init__(self, user, source: Source):
        super().__init__(source.name)
        self.user, self.source = user, source
        self.records: dict[str, list[Record]] = {kind: [] for kind in KINDS}
        self.settings: dict | None = None
        self.week_merged: dict[uuid_lib.UUID, int] = {}  # a file's week → the week here
        self.entry_merged: dict[uuid_lib.UUID, int] = {}  # a file's entry → the entry here
        self.photo_files: dict[uuid_lib.UUID, dict[str, str]] = {}  # file_key → name → sha256
        path = find_json(source)
        if path is None:
            self.refuse(source.name, _("There is no tsuzuri.json in it."))
            return
        self.json_path = path
        self.base = path[: -len(PurePosixPath(path).name)]
        document = self.load(path)
        if document is not None:
            self.read(document)

    # Reading the file

    def load(self, path: str) -> dict | None:
        try:
            document = json.loads(self.source.read(path).decode("utf-8-sig"))
        except UnicodeDecodeError:
            self.refuse(path, _("The file is not UTF-8 text."))
            return None
        except json.JSONDecodeError as error:
            self.refuse(
                f"{path}:{error.lineno}",
                _("The file is not valid JSON: %(error)s") % {"error": error.msg},
            )
            return None
        except RecursionError:
            self.refuse(path, _("The file is nested too deeply."))
            return None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            self.refuse(path, _("This is not a Tsuzuri export (its format is not “tsuzuri”)."))
            return None
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            self.refuse(path, _("The file has no version number."))
            return None
        if version != VERSION:
            newer = _("It was made by a newer Tsuzuri; update this one first.")
            self.refuse(
                path,
                _("The file is of version %(version)s; this Tsuzuri reads version %(known)s.")
                % {"version": version, "known": VERSION}
                + (" " + newer if version > VERSION else ""),
            )
            return None
        for kind in KINDS:
            if not isinstance(document.get(kind, []), list):
                self.refuse(f"{path}: {kind}", _("%(kind)s should be a list.") % {"kind": kind})
                return None
        return document

    def read(self, document: dict) -> None:
        for kind in KINDS:
            self.records[kind] = self.checked(kind, document.get(kind, []))
        self.in_file = {
            kind: {record.uuid for record in records} for kind, records in self.records.items()
        }
        self.here = {kind: self.rows_here(kind) for kind in KINDS}
        self.read_settings(document.get("settings"))
        for kind in KINDS:
            for record in self.records[kind]:
                reason = self.problem(record)
                if reason:
                    self.refuse(record.where, reason, record.what)
                    record.action = None
                else:
                    self.classify(record)
        self.check_item_trees()

    def checked(self, kind: str, rows: list) -> list[Record]:
        schema, records, seen = SCHEMAS[kind], [], set()
        for number, row in enumerate(rows):
            where = f"{self.json_path}: {kind}[{number}]"
            if not isinstance(row, dict):
                self.refuse(where, _("should be an object, not %(kind)s") % {"kind": _kind(row)})
                continue
            values, problems = {}, []
            for name, check in schema.items():
                if name not in row and name in ADDED_LATER.get(kind, {}):
                    values[name] = ADDED_LATER[kind][name]
                    continue
                if name not in row:
                    problems.append(_("%(field)s is missing") % {"field": name})
                    continue
                try:
                    values[name] = check(row[name])
                except Bad as error:
                    problems.append(f"{name} {error}")
            if problems:
                self.refuse(where, "; ".join(problems))
                continue
            what = describe(kind, values)
            if values["uuid"] in seen:
                self.refuse(where, _("The UUID %(uuid)s is in the file twice.") % values, what)
                continue
            seen.add(values["uuid"])
            records.append(Record(kind, where, what, values))
        return records

    def rows_here(self, kind: str) -> dict[uuid_lib.UUID, Here]:
        """The rows of any user with a UUID the file names in `kind` or refers to there."""
        wanted = set(self.in_file[kind])
        for other, references in REFERENCES.items():
            for name, target in references.items():
                if target == kind:
                    wanted |= {r.values[name] for r in self.records[other] if r.values[name]}
        model = MODELS[kind]
        columns = ["uuid", "pk", "user_id"] + (["revision"] if kind in REVISIONED else [])
        found = {}
        wanted = list(wanted)
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            for uuid, pk, user_id, *revision in model.objects.filter(uuid__in=batch).values_list(
                *columns
            ):
                found[uuid] = Here(pk, user_id, revision[0] if revision else None)
        return found

    def read_settings(self, settings) -> None:
        if settings is None:
            return
        where = f"{self.json_path}: settings"
        if not isinstance(settings, dict):
            self.refuse(where, _("should be an object, not %(kind)s") % {"kind": _kind(settings)})
            return
        values, problems = {}, []
        for name, check in SETTINGS_SCHEMA.items():
            if name not in settings:
                problems.append(_("%(field)s is missing") % {"field": name})
                continue
            try:
                values[name] = check(settings[name])
            except Bad as error:
                problems.append(f"{name} {error}")
        if problems:
            self.refuse(where, "; ".join(problems))
            return
        what = _("settings")
        mine = JournalSettings.objects.filter(user=self.user).first()
        if mine is None:
            self.lines.append(Line(CREATE, where, what))
        elif all(getattr(mine, name) == value for name, value in values.items()):
            self.lines.append(Line(DUPLICATE, where, what, _("the same as here")))
            return
        elif self.journal_is_empty():
            changed = [name for name, value in values.items() if getattr(mine, name) != value]
            self.lines.append(
                Line(UPDATE, where, what, _("changes %(fields)s") % {"fields": ", ".join(changed)})
            )
        else:
            reason = _("kept as they are here: this journal already has entries or weeks")
            self.lines.append(Line(DUPLICATE, where, what, reason))
            return
        self.settings = values

    def journal_is_empty(self) -> bool:
        return not (
            Entry.objects.filter(user=self.user).exists()
            or Week.objects.filter(user=self.user).exists()
        )

    def reference(self, record: Record, name: str) -> str | None:
        """Why the record's reference `name` cannot be followed, or None."""
        target_kind = REFERENCES[record.kind][name]
        target = record.values[name]
        if target is None or target in self.in_file[target_kind]:
            return None
        here = self.here[target_kind].get(target)
        if here is None:
            return _("%(field)s refers to %(uuid)s, which is neither in the file nor here.") % {
                "field": name,
                "uuid": target,
            }
        if here.user_id != self.user.pk:
            return _("%(field)s refers to %(uuid)s, which belongs to another user.") % {
                "field": name,
                "uuid": target,
            }
        return None

    def problem(self, record: Record) -> str | None:
        """Why the record cannot be imported, or None."""
        values, kind = record.values, record.kind
        here = self.here[kind].get(record.uuid)
        if here is not None and here.user_id != self.user.pk:
            return _("Its UUID %(uuid)s belongs to another user of this Tsuzuri.") % values
        for name in REFERENCES.get(kind, {}):
            if reason := self.reference(record, name):
                return reason
        if kind == "weeks" and values["end_date"] < values["start_date"]:
            return _("The week ends before it starts.")
        if kind == "weekly_conflict_copies":
            points = {
                ConflictKind.ITEM: (True, False),
                ConflictKind.NOTE: (False, True),
                ConflictKind.WEEK: (False, False),
            }[values["kind"]]
            if (values["item"] is not None, values["reading_note"] is not None) != points:
                return _("A %(kind)s conflict copy names the wrong object.") % values
            if unknown := set(values["fields"]) - set(CONFLICT_FIELDS[values["kind"]]):
                return _("fields holds names a %(kind)s does not have: %(names)s") % {
                    "kind": values["kind"],
                    "names": ", ".join(sorted(unknown)),
                }
            schema = SCHEMAS[CONFLICT_TARGETS[values["kind"]]]
            for name, value in values["fields"].items():
                try:
                    schema[name](value)
                except Bad as error:
                    return f"fields.{name} {error}"
        if kind == "photos":
            if (values["entry"] is None) == (values["reading_note"] is None):
                return _("A photo belongs to an entry or to a reading note, exactly one.")
            return self.photo_problem(values)
        return None

    def photo_problem(self, values: dict) -> str | None:
        """Why the photo's files cannot be stored, or None. Each file is read and hashed here
        and read again when written, so a plan never holds the photos in memory."""
        if not values["files"]:
            return _("It has no files: they were already missing where it was exported.")
        key = values["file_key"]
        listed = {file.name: file.sha256 for file in values["files"]}
        if key in self.photo_files:
            if self.photo_files[key] != listed:
                return _("Its files differ from another photo's with the same file_key.")
            return None
        for file in values["files"]:
            path = self.photo_path(key, file.name)
            try:
                content = self.source.read(path)
            except KeyError:
                return _("Its file %(path)s is missing.") % {"path": path}
            if len(content) != file.size or hashlib.sha256(content).hexdigest() != file.sha256:
                return _("Its file %(path)s does not match its sha256.") % {"path": path}
            stored = imaging.folder(self.user.pk, key) / file.name
            if stored.is_file() and stored.read_bytes() != content:
                return _("A different file %(name)s is stored here under the same key.") % {
                    "name": f"{key}/{file.name}"
                }
        self.photo_files[key] = listed
        return None

    def photo_path(self, key, name: str) -> str:
        return f"{self.base}photos/{key}/{name}"

    def classify(self, record: Record) -> None:
        values, kind = record.values, record.kind
        here = self.here[kind].get(record.uuid)
        line = Line(CREATE, record.where, record.what)
        if here is not None:
            record.pk = here.pk
            if kind not in REVISIONED:
                resolved_here = self.resolved_here(kind, here.pk)
                if values["resolved_at"] is not None and not resolved_here:
                    line.action, line.reason = UPDATE, _("resolved in the file")
                else:
                    line.action, line.reason = DUPLICATE, _("already here")
            elif values["revision"] > here.revision:
                line.action = UPDATE
                line.reason = _(
                    "revision %(here)s here, %(file)s in the file: the file's is newer"
                ) % {"here": here.revision, "file": values["revision"]}
            elif values["revision"] == here.revision:
                line.action, line.reason = DUPLICATE, _("already here")
            else:
                line.action = DUPLICATE
                line.reason = _(
                    "revision %(here)s here, %(file)s in the file: the one here is newer"
                ) % {"here": here.revision, "file": values["revision"]}
        elif kind == "weeks":
            self.classify_new_week(record, line)
        elif kind == "entries" and values["source"]:
            self.classify_new_entry(record, line)
        if line.action == UPDATE and kind == "weeks":
            self.check_week_move(record, line)
        record.action = line.action
        if line.action is not None:  # None: refused, and said so already
            self.lines.append(line)

    def resolved_here(self, kind: str, pk: int) -> bool:
        model = MODELS[kind]
        return model.objects.filter(pk=pk, resolved_at__isnull=False).exists()

    def classify_new_week(self, record: Record, line: Line) -> None:
        start = record.values["start_date"]
        taken = self.weeks_by_start().get(start)
        if taken is None:
            self.weeks_by_start()[start] = record.uuid
        elif isinstance(taken, int):  # a week here of another UUID: fill it instead
            self.week_merged[record.uuid] = taken
            line.action = DUPLICATE
            line.reason = _(
                "a week starting on %(date)s is already here: its items and notes go into it"
            ) % {"date": start}
        else:
            line.action = None
            self.refuse(
                record.where,
                _("Another week in the file starts on %(date)s.") % {"date": start},
                record.what,
            )

    def weeks_by_start(self) -> dict[date, int | uuid_lib.UUID]:
        """{start date: the pk of the user's week here, or the UUID of a new week in the file}."""
        if not hasattr(self, "_weeks_by_start"):
            self._weeks_by_start = dict(
                Week.objects.filter(user=self.user).values_list("start_date", "pk")
            )
        return self._weeks_by_start

    def check_week_move(self, record: Record, line: Line) -> None:
        start = record.values["start_date"]
        other = Week.objects.filter(user=self.user, start_date=start).exclude(pk=record.pk)
        if other.exists():
            line.action = None
            self.refuse(
                record.where,
                _("It would move onto the week of %(date)s, which is already here.")
                % {"date": start},
                record.what,
            )

    def classify_new_entry(self, record: Record, line: Line) -> None:
        """An entry imported from another tool that is here under another UUID (imported from
        the same export twice, into two instances): a duplicate, and what refers to it in the
        file refers to the one here."""
        source = record.values["source"]
        if not hasattr(self, "_sources"):
            self._sources: dict[str, int | uuid_lib.UUID] = dict(
                Entry.objects.filter(user=self.user).exclude(source="").values_list("source", "pk")
            )
        taken = self._sources.get(source)
        if taken is None:
            self._sources[source] = record.uuid
        elif isinstance(taken, int):
            self.entry_merged[record.uuid] = taken
            line.action, line.reason = DUPLICATE, _("an entry from the same source is here")
        else:
            line.action = None
            self.refuse(
                record.where, _("Another entry in the file has the same source."), record.what
            )

    def check_item_trees(self) -> None:
        """No item may be its own ancestor, sit under an item of another week, or nest deeper
        than the weekly page shows."""
        items = {record.uuid: record for record in self.records["items"]}
        for record in self.records["items"]:
            if record.action is None:
                continue
            depth, node, seen = 0, record, {record.uuid}
            reason = None
            while node is not None and node.values["parent"] is not None:
                parent = node.values["parent"]
                if parent in seen:
                    reason = _("Its parents go round in a circle.")
                    break
                seen.add(parent)
                depth += 1
                node = items.get(parent)
                if node is not None and node.values["week"] != record.values["week"]:
                    reason = _("Its parent is in another week.")
                    break
            if reason is None and depth >= MAX_DEPTH:
                reason = _("It is nested deeper than %(max)s levels.") % {"max": MAX_DEPTH}
            if reason:
                record.action = None
                self.refuse(record.where, reason, record.what)

    # Writing

    def todo(self, kind: str, action: str) -> list[Record]:
        return [record for record in self.records[kind] if record.action == action]

    def _apply(self, user, progress: Progress) -> None:
        written: list = []
        self.done = 0

        def advance(count: int) -> None:
            self.done += count
            progress(min(self.done, self.total), self.total)

        self.advance = advance
        try:
            self.write_photo_files(written)
            self.write_rows(user)
        except IntegrityError as error:
            self.remove(written)
            raise ImportRefused(
                _("The file disagrees with what is here (%(error)s); nothing was imported.")
                % {"error": error}
            ) from error
        except BaseException:
            self.remove(written)
            raise

    def write_photo_files(self, written: list) -> None:
        for key, files in sorted(self.photo_files.items(), key=lambda pair: str(pair[0])):
            needed = any(
                record.values["file_key"] == key and record.action in (CREATE, UPDATE)
                for record in self.records["photos"]
            )
            folder = imaging.folder(self.user.pk, key)
            if not needed or all((folder / name).is_file() for name in files):
                continue
            if not folder.exists():
                written.append(folder)
            contents = {}
            for name, digest in files.items():
                content = self.source.read(self.photo_path(key, name))
                if hashlib.sha256(content).hexdigest() != digest:  # changed since the plan
                    raise ImportRefused(
                        _("Its file %(path)s does not match its sha256.")
                        % {"path": self.photo_path(key, name)}
                    )
                contents[int(name.split(".")[0])] = content
            imaging.store(self.user.pk, key, contents)

    @staticmethod
    def remove(written: list) -> None:
        for folder in written:
            shutil.rmtree(folder, ignore_errors=True)

    def write_rows(self, user) -> None:
        if self.settings is not None:
            JournalSettings.objects.update_or_create(user=user, defaults=self.settings)
        ids = {kind: {} for kind in KINDS}
        for kind in KINDS:
            for record in self.records[kind]:
                if record.pk is not None:
                    ids[kind][record.uuid] = record.pk
        for kind, found in self.here.items():
            for uuid, here in found.items():
                if here.user_id == user.pk:
                    ids[kind].setdefault(uuid, here.pk)
        ids["weeks"].update(self.week_merged)
        ids["entries"].update(self.entry_merged)
        self.ids = ids
        for kind in KINDS:
            creating = self.todo(kind, CREATE)
            rows = [self.row(kind, record.values, user, creating=True) for record in creating]
            insert(MODELS[kind], rows)
            ids[kind].update(pks_of(MODELS[kind], [record.uuid for record in creating]))
            if kind == "items":
                self.link_items(creating)
            self.advance(len(creating))
        for kind in KINDS:
            updating = self.todo(kind, UPDATE)
            model = MODELS[kind]
            for record in updating:
                model.objects.filter(pk=record.pk).update(
                    **self.row(kind, record.values, user, creating=False)
                )
            self.advance(len(updating))
        self.advance(self.total)

    def link_items(self, created: list[Record]) -> None:
        """Items are inserted without their parent and carried Try, then linked."""
        pairs = []
        for record in created:
            parent = self.ids["items"].get(record.values["parent"])
            carried = self.ids["items"].get(record.values["carried_from"])
            if parent or carried:
                pairs.append((parent, carried, self.ids["items"][record.uuid]))
        if pairs:
            with connection.cursor() as cursor:
                cursor.executemany(
                    'UPDATE "weekly_item" SET "parent_id" = %s, "carried_from_id" = %s '
                    'WHERE "id" = %s',
                    pairs,
                )

    def render(self, text: str) -> str:
        """render_markdown, once for each text: many weeks' summaries and notes' impressions
        are the same few words, or empty."""
        if not hasattr(self, "_rendered"):
            self._rendered: dict[str, str] = {}
        if text not in self._rendered:
            self._rendered[text] = render_markdown(text)
        return self._rendered[text]

    def ref(self, kind: str, uuid) -> int | None:
        return None if uuid is None else self.ids[kind][uuid]

    def row(self, kind: str, values: dict, user, creating: bool) -> dict:
        """The columns of one row (attname → value), computed fields included."""
        row = {"uuid": values["uuid"]} if creating else {}
        if creating:
            row["user_id"] = user.pk
        for name in ("revision", "created_at", "updated_at", "deleted_at"):
            if name in SCHEMAS[kind]:
                row[name] = values[name]
        if kind == "entries":
            row |= {
                name: values[name]
                for name in ("date", "position", "title", "body", "worked", "starred", "source")
            }
            row |= {
                "body_html": self.render(values["body"]),
                "render_version": RENDER_VERSION,
                "search_text": normalize_for_search(values["title"], values["body"]),
            }
        elif kind == "conflict_copies":
            row |= {
                "entry_id": self.ref("entries", values["entry"]),
                "base_revision": values["base_revision"],
                "title": values["title"],
                "body": values["body"],
                "worked": values["worked"],
                "starred": values["starred"],
                "created_at": values["created_at"],
                "resolved_at": values["resolved_at"],
            }
            if not creating:
                row = {"resolved_at": values["resolved_at"]}
        elif kind == "weeks":
            row |= {name: values[name] for name in ("start_date", "end_date", "title", "summary")}
            row |= {
                "summary_html": self.render(values["summary"]),
                "render_version": RENDER_VERSION,
            }
        elif kind == "items":
            row |= {
                "week_id": self.ref("weeks", values["week"]),
                "position": values["position"],
                "kind": values["kind"],
                "text": values["text"],
                "review": values["review"],
                "search_text": normalize_for_search(values["text"]),
            }
            if not creating:  # created items are linked once all of them exist
                row["parent_id"] = self.ref("items", values["parent"])
                row["carried_from_id"] = self.ref("items", values["carried_from"])
        elif kind == "reading_notes":
            row |= {
                "week_id": self.ref("weeks", values["week"]),
                **{
                    name: values[name]
                    for name in ("position", "kind", "title", "url", "notes", "impressions")
                },
                "notes_html": self.render(values["notes"]),
                "impressions_html": self.render(values["impressions"]),
                "render_version": RENDER_VERSION,
                "search_text": normalize_for_search(
                    values["title"], values["url"], values["notes"], values["impressions"]
                ),
            }
        elif kind == "weekly_conflict_copies":
            row |= {
                "kind": values["kind"],
                "week_id": self.ref("weeks", values["week"]),
                "item_id": self.ref("items", values["item"]),
                "note_id": self.ref("reading_notes", values["reading_note"]),
                "base_revision": values["base_revision"],
                "fields": values["fields"],
                "created_at": values["created_at"],
                "resolved_at": values["resolved_at"],
            }
            if not creating:
                row = {"resolved_at": values["resolved_at"]}
        elif kind == "photos":
            row |= {
                "entry_id": self.ref("entries", values["entry"]),
                "reading_note_id": self.ref("reading_notes", values["reading_note"]),
                **{name: values[name] for name in ("sha256", "width", "height", "alt", "position")},
            }
            if creating:
                row["file_key"] = values["file_key"]
        return row


def insert(model, rows: list[dict]) -> None:
    """INSERT the rows as they are: no save(), no auto_now, no signals (like loaddata)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    [field.get_db_prep_save(row[field.attname], connection) for field in fields]
                    for row in rows[start : start + BATCH]
                ],
            )


def pks_of(model, uuids: list) -> dict:
    found = {}
    for start in range(0, len(uuids), BATCH):
        found |= dict(
            model.objects.filter(uuid__in=uuids[start : start + BATCH]).values_list("uuid", "pk")
        )
    return found


@reader("tsuzuri")
def read_tsuzuri(user, source: Source, **options) -> Plan:
    return TsuzuriPlan(user, source)
