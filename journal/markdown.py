"""Markdown bodies to safe HTML: markdown-it-py with raw HTML off, then an nh3 allowlist.

The rendered HTML is stored beside the body with RENDER_VERSION; bump it when the output changes
and stale rows are rendered again the next time they are shown (Entry.ensure_rendered).
"""

from types import MethodType

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import emphasis, strikethrough
from markdown_it.rules_inline.state_inline import StateInline

RENDER_VERSION = 2  # 2: table alignment as align-* classes, not style attributes

ALLOWED_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "em", "strong", "del", "s", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# A table column's alignment (`|:--:|`) as a class: the CSP allows no inline style attributes.
ALIGNMENTS = {"left", "center", "right"}
ALIGN_CLASSES = {f"align-{alignment}" for alignment in ALIGNMENTS}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
    allowed_classes={"th": ALIGN_CLASSES, "td": ALIGN_CLASSES},
)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation 「」、。, hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms （）！？
        or 0x20000 <= code <= 0x2FA1F
    )


def _is_punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _scan_delims_cjk(state: StateInline, start: int, can_split_word: bool):
    """CommonMark's delimiter scan, friendly to Japanese.

    CommonMark will not close `**「強調」**のように`: the run follows the punctuation 」 and
    precedes a letter, so it is not right-flanking. Following the CJK-friendly amendment
    (github.com/tats-u/markdown-cjk-friendly), a CJK character next to a delimiter run counts
    as punctuation where that allows emphasis and as a letter where punctuation would forbid it.
    Runs with no CJK neighbour scan exactly as in CommonMark.
    """
    scanned = StateInline.scanDelims(state, start, can_split_word)
    marker = state.src[start]
    end = start + scanned.length
    last = state.src[start - 1] if start > 0 else " "
    nxt = state.src[end] if end < state.posMax else " "
    if not (_is_cjk(last) or _is_cjk(nxt)) or state.src[start:end] != marker * scanned.length:
        return scanned
    last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_blocks = _is_punct(last) and not _is_cjk(last)
    next_blocks = _is_punct(nxt) and not _is_cjk(nxt)
    last_allows = _is_punct(last) or _is_cjk(last)
    next_allows = _is_punct(nxt) or _is_cjk(nxt)
    left = not next_ws and (not next_blocks or last_ws or last_allows)
    right = not last_ws and (not last_blocks or next_ws or next_allows)
    can_open = left and (can_split_word or not right or last_allows)
    can_close = right and (can_split_word or not left or next_allows)
    return type(scanned)(can_open, can_close, scanned.length)


def _with_cjk_delims(rule):
    def tokenize(state: StateInline, silent: bool) -> bool:
        if "scanDelims" not in state.__dict__:
            state.scanDelims = MethodType(_scan_delims_cjk, state)  # type: ignore[method-assign]
        return rule(state, silent)

    return tokenize


def _alignment_as_class(state) -> None:
    for token in state.tokens:
        if token.type in {"th_open", "td_open"} and (style := token.attrs.pop("style", None)):
            alignment = str(style).removeprefix("text-align:")
            if alignment in ALIGNMENTS:
                token.attrSet("class", f"align-{alignment}")


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"breaks": True, "html": False, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.at("emphasis", _with_cjk_delims(emphasis.tokenize))
    md.inline.ruler.at("strikethrough", _with_cjk_delims(strikethrough.tokenize))
    md.core.ruler.push("alignment_as_class", _alignment_as_class)
    return md


_PARSER = _build_parser()


def render_markdown(text: str) -> str:
    return _CLEANER.clean(_PARSER.render(text))
