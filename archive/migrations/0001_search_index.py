"""Full-text search indexes over search_text (DESIGN.md §6, design-notes §3.2–3.3).

SQLite: an external-content FTS5 table with the trigram tokenizer for each searched table, kept in
sync by triggers, so every write path (save(), QuerySet.update(), bulk_create, raw SQL) updates it.
PostgreSQL: a pg_trgm GIN index on the same column, which serves LIKE '%term%'.
RunSQL cannot branch on the database, hence RunPython.
"""

from django.db import migrations

SEARCHED_TABLES = ["journal_entry", "weekly_item", "weekly_readingnote"]


def sqlite_index(table: str) -> list[str]:
    fts = f"{table}_fts"
    insert = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);"
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    )
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"search_text, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} "
        f"WHEN old.search_text IS NOT new.search_text BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def create_indexes(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in SEARCHED_TABLES:
            for sql in sqlite_index(table):
                schema_editor.execute(sql)
    elif vendor == "postgresql":
        # Trigrams of Japanese text need a database whose LC_CTYPE is not C (design-notes §3.3).
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in SEARCHED_TABLES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
                f"ON {table} USING gin (search_text gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for table in SEARCHED_TABLES:
        if vendor == "sqlite":
            for trigger in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
        ("weekly", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
