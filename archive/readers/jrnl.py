"""jrnl (../shared/notes/peers.md §3.2): its JSON export (`jrnl --format json`), its plain-text
journal as one file or as the folder layout (YYYY/MM/DD.txt), and its Markdown export.

An entry starts at a line `[2020-07-01 20:00] Title text` (seconds and AM/PM allowed, as jrnl's
time formats write them); a trailing ` *` on that line stars it. As in jrnl, the title is the
first sentence of the entry and the rest is its body; @tags stay in the text. jrnl's times are
the writer's wall clock, so the user's day-boundary hour applies (20:00 stays on its day, 01:30
counts for the day before), as it does for writing here. The Markdown export's
`### 2020-07-01 20:00 Title` headings are read too, its `# 2020` / `## July` headings skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from ..importing import REFUSE, EntryPlan, ImportedEntry, Line, reader
from ..sources import FileSource, Source
from ..text import NotText, decode, is_long, shorten

SUFFIXES = (".txt", ".journal", ".md", ".json")
STAMP = (
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[ \t]*([AaPp][Mm]))?"
)
HEADER = re.compile(rf"^\[{STAMP}\](?:[ \t]+(.*))?$")
MARKDOWN_HEADER = re.compile(rf"^#{{1,6}}[ \t]+{STAMP}(?:[ \t]+(.*))?$")
# The Markdown export's year and month headings, between entries.
MARKDOWN_GROUP = re.compile(r"^#{1,2}[ \t]+(?:\d{4}|[A-Za-z]+)[ \t]*$")
# jrnl's title: up to the first sentence end (followed by a space) or CJK full stop.
SENTENCE_END = re.compile(r"[.?!…]+(?=\s)|[。！？．｡]+")


class EntryRefused(ValueError):
    pass


@reader("jrnl")
def read_jrnl(user, source: Source, **options) -> EntryPlan:
    from journal.models import JournalSettings

    journal = JournalSettings.objects.filter(user=user).first() or JournalSettings(user=user)
    boundary = timedelta(hours=journal.day_boundary_hour)
    # A single journal file is read whatever its name; in a folder or zip, the journal's files.
    single = isinstance(source, FileSource)
    paths = source.paths() if single else list(source.text_paths(SUFFIXES))
    items: list[ImportedEntry | Line] = []
    if not paths:
        reason = _("There is no jrnl journal (.txt, .journal, .md or .json) in %(name)s.") % {
            "name": source.name
        }
        items.append(Line(REFUSE, source.name, reason=reason))
    for path in paths:
        data = source.read(path)
        if data.startswith(b"JRNLv"):
            reason = _(
                "This journal is encrypted. Decrypt it with jrnl --decrypt (or export it with "
                "jrnl --format json) and import that."
            )
            items.append(Line(REFUSE, path, reason=reason))
            continue
        try:
            text = decode(data, PurePosixPath(path).name)
        except NotText as error:
            items.append(Line(REFUSE, path, reason=str(error)))
            continue
        if path.lower().endswith(".json"):
            items += _read_json(path, text, boundary)
        else:
            items += _read_text(path, text, boundary)
    return EntryPlan("jrnl", source.name, user, items)


def _read_json(path: str, text: str, boundary: timedelta) -> list[ImportedEntry | Line]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        reason = _("This is not JSON (line %(line)s: %(error)s).") % {
            "line": error.lineno,
            "error": error.msg,
        }
        return [Line(REFUSE, path, reason=reason)]
    except RecursionError:
        return [Line(REFUSE, path, reason=_("The JSON is nested too deeply."))]
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        reason = _('This is not a jrnl JSON export: it has no "entries" list.')
        return [Line(REFUSE, path, reason=reason)]
    items: list[ImportedEntry | Line] = []
    for number, record in enumerate(entries, 1):
        where = _("%(file)s: entry %(number)s") % {"file": path, "number": number}
        try:
            items.append(_json_entry(record, where, boundary))
        except EntryRefused as error:
            items.append(Line(REFUSE, where, reason=str(error)))
    return items


def _json_entry(record, where: str, boundary: timedelta) -> ImportedEntry:
    if not isinstance(record, dict):
        raise EntryRefused(_("The entry is not a JSON object."))
    values = {}
    for name in ("title", "body", "date", "time"):
        value = record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise EntryRefused(_('Its "%(field)s" is not text.') % {"field": name})
        values[name] = value
    starred = record.get("starred", False)
    if not isinstance(starred, bool | None):
        raise EntryRefused(_('Its "starred" is not true or false.'))
    try:
        day = date.fromisoformat(values["date"])
    except ValueError:
        raise EntryRefused(
            _('Its "date" %(value)s is not a date (YYYY-MM-DD).') % {"value": values["date"][:40]}
        ) from None
    moment = None
    if values["time"]:
        stamp = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", values["time"].strip())
        if not stamp or not _valid_time(*stamp.groups()):
            raise EntryRefused(
                _('Its "time" %(value)s is not a time (HH:MM).') % {"value": values["time"][:40]}
            )
        moment = time(int(stamp[1]), int(stamp[2]))
    return _entry(where, day, moment, values["title"], values["body"], bool(starred), boundary)


def _read_text(path: str, text: str, boundary: timedelta) -> list[ImportedEntry | Line]:
    lines = text.split("\n")
    header = HEADER
    if not any(HEADER.match(line) for line in lines) and any(
        MARKDOWN_HEADER.match(line) for line in lines
    ):
        header = MARKDOWN_HEADER  # jrnl's Markdown export
    items: list[ImportedEntry | Line] = []
    current: tuple[int, re.Match] | None = None
    body: list[str] = []
    for number, line in enumerate([*lines, None], 1):
        match = header.match(line) if line is not None else None
        if line is not None and not match:
            if current:
                body.append(line)
            elif line.strip() and not (header is MARKDOWN_HEADER and MARKDOWN_GROUP.match(line)):
                reason = _("This line comes before the first entry ([YYYY-MM-DD HH:MM] Title).")
                items.append(Line(REFUSE, f"{path}:{number}", reason=reason))
                return items
            continue
        if current:
            where = f"{path}:{current[0]}"
            try:
                items.append(_text_entry(where, current[1], body, header, boundary))
            except EntryRefused as error:
                items.append(Line(REFUSE, where, reason=str(error)))
        current, body = (number, match) if match else None, []
    if not items:
        reason = _("No jrnl entries were found: an entry starts with a line like %(example)s.")
        items.append(Line(REFUSE, path, reason=reason % {"example": "[2020-07-01 20:00] Title"}))
    return items


def _text_entry(where, match: re.Match, body: list[str], header, boundary) -> ImportedEntry:
    year, month, day, hour, minute, second, meridiem, rest = match.groups()
    if not _valid_time(hour, minute, second, meridiem):
        raise EntryRefused(_("%(value)s is not a time.") % {"value": f"{hour}:{minute}"})
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        raise EntryRefused(
            _("%(value)s is not a date.") % {"value": f"{year}-{month}-{day}"}
        ) from None
    hour = int(hour)
    if meridiem:  # 12:05 AM is 00:05, 12:05 PM is 12:05
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    rest = (rest or "").rstrip()
    starred = rest == "*" or rest.endswith(" *")
    if starred:
        rest = rest[:-1].rstrip()
    if header is MARKDOWN_HEADER:
        while body and (MARKDOWN_GROUP.match(body[-1]) or not body[-1].strip()):
            body.pop()  # the next month's or year's heading belongs to no entry
        title, text = rest, "\n".join(body)
    else:
        title, text = _jrnl_title("\n".join([rest, *body]))
    return _entry(where, when, time(hour, int(minute)), title, text, starred, boundary)


def _jrnl_title(text: str) -> tuple[str, str]:
    """jrnl's split: the title is the first sentence or, failing that, the first line."""
    first, _newline, rest = text.partition("\n")
    end = SENTENCE_END.search(first)
    if end and first[end.end() :].strip():
        return first[: end.end()].strip(), (first[end.end() :].strip() + "\n" + rest).strip()
    return first.strip(), rest


def _valid_time(hour, minute, second=None, meridiem=None) -> bool:
    limit = 12 if meridiem else 23
    return (
        (1 if meridiem else 0) <= int(hour) <= limit
        and int(minute) <= 59
        and (second is None or int(second) <= 59)
    )


def _entry(where, day: date, moment, title: str, body: str, starred: bool, boundary):
    title, body = title.strip(), body.strip("\n").rstrip()
    key = hashlib.sha1(
        f"{day.isoformat()} {moment.strftime('%H:%M') if moment else ''}\n{title}\n{body}".encode()
    ).hexdigest()
    if moment is not None:
        try:
            day = (datetime.combine(day, moment) - boundary).date()
        except OverflowError:
            raise EntryRefused(_("The date %(date)s is out of range.") % {"date": day}) from None
    if is_long(title):  # a first sentence as long as a paragraph: keep it whole
        body = f"{title}\n{body}" if body else title
        title = shorten(title)
    return ImportedEntry(
        where=where, date=day, title=title, body=body, source_key=f"jrnl:{key}", starred=starred
    )
