import re
from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import HTMX
from weekly.models import Item, ItemKind

URL = "/weeks/2026-11-23/board/"


def column(response, name: str) -> str:
    """The HTML of one column of the board: keep, problem or try."""
    html = response.content.decode()
    start = html.index(f'class="board-col col-{name}"')
    return html[start : html.index("</section>", start)]


def rows(column_html: str) -> list[tuple[int, str]]:
    """(depth, text) of each item listed in a column."""
    found = re.findall(r'<li class="depth-(\d)">(.*?)</li>', column_html, re.DOTALL)
    return [(int(depth), re.sub(r"<[^>]+>", "", text).strip()) for depth, text in found]


def test_it_shows_the_items_in_three_columns(client, make_item):
    keep = make_item("早起きできた")
    make_item("6時に起きた", parent=keep)
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    make_item("23時に寝る", ItemKind.TRY, parent=problem)
    make_item("ひとりの Try", ItemKind.TRY)
    r = client.get(URL)
    assert r.status_code == 200
    assertContains(r, '<div id="board" class="kpt-board">')
    keep_column, problem_column, try_column = (
        column(r, name) for name in ("keep", "problem", "try")
    )
    assert rows(keep_column) == [(0, "早起きできた"), (1, "6時に起きた")]
    assert "夜更かしした" in problem_column
    assert "23時に寝る" not in problem_column
    assert "23時に寝る" in try_column
    assert "ひとりの Try" in try_column
    assert "早起きできた" not in problem_column + try_column


def test_a_try_under_a_problem_shows_the_problem(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    make_item("23時に寝る", ItemKind.TRY, parent=problem)
    assert '<span class="hint answers">← 夜更かしした</span>' in column(client.get(URL), "try")


def test_a_reviewed_try_shows_its_state(client, make_item):
    make_item("23時に寝る", ItemKind.TRY, review="done")
    assert '<span class="badge review-done">' in column(client.get(URL), "try")


def test_problems_and_tries_have_star_buttons_for_the_board(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    r = client.get(URL)
    assertContains(r, f'hx-post="/weeks/2026-11-23/items/{problem.uuid}/star/" hx-target="#board"')
    assertContains(r, '<input type="hidden" name="view" value="board">', count=4)


def test_each_column_has_an_add_form(client):
    r = client.get(URL)
    assertContains(r, 'id="board-add-keep"')
    assertContains(r, 'id="board-add-problem"')
    assertContains(r, 'id="board-add-problem-try"')
    assertContains(r, '<input type="hidden" name="is_try" value="on">', count=1)


def test_it_leaves_out_deleted_items_and_other_weeks_and_users(
    client, make_week, make_item, other_user
):
    make_item("消したKeep").delete_softly()
    make_item("先週のKeep", week=make_week(date(2026, 11, 16)))
    make_item("ボブのKeep", user=other_user)
    r = client.get(URL)
    for text in ("消したKeep", "先週のKeep", "ボブのKeep"):
        assertNotContains(r, text)


def test_an_unsaved_week_has_an_empty_board(client):
    r = client.get(URL)
    assert r.status_code == 200
    assertContains(r, "Weekly Report 2026/11/23-11/29")


def test_adding_from_the_board_with_htmx_returns_the_board(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    r = client.post(
        "/weeks/2026-11-23/items/",
        {"text": "23時に寝る", "section": "problem", "is_try": "on", "view": "board"},
        headers=HTMX,
    )
    assertContains(r, '<div id="board" class="kpt-board">')
    assertNotContains(r, "<html")
    assert "23時に寝る" in column(r, "try")
    assert "夜更かしした" in column(r, "problem")
    assert Item.objects.get(text="23時に寝る").parent is None
    assert problem.children.count() == 0


def test_starring_on_the_board_moves_an_item_to_the_try_column(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    r = client.post(
        f"/weeks/2026-11-23/items/{problem.uuid}/star/", {"view": "board"}, headers=HTMX
    )
    assert "夜更かしした" in column(r, "try")
    assert "夜更かしした" not in column(r, "problem")


@pytest.mark.parametrize("day", ["2026-11-24", "2026-02-30"])
def test_a_date_that_does_not_start_a_week_is_404(client, day):
    assert client.get(f"/weeks/{day}/board/").status_code == 404


def test_it_rejects_post(client):
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("count", [1, 60])
def test_it_runs_the_same_queries_for_1_and_60_items(
    client, make_item, django_assert_num_queries, count
):
    problem = None
    for n in range(count):
        if n % 3 == 0:
            problem = make_item(f"問題 {n}", ItemKind.PROBLEM)
        else:
            make_item(f"対策 {n}", ItemKind.TRY, parent=problem)
    with django_assert_num_queries(5):
        client.get(URL)
