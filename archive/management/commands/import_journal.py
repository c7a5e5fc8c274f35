"""manage.py import_journal PATH --format dayone|jrnl|obsidian|weekly|tsuzuri: bring a journal
from another tool (or Tsuzuri's own zip) into the user's journal.

PATH is a file, a folder or a zip. Everything is read first into a plan (archive/importing.py):
--dry-run prints it line by line (create, duplicate, refused, with the file and the line or
entry, and why) and writes nothing. A real run writes it all in one transaction and prints the
counts; when anything is refused nothing is written, the problems are listed and the command
exits with status 1. Messages are in the user's language.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from archive import readers  # noqa: F401  (registers every format)
from archive.importing import (
    ACTION_LABELS,
    CREATE,
    DUPLICATE,
    READERS,
    REFUSE,
    UPDATE,
    ImportRefused,
    Plan,
    plan_import,
)
from archive.sources import Source, SourceRefused, limit_mb
from journal.management.options import iso_date, resolve_user
from journal.models import JournalSettings

FORMATS = ["dayone", "jrnl", "obsidian", "weekly", "tsuzuri"]
WEEKLY_ONLY = ("week", "replace")


class Command(BaseCommand):
    help = (
        "Import a journal: a Day One export, a jrnl journal, Obsidian daily notes, weekly "
        "reports, or Tsuzuri's own zip (a file, a folder or a zip)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file, a folder or a zip")
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--user", help="the owner's username (default: the only user)")
        parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
        parser.add_argument(
            "--max-mb",
            type=int,
            default=2048,
            help="the largest file or archive to read, and a quarter of what it may unpack to",
        )
        parser.add_argument(
            "--week", type=iso_date, help="weekly: the first day of the week, YYYY-MM-DD"
        )
        parser.add_argument(
            "--replace", action="store_true", help="weekly: replace weeks already written"
        )

    def handle(self, *args, path: str, format: str, **options):
        user = resolve_user(options["user"])
        journal = JournalSettings.objects.filter(user=user).first()
        with translation.override(journal.language if journal else settings.LANGUAGE_CODE):
            extra = {name: options[name] for name in WEEKLY_ONLY if options[name]}
            if format != "weekly" and extra:
                names = ", ".join(f"--{name}" for name in extra)
                raise CommandError(
                    _("%(options)s only go with --format weekly.") % {"options": names}
                )
            if format not in READERS:
                raise CommandError(
                    _("--format %(format)s is not available yet.") % {"format": format}
                )
            try:
                # Open until the end: a reader may read its photos only when applied.
                with limit_mb(options["max_mb"]), Source.open(Path(path)) as source:
                    self.run(plan_import(format, user, source, **extra), user, options)
            except SourceRefused as error:
                raise CommandError(str(error)) from error

    def run(self, plan: Plan, user, options: dict) -> None:
        if options["dry_run"]:
            for line in plan.lines:
                self.stdout.write(self.describe(line))
            self.stdout.write(self.counts(plan))
        if plan.refused:
            if not options["dry_run"]:
                for line in plan.refused:
                    self.stderr.write(self.describe(line))
            raise CommandError(
                _("%(count)s problems were found, so nothing was imported.")
                % {"count": len(plan.refused)}
            )
        if options["dry_run"]:
            return
        try:
            plan.apply(user, progress=self.progress)
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            for line in plan.lines:
                self.stdout.write(self.describe(line))
        self.stdout.write(self.counts(plan, done=True))

    @staticmethod
    def describe(line) -> str:
        text = f"{line.label}: {line.where}"
        if line.what:
            text += f"  {line.what}"
        if line.reason:
            text += f" ({line.reason})" if line.action != REFUSE else f": {line.reason}"
        return text

    @staticmethod
    def counts(plan: Plan, done: bool = False) -> str:
        counts = plan.counts()
        parts = [
            f"{ACTION_LABELS[action]} {counts[action]}"
            for action in (CREATE, UPDATE, DUPLICATE, REFUSE)
            if counts[action] or action == CREATE
        ]
        summary = (
            _("Imported: %(counts)s") if done else _("Plan (dry run, nothing written): %(counts)s")
        )
        return summary % {"counts": ", ".join(parts)}

    def progress(self, done: int, total: int) -> None:
        if total >= 200 and (done % 100 == 0 or done == total):
            self.stderr.write(_("%(done)s of %(total)s") % {"done": done, "total": total})
