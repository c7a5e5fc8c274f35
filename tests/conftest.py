import os
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.html import Element, parse_html

from journal.models import ConflictCopy, Entry, JournalSettings
from weekly.models import Item, ItemKind, ReadingKind, ReadingNote, Week

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The fixtures through which a test reaches the test database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(items):
    """Mark the tests that reach no database (parsers, renderers, widgets, the catalogue…):
    `make test-pg` leaves them out, as they ran the same minute before on SQLite."""
    for item in items:
        reaches = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())) or any(
            item.get_closest_marker(name) for name in ("django_db", "own_database")
        )
        if not reaches:
            item.add_marker(pytest.mark.database_free)


def _no_fsync_in_tests(sender, connection, **kwargs):
    # The test database is thrown away: durability (synchronous=FULL) only costs time here.
    if connection.vendor == "sqlite":
        connection.cursor().execute("PRAGMA synchronous=OFF")


connection_created.connect(_no_fsync_in_tests)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_blocker):
    """Each run has databases of its own, so two runs at once (two engineers, or `make test` and
    an editor's run) never share or drop each other's. SQLite: a file, not shared-cache memory:
    the browser tests' server threads then wait on the busy timeout as in production, instead of
    failing at once on a table lock (seen when a request was still running as a test's data was
    flushed). PostgreSQL: a database named after the run, dropped at the end."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    if database["ENGINE"] == "django.db.backends.postgresql":
        name = f"test_{database['NAME']}_{run[:12]}_{worker}"
        database.setdefault("TEST", {})["NAME"] = name
        yield
        with django_db_blocker.unblock():
            connection.close()
            # FORCE cannot end an autovacuum worker that is still busy with the database (seen
            # once at the end of a run): it is done in a moment, so try again.
            for attempt in range(20):
                try:
                    with connection.creation._nodb_cursor() as cursor:
                        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    break
                except DatabaseError:
                    if attempt == 19:
                        raise
                    time.sleep(0.5)
        return
    if database["ENGINE"] != "django.db.backends.sqlite3":
        request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")
        yield
        return
    path = Path(tempfile.gettempdir()) / f"tsuzuri-test-{run}-{worker}.sqlite3"
    database.setdefault("TEST", {})["NAME"] = str(path)
    yield
    for leftover in path.parent.glob(f"{path.name}*"):
        leftover.unlink(missing_ok=True)


def only_on(vendor: str, why: str):
    """Marks a test of one database's own machinery (FTS5 tables, pg_trgm indexes)."""
    from django.db import connection

    return pytest.mark.skipif(connection.vendor != vendor, reason=f"{vendor} only: {why}")


HTMX = {"HX-Request": "true"}
DAY = date(2026, 11, 23)  # a Monday


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Manifest storage needs collectstatic; tests read static files from their folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Photos are written under MEDIA_ROOT: each test gets its own, never ./data/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Uploaded imports too; and an import runs at once, not in a thread (archive/import_jobs.py).
    settings.TSUZURI_IMPORTS_DIR = tmp_path / "imports"
    settings.TSUZURI_IMPORT_THREADS = False


def _make_owner(django_user_model, username: str, **prefs):
    owner = django_user_model.objects.create_user(username, password="correct horse 綴り")
    JournalSettings.objects.create(user=owner, **prefs)
    return owner


@pytest.fixture
def user(db, django_user_model):
    return _make_owner(django_user_model, "alice", title="研究日記", goal="1週間で3日稼働する")


@pytest.fixture
def other_user(db, django_user_model):
    return _make_owner(django_user_model, "bob")


@pytest.fixture
def client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def make_entry(user):
    def make(**fields) -> Entry:
        fields.setdefault("user", user)
        fields.setdefault("date", DAY)
        fields.setdefault("title", "雨の日の実験")
        fields.setdefault("body", "午前は**「データ整理」**をした。\n午後はモデルの再学習。")
        return Entry.objects.create(**fields)

    return make


@pytest.fixture
def entry(make_entry):
    return make_entry()


@pytest.fixture
def other_entry(make_entry, other_user):
    return make_entry(user=other_user, title="他人の日記")


@pytest.fixture
def anonymous_client(db):
    return Client()


@pytest.fixture
def travel_to(monkeypatch):
    """Stops the clock at a moment given in Tokyo time: travel_to("2026-11-23 01:30")."""

    def travel(moment: str, zone: str = "Asia/Tokyo") -> datetime:
        frozen = datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))
        monkeypatch.setattr("django.utils.timezone.now", lambda: frozen)
        return frozen

    return travel


@pytest.fixture
def make_conflict():
    """Saves a newer text on the entry, then the late text against the old revision."""

    def make(entry: Entry, body: str = "遅れて届いた版") -> ConflictCopy:
        base = entry.revision
        entry.save_revision(base, body="先に保存した版")
        return entry.edit_or_conflict(base, body=body)

    return make


@pytest.fixture
def other_conflict(other_entry, make_conflict):
    return make_conflict(other_entry, body="他人の競合")


@pytest.fixture
def make_week(user):
    """The user's week starting on `start` (DAY by default), made once: later calls return it."""

    def make(start: date = DAY, **fields) -> Week:
        owner = fields.pop("user", user)
        fields.setdefault("end_date", start + timedelta(days=6))
        week, _ = Week.objects.get_or_create(user=owner, start_date=start, defaults=fields)
        return week

    return make


@pytest.fixture
def make_item(user, make_week):
    """A KPT item, a Keep by default, in its parent's week or the user's week of DAY."""

    def make(text: str = "早起きできた", kind: str = ItemKind.KEEP, **fields) -> Item:
        owner = fields.setdefault("user", user)
        if "week" not in fields:
            parent = fields.get("parent")
            fields["week"] = parent.week if parent else make_week(user=owner)
        return Item.objects.create(text=text, kind=kind, **fields)

    return make


@pytest.fixture
def make_note(user, make_week):
    """A reading note (気になったこと) in the user's week of DAY unless told otherwise."""

    def make(title: str = "Attention Is All You Need", **fields) -> ReadingNote:
        owner = fields.setdefault("user", user)
        fields.setdefault("week", make_week(user=owner))
        fields.setdefault("url", "https://arxiv.org/abs/1706.03762")
        fields.setdefault("kind", ReadingKind.PAPER)
        fields.setdefault("notes", "Transformer の原論文。**自己注意**だけで翻訳する。")
        fields.setdefault("impressions", "図がわかりやすい。")
        return ReadingNote.objects.create(title=title, **fields)

    return make


def ids_inside(response, element_id: str) -> list[str]:
    """The ids of the elements nested in the one with `element_id`, in document order: how tests
    check that a child item sits inside its parent's <li>."""

    def walk(element: Element, inside: bool) -> list[str]:
        ids = []
        for child in element.children:
            if isinstance(child, Element):
                child_id = dict(child.attributes).get("id")
                if inside and child_id:
                    ids.append(child_id)
                if child_id == element_id:
                    found.append(child)
                ids += walk(child, inside or child_id == element_id)
        return ids

    found: list[Element] = []
    ids = walk(parse_html(response.content.decode()), inside=False)
    assert found, f"no element with id={element_id!r}"
    return ids
