"""Every POST view refuses a request without a CSRF token and changes nothing."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, get_resolver

from journal.models import ConflictCopy, Entry, JournalSettings


@pytest.fixture
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def objects(entry, make_conflict):
    copy = make_conflict(entry)
    entry.refresh_from_db()
    return {"entry": entry, "conflict": copy}


POSTS = {
    "create": ("/entries/new/", {"date": "2026-11-23", "title": "新しい記事"}),
    "edit": ("/entries/{entry.uuid}/edit/", {"title": "x", "body": "x", "base_revision": 2}),
    "worked": ("/entries/{entry.uuid}/worked/", {"worked": "on", "base_revision": 2}),
    "delete": ("/entries/{entry.uuid}/delete/", {}),
    "restore": ("/entries/{entry.uuid}/restore/", {}),
    "resolve": ("/conflicts/{conflict.uuid}/resolve/", {"choice": "mine"}),
    "settings": ("/settings/", {"title": "x", "weekly_target_days": 5, "week_start": 0,
                                "day_boundary_hour": 4, "time_zone": "UTC", "language": "en"}),
    "logout": ("/accounts/logout/", {}),
}  # fmt: skip


def everything() -> list[list[dict]]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Entry, ConflictCopy, JournalSettings, Session)
    ]


@pytest.mark.parametrize("name", POSTS)
def test_a_post_without_a_token_is_refused_and_changes_nothing(csrf_client, objects, name):
    url, data = POSTS[name]
    if name == "restore":
        objects["entry"].delete_softly()
    before = everything()
    r = csrf_client.post(url.format(**objects), data)
    assert r.status_code == 403
    assert everything() == before
    assert csrf_client.get("/settings/").status_code == 200  # still logged in


@pytest.mark.parametrize("name", POSTS)
def test_the_same_post_with_a_token_goes_through(csrf_client, objects, name):
    """Guards the test above: each request would have changed something."""
    url, data = POSTS[name]
    if name == "restore":
        objects["entry"].delete_softly()
    csrf_client.get("/settings/")
    token = csrf_client.cookies["csrftoken"].value
    before = everything()
    r = csrf_client.post(url.format(**objects), data, headers={"X-CSRFToken": token})
    assert r.status_code in {200, 302}
    assert everything() != before


def test_no_view_is_exempt_from_csrf():
    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                yield pattern.callback
            else:
                yield from views(pattern.url_patterns)

    exempt = [
        view for view in views(get_resolver().url_patterns) if getattr(view, "csrf_exempt", False)
    ]
    assert exempt == []
