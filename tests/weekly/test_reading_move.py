from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import ReadingNote


def move(client, note, direction, htmx=True):
    headers = HTMX if htmx else {}
    url = f"/weeks/2026-11-23/reading/{note.uuid}/move/"
    return client.post(url, {"direction": direction}, headers=headers)


def titles() -> list[str]:
    return list(ReadingNote.objects.filter(deleted_at__isnull=True).values_list("title", flat=True))


@pytest.fixture
def notes(make_note):
    return [make_note(title) for title in ("本", "記事", "論文")]


def test_up_swaps_with_the_note_above_and_returns_the_section(client, notes):
    r = move(client, notes[1], "up")
    assert r.status_code == 200
    assertContains(r, '<div id="reading-section" class="reading-section">')
    assertNotContains(r, "<html")
    assert titles() == ["記事", "本", "論文"]
    html = r.content.decode()
    assert html.index(f'id="note-{notes[1].uuid}"') < html.index(f'id="note-{notes[0].uuid}"')


def test_down_swaps_with_the_note_below(client, notes):
    move(client, notes[1], "down")
    assert titles() == ["本", "論文", "記事"]


def test_moving_past_the_ends_changes_nothing_and_says_so(client, notes):
    for note, direction in ((notes[0], "up"), (notes[2], "down")):
        r = move(client, note, direction)
        assert r.status_code == 200
        assertContains(r, '<p class="notice" role="status">')
    assert titles() == ["本", "記事", "論文"]
    assert set(ReadingNote.objects.values_list("revision", flat=True)) == {1}


def test_moves_skip_deleted_notes(client, notes):
    notes[1].bump(deleted_at=notes[1].created_at)
    move(client, notes[2], "up")
    assert titles() == ["論文", "本"]


def test_moving_a_deleted_note_changes_nothing(client, notes):
    notes[1].bump(deleted_at=notes[1].created_at)
    r = move(client, notes[1], "up")
    assert r.status_code == 200
    assert titles() == ["本", "論文"]


def test_it_redirects_to_the_reading_notes_without_javascript(client, notes):
    r = move(client, notes[0], "down", htmx=False)
    assertRedirects(r, "/weeks/2026-11-23/#reading", fetch_redirect_response=False)
    assert titles() == ["記事", "本", "論文"]


@pytest.mark.parametrize("direction", ["", "indent", "left"])
def test_an_unknown_direction_is_400(client, notes, direction):
    assert move(client, notes[1], direction).status_code == 400
    assert titles() == ["本", "記事", "論文"]


def test_it_rejects_get(client, notes):
    assert client.get(f"/weeks/2026-11-23/reading/{notes[0].uuid}/move/").status_code == 405


def test_it_answers_404_for_another_users_note(client, make_note, other_user):
    bobs = [make_note(title, user=other_user) for title in ("ボブの一", "ボブの二")]
    assert move(client, bobs[1], "up").status_code == 404
    assert titles() == ["ボブの一", "ボブの二"]


def test_it_answers_404_for_a_note_of_another_week(client, make_week, make_note):
    last_week = make_week(date(2026, 11, 16))
    old = [make_note(title, week=last_week) for title in ("先週の一", "先週の二")]
    assert move(client, old[1], "up").status_code == 404
    assert titles() == ["先週の一", "先週の二"]


def test_it_requires_a_csrf_token(client, notes):
    client.handler.enforce_csrf_checks = True
    assert move(client, notes[1], "up").status_code == 403
    assert titles() == ["本", "記事", "論文"]
