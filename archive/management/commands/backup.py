"""manage.py backup DIR: a consistent snapshot of the database and the photos while the app keeps
serving (archive/backup.py); restore as README.md ("Backup and restore") says."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupFailed, back_up


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup API) and the photos into "
        "DIR/tsuzuri-backup-YYYYMMDD-HHMMSS.zip. On PostgreSQL: each user's export zip; "
        "the database itself is pg_dump's."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the zip (made if missing)")

    def handle(self, *args, directory: str, **options):
        target = Path(directory)
        if target.exists() and not target.is_dir():
            raise CommandError(f"{target} is not a folder")
        target.mkdir(parents=True, exist_ok=True)
        try:
            done = back_up(target)
        except (BackupFailed, OSError) as error:
            raise CommandError(f"The backup failed: {error}") from error
        for path in done.files:
            self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes)")
        for note in done.notes:
            self.stdout.write(note)
