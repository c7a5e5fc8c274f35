"""Marking matches in the original text, whatever NFKC did to its length."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.highlight import COMPOSES_WITH_PREVIOUS, Folded, highlight, snippet
from journal.models import normalize_for_search


def marked(text: str, *words: str) -> str:
    return highlight(text, [normalize_for_search(word) for word in words])


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("ＡＢＣとabc", ["abc"], "<mark>ＡＢＣ</mark>と<mark>abc</mark>"),
        ("ｶﾀｶﾅのﾒﾓ", ["カタカナ"], "<mark>ｶﾀｶﾅ</mark>のﾒﾓ"),
        # ﾞ joins the kana before it: ｶﾞｲﾄﾞ (6 characters) is ガイド (3).
        ("前のｶﾞｲﾄﾞと後", ["ガイド", "後"], "前の<mark>ｶﾞｲﾄﾞ</mark>と<mark>後</mark>"),
        # ㍿ is 株式会社 (one character, four after NFKC): later offsets still line up.
        ("㍿ツヅリの英語", ["英語"], "㍿ツヅリの<mark>英語</mark>"),
        ("㍿ツヅリ", ["株式"], "<mark>㍿</mark>ツヅリ"),
        ("が（濁点）か\u3099", ["が"], "<mark>が</mark>（濁点）<mark>か\u3099</mark>"),
        ("（ｶｯｺ）内", ["(カッコ)"], "<mark>（ｶｯｺ）</mark>内"),
        ("Straße", ["STRASSE"], "<mark>Straße</mark>"),
        ("ああああ", ["ああ"], "<mark>ああああ</mark>"),
        ("英語と英語", ["英語", "と"], "<mark>英語と英語</mark>"),
        ("<b>英語</b>", ["英語"], "&lt;b&gt;<mark>英語</mark>&lt;/b&gt;"),
        ("見つからない", ["英語"], "見つからない"),
        ("", ["英語"], ""),
    ],
)
def test_it_marks_the_original_characters(text, words, expected):
    assert marked(text, *words) == expected


def test_a_snippet_starts_at_the_line_of_the_match_when_it_is_near():
    text = "一行目の長い前置き。" * 5 + "\n二行目で英語。\n三行目"
    assert snippet(text, ["英語"]) == "…二行目で<mark>英語</mark>。 三行目"


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    assert snippet("  本文の始まり。\n" + "続き" * 100, ["英語"]).startswith("本文の始まり。 続き")


def test_a_snippet_marks_only_what_it_shows():
    text = "英語。" + "あ" * 200 + "英語"
    shown = snippet(text, ["英語"])
    assert shown.count("<mark>") == 1
    assert shown.endswith("あ…")


@given(st.text(alphabet=st.sampled_from("aＡ英語ｶﾞﾞか\u3099㍿ß （）\nｷ"), max_size=40))
def test_every_match_maps_back_to_text_that_normalises_to_it(text):
    folded = Folded(text)
    assert folded.folded == normalize_for_search(text)
    for term in ("a", "英語", "が", "株式", "ss", "ガキ"):
        for start, end in folded.spans([term]):
            assert term in normalize_for_search(text[start:end])


@given(st.text(max_size=60))
def test_any_text_normalises_as_a_whole_would(text):
    assert Folded(text).folded == normalize_for_search(text)


def test_the_list_of_characters_that_compose_with_the_one_before_is_complete():
    """Starters (combining class 0) that are the second half of a canonical composition."""
    seconds = set()
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code)).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            first, second = (chr(int(part, 16)) for part in decomposition)
            composes = unicodedata.normalize("NFC", first + second) == chr(code)
            if composes and not unicodedata.combining(second):
                seconds.add(second)
    assert seconds == COMPOSES_WITH_PREVIOUS
