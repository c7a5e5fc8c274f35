from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connection

# SQLite ≥ 3.34 built with FTS5 has the trigram tokenizer. A TEMP table leaves the database alone.
PROBE = "CREATE VIRTUAL TABLE temp.archive_search_probe USING fts5(text, tokenize='trigram')"
# The ranked search's SQL asks for a MATERIALIZED common table expression: 3.35.
OLDEST_SQLITE = (3, 35, 0)
# PostgreSQL: pg_trgm makes trigrams only of the characters the database's LC_CTYPE calls
# alphanumeric; under C (or POSIX) no Japanese character is, and none is indexed.
TRIGRAM_PROBE = "SELECT show_trgm('日本語')"


@register()
def full_text_search_check(app_configs, **kwargs) -> list[Error]:
    """Search needs FTS5's trigram tokenizer on SQLite: say so at startup, not at a search."""
    if connection.vendor == "postgresql":
        return _trigram_locale_check()
    if connection.vendor != "sqlite":
        return []
    version = connection.Database.sqlite_version
    hint = f"Search needs SQLite 3.35 or newer, built with FTS5 (this is {version})."
    if connection.Database.sqlite_version_info < OLDEST_SQLITE:
        return [Error(f"SQLite {version} is too old for search.", hint=hint, id="archive.E002")]
    try:
        with connection.cursor() as cursor:
            cursor.execute(PROBE)
            cursor.execute("DROP TABLE temp.archive_search_probe")
    except DatabaseError as error:
        return [
            Error(
                f"SQLite cannot make a full-text index with the trigram tokenizer: {error}.",
                hint=hint,
                id="archive.E001",
            )
        ]
    return []


def _trigram_locale_check() -> list[Warning]:
    """On PostgreSQL search is right whatever the locale, but slow if pg_trgm cannot index
    Japanese: every query then reads every row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return []  # not migrated yet: archive's first migration makes the extension
        cursor.execute(TRIGRAM_PROBE)
        [trigrams] = cursor.fetchone()
        cursor.execute("SELECT current_setting('lc_ctype')")
        [ctype] = cursor.fetchone()
    if trigrams:
        return []
    return [
        Warning(
            f"pg_trgm makes no trigrams of Japanese text in this database (LC_CTYPE {ctype}): "
            "search gives the right results but cannot use its index.",
            hint="Make the database with a UTF-8 locale other than C, e.g. "
            "CREATE DATABASE tsuzuri LOCALE 'C.UTF-8' TEMPLATE template0 (README.md).",
            id="archive.W002",
        )
    ]
