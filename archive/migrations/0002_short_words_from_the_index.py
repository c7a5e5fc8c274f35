"""Let the SQLite full-text indexes answer words of one and two characters too.

A trigram index holds every three-character run of a text, so a word of two characters is the
start of the trigrams that follow each place it occurs, except at the very end of the text. The
index is now fed `search_text` with two spaces after it (through a view, so FTS5's 'rebuild' and
'integrity-check' read the same text the triggers index), which gives every occurrence, the last
one included, a trigram that starts with it. An fts5vocab table over each index lists its trigrams,
in order: the trigrams starting with a short word are one range of it (archive/search.py).

Nothing changes on PostgreSQL, where pg_trgm serves LIKE for words of any length.

A later migration that makes SQLite copy one of these tables into a new one (most AlterField and
RemoveField do) must run drop_index(table) before and padded_index(table) after: the copy loses
the triggers, and the view stands in the way of renaming it.
"""

from django.db import migrations

SEARCHED_TABLES = ["journal_entry", "weekly_item", "weekly_readingnote"]
PADDING = "'  '"  # two spaces: the end of a text then starts a trigram of each of its last chars


def _triggers(table: str, fts: str, value: str) -> list[str]:
    new, old = value.format(row="new"), value.format(row="old")
    insert = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} "
        f"WHEN old.search_text IS NOT new.search_text BEGIN {delete} {insert} END",
    ]


def drop_index(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        *(f"DROP TRIGGER IF EXISTS {fts}_{trigger}" for trigger in ("insert", "delete", "update")),
        f"DROP TABLE IF EXISTS {fts}_vocab",
        f"DROP TABLE IF EXISTS {fts}",
        f"DROP VIEW IF EXISTS {table}_search",
    ]


def padded_index(table: str) -> list[str]:
    fts, view = f"{table}_fts", f"{table}_search"
    return [
        *drop_index(table),
        f"CREATE VIEW {view} AS SELECT id, search_text || {PADDING} AS search_text FROM {table}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"search_text, content='{view}', content_rowid='id', tokenize='trigram')",
        *_triggers(table, fts, "{row}.search_text || " + PADDING),
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE VIRTUAL TABLE {fts}_vocab USING fts5vocab({fts}, row)",
    ]


def plain_index(table: str) -> list[str]:
    """The index of migration 0001, for going back."""
    fts = f"{table}_fts"
    return [
        *drop_index(table),
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"search_text, content='{table}', content_rowid='id', tokenize='trigram')",
        *_triggers(table, fts, "{row}.search_text"),
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _run(schema_editor, make) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for table in SEARCHED_TABLES:
            for sql in make(table):
                schema_editor.execute(sql)


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, padded_index)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, plain_index)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
