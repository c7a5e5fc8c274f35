from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from journal.models import Entry
from tests.conftest import HTMX


def delete_url(entry) -> str:
    return f"/entries/{entry.uuid}/delete/"


def test_it_keeps_a_tombstone_and_moves_the_revision_on(client, entry):
    client.post(delete_url(entry), headers=HTMX)
    entry.refresh_from_db()
    assert entry.deleted_at is not None
    assert entry.revision == 2
    assert entry.title == "雨の日の実験"


def test_it_returns_the_undo_fragment_for_htmx(client, entry):
    r = client.post(delete_url(entry), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<article id="entry-{entry.uuid}" class="entry is-deleted"')
    assertContains(r, "「雨の日の実験」を削除しました。")
    assertContains(r, f'action="/entries/{entry.uuid}/restore/"')
    assertContains(r, f'hx-post="/entries/{entry.uuid}/restore/"')
    assertNotContains(r, "<html")
    assert "entry-saved" in r.headers["HX-Trigger"]


def test_it_redirects_to_the_day_with_the_undo_notice_without_javascript(client, entry):
    r = client.post(delete_url(entry))
    url = f"/days/2026-11-23/?deleted={entry.uuid}"
    assertRedirects(r, url, fetch_redirect_response=False)
    assertContains(client.get(url), f'action="/entries/{entry.uuid}/restore/"')


def test_deleting_twice_does_not_move_the_revision_again(client, entry):
    client.post(delete_url(entry))
    client.post(delete_url(entry))
    entry.refresh_from_db()
    assert entry.revision == 2


def test_it_answers_404_for_a_missing_entry(client):
    r = client.post("/entries/00000000-0000-0000-0000-000000000000/delete/")
    assert r.status_code == 404


def test_it_rejects_other_users_entry(client, other_entry):
    assert client.post(delete_url(other_entry), headers=HTMX).status_code == 404
    other_entry.refresh_from_db()
    assert other_entry.deleted_at is None
    assert other_entry.revision == 1


def test_it_rejects_other_methods(client, entry):
    assert client.get(delete_url(entry)).status_code == 405
    assert client.delete(delete_url(entry)).status_code == 405
    entry.refresh_from_db()
    assert entry.deleted_at is None


def test_it_requires_a_csrf_token(client, entry):
    client.handler.enforce_csrf_checks = True
    assert client.post(delete_url(entry)).status_code == 403
    assert Entry.objects.get().deleted_at is None
