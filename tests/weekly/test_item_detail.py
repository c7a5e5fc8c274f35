from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import ItemKind


def test_it_returns_the_item_row_for_htmx(client, make_item):
    item = make_item("早起きできた")
    r = client.get(f"/weeks/2026-11-23/items/{item.uuid}/", headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<div id="item-row-{item.uuid}" class="item-row"')
    assertContains(r, "早起きできた")
    assertContains(r, f'href="/weeks/2026-11-23/items/{item.uuid}/edit/"')
    assertNotContains(r, "<html")


def test_a_try_row_has_a_pressed_star_and_its_review(client, make_item):
    try_ = make_item("23時に寝る", ItemKind.TRY, review="dropped")
    r = client.get(f"/weeks/2026-11-23/items/{try_.uuid}/", headers=HTMX)
    assertContains(r, 'class="item-row is-try"')
    assertContains(r, 'aria-pressed="true"')
    assertContains(r, '<span class="badge review-dropped">')


def test_it_redirects_to_the_item_on_the_week_without_javascript(client, make_item):
    item = make_item()
    r = client.get(f"/weeks/2026-11-23/items/{item.uuid}/")
    assertRedirects(r, f"/weeks/2026-11-23/#item-{item.uuid}", fetch_redirect_response=False)


def test_it_rejects_other_methods(client, make_item):
    item = make_item()
    assert client.post(f"/weeks/2026-11-23/items/{item.uuid}/").status_code == 405


def test_it_answers_404_for_a_missing_item(client, make_week):
    make_week()
    r = client.get("/weeks/2026-11-23/items/00000000-0000-0000-0000-000000000000/", headers=HTMX)
    assert r.status_code == 404


def test_it_answers_404_for_another_users_item(client, make_item, other_user):
    bobs = make_item("ボブのKeep", user=other_user)
    assert client.get(f"/weeks/2026-11-23/items/{bobs.uuid}/", headers=HTMX).status_code == 404


def test_it_answers_404_for_an_item_of_another_week(client, make_week, make_item):
    item = make_item("先週のKeep", week=make_week(date(2026, 11, 16)))
    assert client.get(f"/weeks/2026-11-23/items/{item.uuid}/", headers=HTMX).status_code == 404
    assert client.get(f"/weeks/2026-11-16/items/{item.uuid}/", headers=HTMX).status_code == 200
