"""Text files from other tools: the encodings every reader accepts, and the titles they share."""

import codecs

import pytest
from django.utils import translation

from archive.importing import CREATE, REFUSE, plan_import
from archive.sources import bytes_source
from archive.text import NotText, decode, shorten, split_title, width

from .fixtures import zipped

DIARY = "# 雨の日\r\n研究室で実験をした。ひらがなとカタカナ、漢字。\r\n"


@pytest.fixture(autouse=True)
def _english(db):
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "data",
    [
        DIARY.encode(),
        codecs.BOM_UTF8 + DIARY.encode(),
        DIARY.encode("utf-16"),  # with its byte-order mark
        codecs.BOM_UTF16_BE + DIARY.encode("utf-16-be"),
        DIARY.encode("cp932"),
        DIARY.encode("shift_jis"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp932", "shift_jis"],
)
def test_utf8_utf16_and_japanese_shift_jis_are_read_with_unix_line_ends(data):
    assert decode(data, "a.md") == "# 雨の日\n研究室で実験をした。ひらがなとカタカナ、漢字。\n"


def test_cp932s_own_characters_are_read():
    assert decode("①髙橋さんのメモ".encode("cp932"), "a.md") == "①髙橋さんのメモ"


@pytest.mark.parametrize(
    "data",
    [
        "Café au lait, crème brûlée, naïve résumé".encode("latin-1"),
        "Ärger über Öl".encode("cp1252"),
        "漢字だけ".encode("euc-jp"),
        DIARY.encode("utf-16-le"),  # no byte-order mark: NULs
    ],
    ids=["latin-1", "cp1252", "euc-jp", "utf-16-without-bom"],
)
def test_other_encodings_are_refused_with_the_files_name(data):
    with pytest.raises(NotText, match=r"^a\.md is not"):
        decode(data, "a.md")


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary", b"text\x00with a NUL"])
def test_binary_files_are_refused(data):
    with pytest.raises(NotText, match=r"^a\.md is not a text file\.$"):
        decode(data, "a.md")


NAMES = {
    "jrnl": ("2021/01/18.txt", "2021/01/19.txt"),
    "obsidian": ("2021-01-18.md", "2021-01-19.md"),
}
STAMP = {"jrnl": "[2021-01-18 08:00] ", "obsidian": ""}


@pytest.mark.parametrize("format", ["jrnl", "obsidian"])
def test_a_reader_takes_shift_jis_and_refuses_latin_1_by_file(user, format):
    japanese, latin = NAMES[format]
    data = zipped(
        {
            japanese: (STAMP[format] + "研究室で実験をした。ひらがなとカタカナ。").encode("cp932"),
            latin: (STAMP[format].replace("18", "19") + "Café crème.").encode("latin-1"),
        }
    )

    result = plan_import(format, user, bytes_source(data, "export.zip"))

    assert [line.action for line in result.lines] == [CREATE, REFUSE]
    entry = result.entries[0]
    assert "研究室で実験をした。" in entry.title + entry.body
    assert result.lines[1].reason.startswith(
        f"{latin.rsplit('/', 1)[-1]} is not UTF-8 text (nor Japanese in Shift_JIS)"
    )


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("短い題", "短い題"),
        ("First sentence. " + "x" * 120, "First sentence."),
        ("word " * 40, ("word " * 19).strip() + "…"),
        ("あ" * 150, "あ" * 49 + "…"),  # a kana is as wide as two letters
        ("あ" * 50, "あ" * 50),
        ("「実験」の記録。" + "あ" * 50, "「実験」の記録。"),
    ],
)
def test_a_title_is_shortened_to_its_first_sentence_or_a_word(title, short):
    assert shorten(title) == short
    assert width(shorten(title)) <= 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# 題\n本文", ("題", "本文")),
        ("#タグ だけ\n本文", ("#タグ だけ", "本文")),  # not a heading: a line of prose
        ("\n\n題\n\n本文\n\n", ("題", "本文")),
        ("| a | b |\n|---|---|", ("", "| a | b |\n|---|---|")),
        ("    code\nmore", ("", "    code\nmore")),
        ("---\nrule", ("", "---\nrule")),
        ("[link](http://x.example) here", ("link here", "")),
        ("`code` and snake_case_name", ("code and snake_case_name", "")),
        ("研究室で実験をした。" * 4 + "\n続き", ("研究室で実験をした。" * 4, "続き")),
        (
            "研究室で実験をした。" * 6 + "\n続き",
            ("研究室で実験をした。", "研究室で実験をした。" * 6 + "\n続き"),
        ),
    ],
)
def test_the_title_comes_from_a_heading_or_a_line_of_prose(text, expected):
    assert split_title(text) == expected
