from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import ReadingNote, WeeklyConflictCopy


def edit_url(note) -> str:
    return f"/weeks/2026-11-23/reading/{note.uuid}/edit/"


def form_data(note, **changes) -> dict:
    fields = ("title", "url", "kind", "notes", "impressions")
    return {key: getattr(note, key) for key in fields} | {"base_revision": note.revision} | changes


def test_it_shows_the_form_fragment_for_htmx(client, make_note):
    note = make_note()
    r = client.get(edit_url(note), headers=HTMX)
    assertContains(r, f'<form id="note-{note.uuid}" class="entry-form"')
    assertContains(r, 'value="Attention Is All You Need"')
    assertContains(r, 'value="https://arxiv.org/abs/1706.03762"')
    assertContains(r, '<option value="paper" selected>')
    assertContains(r, "図がわかりやすい。</textarea>")
    assertContains(r, 'name="base_revision" value="1"')
    assertNotContains(r, "<html")


def test_it_shows_a_full_page_form_without_javascript(client, make_note):
    note = make_note()
    r = client.get(edit_url(note))
    assertContains(r, "<html")
    assertContains(r, f'action="/weeks/2026-11-23/reading/{note.uuid}/edit/"')


def test_it_saves_and_returns_the_note_for_htmx(client, make_note):
    note = make_note()
    data = form_data(note, impressions="**再読**したい。", kind="article")
    r = client.post(edit_url(note), data, headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<article id="note-{note.uuid}"')
    assertContains(r, "<strong>再読</strong>したい。")
    assertNotContains(r, "<html")
    note.refresh_from_db()
    assert (note.impressions, note.kind, note.revision) == ("**再読**したい。", "article", 2)
    assert note.search_text.count("再読") == 1


def test_it_redirects_to_the_note_without_javascript(client, make_note):
    note = make_note()
    r = client.post(edit_url(note), form_data(note, title="新しい題"))
    assertRedirects(r, f"/weeks/2026-11-23/#note-{note.uuid}", fetch_redirect_response=False)
    assert ReadingNote.objects.get().title == "新しい題"


def test_a_stale_revision_answers_409_and_stores_a_conflict_copy(client, make_note):
    note = make_note()
    note.save_revision(1, impressions="先に保存した感想")
    data = form_data(note, impressions="遅れて届いた感想", title="遅れた題", base_revision=1)
    r = client.post(edit_url(note), data, headers=HTMX)
    assert r.status_code == 409
    assertContains(r, f'<article id="note-{note.uuid}" class="reading-note"', status_code=409)
    assertContains(r, "先に保存した感想", status_code=409)
    assertContains(r, '<section class="conflict" role="alert"', status_code=409)
    assertContains(r, "遅れて届いた感想", status_code=409)
    assertContains(r, "遅れた題", status_code=409)
    assertContains(r, 'hx-target="#reading-section"', status_code=409)
    assert r.headers["X-Conflict-Location"] == f"/weeks/2026-11-23/#note-{note.uuid}"
    copy = WeeklyConflictCopy.objects.get()
    assert (copy.kind, copy.note, copy.item) == ("note", note, None)
    assert copy.fields["impressions"] == "遅れて届いた感想"
    assert copy.fields["title"] == "遅れた題"
    note.refresh_from_db()
    assert (note.impressions, note.title, note.revision) == (
        "先に保存した感想",
        "Attention Is All You Need",
        2,
    )


def test_the_merge_form_holds_both_texts_and_saving_it_resolves_the_copy(client, make_note):
    note = make_note(impressions="")
    note.save_revision(1, impressions="先の感想")
    client.post(edit_url(note), form_data(note, impressions="後の感想", base_revision=1))
    copy = WeeklyConflictCopy.objects.get()
    r = client.get(f"{edit_url(note)}?merge={copy.uuid}", headers=HTMX)
    assertContains(r, "先の感想\n\n---\n\n後の感想</textarea>")
    client.post(
        edit_url(note),
        form_data(note, impressions="両方の感想", base_revision=2, merge=copy.uuid),
    )
    assert ReadingNote.objects.get().impressions == "両方の感想"
    copy.refresh_from_db()
    assert copy.resolved_at is not None


def test_saving_after_the_conflict_wins(client, make_note):
    note = make_note()
    note.save_revision(1, impressions="先に保存した感想")
    client.post(edit_url(note), form_data(note, impressions="遅れて届いた感想", base_revision=1))
    client.post(edit_url(note), form_data(note, impressions="遅れて届いた感想", base_revision=2))
    assert ReadingNote.objects.get().impressions == "遅れて届いた感想"


def test_editing_a_deleted_note_answers_409(client, make_note):
    note = make_note()
    note.bump(deleted_at=note.created_at)
    r = client.post(edit_url(note), form_data(note, title="消えた後", base_revision=2))
    assert r.status_code == 409
    assert ReadingNote.objects.get().title == "Attention Is All You Need"
    assert WeeklyConflictCopy.objects.get().fields["title"] == "消えた後"


def test_an_invalid_link_rerenders_with_an_error(client, make_note):
    note = make_note()
    r = client.post(edit_url(note), form_data(note, url="javascript:alert(1)"), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assert ReadingNote.objects.get().url == "https://arxiv.org/abs/1706.03762"


def test_a_missing_title_rerenders_with_an_error(client, make_note):
    note = make_note()
    r = client.post(edit_url(note), form_data(note, title=""), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assert ReadingNote.objects.get().revision == 1


def test_it_rejects_other_methods(client, make_note):
    note = make_note()
    assert client.put(edit_url(note)).status_code == 405
    assert client.delete(edit_url(note)).status_code == 405


def test_it_answers_404_for_another_users_note(client, make_note, other_user):
    bobs = make_note("ボブの本", user=other_user)
    assert client.get(edit_url(bobs)).status_code == 404
    assert client.post(edit_url(bobs), form_data(bobs, title="乗っ取り")).status_code == 404
    assert ReadingNote.objects.get().title == "ボブの本"


def test_it_answers_404_for_a_note_of_another_week(client, make_week, make_note):
    note = make_note("先週の本", week=make_week(date(2026, 11, 16)))
    assert client.post(edit_url(note), form_data(note, title="書き換え")).status_code == 404
    assert ReadingNote.objects.get().title == "先週の本"


def test_it_requires_a_csrf_token(client, make_note):
    note = make_note()
    client.handler.enforce_csrf_checks = True
    assert client.post(edit_url(note), form_data(note, title="x")).status_code == 403
    assert ReadingNote.objects.get().title == "Attention Is All You Need"
