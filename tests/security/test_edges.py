"""Values at the edges of what Python and the database hold answer 4xx, never 5xx (found by the
fuzzing of issue 7): dates in the years 1 and 9999, whose day-before or week-after overflows, and
revisions beyond what a PositiveIntegerField stores."""

import pytest

from tests.conftest import DAY, HTMX

EDGE_PAGES = [
    "/days/9999-12-31/", "/days/0001-01-01/", "/days/0002-01-01/", "/days/9998-12-31/",
    "/months/9999-12/", "/months/0001-01/", "/months/2026-13/", "/months/2026-00/",
    "/months/0002-01/", "/months/9998-12/", "/years/0/", "/years/1/", "/years/9999/",
    "/years/99999999999999999999/", "/weeks/9999-12-27/", "/weeks/0001-01-01/",
    "/weeks/9999-12-31/", "/weeks/0001-01-01/edit/", "/weeks/0001-01-01/board/",
    "/weeks/0001-01-01/report/", "/weeks/0001-01-01.md", "/weeks/9999-12-27/report/",
    "/weeks/9999-12-27/head/", "/weeks/0001-01-01/items/?section=keep", "/weeks/?before=0001-01-01",
    "/weeks/?before=9999-12-31", "/weeks/?year=9998&month=12", "/weeks/?year=1&month=1",
    "/search/?from=0001-01-01&to=9999-12-31&q=x",
]  # fmt: skip
HUGE = ["2147483648", "9223372036854775808", "99999999999999999999999999"]


@pytest.mark.parametrize("url", EDGE_PAGES)
def test_pages_at_the_edges_of_the_calendar(client, url):
    for headers in ({}, HTMX):
        assert client.get(url, headers=headers).status_code < 500


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_entry_at_the_edge_of_the_calendar_is_refused(client, user, day):
    for headers in ({}, HTMX):
        r = client.post("/entries/new/", {"date": day, "title": "x"}, headers=headers)
        assert r.status_code < 500
    assert not user.entry_set.exists()


def test_revisions_too_large_to_store(client, entry, make_item, make_note):
    item, note = make_item(), make_note()
    for base in HUGE:
        posts = {
            f"/entries/{entry.uuid}/edit/": {"title": "x", "body": "y"},
            f"/entries/{entry.uuid}/worked/": {"worked": "on"},
            f"/weeks/{DAY}/items/{item.uuid}/edit/": {"text": "x"},
            f"/weeks/{DAY}/edit/": {"title": "x"},
            f"/weeks/{DAY}/reading/{note.uuid}/edit/": {"title": "x", "kind": "paper"},
        }
        for url, data in posts.items():
            r = client.post(url, {**data, "base_revision": base})
            assert r.status_code < 500, url
    entry.refresh_from_db()
    assert entry.title == "雨の日の実験"


def test_a_section_with_a_percent_sign(client):
    """It named the form's element ids, and "%" broke Django's `auto_id % name`: a 500."""
    for section in ("%00", "%s", "%", "keep%d"):
        r = client.post(f"/weeks/{DAY}/items/", {"text": "x", "section": section})
        assert r.status_code < 500


def test_a_login_with_a_name_longer_than_any_user_has(anonymous_client, user):
    """The name reached authenticate() and overflowed django-axes's record of failed attempts
    on PostgreSQL (a 500, found by the fuzzing)."""
    for headers in ({}, HTMX):
        r = anonymous_client.post(
            "/accounts/login/", {"username": "あ" * 300, "password": "x"}, headers=headers
        )
        assert r.status_code == 200
        assert "150" in r.content.decode()  # at most 150 characters, said in the form
