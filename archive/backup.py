"""A backup of the whole instance while it keeps serving (manage.py backup DIR).

SQLite: one zip laid out like the data directory, so restoring is unzipping it into an empty one
(README.md, "Backup and restore"):

    tsuzuri.sqlite3      a snapshot by SQLite's online backup API, checked with integrity_check
    media/photos/…       the photo files
    backup.json          when, from which database, and how many rows of what

The snapshot is one read transaction (the whole copy in one step): under WAL the app's writers go
on meanwhile and the copy is the database as of its start. The photos are copied after it: a
photo's files are written before its row is committed and never change, so every photo the
snapshot knows is on disk by then (a newer one may come along, which does no harm).

PostgreSQL: the database is pg_dump's to back up (users, sessions, everything); this writes each
user's own export zip (archive/export.py) instead, all read in one REPEATABLE READ transaction,
which any Tsuzuri, SQLite or PostgreSQL, can import.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

DATABASE_NAME = "tsuzuri.sqlite3"
MANIFEST_NAME = "backup.json"


class BackupFailed(Exception):
    pass


@dataclass
class Backup:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def backup_name(now: datetime, suffix: str = "") -> str:
    return f"tsuzuri-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}{suffix}.zip"


def back_up(directory: Path, now: datetime | None = None) -> Backup:
    """Write the backup into `directory` (which must exist); what was written, and notes."""
    now = now or timezone.now()
    if connection.vendor == "sqlite":
        return Backup([back_up_sqlite(directory, now)])
    return back_up_exports(directory, now)


def snapshot(source_path: str, target: Path) -> None:
    """Copy the live database at `source_path` to `target` with the online backup API, as a
    standalone file (no WAL), and check it."""
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: one step, one read transaction, one moment
        copy.execute("PRAGMA journal_mode=DELETE")
        found = copy.execute("PRAGMA integrity_check").fetchall()
    finally:
        copy.close()
        source.close()
    if found != [("ok",)]:
        problems = "; ".join(row[0] for row in found[:5])
        raise BackupFailed(f"the snapshot failed its integrity check: {problems}")


def counts(database: Path) -> dict[str, int]:
    tables = ("auth_user", "journal_entry", "weekly_week", "weekly_item", "weekly_readingnote",
              "journal_photo")  # fmt: skip
    with sqlite3.connect(database) as copy:
        return {
            table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def photo_paths() -> list[Path]:
    from journal.imaging import photos_root

    root = photos_root()
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.rglob("*") if path.is_file() and not path.name.endswith(".part")
    )


def back_up_sqlite(directory: Path, now: datetime) -> Path:
    target = directory / backup_name(now)
    if target.exists():
        raise BackupFailed(f"{target} exists already")
    partial_db = directory / f".{target.stem}.sqlite3.part"
    partial_zip = directory / f".{target.name}.part"
    try:
        snapshot(connection.settings_dict["NAME"], partial_db)
        manifest = {
            "format": "tsuzuri-backup",
            "version": 1,
            "created_at": now.isoformat(),
            "database": "sqlite",
            "rows": counts(partial_db),
        }
        media = Path(settings.MEDIA_ROOT).resolve()
        with zipfile.ZipFile(partial_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(partial_db, DATABASE_NAME)
            for path in photo_paths():
                name = "media/" + path.relative_to(media).as_posix()
                try:
                    archive.write(path, name, compress_type=zipfile.ZIP_STORED)
                except FileNotFoundError:  # removed since the walk
                    continue
            archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=1) + "\n")
        partial_zip.replace(target)
    finally:
        partial_db.unlink(missing_ok=True)
        partial_zip.unlink(missing_ok=True)
    return target


def back_up_exports(directory: Path, now: datetime) -> Backup:
    from django.contrib.auth import get_user_model

    from .export import write_export_file

    done = Backup()
    outermost = not connection.in_atomic_block  # else a test's transaction is already going
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for user in get_user_model().objects.order_by("pk"):
            safe = "".join(c for c in user.get_username() if c.isalnum() or c in "-_")
            target = directory / backup_name(now, f"-{safe or user.pk}")
            write_export_file(user, target)
            done.files.append(target)
    name = connection.settings_dict.get("NAME") or "tsuzuri"
    done.notes.append(
        "On PostgreSQL these are each user's own export (importable on any Tsuzuri). Back up "
        f"the database itself with pg_dump, e.g. pg_dump -Fc -f tsuzuri.dump {name}, and the "
        f"photos in {Path(settings.MEDIA_ROOT).resolve() / 'photos'}."
    )
    return done
