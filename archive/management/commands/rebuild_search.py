from django.core.management.base import BaseCommand
from django.db import connection, transaction

from archive.search import FTS_TABLES, SEARCHED_FIELDS
from journal.models import normalize_for_search

BATCH = 500


class Command(BaseCommand):
    help = (
        "Recompute every entry's, KPT item's and reading note's search text (NFKC + casefold) "
        "and, on SQLite, rebuild the full-text indexes from it."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for model, fields in SEARCHED_FIELDS.items():
                changed = self.renormalise(model, fields)
                self.stdout.write(f"{model._meta.db_table}: {changed} search texts updated")
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    for table in FTS_TABLES.values():
                        cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
                self.stdout.write(f"Rebuilt {', '.join(FTS_TABLES.values())}.")

    def renormalise(self, model, fields: tuple[str, ...]) -> int:
        """Every row, of every user and deleted ones too: a restore must find its row indexed."""
        rows = model._base_manager.only("search_text", *fields).order_by("pk")
        stale, changed = [], 0
        for row in rows.iterator(chunk_size=BATCH):
            text = normalize_for_search(*(getattr(row, field) for field in fields))
            if row.search_text != text:
                row.search_text = text
                stale.append(row)
            if len(stale) == BATCH:
                changed += model._base_manager.bulk_update(stale, ["search_text"])
                stale = []
        return changed + model._base_manager.bulk_update(stale, ["search_text"])
