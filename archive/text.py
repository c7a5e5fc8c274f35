"""Text files from other tools, read the same way by every reader.

UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read as they are.
A file that is not UTF-8 is read as Shift_JIS (CP932, the Windows flavour) only when the result
is plainly Japanese: old Windows notes are often saved that way, and a Latin-1 or binary file
read as CP932 gives a run of kanji and half-width katakana but almost never hiragana. Anything
else is refused with the file's name: a journal imported as mojibake is worse than none.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from django.utils.translation import gettext as _

# Hiragana and full-width katakana, which every Japanese text is full of.
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Control characters other than tab, line feed, form feed and carriage return: not text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class NotText(ValueError):
    """The file cannot be read as text; the message names it, in the user's language."""


def decode(data: bytes, name: str) -> str:
    """The text of a file, with \\r\\n and \\r made \\n; NotText when it is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
    else:
        text = _try(data, "utf-8-sig")
        if text is None:
            text = _shift_jis(data)
            if text is None:
                raise NotText(
                    _(
                        "%(name)s is not UTF-8 text (nor Japanese in Shift_JIS). Save it as "
                        "UTF-8 and import it again."
                    )
                    % {"name": name}
                )
    if text is None or CONTROL.search(text):
        raise NotText(_("%(name)s is not a text file.") % {"name": name})
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _shift_jis(data: bytes) -> str | None:
    text = _try(data, "cp932")
    if text is None:
        return None
    others = len(NON_ASCII.findall(text))
    if others and len(KANA.findall(text)) * 5 >= others:  # a fifth of it kana at least
        return text
    return None


# Titles

# A first line wider than this (in Latin letters; a kanji counts as two) stays in the body and
# the title is its shortened copy.
TITLE_LIMIT = 100
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
# Lines that are Markdown structure, not a sentence: lists, quotes, tables, fences, images,
# HTML, indented code, rules.
NOT_A_TITLE = re.compile(
    r"^(?: {4}|\t| {0,3}(?:[-+*][ \t]|\d{1,9}[.)][ \t]|>|\||```|~~~|!\[|<|[-*_](?:[ \t]*[-*_]){2,}"
    r"[ \t]*$))"
)
SENTENCE = re.compile(r"^.*?(?:[.!?](?=\s)|[。！？])")


def plain(text: str) -> str:
    """Inline Markdown made plain for a title: links and images to their text, emphasis,
    code and escape marks removed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<![\w\\])(\*{1,3}|_{1,3}|~~|`+)(\S(?:.*?\S)?)\1(?!\w)", r"\2", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return " ".join(text.split())


def width(text: str) -> int:
    """How wide a text is shown, in Latin letters: a kanji or kana counts as two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def is_long(title: str, limit: int = TITLE_LIMIT) -> bool:
    return len(title) > limit // 2 and width(title) > limit  # (the width only when it can matter)


def shorten(title: str, limit: int = TITLE_LIMIT) -> str:
    """A title at most `limit` wide: the first sentence when it fits, else cut at a word
    boundary (or anywhere, for text without spaces) with an ellipsis."""
    if not is_long(title, limit):
        return title
    if (sentence := SENTENCE.match(title)) and not is_long(sentence[0], limit):
        return sentence[0]
    cut, used = [], 1  # the ellipsis
    for char in title:
        used += width(char)
        if used > limit:
            break
        cut.append(char)
    text = "".join(cut)
    if " " in text[len(text) // 2 :]:
        text = text.rsplit(" ", 1)[0]
    return text.rstrip(" ,;:、") + "…"


def split_title(text: str) -> tuple[str, str]:
    """(title, body) from a text whose first line is its title when it is a heading or a line
    of prose. A long first line stays in the body and the title is its shortened copy; a first
    line that is a list, quote, table or image gives no title."""
    lines = text.strip("\n").split("\n")
    first = lines[0]
    if heading := ATX_HEADING.match(first):
        title = plain(heading[2] or "")
    elif first.strip() and not NOT_A_TITLE.match(first):
        title = plain(first)
    else:
        return "", text.strip("\n").rstrip()
    if is_long(title):
        return shorten(title), text.strip("\n").rstrip()
    return title, "\n".join(lines[1:]).strip("\n").rstrip()
