"""manage.py export_journal OUT.zip [--user NAME]: the whole journal as one zip (archive/export.py),
the same file the /archive/ page downloads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.export import write_export_file
from journal.management.options import resolve_user


class Command(BaseCommand):
    help = (
        "Export the whole journal (settings, entries, weeks, items, reading notes, conflict "
        "copies, photos, and Markdown) to one zip: docs/export-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="the zip to write, e.g. tsuzuri-2026-12-02.zip")
        parser.add_argument("--user", help="the owner's username (default: the only user)")

    def handle(self, *args, out: str, **options):
        user = resolve_user(options["user"])
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"{path} is a folder; name the zip to write")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} does not exist")
        write_export_file(user, path)
        self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes)")
