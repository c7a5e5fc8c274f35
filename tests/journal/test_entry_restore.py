from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from journal.models import Entry
from tests.conftest import HTMX


def restore_url(entry) -> str:
    return f"/entries/{entry.uuid}/restore/"


def test_it_brings_the_entry_back_and_returns_it_for_htmx(client, entry):
    entry.delete_softly()
    r = client.post(restore_url(entry), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<article id="entry-{entry.uuid}" class="entry"')
    assertContains(r, "<strong>「データ整理」</strong>")
    assertNotContains(r, "<html")
    assert "entry-saved" in r.headers["HX-Trigger"]
    entry.refresh_from_db()
    assert entry.deleted_at is None
    assert entry.revision == 3


def test_it_redirects_to_the_entry_without_javascript(client, entry):
    entry.delete_softly()
    r = client.post(restore_url(entry))
    assertRedirects(r, f"/days/2026-11-23/#entry-{entry.uuid}", fetch_redirect_response=False)
    assertContains(client.get("/days/2026-11-23/"), f'id="entry-{entry.uuid}"')


def test_restoring_a_live_entry_changes_nothing(client, entry):
    client.post(restore_url(entry))
    entry.refresh_from_db()
    assert entry.revision == 1


def test_it_answers_404_for_a_missing_entry(client):
    r = client.post("/entries/00000000-0000-0000-0000-000000000000/restore/")
    assert r.status_code == 404


def test_it_rejects_other_users_entry(client, other_entry):
    other_entry.delete_softly()
    assert client.post(restore_url(other_entry), headers=HTMX).status_code == 404
    other_entry.refresh_from_db()
    assert other_entry.deleted_at is not None


def test_it_rejects_other_methods(client, entry):
    assert client.get(restore_url(entry)).status_code == 405


def test_it_requires_a_csrf_token(client, entry):
    entry.delete_softly()
    client.handler.enforce_csrf_checks = True
    assert client.post(restore_url(entry)).status_code == 403
    assert Entry.objects.get().deleted_at is not None
