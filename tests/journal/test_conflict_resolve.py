from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from journal.models import ConflictCopy
from tests.conftest import HTMX


def resolve_url(copy) -> str:
    return f"/conflicts/{copy.uuid}/resolve/"


def test_keeping_mine_takes_the_copys_text(client, entry, make_conflict):
    copy = make_conflict(entry, body="遅れて届いた**版**")
    r = client.post(resolve_url(copy), {"choice": "mine"}, headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<article id="entry-{entry.uuid}"')
    assertContains(r, "遅れて届いた<strong>版</strong>")
    assertNotContains(r, 'class="conflict"')
    assertNotContains(r, "<html")
    assert "entry-saved" in r.headers["HX-Trigger"]
    entry.refresh_from_db()
    assert entry.body == "遅れて届いた**版**"
    assert entry.revision == 3
    copy.refresh_from_db()
    assert copy.resolved_at is not None


def test_a_lost_saves_star_is_kept_and_keeping_mine_applies_it(client, entry):
    base = entry.revision
    entry.save_revision(base, body="先に保存した版")
    r = client.post(
        f"/entries/{entry.uuid}/edit/",
        {"title": entry.title, "body": "星を付けた版", "starred": "on", "base_revision": base},
        headers=HTMX,
    )
    assert r.status_code == 409
    copy = ConflictCopy.objects.get(entry=entry)
    assert (copy.body, copy.starred) == ("星を付けた版", True)

    merge = client.get(f"/entries/{entry.uuid}/edit/?merge={copy.uuid}", headers=HTMX)
    assertContains(merge, f'name="starred" id="entry-{entry.uuid}-starred" checked')

    client.post(resolve_url(copy), {"choice": "mine"}, headers=HTMX)
    entry.refresh_from_db()
    assert (entry.body, entry.starred) == ("星を付けた版", True)


def test_keeping_mine_brings_a_deleted_entry_back(client, entry, make_conflict):
    copy = make_conflict(entry)
    entry.delete_softly()
    client.post(resolve_url(copy), {"choice": "mine"})
    entry.refresh_from_db()
    assert entry.deleted_at is None
    assert entry.body == "遅れて届いた版"


def test_keeping_theirs_leaves_the_entry_as_it_is(client, entry, make_conflict):
    copy = make_conflict(entry)
    entry.refresh_from_db()
    r = client.post(resolve_url(copy), {"choice": "theirs"})
    assertRedirects(r, f"/days/2026-11-23/#entry-{entry.uuid}", fetch_redirect_response=False)
    revision = entry.revision
    entry.refresh_from_db()
    assert entry.body == "先に保存した版"
    assert entry.revision == revision
    copy.refresh_from_db()
    assert copy.resolved_at is not None


def test_a_bad_choice_is_a_bad_request(client, entry, make_conflict):
    copy = make_conflict(entry)
    assert client.post(resolve_url(copy), {"choice": "both"}).status_code == 400
    assert client.post(resolve_url(copy)).status_code == 400
    copy.refresh_from_db()
    assert copy.resolved_at is None


def test_it_rejects_other_users_conflict(client, other_entry, other_conflict):
    assert client.post(resolve_url(other_conflict), {"choice": "mine"}).status_code == 404
    other_conflict.refresh_from_db()
    assert other_conflict.resolved_at is None
    other_entry.refresh_from_db()
    assert other_entry.body == "先に保存した版"


def test_a_resolved_conflict_is_404(client, entry, make_conflict):
    copy = make_conflict(entry)
    copy.mark_resolved()
    assert client.post(resolve_url(copy), {"choice": "mine"}).status_code == 404
    entry.refresh_from_db()
    assert entry.body == "先に保存した版"


def test_it_answers_404_for_a_missing_conflict(client):
    r = client.post("/conflicts/00000000-0000-0000-0000-000000000000/resolve/", {"choice": "mine"})
    assert r.status_code == 404


def test_it_rejects_other_methods(client, entry, make_conflict):
    assert client.get(resolve_url(make_conflict(entry))).status_code == 405


def test_it_requires_a_csrf_token(client, entry, make_conflict):
    make_conflict(entry)
    client.handler.enforce_csrf_checks = True
    r = client.post(resolve_url(ConflictCopy.objects.get()), {"choice": "mine"})
    assert r.status_code == 403
    assert ConflictCopy.objects.get().resolved_at is None
