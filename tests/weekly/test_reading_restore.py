from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import ReadingNote


def restore_url(note) -> str:
    return f"/weeks/2026-11-23/reading/{note.uuid}/restore/"


def deleted(note) -> ReadingNote:
    note.bump(deleted_at=note.created_at)
    return note


def test_it_brings_the_note_back_in_its_place_for_htmx(client, make_note):
    first = make_note("一冊目")
    second = deleted(make_note("二冊目"))
    make_note("三冊目")
    r = client.post(restore_url(second), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="reading-section" class="reading-section">')
    assertNotContains(r, '<div class="undo"')
    assertNotContains(r, "<html")
    html = r.content.decode()
    assert html.index(f'id="note-{first.uuid}"') < html.index(f'id="note-{second.uuid}"')
    assert html.index(f'id="note-{second.uuid}"') < html.index("三冊目")
    second.refresh_from_db()
    assert second.deleted_at is None


def test_it_redirects_to_the_reading_notes_without_javascript(client, make_note):
    note = deleted(make_note())
    r = client.post(restore_url(note))
    assertRedirects(r, "/weeks/2026-11-23/#reading", fetch_redirect_response=False)
    assert ReadingNote.objects.get().deleted_at is None


def test_restoring_a_live_note_changes_nothing(client, make_note):
    note = make_note()
    assert client.post(restore_url(note), headers=HTMX).status_code == 200
    assert ReadingNote.objects.get().revision == 1


def test_it_rejects_get(client, make_note):
    note = deleted(make_note())
    assert client.get(restore_url(note)).status_code == 405
    assert ReadingNote.objects.get().deleted_at is not None


def test_it_answers_404_for_another_users_note(client, make_note, other_user):
    bobs = deleted(make_note("ボブの本", user=other_user))
    assert client.post(restore_url(bobs), headers=HTMX).status_code == 404
    assert ReadingNote.objects.get().deleted_at is not None


def test_it_answers_404_for_a_note_of_another_week(client, make_week, make_note):
    note = deleted(make_note(week=make_week(date(2026, 11, 16))))
    assert client.post(restore_url(note)).status_code == 404
    assert ReadingNote.objects.get().deleted_at is not None


def test_it_requires_a_csrf_token(client, make_note):
    note = deleted(make_note())
    client.handler.enforce_csrf_checks = True
    assert client.post(restore_url(note)).status_code == 403
    assert ReadingNote.objects.get().deleted_at is not None
