"""manage.py export_week 2021-01-18: print a week as its Markdown report (DESIGN.md §8)."""

from django.core.management.base import BaseCommand, CommandError

from journal.management.options import iso_date, resolve_user
from weekly.models import Week
from weekly.report_format import week_to_markdown


class Command(BaseCommand):
    help = "Print the week that starts on START_DATE as Markdown."

    def add_arguments(self, parser):
        parser.add_argument("start", type=iso_date, metavar="START_DATE")
        parser.add_argument("--user", help="the owner's username (default: the only user)")

    def handle(self, *args, start, user, **options):
        week = Week.objects.for_start(resolve_user(user), start)
        if week is None:
            raise CommandError(f"{start} に始まる週はありません")
        self.stdout.write(week_to_markdown(week), ending="")
