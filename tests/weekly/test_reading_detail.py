from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX


def test_it_returns_the_note_for_htmx(client, make_note):
    note = make_note()
    r = client.get(f"/weeks/2026-11-23/reading/{note.uuid}/", headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<article id="note-{note.uuid}" class="reading-note"')
    assertContains(r, "<strong>自己注意</strong>")
    assertContains(r, f'href="/weeks/2026-11-23/reading/{note.uuid}/edit/"')
    assertNotContains(r, "<html")


def test_it_redirects_to_the_note_on_the_week_without_javascript(client, make_note):
    note = make_note()
    r = client.get(f"/weeks/2026-11-23/reading/{note.uuid}/")
    assertRedirects(r, f"/weeks/2026-11-23/#note-{note.uuid}", fetch_redirect_response=False)


def test_it_rejects_post(client, make_note):
    note = make_note()
    assert client.post(f"/weeks/2026-11-23/reading/{note.uuid}/").status_code == 405


def test_it_answers_404_for_a_missing_note(client, make_week):
    make_week()
    url = "/weeks/2026-11-23/reading/00000000-0000-0000-0000-000000000000/"
    assert client.get(url, headers=HTMX).status_code == 404


def test_it_answers_404_for_another_users_note(client, make_note, other_user):
    bobs = make_note("ボブの本", user=other_user)
    assert client.get(f"/weeks/2026-11-23/reading/{bobs.uuid}/", headers=HTMX).status_code == 404


def test_it_answers_404_for_a_note_of_another_week(client, make_week, make_note):
    note = make_note(week=make_week(date(2026, 11, 16)))
    assert client.get(f"/weeks/2026-11-23/reading/{note.uuid}/", headers=HTMX).status_code == 404
