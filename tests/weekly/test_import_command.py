import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from weekly.models import Item, ReadingNote, Week

FIXTURES = Path(__file__).parent / "fixtures"


def import_journal(path, *options: str, stderr: StringIO | None = None) -> str:
    out = StringIO()
    call_command(
        "import_journal",
        str(path),
        "--format",
        "weekly",
        *options,
        stdout=out,
        stderr=stderr or StringIO(),
    )
    return out.getvalue()


@pytest.fixture
def reports(tmp_path) -> Path:
    """A folder of two good reports, and a photo that is not read."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURES / "plain_published.txt", folder / "b-published.txt")
    shutil.copy(FIXTURES / "separate_headings.md", folder / "a-separate.md")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a report")
    return folder


def test_it_imports_one_file(user):
    out = import_journal(FIXTURES / "plain_published.txt")

    week = Week.objects.for_user(user).get()
    assert week.start_date == date(2022, 3, 7)
    assert Item.objects.for_user(user).filter(week=week).count() == 9
    assert ReadingNote.objects.for_user(user).filter(week=week).count() == 3
    assert out == "取り込みました: 作成 1\n"


def test_a_verbose_run_names_every_report(user):
    out = import_journal(FIXTURES / "plain_published.txt", "-v", "2")

    assert "作成: plain_published.txt  2022-03-07 の週「Weekly Report 2022/03/07-03/13」" in out
    assert "Keep 5、Problem 3、Try 1、気になったこと 3" in out


def test_it_imports_every_report_in_a_folder_in_name_order(user, reports):
    out = import_journal(reports, "-v", "2")

    weeks = Week.objects.for_user(user).order_by("start_date")
    assert [week.start_date for week in weeks] == [date(2021, 1, 18), date(2022, 3, 7)]
    lines = out.splitlines()
    assert len(lines) == 3
    assert "a-separate.md  2021-01-18 の週" in lines[0]
    assert "b-published.txt  2022-03-07 の週" in lines[1]
    assert lines[2] == "取り込みました: 作成 2"


def test_a_dry_run_shows_the_plan_and_writes_nothing(user, reports):
    out = import_journal(reports, "--dry-run")

    assert not Week.objects.for_user(user).exists()
    assert not Item.objects.for_user(user).exists()
    assert "作成: a-separate.md  2021-01-18 の週「週報 2021年1月18日〜1月24日」" in out
    assert "作成: b-published.txt  2022-03-07 の週" in out
    assert "Keep 5、Problem 3、Try 1、気になったこと 3\n" in out
    assert out.endswith("予定(dry run: 何も書き込んでいません): 作成 2\n")


def test_one_bad_file_stops_the_whole_import_and_every_problem_is_named(user, reports):
    shutil.copy(FIXTURES / "diary_entry.md", reports / "c-diary.md")
    (reports / "d-binary.txt").write_bytes(b"# x\n\x89PNG\r\n\x1a\n")
    errors = StringIO()

    with pytest.raises(
        CommandError, match="問題が2件あったため、何も取り込みませんでした"
    ) as caught:
        import_journal(reports, stderr=errors)

    assert caught.value.returncode == 1
    assert "取り込めません: c-diary.md:3: 振り返りの見出し" in errors.getvalue()
    assert "取り込めません: d-binary.txt:2: UTF-8 のテキストとして読めません" in errors.getvalue()
    assert not Week.objects.for_user(user).exists()
    assert not Item.objects.for_user(user).exists()


def test_it_refuses_two_files_for_the_same_week(user, reports):
    shutil.copy(FIXTURES / "kpt_labels.txt", reports / "c-labels.txt")
    errors = StringIO()

    with pytest.raises(CommandError):
        import_journal(reports, stderr=errors)

    assert "取り込めません: c-labels.txt  2021-01-18 の週" in errors.getvalue()
    assert ": a-separate.md と同じ週(2021-01-18)です。" in errors.getvalue()
    assert not Week.objects.for_user(user).exists()


def test_it_refuses_a_week_that_has_a_retrospective_unless_told_to_replace(user):
    import_journal(FIXTURES / "separate_headings.md")
    errors = StringIO()

    with pytest.raises(CommandError):
        import_journal(FIXTURES / "kpt_labels.txt", stderr=errors)
    assert "kpt_labels.txt  2021-01-18 の週" in errors.getvalue()
    assert ": 2021-01-18 の週にはすでに振り返りがあります。" in errors.getvalue()

    import_journal(FIXTURES / "kpt_labels.txt", "--replace")
    assert Item.objects.for_user(user).alive().count() == 5
    assert Week.objects.for_user(user).get().title == "2021/1/18〜1/24 の週報"


def test_it_needs_a_user_when_there_are_several(user, other_user):
    with pytest.raises(CommandError, match="--user で指定してください"):
        import_journal(FIXTURES / "kpt_labels.txt")

    assert not Week.objects.exists()


def test_it_imports_for_the_named_user(user, other_user):
    import_journal(FIXTURES / "kpt_labels.txt", "--user", "bob")

    assert Week.objects.for_user(other_user).count() == 1
    assert not Week.objects.for_user(user).exists()


def test_it_refuses_an_unknown_user(user):
    with pytest.raises(CommandError, match="ユーザー carol がいません"):
        import_journal(FIXTURES / "kpt_labels.txt", "--user", "carol")


def test_the_week_option_overrides_the_reports_dates(user):
    import_journal(FIXTURES / "kpt_labels.txt", "--week", "2021-03-01")

    week = Week.objects.for_user(user).get()
    assert (week.start_date, week.end_date) == (date(2021, 3, 1), date(2021, 3, 7))


def test_a_report_without_dates_asks_for_the_week(user, tmp_path):
    undated = tmp_path / "undated.md"
    undated.write_text("# 今週\n## Keep\n- よく寝た\n", encoding="utf-8")
    errors = StringIO()

    with pytest.raises(CommandError):
        import_journal(undated, stderr=errors)

    assert "undated.md: 週の日付が分かりません。--week で指定してください" in errors.getvalue()


def test_the_week_option_takes_one_file_only(user, reports):
    errors = StringIO()

    with pytest.raises(CommandError, match="問題が1件あったため"):
        import_journal(reports, "--week", "2021-03-01", stderr=errors)

    assert "reports: 週を指定できるのは、ファイルを1つだけ取り込むときです" in errors.getvalue()


def test_the_week_option_must_be_a_date(user):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        import_journal(FIXTURES / "kpt_labels.txt", "--week", "来週")


@pytest.mark.parametrize("option", [["--week", "2021-01-18"], ["--replace"]])
def test_the_weekly_options_go_with_the_weekly_format_only(user, option):
    with pytest.raises(CommandError, match="は --format weekly のときだけ使えます"):
        call_command("import_journal", str(FIXTURES), "--format", "jrnl", *option)


def test_an_unknown_format_is_refused_by_its_choices(user):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_journal", str(FIXTURES), "--format", "csv")


def test_a_missing_path_is_an_error(user, tmp_path):
    with pytest.raises(CommandError, match="nowhere.md が見つかりません"):
        import_journal(tmp_path / "nowhere.md")


def test_a_folder_without_reports_is_an_error(user, tmp_path):
    errors = StringIO()

    with pytest.raises(CommandError, match="問題が1件あったため"):
        import_journal(tmp_path, stderr=errors)

    assert "読み込める .md / .txt のファイルがありません" in errors.getvalue()


def test_export_week_prints_the_week_as_markdown(user):
    import_journal(FIXTURES / "gloss_keep_problem_try.md")
    out = StringIO()

    call_command("export_week", "2020-12-28", stdout=out)

    assert out.getvalue().startswith("# 2020/12/28-01/03 年末年始の振り返り\n## 振り返り\n")
    assert "  - 起きる時間だけは固定する ★\n" in out.getvalue()


def test_export_week_says_when_there_is_no_such_week(user):
    with pytest.raises(CommandError, match="2021-01-18 に始まる週はありません"):
        call_command("export_week", "2021-01-18", stdout=StringIO())


def test_it_needs_a_user_to_import_for(db):
    with pytest.raises(CommandError, match="ユーザーがいません"):
        import_journal(FIXTURES / "kpt_labels.txt")
