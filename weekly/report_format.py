"""A week as the Markdown report people publish (DESIGN.md §8), and back.

`week_to_markdown` writes the one canonical shape; `parse_weekly_report` reads it and the variants
real posts use (bare-line headings, K/P/T labels, separate Problem and Try lists, 前回のTry);
`import_report` stores what was read. Export → import → export is identical: the few pieces of
text that would read as structure are escaped with a backslash, as docs/decisions.md ("The weekly
report format") describes.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from journal.models import JournalSettings, normalize_for_search

from .models import (
    ITEM_MAX_LENGTH,
    MAX_DEPTH,
    Item,
    ItemKind,
    ReadingKind,
    ReadingNote,
    Review,
    Section,
    Week,
    default_week_title,
)
from .tree import Node, flatten, split_sections

TRY_MARK = "★"
TRY_LEGEND = "Try は ★"
WEEK_TITLE_MAX = Week._meta.get_field("title").max_length
NOTE_TITLE_MAX = ReadingNote._meta.get_field("title").max_length
URL_MAX = ReadingNote._meta.get_field("url").max_length

# Sections of a report, and the free-text contexts whose lines export may have to escape.
RETRO, KEEP, PROBLEM_TRY, PROBLEM, TRY = "retro", "keep", "problem_try", "problem", "try"
PREVIOUS, READING, IMPRESSIONS, OTHER, HEAD = "previous", "reading", "impressions", "other", "head"
NOTE = "note"
ITEM_SECTIONS = {KEEP, PROBLEM_TRY, PROBLEM, TRY}
REPORT_SECTIONS = ITEM_SECTIONS | {READING}

# Heading text (NFKC, casefolded, decoration stripped) → section. First match wins.
SECTION_NAMES = [
    (PREVIOUS, re.compile(r"(前回|先週|前週)の?\s*(try|トライ).*")),
    (PROBLEM_TRY, re.compile(r"(problem|p)\s*(\(.*?\))?\s*(&|and|/|・|と)\s*(try|t)\s*(\(.*\))?")),
    (KEEP, re.compile(r"(keep|k)\s*(\(.*\))?")),
    (PROBLEM, re.compile(r"(problem|p)\s*(\(.*\))?")),
    (TRY, re.compile(r"(try|t)\s*(\(.*\))?")),
    (RETRO, re.compile(r"(振り返り|ふりかえり|kpt)\s*(\(.*\))?")),
    (READING, re.compile(r"気になった(こと|事|もの|記事)|読んだ(もの|本|記事)")),
    (IMPRESSIONS, re.compile(r"感想")),
]
HEADING_DECORATION = "■□●◆◇▼▽▶►◎【】[]「」*_: \t"

ATX_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
BULLET = re.compile(r"^([ \t]*)(?:(?:[-*+•]|\d{1,3}[.)])(?:[ \t]+|$)|・[ \t]*)(.*)$")
RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
LEGEND = re.compile(r"\(?(try\s*(は|=|:)\s*★|★\s*(は|=|:)?\s*try)\s*(です)?[。.]?\)?")
PUBLISHED = re.compile(r"^\s*(-\s*)?published on\b", re.IGNORECASE)
CONTENTS = {"table of contents", "目次", "[toc]"}

LINK_LINE = re.compile(r"^\[((?:\\.|[^\\\]])*)\]\((\S+?)\)(?:\s+(.*))?$")
AUTOLINK = re.compile(r"^<(https?://\S+)>$")
BARE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
MARKDOWN_ESCAPE = re.compile(r"\\(.)")
WEB_URL = URLValidator(schemes=["http", "https"])

TRAILING_STAR = re.compile(r"(\\*)★$")
LEADING_STAR = re.compile(r"^(\\*)★")

DATE = r"(\d{4})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})"
DATE_RANGE = re.compile(
    rf"(?<!\d){DATE}\s*日?\s*(?:\(\w\)\s*)?(?:[-~〜–—]|から)\s*"
    r"(?:(\d{4})\s*[/.\-年]\s*)?(?:(\d{1,2})\s*[/.\-月]\s*)?(\d{1,2})(?!\d)"
)
ONE_DATE = re.compile(rf"(?<!\d){DATE}(?!\d)")
FILENAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")

REVIEW_SYMBOLS = {
    "✅": Review.DONE, "✔️": Review.DONE, "✔": Review.DONE, "☑️": Review.DONE, "☑": Review.DONE,
    "[x]": Review.DONE, "◯": Review.DONE, "○": Review.DONE, "◎": Review.DONE,
    "❌": Review.NOT_DONE, "✖": Review.NOT_DONE, "×": Review.NOT_DONE, "✗": Review.NOT_DONE,
    "[ ]": Review.NOT_DONE, "△": Review.NOT_DONE,
}  # fmt: skip
REVIEW_WORDS = {
    "できた": Review.DONE, "達成": Review.DONE, "done": Review.DONE, "ok": Review.DONE,
    "できなかった": Review.NOT_DONE, "未達": Review.NOT_DONE, "not done": Review.NOT_DONE,
    "ng": Review.NOT_DONE, "やめた": Review.DROPPED, "中止": Review.DROPPED,
    "dropped": Review.DROPPED,
}  # fmt: skip


def _alternatives(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


LEADING_REVIEW = re.compile(rf"^({_alternatives(REVIEW_SYMBOLS)})\s*", re.IGNORECASE)
TRAILING_REVIEW = re.compile(
    rf"\s*(?:({_alternatives(REVIEW_SYMBOLS)})"
    rf"|(?:→|->|=>|:|：)\s*({_alternatives(REVIEW_WORDS)})[!！。]?"
    rf"|[(（]({_alternatives(REVIEW_WORDS)})[)）])$",
    re.IGNORECASE,
)
STRUCK = re.compile(r"^~~(.+)~~$")


class ReportFormatError(ValueError):
    """What is wrong with a report, in Japanese, with the file and the 1-based line."""

    def __init__(self, reason: str, filename: str | None = None, line: int | None = None):
        self.reason, self.filename, self.line = reason, filename, line
        where = [part for part in (filename, line and f"{line}行目") if part]
        super().__init__(": ".join([*where, reason]))


@dataclass
class ParsedItem:
    text: str
    kind: str  # an ItemKind
    line: int = 0
    children: list["ParsedItem"] = field(default_factory=list)


@dataclass
class ParsedNote:
    title: str
    url: str = ""
    notes: str = ""
    impressions: str = ""
    kind: str = ReadingKind.OTHER
    line: int = 0


@dataclass
class PreviousTry:
    """A line of 前回のTry: last week's Try and how it went (None when the line does not say)."""

    text: str
    review: str | None
    line: int = 0


@dataclass
class ParsedReport:
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    summary: str = ""
    keep: list[ParsedItem] = field(default_factory=list)
    problem_try: list[ParsedItem] = field(default_factory=list)
    reading_notes: list[ParsedNote] = field(default_factory=list)
    previous_tries: list[PreviousTry] = field(default_factory=list)
    filename: str | None = None

    def counts(self) -> dict[str, int]:
        problem_try = [item.kind for item in _walk(self.problem_try)]
        return {
            "keep": len(list(_walk(self.keep))),
            "problem": problem_try.count(ItemKind.PROBLEM),
            "try": problem_try.count(ItemKind.TRY),
            "reading": len(self.reading_notes),
        }


def _walk(items: list[ParsedItem]):
    for item in items:
        yield item
        yield from _walk(item.children)


# Pieces shared by export and import: what each reads as structure decides what export escapes.


def _one_line(text: str) -> str:
    """Items and titles are one line: newlines become spaces, as the item form does."""
    return " ".join(text.split())


def _section_of(heading_text: str) -> str | None:
    key = unicodedata.normalize("NFKC", heading_text).strip(HEADING_DECORATION)
    key = " ".join(key.casefold().split())
    return next((section for section, name in SECTION_NAMES if name.fullmatch(key)), None)


def _is_structural(line: str, context: str) -> bool:
    """Would this line of free text be read as a heading? Summary lines end only at a known
    section; notes also end at any heading down to ### (the next note)."""
    heading = ATX_HEADING.match(line)
    if heading is None:
        return False
    known = _section_of(heading[2] or "") is not None
    return known or (context == NOTE and len(heading[1]) <= 3)


def _escape_line(line: str, context: str) -> str:
    return "\\" + line if _is_structural(line.lstrip("\\"), context) else line


def _unescape_line(line: str, context: str) -> str:
    if line.startswith("\\") and _is_structural(line.lstrip("\\"), context):
        return line[1:]
    return line


def _escape_heading(text: str) -> str:
    return "\\" + text if _section_of(text.lstrip("\\")) is not None else text


def _unescape_heading(text: str) -> str:
    if text.startswith("\\") and _section_of(text.lstrip("\\")) is not None:
        return text[1:]
    return text


def _trimmed(lines: list[str]) -> list[str]:
    """Without the blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _escape_stars(text: str) -> str:
    """A Problem's own ★ at either end gets a backslash, so it is not read as the Try marker.
    A backslash run already there grows by one, so the parser can always take one away."""
    if LEADING_STAR.match(text):
        text = "\\" + text
    match = TRAILING_STAR.search(text)
    if match:
        text = text[: match.start()] + "\\" + text[match.start() :]
    return text


def _read_stars(text: str) -> tuple[str, bool]:
    """(text, is_try): an unescaped ★ at the end, or else at the start, marks a Try."""
    match = TRAILING_STAR.search(text)
    if match:
        if not match[1]:
            return text[:-1].rstrip(), True
        text = text[: match.start()] + match[1][1:] + TRY_MARK
    match = LEADING_STAR.match(text)
    if match:
        if not match[1]:
            return text[1:].lstrip(), True
        text = match[1][1:] + text[match.end() - 1 :]
    return text, False


@dataclass
class Link:
    text: str
    url: str
    rest: str = ""


def _valid_url(url: str) -> bool:
    try:
        WEB_URL(url)
    except ValidationError:
        return False
    return len(url) <= URL_MAX


def _link_of(line: str, *, whole: bool = True) -> Link | None:
    """A link standing on its own line: [text](url), <url> or a bare http(s) URL. With
    whole=False, text may follow a [text](url)."""
    line = line.strip()
    if match := LINK_LINE.match(line):
        link = Link(MARKDOWN_ESCAPE.sub(r"\1", match[1]), match[2], match[3] or "")
        if whole and link.rest:
            return None
    elif match := AUTOLINK.match(line) or BARE_URL.match(line):
        link = Link("", match[1] if match.groups() else match[0])
    else:
        return None
    return link if _valid_url(link.url) else None


def _link_text(title: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", title)


# Export


def week_to_markdown(week: Week) -> str:
    """The week in the shape of DESIGN.md §8. An unsaved week (one not written yet) is empty."""
    # By user_id: week.user would be one more query for each week exported.
    items = list(Item.objects.filter(user_id=week.user_id, week_id=week.pk).alive())
    notes = ReadingNote.objects.filter(user_id=week.user_id, week_id=week.pk).alive()
    keep, problem_try = split_sections(items)
    title = _one_line(week.title) or default_week_title(week.start_date, week.end_date)
    lines = [f"# {_escape_heading(title)}"]
    lines += [_escape_line(line, HEAD) for line in _trimmed(week.summary.splitlines())]
    lines += ["## 振り返り", "### Keep", *_bullets(keep)]
    lines += ["### Problem & Try", TRY_LEGEND, *_bullets(problem_try)]
    lines.append("## 気になったこと")
    for note in notes.order_by("position", "id"):
        lines += _note_lines(note)
    return "\n".join(lines) + "\n"


def _bullets(nodes: list[Node]) -> list[str]:
    lines = []
    for node in flatten(nodes):
        text = _one_line(node.item.text)
        if node.item.kind != ItemKind.KEEP:
            text = f"{text} {TRY_MARK}" if node.item.is_try else _escape_stars(text)
        lines.append(f"{'  ' * node.depth}- {text}")
    return lines


def _note_lines(note: ReadingNote) -> list[str]:
    title = _one_line(note.title)
    lines = [f"### {_escape_heading(title)}"]
    if note.url:
        lines.append(f"[{_link_text(title)}]({note.url})")
    body = [_escape_line(line, NOTE) for line in _trimmed(note.notes.splitlines())]
    if body and not note.url and _link_of(body[0]):
        lines.append("")  # the line after the heading is where the link goes; this one is notes
    lines += body
    impressions = [_escape_line(line, NOTE) for line in _trimmed(note.impressions.splitlines())]
    if impressions:
        lines += ["#### 感想", *impressions]
    return lines


# Import: parsing


def parse_weekly_report(text: str | bytes, filename: str | None = None) -> ParsedReport:
    if isinstance(text, bytes):
        text = _decode(text, filename)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        reason = "テキストではありません(バイナリファイルのようです)"
        raise ReportFormatError(reason, filename, line)
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    return _ReportReader(lines, filename).read()


def _decode(data: bytes, filename: str | None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = "UTF-8 のテキストとして読めません(バイナリファイルか、別の文字コードです)"
        raise ReportFormatError(reason, filename, line) from None


class _ReportReader:
    """One pass over the lines, as a small state machine: the state is the section being read."""

    def __init__(self, lines: list[str], filename: str | None):
        self.lines, self.filename = lines, filename
        # Markdown files mark their sections with # headings; in the plain shape (a published
        # post copied as text) headings are bare lines and only then are bare lines headings.
        self.markdown = any(
            (heading := ATX_HEADING.match(line)) and _section_of(heading[2] or "") for line in lines
        )
        self.report = ParsedReport(filename=filename)
        self.state, self.number = HEAD, 0
        self.title_done = False
        self.found: set[str] = set()
        self.first_content_line = self.retro_line = None
        self.head: list[str] = []
        self.other: list[list[str]] = []
        self.stack: list[tuple[int, ParsedItem]] = []
        self.last_item: tuple[ParsedItem, str] | None = None
        self.note: ParsedNote | None = None
        self.note_from_bullet = self.expect_link = False
        self.parts: list[tuple[list[str], list[str]]] = []
        self.part: list[str] = []

    def error(self, reason: str, line: int | None = None) -> ReportFormatError:
        return ReportFormatError(reason, self.filename, line or self.number)

    def read(self) -> ParsedReport:
        for number, line in enumerate(self.lines, 1):
            self.number = number
            if not self.title_done and self.read_title(line):
                continue
            if self.first_content_line is None and line.strip():
                self.first_content_line = self.number
            if not self.read_heading(line):
                self.read_content(line)
        return self.finish()

    def read_title(self, line: str) -> bool:
        if not line.strip() or PUBLISHED.match(line):
            return True
        self.title_done = True
        heading = ATX_HEADING.match(line)
        text = (heading[2] or "") if heading else line.strip()
        if _section_of(text) is not None or (heading is None and BULLET.match(line)):
            return False
        if self.markdown and (heading is None or len(heading[1]) > 1):
            return False
        title = _one_line(_unescape_heading(text))
        if len(title) > WEEK_TITLE_MAX:
            if self.markdown:
                raise self.error(f"タイトルが長すぎます({WEEK_TITLE_MAX}文字まで)")
            return False
        self.report.title = title
        return True

    def read_heading(self, line: str) -> bool:
        """Switch section on a heading; False when the line is content after all."""
        if heading := ATX_HEADING.match(line):
            level, text = len(heading[1]), heading[2] or ""
        elif not self.markdown and line.strip() and not line[0].isspace():
            level, text = 0, line.strip()  # a bare line: a heading only if it names a section
        else:
            return False
        section = _section_of(text)
        if section == IMPRESSIONS:
            if self.note is None:
                return False
            self.part, self.expect_link = self.parts[-1][1], False
            return True
        if section is not None:
            self.enter(section)
            return True
        if level == 0 or self.state == HEAD:
            return False
        if self.state == READING and level >= 4:
            return False
        if self.state == READING and level == 3:
            self.start_note(_unescape_heading(text))
            return True
        self.enter(OTHER)
        self.other[-1].append(line.strip())  # the summary keeps the section's own heading
        return True

    def enter(self, section: str) -> None:
        self.state = section
        self.found.add(section)
        self.stack, self.last_item, self.note = [], None, None
        if section == RETRO:
            self.retro_line = self.retro_line or self.number
        if section in (RETRO, OTHER):
            self.other.append([])

    def read_content(self, line: str) -> None:
        if self.state in ITEM_SECTIONS:
            self.read_item(line)
        elif self.state == PREVIOUS:
            self.read_previous_try(line)
        elif self.state == READING:
            self.read_reading(line)
        elif not self.markdown and line.strip().casefold() in CONTENTS:
            return
        elif self.state == HEAD:
            self.head.append(_unescape_line(line, HEAD))
        else:
            self.other[-1].append(line)

    # Keep, Problem & Try

    def read_item(self, line: str) -> None:
        bullet = BULLET.match(line)
        if not line.strip() or (bullet is None and RULE.match(line)):
            return  # "- - -" is an item "- -" here, as export writes it; "---" is a rule
        if bullet is None and LEGEND.fullmatch(_heading_key(line)):
            return
        if bullet is None and line[0].isspace() and self.last_item:
            item, raw = self.last_item
            self.set_item_text(item, f"{raw} {line.strip()}")
            return
        indent = len(bullet[1].expandtabs(4)) if bullet else 0
        item = ParsedItem("", ItemKind.KEEP, self.number)
        if self.set_item_text(item, bullet[2] if bullet else line):
            self.add_item(indent, item)

    def set_item_text(self, item: ParsedItem, raw: str) -> bool:
        text = _one_line(raw)
        if self.state != KEEP:
            text, starred = _read_stars(text)
            item.kind = ItemKind.TRY if starred or self.state == TRY else ItemKind.PROBLEM
        if len(text) > ITEM_MAX_LENGTH:
            reason = f"項目が長すぎます({ITEM_MAX_LENGTH}文字まで、この項目は{len(text)}文字)"
            raise self.error(reason, item.line)
        item.text = text
        if text:
            self.last_item = (item, raw)
        return bool(text)

    def add_item(self, indent: int, item: ParsedItem) -> None:
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        del self.stack[MAX_DEPTH - 1 :]  # deeper than MAX_DEPTH: a sibling at the last level
        siblings = self.stack[-1][1].children if self.stack else self.section_roots()
        siblings.append(item)
        self.stack.append((indent, item))

    def section_roots(self) -> list[ParsedItem]:
        return self.report.keep if self.state == KEEP else self.report.problem_try

    # 前回のTry

    def read_previous_try(self, line: str) -> None:
        bullet = BULLET.match(line)
        text, review = _read_review(_one_line(bullet[2] if bullet else line))
        text = _read_stars(text)[0]
        previous = self.report.previous_tries
        if text:
            previous.append(PreviousTry(text, review, self.number))
        elif review and previous:  # "  - ✅" under the Try it reviews
            previous[-1].review = review

    # 気になったこと

    def read_reading(self, line: str) -> None:
        top_bullet = BULLET.match(line) and not line[0].isspace()
        if self.note is None or (self.note_from_bullet and top_bullet):
            if line.strip():
                self.start_note_from(line)
            return
        if self.expect_link and self.read_link_line(line):
            return
        if not self.markdown and self.starts_new_note(line):
            self.start_note_from(line)
            return
        self.part.append(_unescape_line(line, NOTE))

    def read_link_line(self, line: str) -> bool:
        """The line after a note's title: its link, or (plain shape) a citation line."""
        if not line.strip():
            self.expect_link = not self.markdown  # in Markdown, a blank line means "no link"
            return True
        self.expect_link = False
        if link := _link_of(line):
            self.note.url = link.url
            return True
        citation = line.strip()
        if not self.markdown and _is_citation(citation, self.note.title):
            if citation != self.note.title:
                self.part.append(citation)  # authors, store, arXiv id: worth keeping
            return True
        return False

    def starts_new_note(self, line: str) -> bool:
        """In the plain shape a title is a bare line; tell it from a paragraph of notes."""
        text = line.strip()
        if not text or line[0].isspace() or BULLET.match(line) or len(text) > NOTE_TITLE_MAX:
            return False
        following = next((later for later in self.lines[self.number :] if later.strip()), "")
        if _is_citation(following.strip(), text):
            return True
        # After a 感想 list, a bare line is the next title (the seed's shape).
        kept = [kept for kept in self.part if kept.strip()]
        impressions = self.part is self.parts[-1][1]
        return impressions and bool(kept) and all(BULLET.match(line) for line in kept)

    def start_note_from(self, line: str) -> None:
        bullet = BULLET.match(line)
        text = _one_line(bullet[2] if bullet else line)
        link = _link_of(text, whole=False)
        if link:
            self.start_note(link.text or link.url[:NOTE_TITLE_MAX], link.url)
            if link.rest:
                self.part.append(link.rest)
        else:
            self.start_note(text)
        self.note_from_bullet = bool(bullet)
        self.expect_link = not bullet and not link

    def start_note(self, title: str, url: str = "") -> None:
        title = _one_line(title)
        if len(title) > NOTE_TITLE_MAX:
            raise self.error(f"気になったことの題名が長すぎます({NOTE_TITLE_MAX}文字まで)")
        self.state = READING
        self.found.add(READING)
        self.note = ParsedNote(title=title, url=url, line=self.number)
        self.report.reading_notes.append(self.note)
        self.parts.append(([], []))
        self.part, self.note_from_bullet, self.expect_link = self.parts[-1][0], False, True

    # The end

    def finish(self) -> ParsedReport:
        report = self.report
        if not self.found & REPORT_SECTIONS:
            if not any(line.strip() for line in self.lines):
                raise self.error("空のファイルです", 1)
            line = self.retro_line + 1 if self.retro_line else self.first_content_line
            reason = "振り返りの見出し(Keep / Problem & Try)が見つかりません"
            raise self.error(reason, line or 1)
        blocks = [_trimmed(self.head), *(_trimmed(block) for block in self.other)]
        report.summary = "\n\n".join("\n".join(block) for block in blocks if block)
        for note, (notes, impressions) in zip(report.reading_notes, self.parts, strict=True):
            note.notes = "\n".join(_trimmed(notes))
            note.impressions = "\n".join(_trimmed(impressions))
            note.kind = guess_reading_kind(note.title, note.url, note.notes)
        report.start_date, report.end_date = self.dates()
        return report

    def dates(self) -> tuple[date | None, date | None]:
        first_lines = [line for line in self.lines[:12] if not PUBLISHED.match(line)]
        for text in [self.report.title, *first_lines]:
            if found := dates_in(text):
                return found
        name = PurePath(self.filename or "").name
        if (match := FILENAME_DATE.search(name)) and (start := _date(*match.groups())):
            return start, None
        return None, None


def _heading_key(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).strip().casefold().split())


def _is_citation(line: str, title: str) -> bool:
    """A line that names the note above it: the title again, "title | authors | store",
    "[1907.04650] title", or a link whose text holds the title."""
    if len(title) < 2 or not line:
        return False
    if link := _link_of(line):
        return bool(link.text) and (title in link.text or link.text in title)
    if line == title or line.endswith(title):
        return True
    return bool(re.match(re.escape(title) + r"\s*[|｜:：\-—–(（]", line)) or (
        title in line and ("|" in line or "｜" in line)
    )


def _read_review(text: str) -> tuple[str, str | None]:
    if match := STRUCK.match(text):
        return match[1].strip(), Review.DROPPED
    review = None
    if match := LEADING_REVIEW.match(text):
        review, text = REVIEW_SYMBOLS[match[1].lower()], text[match.end() :]
    if match := TRAILING_REVIEW.search(text):
        symbol, word = match[1], match[2] or match[3]
        review = REVIEW_SYMBOLS[symbol.lower()] if symbol else REVIEW_WORDS[word.lower()]
        text = text[: match.start()]
    return text.strip(), review


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def dates_in(text: str) -> tuple[date, date | None] | None:
    """The first date range (or date) written in `text`: 2021/01/18-01/24, 2021年1月18日〜1月24日…
    An end without a year is in the start's year, or the next when it would come before."""
    text = unicodedata.normalize("NFKC", text)
    for match in DATE_RANGE.finditer(text):
        year, month, day, end_year, end_month, end_day = match.groups()
        start = _date(year, month, day)
        end = start and _date(end_year or year, end_month or month, end_day)
        if start and end and end < start and not end_year:
            end = _date(str(start.year + 1), end_month or month, end_day)
        if start and end and end >= start:
            return start, end
    for match in ONE_DATE.finditer(text):
        if start := _date(*match.groups()):
            return start, None
    return None


def guess_reading_kind(title: str, url: str, notes: str) -> str:
    """Paper, book or video when the link or the citation says so; an article when there is
    some other link; otherwise other."""
    host = (urlsplit(url).hostname or "") if url else ""
    text = f"{title}\n{notes.partition(chr(10))[0]}".casefold()
    if host.endswith(("arxiv.org", "doi.org")) or re.search(
        r"arxiv|\bdoi:|\[\d{4}\.\d{4,5}\]", text
    ):
        return ReadingKind.PAPER
    if re.search(r"(^|\.)(amazon\.|amzn\.)", host) or "kindle" in text or "amazon" in text:
        return ReadingKind.BOOK
    if host.endswith(("youtube.com", "youtu.be")):
        return ReadingKind.VIDEO
    return ReadingKind.ARTICLE if url else ReadingKind.OTHER


# Import: storing


def report_week(user, parsed: ParsedReport, week_start: date | None = None) -> tuple[date, date]:
    """The (first, last) day of the week the report goes to."""
    if week_start is not None:
        return week_start, week_start + timedelta(days=6)
    if parsed.start_date is None:
        reason = "週の日付が分かりません。--week で指定してください"
        raise ReportFormatError(reason, parsed.filename)
    prefs = JournalSettings.objects.for_user(user).first() or JournalSettings(user=user)
    return prefs.week_of(parsed.start_date)


def has_retrospective(week: Week) -> bool:
    """Live items, reading notes or a summary: something an import would overwrite."""
    if week.summary.strip():
        return True
    items = Item.objects.for_user(week.user).filter(week=week).alive()
    notes = ReadingNote.objects.for_user(week.user).filter(week=week).alive()
    return items.exists() or notes.exists()


def import_report(
    user, parsed: ParsedReport, *, week_start: date | None = None, replace: bool = False
) -> Week:
    """Store a parsed report as the user's week, all or nothing."""
    start, end = report_week(user, parsed, week_start)
    with transaction.atomic():
        week = Week.objects.for_start(user, start) or Week(
            user=user, start_date=start, end_date=end
        )
        if week.pk and has_retrospective(week):
            if not replace:
                reason = "この週にはすでに振り返りがあります(--replace で置き換え)"
                raise ReportFormatError(reason, parsed.filename)
            _tombstone_contents(week)
        week.title = parsed.title or default_week_title(week.start_date, week.end_date)
        week.summary = parsed.summary
        week.save()
        _create_items(user, week, parsed.keep + parsed.problem_try)
        for position, note in enumerate(parsed.reading_notes, 1):
            ReadingNote.objects.create(
                user=user,
                week=week,
                title=note.title,
                url=note.url,
                kind=note.kind,
                notes=note.notes,
                impressions=note.impressions,
                position=position,
            )
        _review_previous_tries(user, week, parsed.previous_tries)
    return week


def _tombstone_contents(week: Week) -> None:
    now = timezone.now()
    changes = {"deleted_at": now, "updated_at": now, "revision": F("revision") + 1}
    Item.objects.for_user(week.user).filter(week=week).alive().update(**changes)
    ReadingNote.objects.for_user(week.user).filter(week=week).alive().update(**changes)


def _create_items(user, week: Week, items: list[ParsedItem], parent: Item | None = None) -> None:
    positions = Counter()  # Keep and Problem & Try siblings are numbered apart, as the page does
    for parsed in items:
        section = Section.KEEP if parsed.kind == ItemKind.KEEP else Section.PROBLEM
        positions[section] += 1
        item = Item.objects.create(
            user=user,
            week=week,
            kind=parsed.kind,
            text=parsed.text,
            parent=parent,
            position=positions[section],
        )
        _create_items(user, week, parsed.children, item)


def _try_key(text: str) -> str:
    return "".join(normalize_for_search(text).split())


def _review_previous_tries(user, week: Week, previous_tries: list[PreviousTry]) -> None:
    reviews = {_try_key(entry.text): entry.review for entry in previous_tries if entry.review}
    earlier = Week.objects.for_user(user).filter(start_date__lt=week.start_date)
    last_week = earlier.order_by("-start_date").first()
    if not reviews or last_week is None:
        return
    for try_ in Item.objects.for_user(user).filter(week=last_week).alive().tries():
        review = reviews.get(_try_key(try_.text))
        if review and review != try_.review:
            try_.bump(review=review)
