import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from journal.models import ConflictCopy, Entry, JournalSettings

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
