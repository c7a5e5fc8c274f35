from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from journal.models import ConflictCopy, Entry
from tests.conftest import HTMX


def edit_url(entry) -> str:
    return f"/entries/{entry.uuid}/edit/"


def form_data(entry, **changes) -> dict:
    data = {"title": entry.title, "body": entry.body, "base_revision": entry.revision}
    return data | changes


def test_it_shows_the_form_fragment_for_htmx(client, entry):
    r = client.get(edit_url(entry), headers=HTMX)
    assertContains(r, f'id="entry-{entry.uuid}"')
    assertContains(r, 'name="base_revision"')
    assertNotContains(r, "<html")


def test_it_shows_a_full_page_form_without_javascript(client, entry):
    r = client.get(edit_url(entry))
    assertContains(r, "<html")
    assertContains(r, entry.title)
    assertContains(r, f'action="/entries/{entry.uuid}/edit/"')


def test_it_saves_and_returns_the_entry_fragment_for_htmx(client, entry):
    r = client.post(edit_url(entry), form_data(entry, body="**晴れ**た。"), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'id="entry-{entry.uuid}"')
    assertContains(r, "<strong>晴れ</strong>")
    assertNotContains(r, "<html")
    entry.refresh_from_db()
    assert entry.body == "**晴れ**た。"
    assert entry.revision == 2


def test_a_new_worked_mark_asks_the_header_for_its_dots_again(client, entry):
    r = client.post(edit_url(entry), form_data(entry, worked="on"), headers=HTMX)
    assert "entry-saved" in r.headers["HX-Trigger"]
    entry.refresh_from_db()
    r = client.post(edit_url(entry), form_data(entry, worked="on", title="題だけ"), headers=HTMX)
    assert r.status_code == 200
    assert "HX-Trigger" not in r  # the same mark, a new title: no dot moved, nothing to fetch


def test_it_redirects_to_the_day_without_javascript(client, entry):
    r = client.post(edit_url(entry), form_data(entry, title="新しい題"))
    assertRedirects(r, f"/days/2026-11-23/#entry-{entry.uuid}", fetch_redirect_response=False)
    entry.refresh_from_db()
    assert entry.title == "新しい題"


def test_it_saves_the_worked_mark(client, entry):
    client.post(edit_url(entry), form_data(entry, worked="on"))
    entry.refresh_from_db()
    assert entry.worked


def test_it_rerenders_an_empty_entry_with_a_message(client, entry):
    r = client.post(edit_url(entry), form_data(entry, title="", body="   "), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, "タイトルか本文を書いてください")
    entry.refresh_from_db()
    assert entry.title == "雨の日の実験"


def test_it_refuses_an_overlong_body_and_keeps_the_text_in_the_form(client, entry):
    huge = "a" * 200_000
    r = client.post(edit_url(entry), form_data(entry, body=huge), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, "100000")
    assertContains(r, huge)
    entry.refresh_from_db()
    assert entry.revision == 1


def test_it_accepts_a_long_japanese_body(client, entry):
    body = "長い日記の本文。" * 8_000  # 64,000 characters, about 190 KB of UTF-8
    r = client.post(edit_url(entry), form_data(entry, body=body), headers=HTMX)
    assert r.status_code == 200
    entry.refresh_from_db()
    assert entry.body == body


def test_a_stale_revision_answers_409_and_keeps_the_losing_text(client, entry):
    client.post(edit_url(entry), form_data(entry, body="先に保存した版"))
    r = client.post(edit_url(entry), form_data(entry, body="遅れて届いた版"), headers=HTMX)
    assert r.status_code == 409
    assertContains(r, "先に保存した版", status_code=409)
    assertContains(r, "遅れて届いた版", status_code=409)
    entry.refresh_from_db()
    assert entry.body == "先に保存した版"
    copy = ConflictCopy.objects.get(entry=entry)
    assert copy.body == "遅れて届いた版"
    assert copy.base_revision == 1


def test_a_stale_revision_without_javascript_shows_the_day_with_the_conflict(client, entry):
    client.post(edit_url(entry), form_data(entry, body="先に保存した版"))
    r = client.post(edit_url(entry), form_data(entry, body="遅れて届いた版"))
    assert r.status_code == 409
    assertContains(r, "<html", status_code=409)
    assertContains(r, "遅れて届いた版", status_code=409)


def test_saving_a_deleted_entry_keeps_the_text_as_a_conflict(client, entry):
    entry.delete_softly()
    r = client.post(edit_url(entry), form_data(entry, base_revision=1, body="消えた後の編集"))
    assert r.status_code == 409
    assert ConflictCopy.objects.get(entry=entry).body == "消えた後の編集"


def test_merging_a_conflict_prefills_both_texts_and_resolves_it(client, entry):
    client.post(edit_url(entry), form_data(entry, body="サーバーの版"))
    client.post(edit_url(entry), form_data(entry, body="手元の版"))
    copy = ConflictCopy.objects.get()
    r = client.get(f"{edit_url(entry)}?merge={copy.uuid}", headers=HTMX)
    assertContains(r, "サーバーの版\n\n---\n\n手元の版")
    entry.refresh_from_db()
    client.post(edit_url(entry), form_data(entry, body="まとめた版", merge=str(copy.uuid)))
    copy.refresh_from_db()
    assert copy.resolved_at is not None
    entry.refresh_from_db()
    assert entry.body == "まとめた版"


def test_it_rejects_other_methods(client, entry):
    assert client.put(edit_url(entry)).status_code == 405
    assert client.delete(edit_url(entry)).status_code == 405


def test_it_answers_404_for_a_missing_entry(client):
    r = client.get("/entries/00000000-0000-0000-0000-000000000000/edit/")
    assert r.status_code == 404


def test_it_rejects_other_users_entry(client, other_entry):
    assert client.get(edit_url(other_entry)).status_code == 404
    r = client.post(edit_url(other_entry), form_data(other_entry, body="乗っ取り"))
    assert r.status_code == 404
    other_entry.refresh_from_db()
    assert other_entry.body != "乗っ取り"
    assert not ConflictCopy.objects.exists()


def test_it_requires_a_csrf_token(client, entry):
    client.handler.enforce_csrf_checks = True
    r = client.post(edit_url(entry), form_data(entry, body="x"))
    assert r.status_code == 403
    assert Entry.objects.get().body != "x"
