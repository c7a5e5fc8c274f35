from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import ReadingKind, ReadingNote, Week

URL = "/weeks/2026-11-23/reading/"
CLIENT_UUID = "0c9b8a7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"


def form_data(**changes) -> dict:
    data = {
        "title": "リーダブルコード",
        "url": "https://www.oreilly.co.jp/books/9784873115658/",
        "kind": "book",
        "notes": "名前は**短く正確に**。",
        "impressions": "第2章が良かった。",
    }
    return data | changes


def test_it_creates_the_note_and_the_week_and_returns_the_section(client, user):
    r = client.post(URL, form_data(), headers=HTMX)
    assert r.status_code == 200
    note = ReadingNote.objects.get()
    week = Week.objects.get()
    assert (week.start_date, week.end_date) == (date(2026, 11, 23), date(2026, 11, 29))
    assert (note.user, note.week, note.title, note.kind) == (
        user,
        week,
        "リーダブルコード",
        ReadingKind.BOOK,
    )
    assert note.url == "https://www.oreilly.co.jp/books/9784873115658/"
    assert note.notes_html == "<p>名前は<strong>短く正確に</strong>。</p>\n"
    assert note.impressions == "第2章が良かった。"
    assertContains(r, '<div id="reading-section" class="reading-section">')
    assertContains(r, f'<article id="note-{note.uuid}" class="reading-note"')
    assertContains(r, "<strong>短く正確に</strong>")
    assertContains(r, 'id="reading-new-title"')
    assertNotContains(r, 'value="リーダブルコード"')  # a fresh form for the next note
    assertNotContains(r, "<html")


def test_it_redirects_to_the_reading_notes_without_javascript(client):
    r = client.post(URL, form_data())
    assertRedirects(r, "/weeks/2026-11-23/#reading", fetch_redirect_response=False)
    assert ReadingNote.objects.count() == 1


def test_a_title_alone_is_enough(client):
    client.post(URL, {"title": "気になった記事", "kind": "article"}, headers=HTMX)
    note = ReadingNote.objects.get()
    assert (note.url, note.notes, note.impressions) == ("", "", "")


def test_a_link_without_a_scheme_gets_https(client):
    client.post(URL, form_data(url="example.com/article"), headers=HTMX)
    assert ReadingNote.objects.get().url == "https://example.com/article"


def test_later_notes_go_to_the_end(client, make_note):
    first = make_note("先の本")
    client.post(URL, form_data(title="後の本"), headers=HTMX)
    later = ReadingNote.objects.get(title="後の本")
    assert later.position > first.position


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "ftp://x", "hello", "data:text/html,x"]
)
def test_a_link_that_is_not_http_is_refused_keeping_the_typed_text(client, url):
    r = client.post(URL, form_data(url=url), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assertContains(r, 'value="リーダブルコード"')
    assertContains(r, "第2章が良かった。")
    assertContains(r, '<details class="reading-add" open')
    assertNotContains(r, 'href="javascript:')
    assert not ReadingNote.objects.exists()
    assert not Week.objects.exists()


def test_a_missing_title_is_refused(client):
    r = client.post(URL, form_data(title="  "), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assertContains(r, "第2章が良かった。")
    assert not ReadingNote.objects.exists()


def test_an_unknown_kind_is_refused(client):
    r = client.post(URL, form_data(kind="podcast"), headers=HTMX)
    assert r.status_code == 200
    assert not ReadingNote.objects.exists()


def test_an_invalid_note_without_javascript_rerenders_the_week(client, make_item):
    make_item("既存のKeep")
    r = client.post(URL, form_data(url="javascript:alert(1)"))
    assert r.status_code == 200
    assertContains(r, "<html")
    assertContains(r, "既存のKeep")
    assertContains(r, 'value="リーダブルコード"')
    assertContains(r, '<div class="field-errors" role="alert">')


def test_it_uses_the_uuid_made_by_the_client_once(client):
    client.post(URL, form_data(uuid=CLIENT_UUID), headers=HTMX)
    r = client.post(URL, form_data(uuid=CLIENT_UUID), headers=HTMX)
    assert r.status_code == 200
    assert str(ReadingNote.objects.get().uuid) == CLIENT_UUID
    assertContains(r, f'id="note-{CLIENT_UUID}"', count=1)


def test_another_users_uuid_is_404(client, make_note, other_user):
    bobs = make_note("ボブの本", user=other_user)
    r = client.post(URL, form_data(uuid=str(bobs.uuid)), headers=HTMX)
    assert r.status_code == 404
    bobs.refresh_from_db()
    assert bobs.title == "ボブの本"
    assert ReadingNote.objects.count() == 1


def test_another_users_notes_never_show(client, make_note, other_user):
    make_note("ボブの本", user=other_user)
    r = client.post(URL, form_data(), headers=HTMX)
    assertNotContains(r, "ボブの本")


@pytest.mark.parametrize("day", ["2026-11-24", "2026-02-30"])
def test_a_date_that_does_not_start_a_week_is_404(client, day):
    assert client.post(f"/weeks/{day}/reading/", form_data()).status_code == 404
    assert not ReadingNote.objects.exists()


def test_it_rejects_get(client):
    assert client.get(URL).status_code == 405


def test_it_requires_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    assert client.post(URL, form_data()).status_code == 403
    assert not ReadingNote.objects.exists()
