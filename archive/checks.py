from django.core.checks import Error, register
from django.db import DatabaseError, connection

# SQLite ≥ 3.34 built with FTS5 has the trigram tokenizer. A TEMP table leaves the database alone.
PROBE = "CREATE VIRTUAL TABLE temp.archive_search_probe USING fts5(text, tokenize='trigram')"


@register()
def full_text_search_check(app_configs, **kwargs) -> list[Error]:
    """Search needs FTS5's trigram tokenizer on SQLite: say so at startup, not at a search."""
    if connection.vendor != "sqlite":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(PROBE)
            cursor.execute("DROP TABLE temp.archive_search_probe")
    except DatabaseError as error:
        version = connection.Database.sqlite_version
        return [
            Error(
                f"SQLite cannot make a full-text index with the trigram tokenizer: {error}.",
                hint=f"Search needs SQLite 3.34 or newer, built with FTS5 (this is {version}).",
                id="archive.E001",
            )
        ]
    return []
