import json
from datetime import date

import pytest
from django.utils import translation

from archive.importing import CREATE, DUPLICATE, REFUSE, ImportRefused, plan_import
from archive.sources import FolderSource, Source, bytes_source
from journal.models import Entry

from .fixtures import REAL_EXPORTS, zipped

JOURNAL = """\
[2021-01-18 09:15] 朝の散歩。川沿いを歩いた。
@散歩 は気持ちがいい。

[2021-01-18 21:40] Reading notes *
Finished the paper on @attention.

[2021-01-19 01:30] Late night. Could not sleep.
"""


@pytest.fixture(autouse=True)
def _english(english):
    with translation.override("en"):
        yield


def plan(user, data: bytes | str, name: str = "journal.txt"):
    if isinstance(data, str):
        data = data.encode()
    return plan_import("jrnl", user, bytes_source(data, name))


def test_a_plain_text_journal_becomes_entries_with_jrnls_titles(user):
    result = plan(user, JOURNAL)

    assert [line.where for line in result.lines] == [
        "journal.txt:1",
        "journal.txt:4",
        "journal.txt:7",
    ]
    first, second, third = result.entries
    assert (first.date, first.title, first.body) == (
        date(2021, 1, 18),
        "朝の散歩。",
        "川沿いを歩いた。\n@散歩 は気持ちがいい。",
    )
    assert (second.title, second.body, second.starred) == (
        "Reading notes",
        "Finished the paper on @attention.",
        True,
    )
    assert not first.starred
    assert (third.title, third.body) == ("Late night.", "Could not sleep.")


def test_the_day_boundary_puts_an_entry_after_midnight_on_the_day_before(user):
    third = plan(user, JOURNAL).entries[2]

    assert third.date == date(2021, 1, 18)


def test_seconds_and_am_pm_are_read(user):
    text = "[2020-08-31 02:32:00 PM] Afternoon.\n\n[2020-09-01 12:05:00 AM] Just after midnight.\n"

    entries = plan(user, text).entries

    assert [entry.date for entry in entries] == [date(2020, 8, 31), date(2020, 8, 31)]


def test_a_title_line_without_a_sentence_end_is_the_whole_title(user):
    entry = plan(user, "[2013-04-09 15:39] I have an @idea:\n(1) write\n(2) ???\n").entries[0]

    assert (entry.title, entry.body) == ("I have an @idea:", "(1) write\n(2) ???")


def test_the_folder_layout_is_read_in_date_order(user):
    data = zipped(
        {
            "journal/2021/01/19.txt": "[2021-01-19 08:00] 火曜日。\n",
            "journal/2021/01/18.txt": "[2021-01-18 08:00] 月曜日。\n\n[2021-01-18 20:00] 夜。\n",
        }
    )

    result = plan(user, data, "journal.zip")

    assert [line.where for line in result.lines] == [
        "journal/2021/01/18.txt:1",
        "journal/2021/01/18.txt:3",
        "journal/2021/01/19.txt:1",
    ]


def test_the_json_export_is_read(user):
    document = {
        "tags": {"@tag": 1},
        "entries": [
            {
                "title": "This is the first sample entry",
                "body": "With a @tag.",
                "date": "2020-07-01",
                "time": "20:00",
                "tags": ["@tag"],
                "starred": True,
            }
        ],
    }

    entry = plan(user, json.dumps(document), "export.json").entries[0]

    assert (entry.date, entry.title, entry.body, entry.starred) == (
        date(2020, 7, 1),
        "This is the first sample entry",
        "With a @tag.",
        True,
    )


def test_the_json_export_and_the_text_journal_share_their_keys(user):
    text = "[2020-07-01 20:00] A title.\nA body.\n"
    document = {"entries": [{"title": "A title.", "body": "A body.", "date": "2020-07-01"}]}
    document["entries"][0]["time"] = "20:00"
    plan(user, text).apply(user)

    assert [line.action for line in plan(user, json.dumps(document), "e.json").lines] == [DUPLICATE]


def test_the_markdown_export_is_read(user):
    text = (
        "# 2020\n\n## June\n\n### 2020-06-28 18:22 First entry\n\nBody one.\n\n"
        "## July\n\n### 2020-07-01 20:00 Second entry\n\nBody two.\n"
    )

    entries = plan(user, text, "journal.md").entries

    assert [(e.date, e.title, e.body) for e in entries] == [
        (date(2020, 6, 28), "First entry", "Body one."),
        (date(2020, 7, 1), "Second entry", "Body two."),
    ]


def test_a_very_long_first_sentence_is_kept_in_the_body(user):
    sentence = "A sentence that goes on " * 10 + "and ends."
    entry = plan(user, f"[2020-07-01 20:00] {sentence}\nmore\n").entries[0]

    assert len(entry.title) <= 100
    assert entry.body == f"{sentence}\nmore"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[2021-02-30 10:00] No such day.\n", "2021-02-30 is not a date."),
        ("[0000-01-01 10:00] Year zero.\n", "0000-01-01 is not a date."),
        ("[2021-01-18 25:00] No such hour.\n", "25:00 is not a time."),
        ("[9999-12-31 10:00] Far future.\n", "The date 9999-12-31 is out of range."),
    ],
)
def test_a_bad_date_refuses_its_entry_and_nothing_is_written(user, text, reason):
    result = plan(user, "[2021-01-18 08:00] Fine.\n\n" + text)

    assert [line.action for line in result.lines] == [CREATE, REFUSE]
    assert (result.lines[1].where, result.lines[1].reason) == ("journal.txt:3", reason)
    with pytest.raises(ImportRefused):
        result.apply(user)
    assert not Entry.objects.exists()


def test_text_before_the_first_entry_is_refused_with_its_line(user):
    line = plan(user, "\nmy journal\n[2021-01-18 08:00] Fine.\n").lines[0]

    assert (line.action, line.where) == (REFUSE, "journal.txt:2")


def test_a_file_without_entries_is_refused(user):
    line = plan(user, "").lines[0]

    assert (line.action, line.where) == (REFUSE, "journal.txt")
    assert "[2020-07-01 20:00] Title" in line.reason


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": {"invalid": "type"}, "date": "2020-07-01"}, 'Its "title" is not text.'),
        ({"title": "x", "date": "0000-01-01"}, 'Its "date" 0000-01-01 is not a date'),
        ({"title": "x", "date": "2020-07-01", "time": "8pm"}, 'Its "time" 8pm is not a time'),
        ({"title": "x", "date": "2020-07-01", "starred": "yes"}, "is not true or false"),
        ("an entry", "The entry is not a JSON object."),
    ],
)
def test_a_bad_json_record_is_refused_with_where_and_why(user, record, reason):
    line = plan(user, json.dumps({"entries": [record]}), "export.json").lines[0]

    assert (line.action, line.where) == (REFUSE, "export.json: entry 1")
    assert reason in line.reason


def test_a_json_without_entries_is_refused(user):
    line = plan(user, b'{"tags": {}}', "export.json").lines[0]

    assert line.reason == 'This is not a jrnl JSON export: it has no "entries" list.'


def test_the_same_entry_twice_is_a_duplicate_and_importing_again_skips_all(user):
    text = JOURNAL + "\n[2021-01-18 09:15] 朝の散歩。川沿いを歩いた。\n@散歩 は気持ちがいい。\n"
    result = plan(user, text)
    assert [line.action for line in result.lines] == [CREATE, CREATE, CREATE, DUPLICATE]
    result.apply(user)

    again = plan(user, JOURNAL)

    assert [line.action for line in again.lines] == [DUPLICATE] * 3
    assert Entry.objects.for_user(user).count() == 3
    stored = Entry.objects.for_user(user).get(title="Reading notes")
    assert stored.starred
    assert stored.source.startswith("jrnl:")


def test_an_encrypted_journal_is_refused_with_what_to_do(user):
    line = plan(user, b"JRNLv3\x00\x10" + bytes(range(256))).lines[0]

    assert line.action == REFUSE
    assert line.reason.startswith("This journal is encrypted. Decrypt it with jrnl --decrypt")


needs_real = pytest.mark.skipif(
    not (REAL_EXPORTS / "jrnl").is_dir(), reason="../shared/real-exports is not here"
)


@needs_real
@pytest.mark.parametrize(
    "path",
    [
        "docs-examples/formats-example.json",
        "docs-examples/formats-example.txt",
        "docs-examples/formats-example.md",
    ],
)
def test_the_real_docs_examples_in_every_format(user, path):
    with Source.open(REAL_EXPORTS / "jrnl" / path) as source:
        result = plan_import("jrnl", user, source)

    assert [(e.date, e.title) for e in result.entries] == [
        (date(2020, 6, 28), "This is the first sample entry"),
        (date(2020, 7, 1), "This is the second sample entry"),
        (date(2020, 7, 2), "This is the third sample entry"),
    ]
    assert "@tag" in result.entries[1].body


@needs_real
def test_the_real_one_file_and_folder_journals_are_the_same_entries(user):
    with Source.open(REAL_EXPORTS / "jrnl" / "fixtures" / "basic_onefile.journal") as source:
        one_file = plan_import("jrnl", user, source)
    folder = plan_import(
        "jrnl", user, FolderSource(REAL_EXPORTS / "jrnl" / "fixtures" / "basic_folder")
    )

    assert [(e.date, e.title, e.starred) for e in one_file.entries] == [
        (date(2020, 8, 29), "Entry the first.", False),
        (date(2020, 8, 31), "A second entry in what I hope to be a long series.", True),
        (date(2020, 9, 24), "The third entry finally after weeks without writing.", False),
    ]
    assert "@tagone and maybe also @tagtwo." in one_file.entries[0].body
    assert "💯" in one_file.entries[2].body
    assert [e.source_key for e in folder.entries] == [e.source_key for e in one_file.entries]


@needs_real
def test_the_real_tags_journal(user):
    with Source.open(REAL_EXPORTS / "jrnl" / "fixtures" / "tags.journal") as source:
        result = plan_import("jrnl", user, source)

    assert [(e.date, e.title) for e in result.entries] == [
        (date(2013, 4, 9), "I have an @idea:"),
        (date(2013, 6, 10), "I met with @dan."),
    ]
