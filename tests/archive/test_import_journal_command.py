"""manage.py import_journal with the formats of other tools (the weekly format has its own tests
in tests/weekly/test_import_command.py): the dry run's lines and counts, one transaction, and
nothing written when anything is refused."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from journal.models import Entry

from .fixtures import REAL_EXPORTS, dayone_entry, dayone_json, image, zipped

JRNL = (
    "[2021-01-18 09:15] 朝の散歩。川沿いを歩いた。\n\n[2021-01-18 21:40] 読書 *\n論文を読んだ。\n"
)


def run(path, format: str, *options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_journal", str(path), "--format", format, *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def journal_file(tmp_path):
    path = tmp_path / "journal.txt"
    path.write_text(JRNL, encoding="utf-8")
    return path


def test_a_dry_run_prints_every_line_and_the_counts_and_writes_nothing(user, journal_file):
    out, _err = run(journal_file, "jrnl", "--dry-run")

    assert out.splitlines() == [
        "作成: journal.txt:1  2021-01-18「朝の散歩。」",
        "作成: journal.txt:3  2021-01-18「読書」",
        "予定(dry run: 何も書き込んでいません): 作成 2",
    ]
    assert not Entry.objects.exists()


def test_a_real_run_prints_the_counts(user, journal_file):
    out, _err = run(journal_file, "jrnl")

    assert out == "取り込みました: 作成 2\n"
    assert Entry.objects.for_user(user).filter(starred=True).get().title == "読書"


def test_running_again_skips_everything(user, journal_file):
    run(journal_file, "jrnl")

    out, _err = run(journal_file, "jrnl", "--dry-run")

    assert "スキップ(取り込み済み): journal.txt:1" in out
    assert out.endswith("作成 0, スキップ(取り込み済み) 2\n")
    assert run(journal_file, "jrnl")[0] == "取り込みました: 作成 0, スキップ(取り込み済み) 2\n"
    assert Entry.objects.count() == 2


def test_a_refusal_writes_nothing_lists_the_problems_and_exits_non_zero(user, tmp_path):
    path = tmp_path / "Journal.json"
    path.write_bytes(dayone_json(dayone_entry(), dayone_entry(uuid="B" * 32, text={"x": 1})))

    with pytest.raises(CommandError, match="問題が1件あったため") as caught:
        run(path, "dayone")

    assert caught.value.returncode == 1
    assert not Entry.objects.exists()
    _out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_journal", str(path), "--format", "dayone", stdout=_out, stderr=err)
    assert err.getvalue() == (
        f"取り込めません: Journal.json: 2件目 (uuid {'B' * 32}): "
        '"text" がテキストではありません(オブジェクトです)。\n'
    )


def test_a_dry_run_with_a_refusal_shows_it_among_the_lines_and_exits_non_zero(user, tmp_path):
    path = tmp_path / "Journal.json"
    path.write_bytes(dayone_json(dayone_entry(timeZone="Mars/Base")))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_journal", str(path), "--format", "dayone", "--dry-run", stdout=out)

    assert "タイムゾーン Mars/Base が分かりません。" in out.getvalue()
    assert out.getvalue().endswith("作成 0, 取り込めません 1\n")


def test_a_day_one_zip_with_photos_is_imported(user, tmp_path):
    md5 = "e249a0b05c6158a53c1338330f9bece4"
    record = dayone_entry(
        text="# 写真\n![](dayone-moment://ABC)",
        photos=[{"identifier": "ABC", "md5": md5, "type": "jpeg"}],
    )
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"Journal.json": dayone_json(record), f"photos/{md5}.jpeg": image()}))

    out, _err = run(path, "dayone")

    assert out == "取り込みました: 作成 1\n"
    assert Entry.objects.get().photos.count() == 1


def test_an_obsidian_folder_is_imported_for_the_named_user(user, other_user, tmp_path):
    (tmp_path / "2021-01-18.md").write_text("# 月曜\n- [ ] 洗濯", encoding="utf-8")

    run(tmp_path, "obsidian", "--user", "bob")

    assert Entry.objects.for_user(other_user).get().title == "月曜"
    assert not Entry.objects.for_user(user).exists()


def test_messages_are_in_the_users_language(user, journal_file):
    user.journal_settings.language = "en"
    user.journal_settings.save()

    out, _err = run(journal_file, "jrnl", "--dry-run")

    assert out.splitlines()[-1] == "Plan (dry run, nothing written): create 2"


def test_a_zip_bomb_is_refused_before_anything_is_read(user, tmp_path, settings):
    settings.TSUZURI_IMPORT_MAX_MB = 1
    path = tmp_path / "bomb.zip"
    path.write_bytes(zipped({"2021-01-18.md": "0" * (5 * 1024 * 1024)}))

    with pytest.raises(CommandError, match="zip 爆弾"):
        run(path, "obsidian")


def test_a_zip_with_a_path_outside_itself_is_refused(user, tmp_path):
    path = tmp_path / "evil.zip"
    path.write_bytes(zipped({"../2021-01-18.md": "x"}))

    with pytest.raises(CommandError, match=r"\.\./2021-01-18\.md"):
        run(path, "obsidian")
    assert not Entry.objects.exists()


def test_a_missing_path_is_an_error(user, tmp_path):
    with pytest.raises(CommandError, match="見つかりません"):
        run(tmp_path / "nowhere.json", "dayone")


@pytest.mark.skipif(not (REAL_EXPORTS / "jrnl").is_dir(), reason="no ../shared/real-exports")
def test_the_real_jrnl_folder_journal(user):
    out, _err = run(REAL_EXPORTS / "jrnl" / "fixtures" / "basic_folder", "jrnl")

    assert out == "取り込みました: 作成 3\n"
    assert Entry.objects.filter(starred=True).get().date.isoformat() == "2020-08-31"


def test_a_long_import_prints_its_progress(user, tmp_path):
    path = tmp_path / "journal.txt"
    path.write_text(
        "\n".join(f"[2021-01-18 10:{n % 60:02}] 第{n}話。" for n in range(250)), encoding="utf-8"
    )

    out, err = run(path, "jrnl")

    assert out == "取り込みました: 作成 250\n"
    assert err.splitlines() == ["100 / 250", "200 / 250", "250 / 250"]
