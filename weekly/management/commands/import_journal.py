"""manage.py import_journal PATH --format weekly: bring published weekly reports into Tsuzuri.

Every file is read before anything is written; one bad file means nothing is imported, and every
problem is listed with its file and line.
"""

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from weekly.models import Week
from weekly.report_format import (
    ParsedReport,
    ReportFormatError,
    has_retrospective,
    import_report,
    parse_weekly_report,
    report_week,
)

FORMATS = ["dayone", "jrnl", "obsidian", "weekly", "tsuzuri"]
SUFFIXES = {".md", ".txt", ".MD", ".TXT"}


def resolve_user(username: str | None):
    """The named user, or the only one: a journal usually has exactly one owner."""
    users = get_user_model().objects.order_by("pk")
    if username:
        try:
            return users.get(**{get_user_model().USERNAME_FIELD: username})
        except get_user_model().DoesNotExist:
            raise CommandError(f"ユーザー {username} がいません") from None
    found = list(users[:2])
    if not found:
        raise CommandError("ユーザーがいません。先に /setup/ で作ってください")
    if len(found) > 1:
        raise CommandError("ユーザーが複数います。--user で指定してください")
    return found[0]


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日付は YYYY-MM-DD で書いてください: {value}") from None


class Command(BaseCommand):
    help = "Import journal files; --format weekly reads weekly KPT reports (.md / .txt)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file, or a folder of .md / .txt files")
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--user", help="the owner's username (default: the only user)")
        parser.add_argument("--week", type=iso_date, help="first day of the week, YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="show, write nothing")
        parser.add_argument("--replace", action="store_true", help="replace existing weeks")

    def handle(self, *args, path: str, **options):
        if (kind := options["format"]) != "weekly":
            raise CommandError(
                f"--format {kind} にはまだ対応していません(いま読めるのは weekly だけです)"
            )
        user = resolve_user(options["user"])
        files = self.files(Path(path))
        if options["week"] and len(files) > 1:
            raise CommandError("--week はファイルが1つのときだけ使えます")
        plan, errors = self.read_all(user, files, options["week"], options["replace"])
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)}件の問題があったので、何も取り込みませんでした")
        if options["dry_run"]:
            for file, parsed, start in plan:
                note = "dry run: 何も書き込みません"
                self.stdout.write(f"{file}: {self.describe(parsed, start)} ({note})")
            return
        with transaction.atomic():
            for _file, parsed, start in plan:
                import_report(user, parsed, week_start=start, replace=options["replace"])
        for file, parsed, start in plan:
            self.stdout.write(f"{file}: {self.describe(parsed, start)} を取り込みました")

    def files(self, path: Path) -> list[Path]:
        if path.is_dir():
            files = sorted(
                file for file in path.iterdir() if file.is_file() and file.suffix in SUFFIXES
            )
            if not files:
                raise CommandError(f"{path} に .md / .txt のファイルがありません")
            return files
        if not path.is_file():
            raise CommandError(f"{path} がありません")
        return [path]

    def read_all(self, user, files: list[Path], week: date | None, replace: bool):
        """Parse every file and place it in a week; collect the problems instead of stopping."""
        plan, errors, weeks = [], [], {}
        for file in files:
            try:
                parsed = parse_weekly_report(file.read_bytes(), filename=str(file))
                start = report_week(user, parsed, week)[0]
                if start in weeks:
                    reason = f"{weeks[start]} と同じ週({start})です"
                    raise ReportFormatError(reason, str(file))
                existing = Week.objects.for_start(user, start)
                if existing and not replace and has_retrospective(existing):
                    reason = f"{start} の週にはすでに振り返りがあります(--replace で置き換え)"
                    raise ReportFormatError(reason, str(file))
            except (ReportFormatError, OSError) as error:
                errors.append(error)
                continue
            weeks[start] = file
            plan.append((file, parsed, start))
        return plan, errors

    @staticmethod
    def describe(parsed: ParsedReport, start: date) -> str:
        counts = parsed.counts()
        return (
            f"{start} の週「{parsed.title or '(題名なし)'}」 Keep {counts['keep']}、"
            f"Problem {counts['problem']}、Try {counts['try']}、気になったこと {counts['reading']}"
        )
