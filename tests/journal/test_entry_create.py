from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from journal.models import Entry
from tests.conftest import HTMX

CLIENT_UUID = "3f1c2a9e-8d4b-4c6a-9e21-5b7f0d3a1c88"


def form_data(**changes) -> dict:
    data = {"date": "2026-11-23", "title": "雨の日の実験", "body": "午前は**データ整理**。"}
    return data | changes


def test_it_returns_a_fresh_form_and_the_new_entry_for_htmx(client):
    r = client.post("/entries/new/", form_data(), headers=HTMX)
    entry = Entry.objects.get()
    assert r.status_code == 200
    assertContains(r, '<form id="new-entry"')
    assertContains(r, '<input type="text" name="title" maxlength="200" id="new-entry-title">')
    assertContains(r, 'name="date" value="2026-11-23"')
    assertContains(r, '<div hx-swap-oob="beforeend:#entry-list">')
    assertContains(r, f'<article id="entry-{entry.uuid}"')
    assertContains(r, "<strong>データ整理</strong>")
    assertNotContains(r, "<html")
    assert "entry-saved" in r.headers["HX-Trigger"]


def test_it_redirects_to_the_entry_on_its_day_without_javascript(client):
    r = client.post("/entries/new/", form_data(worked="on"))
    entry = Entry.objects.get()
    assertRedirects(r, f"/days/2026-11-23/#entry-{entry.uuid}", fetch_redirect_response=False)
    assert entry.user.username == "alice"
    assert entry.date == date(2026, 11, 23)
    assert entry.title == "雨の日の実験"
    assert entry.worked
    assert entry.revision == 1


def test_it_rerenders_an_empty_entry_as_a_fragment_for_htmx(client):
    r = client.post("/entries/new/", form_data(title="", body="  "), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, "タイトルか本文を書いてください。")
    assertContains(r, '<form id="new-entry"')
    assertNotContains(r, "<html")
    assert not Entry.objects.exists()


def test_it_rerenders_an_empty_entry_on_the_day_page_without_javascript(client, make_entry):
    make_entry(date=date(2026, 11, 20), title="その日の記事")
    r = client.post("/entries/new/", form_data(date="2026-11-20", title="", body=""))
    assert r.status_code == 200
    assertContains(r, "<html")
    assertContains(r, "タイトルか本文を書いてください。")
    assertContains(r, ">2026/11/20(金)</time>")
    assertContains(r, "その日の記事")
    assert Entry.objects.count() == 1


def test_an_invalid_date_falls_back_to_today(client, travel_to):
    travel_to("2026-11-25 12:00")
    r = client.post("/entries/new/", form_data(date="2026-02-30"))
    assert r.status_code == 200
    assertContains(r, ">2026/11/25(水)</time>")
    assert not Entry.objects.exists()


def test_it_uses_the_uuid_made_by_the_client(client):
    client.post("/entries/new/", form_data(uuid=CLIENT_UUID))
    assert str(Entry.objects.get().uuid) == CLIENT_UUID


def test_a_replayed_create_makes_one_entry(client):
    first = client.post("/entries/new/", form_data(uuid=CLIENT_UUID), headers=HTMX)
    second = client.post("/entries/new/", form_data(uuid=CLIENT_UUID), headers=HTMX)
    assert Entry.objects.count() == 1
    assert second.status_code == 200
    assertContains(second, f'id="entry-{CLIENT_UUID}"')
    assertContains(first, f'id="entry-{CLIENT_UUID}"')


def test_a_replay_changes_nothing_even_with_other_text(client):
    client.post("/entries/new/", form_data(uuid=CLIENT_UUID))
    r = client.post("/entries/new/", form_data(uuid=CLIENT_UUID, title="別の題"))
    assertRedirects(r, f"/days/2026-11-23/#entry-{CLIENT_UUID}", fetch_redirect_response=False)
    entry = Entry.objects.get()
    assert entry.title == "雨の日の実験"
    assert entry.revision == 1


def test_another_users_uuid_is_404_and_changes_nothing(client, other_entry):
    r = client.post("/entries/new/", form_data(uuid=str(other_entry.uuid), title="乗っ取り"))
    assert r.status_code == 404
    assert Entry.objects.count() == 1
    other_entry.refresh_from_db()
    assert other_entry.title == "他人の日記"
    assert other_entry.user.username == "bob"


def test_entries_of_one_date_get_increasing_positions(client, make_entry, other_user):
    make_entry(user=other_user, position=7)  # another user's entries do not count
    for title in ("一", "二", "三"):
        client.post("/entries/new/", form_data(title=title))
    client.post("/entries/new/", form_data(title="別の日", date="2026-11-24"))
    positions = dict(Entry.objects.filter(user__username="alice").values_list("title", "position"))
    assert positions == {"一": 1, "二": 2, "三": 3, "別の日": 1}


def test_a_new_entry_after_a_deleted_one_still_goes_last(client, entry):
    entry.delete_softly()
    client.post("/entries/new/", form_data(title="新しい記事"))
    assert Entry.objects.get(title="新しい記事").position == entry.position + 1


def test_it_rejects_other_methods(client):
    assert client.get("/entries/new/").status_code == 405
    assert client.put("/entries/new/").status_code == 405


def test_it_requires_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    r = client.post("/entries/new/", form_data())
    assert r.status_code == 403
    assert not Entry.objects.exists()


def test_a_made_up_uuid_is_refused_as_invalid(client):
    r = client.post("/entries/new/", form_data(uuid="not-a-uuid"), headers=HTMX)
    assert r.status_code == 200
    assert not Entry.objects.exists()
