from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import Item, ItemKind


def delete_url(item) -> str:
    return f"/weeks/2026-11-23/items/{item.uuid}/delete/"


def test_it_leaves_a_tombstone_and_returns_the_section_with_an_undo(client, make_item):
    item = make_item("うっかり消す")
    r = client.post(delete_url(item), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertContains(r, '<div class="undo">')
    assertContains(r, f'hx-post="/weeks/2026-11-23/items/{item.uuid}/restore/"')
    assertNotContains(r, f'id="item-row-{item.uuid}"')
    assertNotContains(r, "<html")
    item.refresh_from_db()
    assert item.deleted_at is not None
    assert item.revision == 2
    assert Item.objects.count() == 1


def test_a_deleted_try_offers_its_undo_in_the_problem_section(client, make_item):
    try_ = make_item("対策", ItemKind.TRY)
    r = client.post(delete_url(try_), headers=HTMX)
    assertContains(r, '<div id="section-problem"')
    assertContains(r, f"/items/{try_.uuid}/restore/")


def test_it_redirects_to_the_week_with_the_undo_without_javascript(client, make_item):
    item = make_item("うっかり消す")
    r = client.post(delete_url(item))
    url = f"/weeks/2026-11-23/?deleted_item={item.uuid}#keep"
    assertRedirects(r, url, fetch_redirect_response=False)
    page = client.get(r["Location"])
    assertContains(page, f'action="/weeks/2026-11-23/items/{item.uuid}/restore/"')
    assertNotContains(page, f'id="item-row-{item.uuid}"')


def test_deleting_a_parent_hides_its_children_but_keeps_them(client, make_item):
    parent = make_item("親")
    child = make_item("子", parent=parent)
    r = client.post(delete_url(parent), headers=HTMX)
    assertNotContains(r, f'id="item-row-{child.uuid}"')
    child.refresh_from_db()
    assert child.deleted_at is None


def test_deleting_twice_keeps_the_first_tombstone(client, make_item):
    item = make_item()
    client.post(delete_url(item))
    item.refresh_from_db()
    first = item.deleted_at
    r = client.post(delete_url(item), headers=HTMX)
    assert r.status_code == 200
    item.refresh_from_db()
    assert (item.deleted_at, item.revision) == (first, 2)


def test_on_the_board_it_answers_with_the_board(client, make_item):
    item = make_item("ボードで消す")
    r = client.post(delete_url(item), {"view": "board"}, headers=HTMX)
    assertContains(r, '<div id="board" class="kpt-board">')
    assertNotContains(r, "ボードで消す")


def test_it_rejects_get(client, make_item):
    item = make_item()
    assert client.get(delete_url(item)).status_code == 405
    assert Item.objects.get().deleted_at is None


def test_it_answers_404_for_another_users_item(client, make_item, other_user):
    bobs = make_item("ボブのKeep", user=other_user)
    assert client.post(delete_url(bobs), headers=HTMX).status_code == 404
    bobs.refresh_from_db()
    assert bobs.deleted_at is None


def test_it_answers_404_for_an_item_of_another_week(client, make_week, make_item):
    item = make_item("先週のKeep", week=make_week(date(2026, 11, 16)))
    assert client.post(delete_url(item)).status_code == 404
    assert Item.objects.get().deleted_at is None


def test_it_requires_a_csrf_token(client, make_item):
    item = make_item()
    client.handler.enforce_csrf_checks = True
    assert client.post(delete_url(item)).status_code == 403
    assert Item.objects.get().deleted_at is None
