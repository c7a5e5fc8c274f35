from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import ReadingNote


def delete_url(note) -> str:
    return f"/weeks/2026-11-23/reading/{note.uuid}/delete/"


def test_it_leaves_a_tombstone_and_offers_an_undo_for_htmx(client, make_note):
    note = make_note("うっかり消す本")
    r = client.post(delete_url(note), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="reading-section" class="reading-section">')
    assertContains(r, '<div class="undo">')
    assertContains(r, f'hx-post="/weeks/2026-11-23/reading/{note.uuid}/restore/"')
    assertNotContains(r, f'<article id="note-{note.uuid}"')
    assertNotContains(r, "<html")
    note.refresh_from_db()
    assert note.deleted_at is not None
    assert note.revision == 2


def test_it_redirects_to_the_week_with_the_undo_without_javascript(client, make_note):
    note = make_note()
    r = client.post(delete_url(note))
    url = f"/weeks/2026-11-23/?deleted_note={note.uuid}#reading"
    assertRedirects(r, url, fetch_redirect_response=False)
    page = client.get(r["Location"])
    assertContains(page, f'action="/weeks/2026-11-23/reading/{note.uuid}/restore/"')
    assertNotContains(page, f'<article id="note-{note.uuid}"')


def test_deleting_twice_keeps_the_first_tombstone(client, make_note):
    note = make_note()
    client.post(delete_url(note))
    note.refresh_from_db()
    first = note.deleted_at
    assert client.post(delete_url(note), headers=HTMX).status_code == 200
    note.refresh_from_db()
    assert (note.deleted_at, note.revision) == (first, 2)


def test_it_rejects_get(client, make_note):
    note = make_note()
    assert client.get(delete_url(note)).status_code == 405
    assert ReadingNote.objects.get().deleted_at is None


def test_it_answers_404_for_another_users_note(client, make_note, other_user):
    bobs = make_note("ボブの本", user=other_user)
    assert client.post(delete_url(bobs), headers=HTMX).status_code == 404
    assert ReadingNote.objects.get().deleted_at is None


def test_it_answers_404_for_a_note_of_another_week(client, make_week, make_note):
    note = make_note(week=make_week(date(2026, 11, 16)))
    assert client.post(delete_url(note)).status_code == 404
    assert ReadingNote.objects.get().deleted_at is None


def test_it_requires_a_csrf_token(client, make_note):
    note = make_note()
    client.handler.enforce_csrf_checks = True
    assert client.post(delete_url(note)).status_code == 403
    assert ReadingNote.objects.get().deleted_at is None
