import json
import os
import sqlite3
import subprocess
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from journal.models import Entry, Photo
from tests.conftest import only_on

from .test_export import png
from .test_tsuzuri_import import plan

BASE_DIR = Path(__file__).resolve().parents[2]
sqlite_only = only_on("sqlite", "the online backup API")


def the_zip(directory: Path) -> Path:
    [found] = directory.glob("tsuzuri-backup-*.zip")
    return found


def snapshot_of(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as opened:
        opened.extract("tsuzuri.sqlite3", into)
    return into / "tsuzuri.sqlite3"


@sqlite_only
def test_it_zips_a_checked_snapshot_and_the_photos(transactional_db, user, make_entry, tmp_path):
    entry = make_entry(title="残す日記")
    photo = Photo.attach(user, SimpleUploadedFile("a.png", png()), entry=entry)
    call_command("backup", str(tmp_path / "backups"))
    archive = the_zip(tmp_path / "backups")
    names = zipfile.ZipFile(archive).namelist()
    assert f"media/photos/{user.pk}/{photo.file_key}/480.webp" in names
    manifest = json.loads(zipfile.ZipFile(archive).read("backup.json"))
    assert manifest["rows"]["journal_entry"] == 1
    with sqlite3.connect(snapshot_of(archive, tmp_path)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT title FROM journal_entry").fetchall() == [("残す日記",)]
    assert [path.name for path in (tmp_path / "backups").iterdir()] == [archive.name]


@sqlite_only
def test_writes_going_on_during_the_backup_do_not_break_it(transactional_db, user, tmp_path):
    Entry.objects.bulk_create(
        Entry(user=user, date=date(2020, 1, 1), title=f"古い {n}", body="本文 " * 100)
        for n in range(2000)
    )
    stop, written, errors = threading.Event(), [], []

    def write() -> None:
        try:
            while not stop.is_set():
                Entry.objects.create(user=user, date=date(2026, 1, 1), title="書き込み中")
                written.append(1)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        before, started = Entry.objects.count(), len(written)
        for number in range(2):
            call_command("backup", str(tmp_path / str(number)))
        after_backups = len(written)
    finally:
        stop.set()
        writer.join()
    assert errors == []
    assert after_backups > started  # the writer went on while the backups ran
    for number in range(2):
        with sqlite3.connect(
            snapshot_of(the_zip(tmp_path / str(number)), tmp_path / str(number))
        ) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            count = copy.execute("SELECT count(*) FROM journal_entry").fetchone()[0]
        assert before <= count <= Entry.objects.count()


@sqlite_only
def test_a_restored_backup_reads_back(transactional_db, user, make_entry, tmp_path):
    entry = make_entry(title="復元する日記")
    photo = Photo.attach(user, SimpleUploadedFile("a.png", png()), entry=entry)
    call_command("backup", str(tmp_path))
    restored = tmp_path / "restored-data"
    restored.mkdir()
    with zipfile.ZipFile(the_zip(tmp_path)) as archive:  # README: unzip into an empty data dir
        archive.extractall(restored)
    read_back = (
        "from journal.models import Entry, Photo; from journal.imaging import folder; "
        "e = Entry.objects.get(); p = Photo.objects.get(); "
        "print(e.title, e.uuid, (folder(p.user_id, p.file_key) / '480.webp').is_file())"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"TSUZURI_DATA_DIR": str(restored), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", read_back],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["復元する日記", str(entry.uuid), "True"]
    assert photo.file_key


def test_it_refuses_a_file_for_a_folder(db, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError):
        call_command("backup", str(tmp_path / "file"))


@only_on("postgresql", "the backup writes export zips there")
def test_on_postgresql_it_writes_each_users_export_and_points_to_pg_dump(
    user, other_user, make_entry, tmp_path, capsys
):
    make_entry(title="PostgreSQL の日記")
    call_command("backup", str(tmp_path))
    assert "pg_dump" in capsys.readouterr().out
    written = sorted(path.name for path in tmp_path.glob("tsuzuri-backup-*.zip"))
    assert [name.rsplit("-", 1)[1] for name in written] == ["alice.zip", "bob.zip"]
    found = plan(user, (tmp_path / written[0]).read_bytes())
    assert {line.action for line in found.lines} == {"duplicate"}
    assert settings.MEDIA_ROOT
