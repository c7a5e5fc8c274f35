import json
from datetime import date

import pytest
from django.utils import translation

from archive.importing import CREATE, DUPLICATE, REFUSE, ImportRefused, plan_import
from archive.readers.obsidian import date_of
from archive.sources import FolderSource, bytes_source
from journal.models import Entry, Photo

from .fixtures import REAL_EXPORTS, image, zipped

NOTE = """\
---
tags: 研究, 日記
mood: 🙂
---

# 雨の日

## 午前
- [x] データ整理
- [ ] モデルの再学習
[[読書メモ|メモ]] #英語
"""


@pytest.fixture(autouse=True)
def _english(english):
    with translation.override("en"):
        yield


def plan(user, files: dict[str, bytes | str], name: str = "vault.zip"):
    return plan_import("obsidian", user, bytes_source(zipped(files), name))


def test_a_daily_note_becomes_an_entry_with_its_front_matter_headings_and_tasks(user):
    result = plan(user, {"Daily/2021-01-18.md": NOTE})

    assert [(line.action, line.where) for line in result.lines] == [(CREATE, "Daily/2021-01-18.md")]
    entry = result.entries[0]
    assert (entry.date, entry.title) == (date(2021, 1, 18), "雨の日")
    assert entry.body == (
        "```yaml\ntags: 研究, 日記\nmood: 🙂\n```\n\n"
        "## 午前\n- [x] データ整理\n- [ ] モデルの再学習\n[[読書メモ|メモ]] #英語"
    )
    assert entry.source_key.startswith("obsidian:")


def test_without_an_h1_the_title_is_the_notes_name(user):
    entry = plan(user, {"2021-01-03-Sunday.md": "## 午後\n散歩"}).entries[0]

    assert (entry.title, entry.body) == ("2021-01-03-Sunday", "## 午後\n散歩")


def test_an_h1_further_down_stays_in_the_body(user):
    entry = plan(user, {"2021-01-18.md": "朝\n# 見出し\n"}).entries[0]

    assert (entry.title, entry.body) == ("2021-01-18", "朝\n# 見出し")


def test_front_matter_holding_backticks_gets_a_longer_fence(user):
    entry = plan(user, {"2021-01-18.md": "---\ncode: ```x```\n---\ntext"}).entries[0]

    assert entry.body == "````yaml\ncode: ```x```\n````\n\ntext"


def test_a_rule_at_the_top_without_a_closing_line_is_not_front_matter(user):
    entry = plan(user, {"2021-01-18.md": "---\ntext"}).entries[0]

    assert entry.body == "---\ntext"


@pytest.mark.parametrize(
    ("path", "day"),
    [
        ("2021-01-04.md", date(2021, 1, 4)),
        ("2021-01-03-Sunday.md", date(2021, 1, 3)),
        ("20210103-D.md", date(2021, 1, 3)),
        ("Jeffrey-20210102-Journal.md", date(2021, 1, 2)),
        ("2021_1_4.md", date(2021, 1, 4)),
        ("2021年1月4日.md", date(2021, 1, 4)),
        ("2023/January/2023-Jan-01.md", date(2023, 1, 1)),
        ("journal/2021/01/04.md", date(2021, 1, 4)),
        ("13-01-2021.md", date(2021, 1, 13)),
        ("01-13-2021.md", date(2021, 1, 13)),
        ("04-04-2021.md", date(2021, 4, 4)),
        ("ideas.md", None),
        ("2021-02-30.md", None),
    ],
)
def test_the_date_is_read_from_the_name(path, day):
    assert date_of(path) == day


def test_a_name_that_could_be_either_order_is_refused_alone(user):
    line = plan(user, {"05-01-2021.md": "x"}).lines[0]

    assert (line.action, line.where) == (REFUSE, "05-01-2021.md")
    assert line.reason.startswith("The name could mean 2021-01-05 or 2021-05-01.")


def test_the_vault_shows_which_order_its_names_use(user):
    day_first = plan(user, {"05-01-2021.md": "x", "13-01-2021.md": "y"})
    month_first = plan(user, {"05-01-2021.md": "x", "01-13-2021.md": "y"})

    assert {e.where: e.date for e in day_first.entries} == {
        "05-01-2021.md": date(2021, 1, 5),
        "13-01-2021.md": date(2021, 1, 13),
    }
    assert {e.where: e.date for e in month_first.entries} == {
        "05-01-2021.md": date(2021, 5, 1),
        "01-13-2021.md": date(2021, 1, 13),
    }


@pytest.mark.parametrize(
    ("format", "day"), [("DD-MM-YYYY", date(2021, 1, 5)), ("MM-DD-YYYY", date(2021, 5, 1))]
)
def test_the_vaults_daily_notes_setting_says_which_order_its_names_use(user, format, day):
    setting = json.dumps({"folder": "Daily", "format": format})
    files = {"vault/.obsidian/daily-notes.json": setting, "vault/Daily/05-01-2021.md": "x"}

    result = plan(user, files)

    assert [(line.action, line.where) for line in result.lines] == [
        (CREATE, "vault/Daily/05-01-2021.md")
    ]
    assert result.entries[0].date == day


def test_a_note_whose_name_holds_no_date_refuses_the_import(user):
    result = plan(user, {"2021-01-18.md": "x", "Templates/Daily.md": "{{date}}"})

    assert [(line.action, line.where) for line in result.lines] == [
        (CREATE, "2021-01-18.md"),
        (REFUSE, "Templates/Daily.md"),
    ]
    assert result.lines[1].reason.startswith("Its name holds no date")
    with pytest.raises(ImportRefused):
        result.apply(user)
    assert not Entry.objects.exists()


def test_hidden_folders_and_other_files_are_not_read(user):
    result = plan(
        user,
        {
            "2021-01-18.md": "x",
            ".obsidian/daily-notes.json": "{}",
            ".trash/old.md": "gone",
            "attachments/scan.pdf": b"%PDF",
        },
    )

    assert [line.where for line in result.lines] == ["2021-01-18.md"]


def test_embedded_photos_found_in_the_vault_are_attached(user):
    note = "朝\n![[sunrise.png]]\n![[missing.jpg]]\n![[sunrise.png|300]]"
    result = plan(user, {"2021-01-18.md": note, "attachments/Sunrise.png": image(kind="PNG")})

    entry = result.entries[0]
    assert [photo.name for photo in entry.photos] == ["attachments/Sunrise.png"]
    assert entry.body == "朝\n\n![[missing.jpg]]"
    result.apply(user)
    assert Photo.objects.filter(entry__user=user).count() == 1


def test_a_year_out_of_the_diarys_range_is_refused(user):
    line = plan(user, {"9999-01-01.md": "x"}).lines[0]

    assert (line.action, line.reason) == (REFUSE, "The date 9999-01-01 is out of range.")


def test_a_vault_without_notes_is_refused(user):
    line = plan(user, {"a.png": image(kind="PNG")}).lines[0]

    assert (line.action, line.reason) == (REFUSE, "There are no notes (.md files) in vault.zip.")


def test_importing_again_skips_every_note_and_a_changed_note_is_new(user):
    files = {"2021-01-18.md": NOTE, "2021-01-19.md": "火曜日"}
    plan(user, files).apply(user)

    again = plan(user, files | {"2021-01-19.md": "火曜日、追記"})

    assert [line.action for line in again.lines] == [DUPLICATE, CREATE]


def test_a_single_note_can_be_imported(user):
    source = bytes_source("# 題\n本文".encode(), "2021-01-18.md")

    entry = plan_import("obsidian", user, source).entries[0]

    assert (entry.date, entry.title, entry.body) == (date(2021, 1, 18), "題", "本文")


needs_real = pytest.mark.skipif(
    not (REAL_EXPORTS / "obsidian").is_dir(), reason="../shared/real-exports is not here"
)


@needs_real
def test_the_real_daily_notes(user):
    result = plan_import("obsidian", user, FolderSource(REAL_EXPORTS / "obsidian" / "daily-notes"))

    counts = result.counts()
    assert (counts[CREATE], counts[REFUSE]) == (12, 1)
    # The only DD-MM / MM-DD name in the sample, and nothing in the folder shows its order.
    assert result.refused[0].where == "05-01-2021.md"
    by_name = {entry.where: entry for entry in result.entries}
    assert by_name["2021-01-03-Sunday.md"].date == date(2021, 1, 3)
    assert by_name["20210103-D.md"].date == date(2021, 1, 3)
    assert by_name["Jeffrey-20210102-Journal.md"].date == date(2021, 1, 2)
    week = [by_name[f"2021-01-{day:02}.md"] for day in range(4, 11)]
    assert [entry.date for entry in week] == [date(2021, 1, day) for day in range(4, 11)]
    monday = by_name["2021-01-04.md"]
    assert monday.title == "2021-01-04"
    assert monday.body.startswith("```yaml\ntags: work_log, work_log2\nmood: 🙂\n")
    assert "                        deep: 88.6\n" in monday.body
    assert "meditation: true\n```\n\n#weight:61.6kg" in monday.body
    assert "[[todo_family|To-Do @Family]]" in monday.body
    assert "⭐" in monday.body
    assert by_name["2026-02-14.md"].body == (
        "```yaml\nhabits:\n - yoga\n - spanish\n - piano\n```\n\n"
        "habits, but as a fancy little bullet list"
    )
