"""Entries remember the export they were imported from (`source`) and whether they are starred.

SQLite adds a NOT NULL column by copying the table, which the search index's view and triggers
stand in the way of: they are taken down before and built again after (archive/0002's rule).
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations, models

search_index = import_module("archive.migrations.0002_short_words_from_the_index")


def _on_sqlite(make):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for sql in make("journal_entry"):
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_photos"),
        ("archive", "0002_short_words_from_the_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            _on_sqlite(search_index.drop_index), _on_sqlite(search_index.padded_index)
        ),
        migrations.AddField(
            model_name="entry",
            name="source",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="entry",
            name="starred",
            field=models.BooleanField(default=False, verbose_name="starred"),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", ""), _negated=True),
                fields=("user", "source"),
                name="journal_entry_one_per_source",
            ),
        ),
        migrations.RunPython(
            _on_sqlite(search_index.padded_index), _on_sqlite(search_index.drop_index)
        ),
    ]
