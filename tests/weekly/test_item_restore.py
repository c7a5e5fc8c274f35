from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX, ids_inside
from weekly.models import Item, ItemKind


def restore_url(item) -> str:
    return f"/weeks/2026-11-23/items/{item.uuid}/restore/"


def test_it_brings_the_item_back_in_its_place_for_htmx(client, make_item):
    first = make_item("一")
    second = make_item("二")
    make_item("三")
    second.delete_softly()
    r = client.post(restore_url(second), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertNotContains(r, '<div class="undo"')
    assertNotContains(r, "<html")
    html = r.content.decode()
    assert html.index(f'id="item-{first.uuid}"') < html.index(f'id="item-{second.uuid}"')
    assert html.index(f'id="item-{second.uuid}"') < html.index(">三</a>")
    second.refresh_from_db()
    assert second.deleted_at is None
    assert second.revision == 3


def test_restoring_a_parent_brings_its_children_back(client, make_item):
    parent = make_item("問題", ItemKind.PROBLEM)
    child = make_item("対策", ItemKind.TRY, parent=parent)
    parent.delete_softly()
    r = client.post(restore_url(parent), headers=HTMX)
    assertContains(r, '<div id="section-problem"')
    assert f"item-{child.uuid}" in ids_inside(r, f"item-{parent.uuid}")


def test_it_redirects_to_the_section_without_javascript(client, make_item):
    item = make_item()
    item.delete_softly()
    r = client.post(restore_url(item))
    assertRedirects(r, "/weeks/2026-11-23/#keep", fetch_redirect_response=False)
    assert Item.objects.get().deleted_at is None


def test_restoring_a_live_item_changes_nothing(client, make_item):
    item = make_item()
    r = client.post(restore_url(item), headers=HTMX)
    assert r.status_code == 200
    item.refresh_from_db()
    assert item.revision == 1


def test_it_rejects_get(client, make_item):
    item = make_item()
    item.delete_softly()
    assert client.get(restore_url(item)).status_code == 405
    assert Item.objects.get().deleted_at is not None


def test_it_answers_404_for_another_users_item(client, make_item, other_user):
    bobs = make_item("ボブのKeep", user=other_user)
    bobs.delete_softly()
    assert client.post(restore_url(bobs), headers=HTMX).status_code == 404
    bobs.refresh_from_db()
    assert bobs.deleted_at is not None


def test_it_answers_404_for_an_item_of_another_week(client, make_week, make_item):
    item = make_item("先週のKeep", week=make_week(date(2026, 11, 16)))
    item.delete_softly()
    assert client.post(restore_url(item)).status_code == 404
    assert Item.objects.get().deleted_at is not None


def test_it_requires_a_csrf_token(client, make_item):
    item = make_item()
    item.delete_softly()
    client.handler.enforce_csrf_checks = True
    assert client.post(restore_url(item)).status_code == 403
    assert Item.objects.get().deleted_at is not None
