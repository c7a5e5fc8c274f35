from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import Item, ItemKind


def star_url(item) -> str:
    return f"/weeks/2026-11-23/items/{item.uuid}/star/"


def test_starring_a_problem_makes_it_a_try_and_returns_the_section(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    r = client.post(star_url(problem), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="section-problem"')
    assertContains(r, f'<div id="item-row-{problem.uuid}" class="item-row is-try"')
    assertNotContains(r, "<html")
    problem.refresh_from_db()
    assert problem.kind == ItemKind.TRY
    assert problem.revision == 2


def test_unstarring_a_try_makes_it_a_problem_again(client, make_item):
    try_ = make_item("23時に寝る", ItemKind.TRY)
    client.post(star_url(try_), headers=HTMX)
    try_.refresh_from_db()
    assert try_.kind == ItemKind.PROBLEM


def test_starring_keeps_the_place_in_the_tree(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    child = make_item("対策案", ItemKind.PROBLEM, parent=problem)
    client.post(star_url(child))
    child.refresh_from_db()
    assert (child.kind, child.parent, child.text) == (ItemKind.TRY, problem, "対策案")


def test_it_redirects_to_the_section_without_javascript(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    r = client.post(star_url(problem))
    assertRedirects(r, "/weeks/2026-11-23/#problem", fetch_redirect_response=False)


def test_a_keep_item_cannot_be_starred_and_says_so(client, make_item):
    keep = make_item("早起きできた")
    r = client.post(star_url(keep), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertContains(r, '<p class="notice" role="status">')
    keep.refresh_from_db()
    assert (keep.kind, keep.revision) == (ItemKind.KEEP, 1)


def test_a_keep_item_without_javascript_gets_the_notice_as_a_message(client, make_item):
    keep = make_item("早起きできた")
    r = client.post(star_url(keep), follow=True)
    assertContains(r, '<li class="message info">')
    assert Item.objects.get().kind == ItemKind.KEEP


def test_on_the_board_it_answers_with_the_board(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    r = client.post(star_url(problem), {"view": "board"}, headers=HTMX)
    assertContains(r, '<div id="board" class="kpt-board">')
    assertNotContains(r, "<html")
    r = client.post(star_url(problem), {"view": "board"})
    assertRedirects(r, "/weeks/2026-11-23/board/#problem", fetch_redirect_response=False)


def test_it_rejects_get(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    assert client.get(star_url(problem)).status_code == 405


def test_it_answers_404_for_another_users_item(client, make_item, other_user):
    bobs = make_item("ボブの問題", ItemKind.PROBLEM, user=other_user)
    assert client.post(star_url(bobs), headers=HTMX).status_code == 404
    bobs.refresh_from_db()
    assert bobs.kind == ItemKind.PROBLEM


def test_it_answers_404_for_an_item_of_another_week(client, make_week, make_item):
    problem = make_item("先週の問題", ItemKind.PROBLEM, week=make_week(date(2026, 11, 16)))
    assert client.post(star_url(problem)).status_code == 404
    assert Item.objects.get().kind == ItemKind.PROBLEM


def test_it_requires_a_csrf_token(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    client.handler.enforce_csrf_checks = True
    assert client.post(star_url(problem)).status_code == 403
    assert Item.objects.get().kind == ItemKind.PROBLEM
