"""Marking search terms in the text the user wrote.

Search runs on the normalised text (NFKC + casefold), so ＡＢＣ is found by abc. The page shows the
original, so each match found in the normalised text is mapped back to the characters it came
from. NFKC can change lengths (㍿ → 株式会社, ｶﾞ → ガ), so the map is kept piece by piece: runs of
characters that normalise one to one map by offset, and each character that does not (with the
combining marks that join it) maps as a block.
"""

import re
import threading
import unicodedata
from bisect import bisect_right
from html import escape

from django.utils.safestring import SafeString

from journal.models import normalize_for_search

SNIPPET_LENGTH = 110  # characters of original text shown around the first match
SNIPPET_CONTEXT = 30  # of which at most this many come before it
WHITESPACE = re.compile(r"\s+")
NOT_SPACE = re.compile(r"\S")

ONE_TO_ONE, CHANGES_LENGTH, JOINS_PREVIOUS = 0, 1, 2
# Characters of combining class 0 that still compose with the one before them (vowel signs of
# Bengali, Oriya, Tamil, Kannada, Malayalam, Sinhala, Myanmar, Balinese, …). Hangul vowels and
# finals compose too; see _fold. tests/archive/test_highlight.py checks this list.
COMPOSES_WITH_PREVIOUS = frozenset(
    "\u09be\u09d7\u0b3e\u0b56\u0b57\u0bbe\u0bd7\u0cc2\u0cd5\u0cd6\u0d3e\u0d57\u0dcf\u0ddf"
    "\u102e\u1b35\U00011127\U0001133e\U00011357\U000114b0\U000114ba\U000114bd\U000115af"
    "\U00011930"
)


def _fold(char: str) -> tuple[int, str]:
    """How one character normalises: its role, and its normal form."""
    folded = normalize_for_search(char)
    first = unicodedata.normalize("NFKC", char)[0]
    # A combining mark (half-width ﾞ ﾟ too) composes with the character before it: the two
    # must be normalised together.
    if (
        unicodedata.combining(first)
        or "\u1160" <= first <= "\u11ff"
        or first in COMPOSES_WITH_PREVIOUS
    ):
        return JOINS_PREVIOUS, folded
    return (ONE_TO_ONE if len(folded) == 1 else CHANGES_LENGTH), folded


class _Folds(dict):
    """A str.translate table, filled as characters are met: each character to its normal form
    when that is one character, else to itself (it is then one of the blocks, below)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks = re.compile("(?!)")  # matches nothing until a block character is met
        self._changing: set[str] = set()
        self._joining: set[str] = set()
        self._lock = threading.Lock()

    def __missing__(self, code: int) -> str:
        char = chr(code)
        role, folded = _fold(char)
        if role != ONE_TO_ONE:
            # The pattern must know the character before a translate() can return it (threads).
            with self._lock:
                (self._changing if role == CHANGES_LENGTH else self._joining).add(char)
                self.blocks = self._blocks_pattern()
        self[code] = folded if role == ONE_TO_ONE else char
        return self[code]

    def _blocks_pattern(self) -> re.Pattern:
        """Each block that must be normalised as a whole: a character with the marks that join
        it, or one character whose normal form has another length."""
        alternatives = []
        if self._joining:
            alternatives.append(f".?[{re.escape(''.join(sorted(self._joining)))}]+")
        if self._changing:
            alternatives.append(f"[{re.escape(''.join(sorted(self._changing)))}]")
        return re.compile("|".join(alternatives), re.DOTALL)


FOLDS = _Folds()


class Folded:
    """A text, its normalised form, and the way back from positions in one to the other.

    A text already in NFKC whose case folding keeps its length (most texts) is simply folded and
    maps by offset. Otherwise characters that normalise one to one are translated (far faster
    than NFKC over a long body) and map by offset, and the few blocks that do not are normalised
    whole and map as a block.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        if unicodedata.is_normalized("NFKC", text):  # most texts; this check is in C
            folded = text.casefold()
            if len(folded) == len(text):  # then each character folds to one: map by offset
                self._starts, self._origins = [0], [(0, len(text), True)]
                self.folded = folded
                return
        translated = text.translate(FOLDS)  # as long as the text: one character for each
        # Piece by piece: where it starts in the normalised text, and where it came from in
        # the original; a block maps as a whole, a run by offset.
        self._starts: list[int] = []
        self._origins: list[tuple[int, int, bool]] = []
        pieces: list[str] = []
        position = 0
        for block in FOLDS.blocks.finditer(text):
            if block.start() > position:
                run = translated[position : block.start()]
                self._add(pieces, run, position, block.start(), by_offset=True)
            self._add(pieces, normalize_for_search(block.group()), *block.span(), by_offset=False)
            position = block.end()
        if position < len(text) or not text:
            self._add(pieces, translated[position:], position, len(text), by_offset=True)
        self.folded = "".join(pieces)

    def _add(self, pieces: list[str], piece: str, start: int, end: int, by_offset: bool) -> None:
        self._starts.append(self._starts[-1] + len(pieces[-1]) if pieces else 0)
        self._origins.append((start, end, by_offset))
        pieces.append(piece)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the normalised text[start:end] came from."""
        first = bisect_right(self._starts, start) - 1
        origin_start, _, by_offset = self._origins[first]
        begin = origin_start + start - self._starts[first] if by_offset else origin_start
        last = bisect_right(self._starts, end - 1) - 1
        origin_start, origin_end, by_offset = self._origins[last]
        finish = origin_start + end - self._starts[last] if by_offset else origin_end
        return begin, finish

    def first_match(self, terms: list[str]) -> int | None:
        """The original position of the earliest match of any term, or None."""
        found = [i for i in (self.folded.find(term) for term in terms if term) if i >= 0]
        if not found:
            return None
        start = min(found)
        return self.original_span(start, start + 1)[0]

    def spans(self, terms: list[str]) -> list[list[int]]:
        """Every match of every term, as original [start, end), merged, in order."""
        found = []
        for term in filter(None, terms):
            at = self.folded.find(term)
            while at >= 0:
                found.append(list(self.original_span(at, at + len(term))))
                at = self.folded.find(term, at + 1)
        merged: list[list[int]] = []
        for span in sorted(found):
            if merged and span[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span[1])
            else:
                merged.append(span)
        return merged


def highlight(text: str, terms: list[str]) -> SafeString:
    """The whole text, HTML-escaped, with every match of every term in <mark>."""
    folded = Folded(text)
    return _render(text, folded.spans(terms), 0, len(text))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of the text around its first match (its start if none),
    HTML-escaped, with every match in <mark> and line breaks shown as spaces."""
    first = Folded(text).first_match(terms)
    start = 0
    if first is not None and first > SNIPPET_CONTEXT:
        start = first - SNIPPET_CONTEXT
        line_start = text.rfind("\n", start, first)
        start = line_start + 1 if line_start >= 0 else start
    while start < len(text) and text[start].isspace():
        start += 1
    end = min(len(text), start + length)
    while end > start and text[end - 1].isspace():
        end -= 1
    spans = [
        [begin + start, finish + start] for begin, finish in Folded(text[start:end]).spans(terms)
    ]
    return _render(text, spans, start, end)


def matches(text: str, terms: list[str]) -> bool:
    folded = Folded(text).folded
    return any(term in folded for term in terms)


def _render(text: str, spans: list[list[int]], start: int, end: int) -> SafeString:
    def plain(part: str) -> str:
        # The standard library's escape, as Django's does it, without its lazy-text wrapper:
        # twenty hits call this some hundred times.
        return escape(WHITESPACE.sub(" ", part))

    # Searched from a position rather than sliced: a body's rest is kilobytes to copy.
    html = ["…" if NOT_SPACE.search(text, 0, start) else ""]
    position = start
    for begin, finish in spans:
        html += [plain(text[position:begin]), "<mark>", plain(text[begin:finish]), "</mark>"]
        position = finish
    html += [plain(text[position:end]), "…" if NOT_SPACE.search(text, end) else ""]
    # Every part of the text went through escape(). SafeString rather than mark_safe(), whose
    # lazy-text wrapper costs more than the join here.
    return SafeString("".join(html))
