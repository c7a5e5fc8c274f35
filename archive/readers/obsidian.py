"""Obsidian daily notes (../shared/notes/peers.md §3.3): a folder or zip of notes named by their
date, one entry each.

The date is read from the name: `2021-01-04.md` (Obsidian's default), with words around it
(`2021-01-03-Sunday.md`, `Jeffrey-20210102-Journal.md`), `20210104`, `2021年1月4日`,
`2023-Jan-04`, nested folders (`2021/01/04.md`), and `04-01-2021` / `01-04-2021` when the vault
shows which order it uses (its Daily notes setting, .obsidian/daily-notes.json, or a note whose
first number is over 12 for day first, whose second is for month first); a name that could be
either, or that holds no date, is refused with the file.
The title is the note's first line when it is an H1, or else the note's name (as Obsidian shows
it). The text is kept as it is (headings, tasks, [[links]], #tags), with YAML front matter turned
into a ```yaml block at the top; `![[photo.jpg]]` embeds found in the source become attached
photos.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from ..importing import REFUSE, EntryPlan, ImportedEntry, ImportedPhoto, Line, reader
from ..sources import Source
from ..text import ATX_HEADING, NotText, decode, is_long, plain, shorten
from .dayone import EntryRefused, check_photo

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
SEP = r"[-_. /]"
YEAR_FIRST = re.compile(rf"(?<!\d)(\d{{4}}){SEP}(\d{{1,2}}){SEP}(\d{{1,2}})(?!\d)")
COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
JAPANESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
MONTH_NAME = re.compile(rf"(?<!\d)(\d{{4}}){SEP}([A-Za-z]{{3,9}}){SEP}(\d{{1,2}})(?!\d)")
YEAR_LAST = re.compile(rf"(?<!\d)(\d{{1,2}}){SEP}(\d{{1,2}}){SEP}(\d{{4}})(?!\d)")
FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
EMBED = re.compile(r"!\[\[([^\]|#\n]+\.(?:jpe?g|png|webp|gif|heic|heif))(?:\|[^\]\n]*)?\]\]", re.I)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif")


class Ambiguous(ValueError):
    def __init__(self, day_first: date, month_first: date):
        self.day_first, self.month_first = day_first, month_first


@reader("obsidian")
def read_obsidian(user, source: Source, **options) -> EntryPlan:
    paths = list(source.text_paths((".md", ".markdown")))
    images = {PurePosixPath(path).name.lower(): path for path in source.text_paths(IMAGE_SUFFIXES)}
    order = _configured_order(source) or _vault_order(paths)
    items: list[ImportedEntry | Line] = []
    if not paths:
        reason = _("There are no notes (.md files) in %(name)s.") % {"name": source.name}
        items.append(Line(REFUSE, source.name, reason=reason))
    for path in paths:
        try:
            day = date_of(path, order)
        except Ambiguous as error:
            reason = _(
                "The name could mean %(one)s or %(other)s. Rename it YYYY-MM-DD.md and import "
                "again."
            ) % {"one": error.day_first, "other": error.month_first}
            items.append(Line(REFUSE, path, reason=reason))
            continue
        if day is None:
            reason = _(
                "Its name holds no date: daily notes are named like 2021-01-04.md. Move it out "
                "of what you import."
            )
            items.append(Line(REFUSE, path, reason=reason))
            continue
        try:
            text = decode(source.read(path), PurePosixPath(path).name)
            items.append(_entry(path, day, text, source, images))
        except (NotText, EntryRefused) as error:
            items.append(Line(REFUSE, path, reason=str(error)))
    return EntryPlan("obsidian", source.name, user, items)


def _configured_order(source: Source) -> str | None:
    """ "day" or "month" from the vault's Daily notes setting (.obsidian/daily-notes.json, a
    moment.js format such as DD-MM-YYYY), when the import holds it."""
    for path in source.paths():
        if path == ".obsidian/daily-notes.json" or path.endswith("/.obsidian/daily-notes.json"):
            try:
                setting = json.loads(source.read(path).decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                return None
            format = setting.get("format") if isinstance(setting, dict) else None
            if isinstance(format, str) and "D" in format and "M" in format:
                return "day" if format.index("D") < format.index("M") else "month"
    return None


def _vault_order(paths: list[str]) -> str | None:
    """ "day" or "month" when a name like 13-01-2021 or 01-13-2021 shows the vault's order."""
    orders = set()
    for path in paths:
        stem = PurePosixPath(path).stem
        if _year_first(stem) is None and (match := YEAR_LAST.search(stem)):
            first, second = int(match[1]), int(match[2])
            if first > 12 >= second:
                orders.add("day")
            elif second > 12 >= first:
                orders.add("month")
    return orders.pop() if len(orders) == 1 else None


def _year_first(text: str) -> date | None:
    for pattern in (YEAR_FIRST, COMPACT, JAPANESE):
        for match in pattern.finditer(text):
            if day := _date(match[1], match[2], match[3]):
                return day
    for match in MONTH_NAME.finditer(text):
        if (month := MONTHS.get(match[2].lower())) and (day := _date(match[1], month, match[3])):
            return day
    return None


def date_of(path: str, order: str | None = None) -> date | None:
    """The date a daily note's name (or, failing that, its folders) gives, or None."""
    pure = PurePosixPath(path)
    stem = pure.stem
    if day := _year_first(stem):
        return day
    if match := YEAR_LAST.search(stem):
        first, second, year = match.groups()
        day_first = _date(year, second, first)
        month_first = _date(year, first, second)
        if day_first and month_first and day_first != month_first:
            if order is None:
                raise Ambiguous(day_first, month_first)
            return day_first if order == "day" else month_first
        return day_first or month_first
    return _year_first("/".join([*pure.parent.parts[-2:], stem]))  # 2021/01/04.md


def _date(year, month, day) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _entry(path: str, day: date, text: str, source: Source, images: dict) -> ImportedEntry:
    key = hashlib.sha1(f"{day.isoformat()}\n{text}".encode()).hexdigest()
    front, body = _front_matter(text)
    title = PurePosixPath(path).stem
    lines = body.strip("\n").split("\n")
    if (heading := ATX_HEADING.match(lines[0])) and len(heading[1]) == 1 and heading[2]:
        title, body = plain(heading[2]), "\n".join(lines[1:])
    body, photos = _embedded_photos(body, source, images)
    body = body.strip("\n").rstrip()
    if front is not None and front.strip():
        fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", front))])
        body = f"{fence}yaml\n{front}\n{fence}" + (f"\n\n{body}" if body else "")
    if is_long(title):
        title = shorten(title)
    return ImportedEntry(
        where=path,
        date=day,
        title=title,
        body=body,
        source_key=f"obsidian:{key}",
        photos=photos,
    )


def _front_matter(text: str) -> tuple[str | None, str]:
    """(the YAML between the opening and closing --- lines, the rest), or (None, text)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for number, line in enumerate(lines[1:], 1):
        if FRONT_MATTER_END.match(line):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :])
    return None, text  # no closing line: a rule, not front matter


def _embedded_photos(body: str, source: Source, images: dict) -> tuple[str, list[ImportedPhoto]]:
    photos, seen = [], set()

    def attach(match: re.Match) -> str:
        path = images.get(PurePosixPath(match[1].strip()).name.lower())
        if not path:
            return match[0]  # not in what was imported: the embed stays as text
        if path not in seen:
            seen.add(path)
            data = source.read(path)
            check_photo(path, data)
            photos.append(ImportedPhoto(name=path, data=data))
        return ""

    return EMBED.sub(attach, body), photos
