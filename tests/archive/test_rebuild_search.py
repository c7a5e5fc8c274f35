"""manage.py rebuild_search, the full-text search check and the index migration."""

import importlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from archive import checks
from archive.search import best_rows_sql, search
from journal.models import Entry, normalize_for_search
from tests.conftest import only_on
from weekly.models import Item, ReadingNote

index_migration = importlib.import_module("archive.migrations.0001_search_index")
short_words_migration = importlib.import_module(
    "archive.migrations.0002_short_words_from_the_index"
)
sqlite_only = only_on("sqlite", "FTS5 tables and triggers")
postgresql_only = only_on("postgresql", "pg_trgm indexes")


def rebuild() -> str:
    out = StringIO()
    call_command("rebuild_search", stdout=out)
    return out.getvalue()


@sqlite_only
def test_it_refills_an_emptied_index(user, entry, make_item, make_note):
    make_item("データ整理の手順を決めた")
    make_note("データ整理の本")
    with connection.cursor() as cursor:
        for table in ("journal_entry_fts", "weekly_item_fts", "weekly_readingnote_fts"):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
    assert search(user, "データ整理") == []
    rebuild()
    assert sorted(hit.kind for hit in search(user, "データ整理")) == ["entry", "item", "note"]


def test_it_renormalises_stale_search_text(user, entry, make_item, make_note, other_entry):
    make_item("ＡＢＣを続けた")
    note = make_note("ｶﾀｶﾅの本", notes="ﾒﾓ")
    Entry.objects.update(search_text="")
    Item.objects.update(search_text="古い")
    out = rebuild()
    assert "journal_entry: 2 search texts updated" in out
    assert "weekly_item: 1 search texts updated" in out
    assert "weekly_readingnote: 0 search texts updated" in out
    entry.refresh_from_db()
    assert entry.search_text == normalize_for_search(entry.title, entry.body)
    assert len(search(user, "データ整理")) == 1
    assert len(search(user, "abc")) == 1
    note.refresh_from_db()
    assert note.search_text.startswith("カタカナの本\nhttps://arxiv.org/")


def test_it_computes_what_save_computes(user, entry, make_item, make_note):
    """rebuild_search keeps its own list of searched fields: it must agree with the models."""
    make_item("Ｋｅｅｐの項目")
    make_note("論文", impressions="ﾖｶｯﾀ")
    before = [
        list(model.objects.values_list("search_text")) for model in (Entry, Item, ReadingNote)
    ]
    out = rebuild()
    assert out.count(": 0 search texts updated") == 3
    after = [list(model.objects.values_list("search_text")) for model in (Entry, Item, ReadingNote)]
    assert after == before


def test_the_check_passes_with_this_database(db):
    assert checks.full_text_search_check(None) == []


@sqlite_only
def test_the_check_explains_a_missing_trigram_tokenizer(db, monkeypatch):
    monkeypatch.setattr(
        checks, "PROBE", "CREATE VIRTUAL TABLE temp.probe USING fts5(t, tokenize='nosuch')"
    )
    [error] = checks.full_text_search_check(None)
    assert error.id == "archive.E001"
    assert "trigram" in error.msg
    assert "3.35" in error.hint


@sqlite_only
def test_the_check_explains_an_sqlite_too_old_for_the_searchs_sql(db, monkeypatch):
    """3.34 has the trigram tokenizer, but a ranked search's MATERIALIZED CTE needs 3.35."""
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(connection.Database, "sqlite_version", "3.34.1")
    [error] = checks.full_text_search_check(None)
    assert error.id == "archive.E002"
    assert "3.34.1" in error.msg
    assert "3.35 or newer" in error.hint


class Editor:
    """The part of a schema editor the migration uses; a real one cannot run inside a test's
    transaction on SQLite."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def objects_named(pattern: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s ORDER BY name", [pattern])
        return [name for (name,) in cursor.fetchall()]


@sqlite_only
@pytest.mark.parametrize("table", index_migration.SEARCHED_TABLES)
def test_every_searched_table_keeps_its_index_and_triggers(db, table):
    """A later migration that makes SQLite rebuild one of these tables (Django copies it into a
    new table for most AlterField/RemoveField) drops its triggers with it, and the view the index
    reads stands in the way of the copy's renaming: such a migration must drop the index first
    (short_words_migration.drop_index) and run padded_index for that table again after."""
    assert objects_named(f"{table}_fts%") == [
        f"{table}_fts", f"{table}_fts_config", f"{table}_fts_data", f"{table}_fts_delete",
        f"{table}_fts_docsize", f"{table}_fts_idx", f"{table}_fts_insert", f"{table}_fts_update",
        f"{table}_fts_vocab",
    ]  # fmt: skip
    assert objects_named(f"{table}_search") == [f"{table}_search"]


@sqlite_only
def test_the_migrations_reverse_and_apply_again(user, entry):
    short_words_migration.backwards(None, Editor())
    assert objects_named("%_fts_vocab") == []
    assert len(search(user, "データ整理")) == 1
    index_migration.drop_indexes(None, Editor())
    assert objects_named("%_fts%") == []
    Entry.objects.create(user=user, date=entry.date, body="索引がない間に書いた")
    index_migration.create_indexes(None, Editor())
    short_words_migration.forwards(None, Editor())
    assert len(search(user, "データ整理")) == 1
    assert len(search(user, "索引がない間")) == 1  # 'rebuild' indexed what was written meanwhile
    assert len(search(user, "いた")) == 1  # the last two characters, from the padded text


@sqlite_only
def test_the_index_holds_what_the_table_holds(user, entry, make_item):
    """FTS5's own check compares the index with its content (the padded view) row by row."""
    make_item("英語")
    entry.body = "書き直した本文"
    entry.save()
    with connection.cursor() as cursor:
        for table in index_migration.SEARCHED_TABLES:
            fts = f"{table}_fts"
            cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("table", index_migration.SEARCHED_TABLES)
def test_the_postgresql_index_is_a_trigram_gin_index(table):
    class PostgresEditor:
        class connection:  # noqa: N801 — stands in for the editor's connection
            vendor = "postgresql"

        def __init__(self):
            self.sql = []

        def execute(self, sql):
            self.sql.append(sql)

    editor = PostgresEditor()
    index_migration.create_indexes(None, editor)
    assert editor.sql[0] == "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    assert (
        f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
        "USING gin (search_text gin_trgm_ops)"
    ) in editor.sql


@postgresql_only
def test_the_check_warns_when_the_locale_makes_no_trigrams_of_japanese(db, monkeypatch):
    monkeypatch.setattr(checks, "TRIGRAM_PROBE", "SELECT show_trgm('')")
    [warning] = checks.full_text_search_check(None)
    assert warning.id == "archive.W002"
    assert "LC_CTYPE" in warning.msg


@postgresql_only
def test_the_test_database_makes_trigrams_of_japanese(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('英語の勉強')")
        assert len(cursor.fetchone()[0]) == 6


def trigram_indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_search_trgm"]
        )
        return dict(cursor.fetchall())


@postgresql_only
@pytest.mark.parametrize("table", index_migration.SEARCHED_TABLES)
def test_every_searched_table_has_its_trigram_index(db, table):
    assert trigram_indexes()[f"{table}_search_trgm"] == (
        f"CREATE INDEX {table}_search_trgm ON public.{table} USING gin (search_text gin_trgm_ops)"
    )


@postgresql_only
def test_the_postgresql_migration_reverses_and_applies_again(user, entry):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no CREATE INDEX with checks pending
    index_migration.drop_indexes(None, Editor())
    assert trigram_indexes() == {}
    index_migration.create_indexes(None, Editor())
    assert len(trigram_indexes()) == 3
    assert len(search(user, "データ整理")) == 1


@postgresql_only
def test_a_search_of_many_rows_reads_the_trigram_index(user):
    """A word of two characters (英語) has no trigram inside LIKE's '%…%', so it reads every row
    (as SQLite's LIKE does); three and more use the index."""
    text = "今日は晴れ。データ整理をした。" * 30
    Entry.objects.bulk_create(
        Entry(user=user, date=date(2000, 1, 1) + timedelta(days=n), body=body, search_text=body)
        for n, body in enumerate([text] * 3000 + ["英語の発音練習"])
    )
    with connection.cursor() as cursor:
        # New rows wait in the GIN index's pending list, which every search must read through
        # and which makes the planner price the index near a full scan; (auto)vacuum moves them
        # into the index proper, as here.
        cursor.execute("SELECT gin_clean_pending_list('journal_entry_search_trgm')")
        cursor.execute("ANALYZE journal_entry")
    query, params = best_rows_sql("entry", user, ["発音練習"], {}, None, None, 20)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on journal_entry_search_trgm" in plan
    assert len(search(user, "発音練習")) == 1
    assert len(search(user, "英語")) == 1
