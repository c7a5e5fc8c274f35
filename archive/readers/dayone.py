"""Day One's JSON export (../shared/notes/peers.md §3.1): a zip holding one `<Journal>.json` per
journal and `photos/<md5>.<type>`, or a bare .json.

Each entry becomes a diary entry on the date its creationDate had in its own time zone, less the
user's day-boundary hour (as JournalSettings.today() does: written at 01:30 → the day before).
The title is the first heading or line of prose; Day One's backslash escapes are removed where
they protect nothing; `![](dayone-moment://ID)` references become attached photos; tags become a
last line of `#tags`; `starred` is kept. A record that cannot be read is refused with its file,
number and uuid, and the reason.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..importing import REFUSE, EntryPlan, ImportedEntry, ImportedPhoto, Line, reader
from ..sources import Source
from ..text import NotText, decode, split_title

UUID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
MD5 = re.compile(r"^[0-9a-fA-F]{32}$")
MOMENT = re.compile(
    r"!\[([^\]\n]*)\]\(dayone-moment:/{1,2}(?:([A-Za-z]+)/)?([0-9A-Za-z-]{1,64})\)[ \t]*"
)
# Day One's other media (`dayone-moment:/video/ID`…, listed in these fields) are not imported.
OTHER_MEDIA = ("videos", "audios", "pdfAttachments")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation
# Escapes that still mean something wherever they stand: removing them would make emphasis,
# links, code, HTML, entities or table cells out of plain characters.
KEEP = set("\\`*_[]<>|~&")
LINE_START_KEEP = set("#-+=")  # a heading, a list item, a setext underline


@reader("dayone")
def read_dayone(user, source: Source, **options) -> EntryPlan:
    from journal.models import JournalSettings

    journal = JournalSettings.objects.filter(user=user).first() or JournalSettings(user=user)
    photos = _photo_files(source)
    items: list[ImportedEntry | Line] = []
    paths = list(source.text_paths((".json",)))
    if not paths:
        reason = _("There is no Day One .json file in %(name)s.") % {"name": source.name}
        items.append(Line(REFUSE, source.name, reason=reason))
    for path in paths:
        items += _Journal(path, source, photos, journal).read()
    return EntryPlan("dayone", source.name, user, items)


def _photo_files(source: Source) -> dict[str, str]:
    """md5 → path of every file in a `photos` folder (any case, at any depth)."""
    found = {}
    for path in source.paths():
        parts = PurePosixPath(path).parts
        if len(parts) >= 2 and parts[-2].lower() == "photos":
            found[PurePosixPath(path).stem.lower()] = path
    return found


class EntryRefused(ValueError):
    pass


class _Journal:
    def __init__(self, path: str, source: Source, photos: dict[str, str], journal):
        self.path, self.source, self.photos = path, source, photos
        self.boundary = timedelta(hours=journal.day_boundary_hour)
        self.default_zone = journal.zone

    def read(self) -> list[ImportedEntry | Line]:
        name = PurePosixPath(self.path).name
        try:
            document = json.loads(decode(self.source.read(self.path), name))
        except NotText as error:
            return [Line(REFUSE, self.path, reason=str(error))]
        except json.JSONDecodeError as error:
            reason = _("This is not JSON (line %(line)s: %(error)s).") % {
                "line": error.lineno,
                "error": error.msg,
            }
            return [Line(REFUSE, self.path, reason=reason)]
        except RecursionError:
            return [Line(REFUSE, self.path, reason=_("The JSON is nested too deeply."))]
        entries = document.get("entries") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            reason = _('This is not a Day One export: it has no "entries" list.')
            return [Line(REFUSE, self.path, reason=reason)]
        items: list[ImportedEntry | Line] = []
        for number, record in enumerate(entries, 1):
            where = _("%(file)s: entry %(number)s") % {"file": self.path, "number": number}
            if isinstance(record, dict) and isinstance(record.get("uuid"), str):
                where += f" (uuid {record['uuid'][:64]})"
            try:
                items.append(self.entry(record, where))
            except EntryRefused as error:
                items.append(Line(REFUSE, where, reason=str(error)))
        return items

    def entry(self, record, where: str) -> ImportedEntry:
        if not isinstance(record, dict):
            raise EntryRefused(_("The entry is not a JSON object."))
        uuid = record.get("uuid")
        if not isinstance(uuid, str) or not UUID.match(uuid):
            raise EntryRefused(_("The entry has no uuid."))
        text = _field(record, "text", str, "").replace("\r\n", "\n").replace("\r", "\n")
        tags = _field(record, "tags", list, [])
        if not all(isinstance(tag, str) for tag in tags):
            raise EntryRefused(_('Its "tags" are not a list of words.'))
        starred = _field(record, "starred", bool, False)
        day = self.day(record)
        text, photos, missing, others = self.photos_of(record, text)
        title, body = split_title(unescape(text))
        tag_line = " ".join("#" + "_".join(tag.split()) for tag in tags if tag.strip())
        if tag_line:
            body = f"{body}\n\n{tag_line}" if body else tag_line
        notes = []
        if missing:
            notes.append(
                ngettext(
                    "%(count)s photo is not in this export.",
                    "%(count)s photos are not in this export.",
                    missing,
                )
                % {"count": missing}
            )
        if others:
            notes.append(
                ngettext(
                    "%(count)s video, audio or PDF is not imported.",
                    "%(count)s videos, audios or PDFs are not imported.",
                    others,
                )
                % {"count": others}
            )
        return ImportedEntry(
            where=where,
            date=day,
            title=title,
            body=body,
            source_key=f"dayone:{uuid}",
            starred=starred,
            photos=photos,
            notes=notes,
        )

    def day(self, record):
        """The diary date: creationDate in the entry's time zone, less the day boundary."""
        created = record.get("creationDate")
        if not isinstance(created, str):
            raise EntryRefused(_('The entry has no "creationDate".'))
        try:
            moment = datetime.fromisoformat(created)
        except ValueError:
            raise EntryRefused(
                _('Its "creationDate" %(value)s is not a date and time.') % {"value": created[:40]}
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        zone = self.zone(record.get("timeZone"))
        try:
            return (moment.astimezone(zone) - self.boundary).date()
        except (OverflowError, ValueError):
            raise EntryRefused(
                _("The date %(date)s is out of range.") % {"date": created[:40]}
            ) from None

    def zone(self, name) -> ZoneInfo:
        if name is None:  # older exports: the user's own zone
            return self.default_zone
        if isinstance(name, str) and (name := name.replace("\\/", "/")) in _zone_names():
            return ZoneInfo(name)
        raise EntryRefused(_("Its time zone %(zone)s is unknown.") % {"zone": str(name)[:64]})

    def photos_of(self, record, text: str) -> tuple[str, list[ImportedPhoto], int, int]:
        """The text without its media references, the photos found, how many photos are
        missing, and how many other media (not imported) it had."""
        listed = _field(record, "photos", list, [])
        by_id = {}
        for photo in listed:
            if not (
                isinstance(photo, dict)
                and isinstance(photo.get("identifier"), str)
                and isinstance(photo.get("md5"), str)
                and MD5.match(photo["md5"])
            ):
                raise EntryRefused(_('Its "photos" list is not in Day One\'s shape.'))
            by_id[photo["identifier"]] = photo
        media = {
            item.get("identifier")
            for name in OTHER_MEDIA
            for item in (record.get(name) if isinstance(record.get(name), list) else [])
            if isinstance(item, dict) and isinstance(item.get("identifier"), str)
        }
        order, others = [], set()
        for match in MOMENT.finditer(text):
            if (match[2] and match[2].lower() != "photo") or match[3] in media:
                others.add(match[3])
            else:
                order.append((match[3], match[1]))
        referenced = {identifier for identifier, _alt in order}
        unreferenced = sorted(
            (photo for photo in listed if photo["identifier"] not in referenced),
            key=lambda photo: (
                photo.get("orderInEntry") if isinstance(photo.get("orderInEntry"), int) else 0
            ),
        )
        order += [(photo["identifier"], "") for photo in unreferenced]
        found, missing, seen = [], 0, set()
        for identifier, alt in order:
            if identifier in seen:
                continue
            seen.add(identifier)
            photo = by_id.get(identifier)
            path = photo and self.photos.get(photo["md5"].lower())
            if not path:
                missing += 1
                continue
            data = self.source.read(path)
            check_photo(path, data)
            found.append(ImportedPhoto(name=path, data=data, alt=alt.strip()[:500]))
        text = MOMENT.sub("", text)
        text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)  # the blank lines left behind
        return text.strip("\n"), found, missing, len(others)


@functools.cache
def _zone_names() -> frozenset[str]:
    from journal.models import time_zone_choices

    return frozenset(name for name, _label in time_zone_choices())


def _field(record: dict, name: str, kind: type, default):
    value = record.get(name, default)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise EntryRefused(
            _('Its "%(field)s" is not %(kind)s (it is %(found)s).')
            % {"field": name, "kind": _kind(kind), "found": _kind(type(value))}
        )
    return value


def _kind(kind: type) -> str:
    return {
        str: _("text"),
        list: _("a list"),
        dict: _("an object"),
        bool: _("true or false"),
        int: _("a number"),
        float: _("a number"),
    }.get(kind, _("empty"))


def check_photo(path: str, data: bytes) -> None:
    """Refuse the entry now, in the dry run, when its photo is not one the app can take."""
    from PIL import Image, UnidentifiedImageError

    from journal import imaging

    try:
        imaging.check_size(len(data))
        with Image.open(BytesIO(data), formats=imaging.FORMATS):
            pass
    except imaging.PhotoRefused as error:
        raise EntryRefused(f"{path}: {error}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise EntryRefused(f"{path}: {imaging.not_a_photo_message()}") from None


def unescape(text: str) -> str:
    """Day One's text without the backslashes it puts before punctuation (`\\.`, `\\-`, `\\(`,
    `\\!`…), except where one still protects something: before `* _ [ ] \\` ` < > | ~ &`
    anywhere, before `# - + =` at the start of a line, after the number of what would be an
    ordered list, before `[` (an image) or after `]` (a link). Code blocks lose every escape:
    Day One writes them there too, and in a code block a backslash is shown as it is."""
    lines, fence = [], None
    for line in text.split("\n"):
        opening = FENCE.match(line)
        if fence:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = None
                lines.append(line)
            else:
                lines.append(ESCAPE.sub(r"\1", line))
        elif opening:
            fence = opening[1]
            lines.append(line)
        else:
            lines.append(ESCAPE.sub(functools.partial(_unescaped, line=line), line))
    return "\n".join(lines)


def _unescaped(match: re.Match, line: str) -> str:
    mark, before = match[1], line[: match.start()]
    after = line[match.end() : match.end() + 1]
    if (
        mark in KEEP
        or (mark in LINE_START_KEEP and not before.strip())
        or (mark in ".)" and re.fullmatch(r"[ \t]*\d{1,9}", before))
        or (mark == "!" and after == "[")
        or (mark == "(" and before.endswith("]"))
    ):
        return match[0]
    return mark
