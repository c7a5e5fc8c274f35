"""Export → import → export is identical, for generated weeks full of text that looks like
structure: ★ at either end, Markdown headings, links, backslashes, section names."""

import itertools
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from weekly.models import MAX_DEPTH, Item, ItemKind, ReadingNote, Week
from weekly.report_format import (
    _escape_stars,
    _one_line,
    _read_stars,
    import_report,
    parse_weekly_report,
    week_to_markdown,
)

START = date(2021, 1, 18)
usernames = (f"writer{n}" for n in itertools.count())

# Pieces that have meaning somewhere in the format, mixed with ordinary Japanese and ASCII.
TRICKY = [
    "★", "★★★の難易度", " ★", "\\★", "\\", "\\\\", "*", "**強調**", "#", "## ", "### ", "#### ",
    "- ", "  - ", "[", "]", "(", ")", "|", "`", "_", "~~", "✅", "→ できた", "Keep", "K", "P",
    "T", "Problem & Try", "Try は ★", "感想", "振り返り", "気になったこと", "前回のTry",
    "Table of Contents", "- Published on", "https://example.com/a", "<https://example.com/b>",
    "[記事](https://example.com/c)", "2021/01/18-01/24", "Ｋｅｅｐ", "【Keep】", "**Keep**", "・",
    "•", "1. ", "---", "\u2028", "　", " ", "\t",
]  # fmt: skip
ALPHABET = "あいう振返英語漢字カナｶﾅ abcXYZ019★*#-[]()\\|_`!?。、:<>/"
TRICKY_LINES = [
    "## 振り返り", "### Keep", "## Problem & Try", "### Try(次にやること)", "#### 感想",
    "### 別の本",
    "## 気になったこと", "# 見出し", "## 前回のTry", "##### 小見出し", "\\### もうエスケープ済み",
    "\\\\## 二重", "[別の記事](https://example.com/other)", "https://example.com/bare",
    "<https://example.com/auto>", "", "   ", "- 箇条書き", "  - 入れ子", "Try は ★", "K", "感想",
    "Table of Contents", "- Published on", "1. 番号付き", "---",
]  # fmt: skip

words = st.one_of(st.sampled_from(TRICKY), st.text(alphabet=ALPHABET, max_size=6))
phrases = st.lists(words, min_size=1, max_size=6).map("".join)
one_line = phrases.filter(lambda text: _one_line(text) != "")
wrapped = st.lists(one_line, min_size=2, max_size=3).map("\n".join)  # items are one line
lines = st.lists(st.one_of(st.sampled_from(TRICKY_LINES), phrases), max_size=6)
free_text = lines.map("\n".join)


def is_web_url(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


urls = st.one_of(
    st.just(""),
    st.sampled_from(["https://arxiv.org/abs/1706.03762", "https://www.youtube.com/watch?v=x"]),
    st.text(alphabet="abc019-_/()%.?=&#", max_size=20)
    .map(lambda path: f"https://example.com/{path}")
    .filter(is_web_url),
)


def forests(kinds: list[str], depth: int = 1):
    """Lists of (kind, text, children) trees, at most MAX_DEPTH levels deep."""
    children = st.just([]) if depth == MAX_DEPTH else forests(kinds, depth + 1)
    node = st.tuples(st.sampled_from(kinds), st.one_of(one_line, wrapped), children)
    return st.lists(node, max_size=4 if depth == 1 else 2)


notes = st.fixed_dictionaries(
    {"title": one_line, "url": urls, "notes": free_text, "impressions": free_text}
)
weeks = st.fixed_dictionaries(
    {
        "title": one_line,
        "summary": free_text,
        "keep": forests([ItemKind.KEEP]),
        "problem_try": forests([ItemKind.PROBLEM, ItemKind.TRY]),
        "notes": st.lists(notes, max_size=3),
    }
)


def plant(week: Week, trees: list, parent: Item | None = None) -> None:
    for position, (kind, text, children) in enumerate(trees, 1):
        item = Item.objects.create(
            user=week.user, week=week, kind=kind, text=text, parent=parent, position=position
        )
        plant(week, children, item)


def create_week(owner, spec: dict) -> Week:
    week = Week.objects.create(
        user=owner,
        start_date=START,
        end_date=date(2021, 1, 24),
        title=spec["title"],
        summary=spec["summary"],
    )
    plant(week, spec["keep"])
    plant(week, spec["problem_try"])
    for position, fields in enumerate(spec["notes"], 1):
        ReadingNote.objects.create(user=owner, week=week, position=position, **fields)
    return week


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(spec=weeks)
@example(
    spec={
        "title": "Keep",
        "summary": "## 振り返り\n\\### Keep",
        "keep": [(ItemKind.KEEP, "★ 星で始まる", [(ItemKind.KEEP, "- 入れ子", [])])],
        "problem_try": [
            (ItemKind.PROBLEM, "★", [(ItemKind.TRY, "評価は★", [])]),
            (ItemKind.PROBLEM, "\\★ と書く", []),
        ],
        "notes": [
            {"title": "感想", "url": "", "notes": "[別の記事](https://example.com/x)\n#### 感想",
             "impressions": "### 次の本"},
            {"title": "[括弧] \\", "url": "https://example.com/a_(b)", "notes": "",
             "impressions": ""},
        ],
    }
)  # fmt: skip
def test_export_import_export_is_identical(db, django_user_model, spec):
    author = django_user_model.objects.create_user(next(usernames))
    reader = django_user_model.objects.create_user(next(usernames))
    exported = week_to_markdown(create_week(author, spec))

    imported = import_report(reader, parse_weekly_report(exported), week_start=START)

    assert week_to_markdown(imported) == exported


@settings(max_examples=300, database=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=one_line.map(_one_line))
def test_a_problems_text_survives_the_star_escape(text):
    assert _read_stars(_escape_stars(text)) == (text, False)


@settings(max_examples=300, database=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=one_line.map(_one_line))
def test_a_tries_text_survives_its_marker(text):
    assert _read_stars(f"{text} ★") == (text, True)
