from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from journal.models import ConflictCopy, Entry
from tests.conftest import HTMX


def worked_url(entry) -> str:
    return f"/entries/{entry.uuid}/worked/"


def test_it_marks_the_entry_worked_and_returns_the_fragment_for_htmx(client, entry):
    r = client.post(worked_url(entry), {"worked": "on", "base_revision": 1}, headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<article id="entry-{entry.uuid}" class="entry is-worked"')
    assertContains(r, 'aria-pressed="true"')
    assertContains(r, '<input type="hidden" name="base_revision" value="2">')
    assertNotContains(r, "<html")
    assert "entry-saved" in r.headers["HX-Trigger"]
    entry.refresh_from_db()
    assert entry.worked
    assert entry.revision == 2


def test_it_unmarks_the_entry(client, make_entry):
    entry = make_entry(worked=True)
    client.post(worked_url(entry), {"base_revision": 1}, headers=HTMX)
    entry.refresh_from_db()
    assert not entry.worked
    assert entry.revision == 2


def test_it_keeps_the_text(client, entry):
    client.post(worked_url(entry), {"worked": "on", "base_revision": 1})
    entry.refresh_from_db()
    assert entry.title == "雨の日の実験"
    assert entry.body.startswith("午前は")


def test_it_redirects_to_the_day_without_javascript(client, entry):
    r = client.post(worked_url(entry), {"worked": "on", "base_revision": 1})
    assertRedirects(r, f"/days/2026-11-23/#entry-{entry.uuid}", fetch_redirect_response=False)


def test_a_stale_revision_answers_409_with_a_conflict_copy(client, entry):
    client.post(worked_url(entry), {"worked": "on", "base_revision": 1})
    r = client.post(worked_url(entry), {"base_revision": 1}, headers=HTMX)
    assert r.status_code == 409
    assertContains(r, f'id="entry-{entry.uuid}"', status_code=409)
    assertContains(r, 'class="conflict"', status_code=409)
    entry.refresh_from_db()
    assert entry.worked
    assert entry.revision == 2
    copy = ConflictCopy.objects.get(entry=entry)
    assert not copy.worked
    assert copy.base_revision == 1


def test_a_stale_revision_without_javascript_shows_the_day_with_the_conflict(client, entry):
    client.post(worked_url(entry), {"worked": "on", "base_revision": 1})
    r = client.post(worked_url(entry), {"base_revision": 1})
    assert r.status_code == 409
    assertContains(r, "<html", status_code=409)
    assertContains(r, 'class="conflict"', status_code=409)


def test_a_missing_base_revision_is_a_bad_request(client, entry):
    r = client.post(worked_url(entry), {"worked": "on"}, headers=HTMX)
    assert r.status_code == 400
    entry.refresh_from_db()
    assert not entry.worked
    assert entry.revision == 1


def test_it_answers_404_for_a_missing_entry(client):
    r = client.post("/entries/00000000-0000-0000-0000-000000000000/worked/", {"base_revision": 1})
    assert r.status_code == 404


def test_it_rejects_other_users_entry(client, other_entry):
    r = client.post(worked_url(other_entry), {"worked": "on", "base_revision": 1})
    assert r.status_code == 404
    other_entry.refresh_from_db()
    assert not other_entry.worked
    assert other_entry.revision == 1
    assert not ConflictCopy.objects.exists()


def test_it_rejects_other_methods(client, entry):
    assert client.get(worked_url(entry)).status_code == 405


def test_it_requires_a_csrf_token(client, entry):
    client.handler.enforce_csrf_checks = True
    r = client.post(worked_url(entry), {"worked": "on", "base_revision": 1})
    assert r.status_code == 403
    assert not Entry.objects.get().worked
