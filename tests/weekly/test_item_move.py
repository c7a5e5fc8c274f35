from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX, ids_inside
from weekly.models import Item, ItemKind


def move(client, item, direction, htmx=True, **fields):
    headers = HTMX if htmx else {}
    url = f"/weeks/2026-11-23/items/{item.uuid}/move/"
    return client.post(url, {"direction": direction, **fields}, headers=headers)


def order_of(*items) -> list[str]:
    """The texts of the given items' live siblings, in the order the list shows them."""
    first = Item.objects.get(pk=items[0].pk)
    return [item.text for item in first.siblings()]


@pytest.fixture
def three(make_item):
    return [make_item(text) for text in ("一", "二", "三")]


def test_up_swaps_with_the_sibling_above_and_returns_the_section(client, three):
    r = move(client, three[1], "up")
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertNotContains(r, "<html")
    assert order_of(*three) == ["二", "一", "三"]
    html = r.content.decode()
    assert html.index(f'id="item-{three[1].uuid}"') < html.index(f'id="item-{three[0].uuid}"')


def test_down_swaps_with_the_sibling_below(client, three):
    move(client, three[0], "down")
    assert order_of(*three) == ["二", "一", "三"]


def test_moves_bump_the_revision_of_both_items(client, three):
    move(client, three[0], "down")
    assert [Item.objects.get(pk=item.pk).revision for item in three] == [2, 2, 1]


def test_moving_past_the_ends_changes_nothing_and_says_so(client, three):
    for item, direction in ((three[0], "up"), (three[2], "down")):
        r = move(client, item, direction)
        assert r.status_code == 200
        assertContains(r, '<p class="notice" role="status">')
    assert order_of(*three) == ["一", "二", "三"]
    assert {item.revision for item in Item.objects.all()} == {1}


def test_moving_past_the_ends_without_javascript_redirects_with_a_message(client, three):
    r = move(client, three[0], "up", htmx=False)
    assertRedirects(r, "/weeks/2026-11-23/#keep", fetch_redirect_response=False)
    page = client.get(r["Location"])
    assertContains(page, '<li class="message info">')


def test_moves_stay_among_siblings(client, make_item):
    parent = make_item("親")
    only_child = make_item("一人っ子", parent=parent)
    make_item("親の弟")
    r = move(client, only_child, "down")
    assertContains(r, '<p class="notice" role="status">')
    only_child.refresh_from_db()
    assert only_child.parent == parent


def test_moves_skip_deleted_siblings(client, three):
    three[1].delete_softly()
    move(client, three[2], "up")
    assert order_of(three[0]) == ["三", "一"]


def test_moves_stay_within_the_section(client, make_item):
    make_item("Keep")
    problem = make_item("問題", ItemKind.PROBLEM)
    r = move(client, problem, "up")
    assertContains(r, '<div id="section-problem"')
    assertContains(r, '<p class="notice" role="status">')


def test_a_problem_and_a_try_are_siblings_in_one_section(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    try_ = make_item("対策", ItemKind.TRY)
    move(client, try_, "up")
    assert order_of(problem) == ["対策", "問題"]


def test_equal_positions_are_repaired_by_a_move(client, make_item):
    first = make_item("一")
    second = make_item("二", position=first.position)
    move(client, second, "up")
    assert order_of(first) == ["二", "一"]


def test_an_item_sharing_a_position_indents_under_the_one_listed_above(client, make_item):
    first = make_item("一")
    second = make_item("二", position=first.position)
    move(client, second, "indent")
    second.refresh_from_db()
    assert second.parent == first


def test_indent_nests_under_the_sibling_above(client, three):
    r = move(client, three[1], "indent")
    assert f"item-{three[1].uuid}" in ids_inside(r, f"item-{three[0].uuid}")
    three[1].refresh_from_db()
    assert three[1].parent == three[0]
    assert order_of(three[0]) == ["一", "三"]


def test_indent_goes_to_the_end_of_the_children_above(client, make_item):
    above = make_item("上")
    make_item("上の子", parent=above)
    item = make_item("下")
    move(client, item, "indent")
    assert order_of(Item.objects.get(text="上の子")) == ["上の子", "下"]


def test_indent_takes_the_children_along(client, make_item):
    make_item("上")
    item = make_item("下")
    child = make_item("下の子", parent=item)
    move(client, item, "indent")
    child.refresh_from_db()
    assert child.parent == item
    assert child.depth() == 2


def test_the_first_item_cannot_indent(client, three):
    r = move(client, three[0], "indent")
    assertContains(r, '<p class="notice" role="status">')
    three[0].refresh_from_db()
    assert three[0].parent is None


def test_indent_is_refused_beyond_three_levels(client, make_item):
    top = make_item("一段目")
    middle = make_item("二段目", parent=top)
    make_item("三段目", parent=middle)
    last = make_item("三段目の弟", parent=middle)
    r = move(client, last, "indent")
    assert r.status_code == 200
    assertContains(r, '<p class="notice" role="status">')
    last.refresh_from_db()
    assert (last.parent, last.revision) == (middle, 1)


def test_indent_counts_the_children_that_would_go_deeper(client, make_item):
    top = make_item("一段目")
    make_item("一段目の子", parent=top)
    item = make_item("二つ目")
    child = make_item("二つ目の子", parent=item)
    make_item("二つ目の孫", parent=child)
    move(client, item, "indent")
    item.refresh_from_db()
    assert item.parent is None


def test_outdent_puts_the_item_right_after_its_parent(client, make_item):
    parent = make_item("親")
    child = make_item("子", parent=parent)
    make_item("親の弟")
    r = move(client, child, "outdent")
    child.refresh_from_db()
    assert child.parent is None
    assert order_of(parent) == ["親", "子", "親の弟"]
    assert f"item-{child.uuid}" not in ids_inside(r, f"item-{parent.uuid}")


def test_outdent_at_the_top_level_is_refused(client, three):
    r = move(client, three[0], "outdent")
    assertContains(r, '<p class="notice" role="status">')


def test_a_try_outdented_from_its_problem_stays_a_try(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    try_ = make_item("対策", ItemKind.TRY, parent=problem)
    move(client, try_, "outdent")
    try_.refresh_from_db()
    assert (try_.parent, try_.kind) == (None, ItemKind.TRY)


def test_it_redirects_to_the_section_without_javascript(client, make_item):
    make_item("問題", ItemKind.PROBLEM)
    try_ = make_item("対策", ItemKind.TRY)
    r = move(client, try_, "indent", htmx=False)
    assertRedirects(r, "/weeks/2026-11-23/#problem", fetch_redirect_response=False)


def test_on_the_board_it_answers_with_the_board(client, three):
    r = move(client, three[1], "up", view="board")
    assertContains(r, '<div id="board" class="kpt-board">')


@pytest.mark.parametrize("direction", ["", "left", "UP", "sideways"])
def test_an_unknown_direction_is_400(client, three, direction):
    r = move(client, three[1], direction)
    assert r.status_code == 400
    assert order_of(*three) == ["一", "二", "三"]


def test_it_rejects_get(client, three):
    assert client.get(f"/weeks/2026-11-23/items/{three[0].uuid}/move/").status_code == 405


def test_it_answers_404_for_another_users_item(client, make_item, other_user):
    bobs = [make_item(text, user=other_user) for text in ("ボブの一", "ボブの二")]
    assert move(client, bobs[1], "up").status_code == 404
    assert order_of(*bobs) == ["ボブの一", "ボブの二"]


def test_it_answers_404_for_an_item_of_another_week(client, make_week, make_item):
    last_week = make_week(date(2026, 11, 16))
    items = [make_item(text, week=last_week) for text in ("一", "二")]
    assert move(client, items[1], "up").status_code == 404
    assert order_of(*items) == ["一", "二"]


def test_it_requires_a_csrf_token(client, three):
    client.handler.enforce_csrf_checks = True
    assert move(client, three[1], "up").status_code == 403
    assert order_of(*three) == ["一", "二", "三"]
