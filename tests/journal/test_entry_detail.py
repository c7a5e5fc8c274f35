from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX


def test_it_returns_the_entry_fragment_for_htmx(client, entry):
    r = client.get(f"/entries/{entry.uuid}/", headers=HTMX)
    assertContains(r, f'<article id="entry-{entry.uuid}"')
    assertContains(r, "<strong>「データ整理」</strong>")
    assertContains(r, f'href="/entries/{entry.uuid}/edit/"')
    assertNotContains(r, "<html")
    assert "HX-Request" in r["Vary"]


def test_it_redirects_to_the_entry_on_its_day_without_javascript(client, entry):
    r = client.get(f"/entries/{entry.uuid}/")
    assertRedirects(r, f"/days/2026-11-23/#entry-{entry.uuid}", fetch_redirect_response=False)


def test_it_shows_an_open_conflict_with_the_entry(client, entry, make_conflict):
    copy = make_conflict(entry, body="遅れて届いた版")
    r = client.get(f"/entries/{entry.uuid}/", headers=HTMX)
    assertContains(r, "先に保存した版")
    assertContains(r, "遅れて届いた版")
    assertContains(r, f'action="/conflicts/{copy.uuid}/resolve/"')


def test_a_deleted_entry_shows_the_undo_fragment(client, entry):
    entry.delete_softly()
    r = client.get(f"/entries/{entry.uuid}/", headers=HTMX)
    assertContains(r, 'class="entry is-deleted"')
    assertContains(r, f'action="/entries/{entry.uuid}/restore/"')


def test_it_answers_404_for_a_missing_entry(client):
    r = client.get("/entries/00000000-0000-0000-0000-000000000000/", headers=HTMX)
    assert r.status_code == 404


def test_it_rejects_other_users_entry(client, other_entry):
    assert client.get(f"/entries/{other_entry.uuid}/", headers=HTMX).status_code == 404
    assert client.get(f"/entries/{other_entry.uuid}/").status_code == 404


def test_it_serves_only_safe_methods(client, entry):
    assert client.post(f"/entries/{entry.uuid}/").status_code == 405
