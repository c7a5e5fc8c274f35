from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX, ids_inside
from weekly.models import Item, ItemKind, WeeklyConflictCopy


def edit_url(item) -> str:
    return f"/weeks/2026-11-23/items/{item.uuid}/edit/"


def form_data(item, **changes) -> dict:
    return {"text": item.text, "base_revision": item.revision} | changes


def test_it_shows_the_form_fragment_for_htmx(client, make_item):
    item = make_item("早起きできた")
    r = client.get(edit_url(item), headers=HTMX)
    assertContains(r, f'<form id="item-row-{item.uuid}" class="item-row item-edit"')
    assertContains(r, 'value="早起きできた"')
    assertContains(r, 'name="base_revision" value="1"')
    assertContains(r, f'hx-get="/weeks/2026-11-23/items/{item.uuid}/"')
    assertNotContains(r, "<html")


def test_it_shows_a_full_page_form_without_javascript(client, make_item):
    item = make_item("早起きできた")
    r = client.get(edit_url(item))
    assertContains(r, "<html")
    assertContains(r, f'action="/weeks/2026-11-23/items/{item.uuid}/edit/"')
    assertContains(r, '<a href="/weeks/2026-11-23/">Weekly Report 2026/11/23-11/29</a>')


def test_it_saves_and_returns_the_row_for_htmx(client, make_item):
    item = make_item("早起きできた")
    r = client.post(edit_url(item), form_data(item, text="5時に起きた"), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, f'<div id="item-row-{item.uuid}" class="item-row"')
    assertContains(r, "5時に起きた")
    assertNotContains(r, "<html")
    item.refresh_from_db()
    assert item.text == "5時に起きた"
    assert item.revision == 2


def test_it_redirects_to_the_item_without_javascript(client, make_item):
    item = make_item()
    r = client.post(edit_url(item), form_data(item, text="新しい文"))
    assertRedirects(r, f"/weeks/2026-11-23/#item-{item.uuid}", fetch_redirect_response=False)
    item.refresh_from_db()
    assert item.text == "新しい文"


def test_editing_keeps_the_kind_and_the_place(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    try_ = make_item("★ではない文", ItemKind.TRY, parent=problem)
    client.post(edit_url(try_), form_data(try_, text="★★★の難易度"), headers=HTMX)
    try_.refresh_from_db()
    assert (try_.text, try_.kind, try_.parent) == ("★★★の難易度", ItemKind.TRY, problem)


def test_a_stale_revision_answers_409_and_stores_a_conflict_copy(client, make_item):
    item = make_item("元の文")
    item.save_revision(1, text="先に保存した文")
    r = client.post(
        edit_url(item), form_data(item, text="遅れて届いた文", base_revision=1), headers=HTMX
    )
    assert r.status_code == 409
    # The row as it is now, with the losing text kept under it and the ways to resolve it.
    assertContains(
        r, f'<div id="item-row-{item.uuid}" class="item-row has-conflict"', status_code=409
    )
    assertContains(r, "先に保存した文", status_code=409)
    assertContains(r, '<section class="conflict" role="alert"', status_code=409)
    assertContains(r, "遅れて届いた文", status_code=409)
    assertContains(r, 'hx-target="#section-keep"', status_code=409)
    assertContains(r, f"/items/{item.uuid}/edit/?merge=", status_code=409)
    assertNotContains(r, "<html", status_code=409)
    assert r.headers["X-Conflict-Location"] == f"/weeks/2026-11-23/#item-{item.uuid}"
    copy = WeeklyConflictCopy.objects.get()
    assert (copy.kind, copy.item, copy.week, copy.base_revision) == ("item", item, item.week, 1)
    assert copy.fields == {"text": "遅れて届いた文"}
    assert copy.resolved_at is None
    item.refresh_from_db()
    assert (item.text, item.revision) == ("先に保存した文", 2)


def test_saving_again_after_a_conflict_wins(client, make_item):
    item = make_item("元の文")
    item.save_revision(1, text="先に保存した文")
    client.post(edit_url(item), form_data(item, text="遅れて届いた文", base_revision=1))
    client.post(edit_url(item), form_data(item, text="遅れて届いた文", base_revision=2))
    item.refresh_from_db()
    assert item.text == "遅れて届いた文"


def test_a_stale_revision_without_javascript_shows_the_week_with_the_conflict(client, make_item):
    item = make_item("元の文")
    item.save_revision(1, text="先に保存した文")
    r = client.post(edit_url(item), form_data(item, text="遅れて届いた文", base_revision=1))
    assert r.status_code == 409
    assertContains(r, "<html", status_code=409)
    assertContains(r, '<section class="conflict" role="alert"', status_code=409)
    assertContains(r, "遅れて届いた文", status_code=409)
    assert WeeklyConflictCopy.objects.get().fields == {"text": "遅れて届いた文"}


def test_editing_a_deleted_item_answers_409_and_keeps_the_text(client, make_item):
    item = make_item("元の文")
    item.delete_softly()
    r = client.post(
        edit_url(item), form_data(item, text="消えた後の編集", base_revision=1), headers=HTMX
    )
    assert r.status_code == 409
    assertContains(r, "別の端末で削除されました", status_code=409)
    assertNotContains(r, "?merge=", status_code=409)  # nothing to merge into
    item.refresh_from_db()
    assert item.text == "元の文"
    assert WeeklyConflictCopy.objects.get().fields == {"text": "消えた後の編集"}


def test_the_merge_form_holds_both_texts_and_saving_it_resolves_the_copy(client, make_item):
    item = make_item("元の文")
    item.save_revision(1, text="先に保存した文")
    client.post(edit_url(item), form_data(item, text="遅れて届いた文", base_revision=1))
    copy = WeeklyConflictCopy.objects.get()
    r = client.get(f"{edit_url(item)}?merge={copy.uuid}", headers=HTMX)
    assertContains(r, 'value="先に保存した文 / 遅れて届いた文"')
    assertContains(r, f'name="merge" value="{copy.uuid}"')
    r = client.post(
        edit_url(item), form_data(item, text="両方の文", base_revision=2, merge=copy.uuid)
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.text == "両方の文"
    copy.refresh_from_db()
    assert copy.resolved_at is not None


@pytest.mark.parametrize("text", ["", "  "])
def test_an_empty_text_rerenders_with_an_error(client, make_item, text):
    item = make_item("元の文")
    r = client.post(edit_url(item), form_data(item, text=text), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    item.refresh_from_db()
    assert (item.text, item.revision) == ("元の文", 1)


def test_an_overlong_text_rerenders_and_keeps_the_text(client, make_item):
    item = make_item("元の文")
    huge = "長" * 50_000
    r = client.post(edit_url(item), form_data(item, text=huge), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, "50000")
    assertContains(r, huge)
    item.refresh_from_db()
    assert item.text == "元の文"


def test_a_missing_base_revision_is_an_error(client, make_item):
    item = make_item("元の文")
    r = client.post(edit_url(item), {"text": "新しい文"}, headers=HTMX)
    assert r.status_code == 200
    item.refresh_from_db()
    assert item.text == "元の文"


def test_then_indent_saves_then_nests_and_retargets_the_section(client, make_item):
    above = make_item("上の項目")
    item = make_item("下の項目")
    r = client.post(
        edit_url(item), form_data(item, text="保存して字下げ", then="indent"), headers=HTMX
    )
    assert r.status_code == 200
    assert r.headers["HX-Retarget"] == "#section-keep"
    assert r.headers["HX-Reswap"] == "outerHTML"
    assertContains(r, '<div id="section-keep"')
    assert f"item-{item.uuid}" in ids_inside(r, f"item-{above.uuid}")
    html = r.content.decode()
    row = html[html.index(f'id="item-row-{item.uuid}"') :]
    assert "data-focus" in row[: row.index("<details")]  # the moved item keeps the focus
    assertContains(r, "data-focus", count=1)
    item.refresh_from_db()
    assert (item.text, item.parent) == ("保存して字下げ", above)


def test_then_outdent_in_the_problem_section_retargets_it(client, make_item):
    problem = make_item("問題", ItemKind.PROBLEM)
    try_ = make_item("対策", ItemKind.TRY, parent=problem)
    r = client.post(edit_url(try_), form_data(try_, then="outdent"), headers=HTMX)
    assert r.headers["HX-Retarget"] == "#section-problem"
    try_.refresh_from_db()
    assert try_.parent is None


def test_then_a_refused_move_still_saves_and_says_why(client, make_item):
    item = make_item("最初の項目")
    r = client.post(
        edit_url(item), form_data(item, text="字下げできない", then="indent"), headers=HTMX
    )
    assert r.status_code == 200
    assertContains(r, '<p class="notice" role="status">')
    item.refresh_from_db()
    assert (item.text, item.parent) == ("字下げできない", None)


def test_then_indent_without_javascript_redirects_to_the_section(client, make_item):
    make_item("上の項目")
    item = make_item("下の項目")
    r = client.post(edit_url(item), form_data(item, then="indent"))
    assertRedirects(r, "/weeks/2026-11-23/#keep", fetch_redirect_response=False)
    item.refresh_from_db()
    assert item.parent is not None


def test_an_unknown_then_just_saves(client, make_item):
    item = make_item()
    r = client.post(edit_url(item), form_data(item, text="保存だけ", then="explode"), headers=HTMX)
    assert r.status_code == 200
    assert "HX-Retarget" not in r.headers
    assertContains(r, f'<div id="item-row-{item.uuid}"')


def test_it_rejects_other_methods(client, make_item):
    item = make_item()
    assert client.put(edit_url(item)).status_code == 405
    assert client.delete(edit_url(item)).status_code == 405


def test_it_answers_404_for_a_missing_item(client, make_week):
    make_week()
    r = client.get("/weeks/2026-11-23/items/00000000-0000-0000-0000-000000000000/edit/")
    assert r.status_code == 404


def test_it_answers_404_for_another_users_item(client, make_item, other_user):
    bobs = make_item("ボブのKeep", user=other_user)
    assert client.get(edit_url(bobs)).status_code == 404
    assert client.post(edit_url(bobs), form_data(bobs, text="乗っ取り")).status_code == 404
    bobs.refresh_from_db()
    assert bobs.text == "ボブのKeep"


def test_it_answers_404_for_an_item_of_another_week(client, make_week, make_item):
    item = make_item("先週のKeep", week=make_week(date(2026, 11, 16)))
    r = client.post(edit_url(item), form_data(item, text="書き換え"))
    assert r.status_code == 404
    assert Item.objects.get().text == "先週のKeep"


def test_it_requires_a_csrf_token(client, make_item):
    item = make_item("元の文")
    client.handler.enforce_csrf_checks = True
    r = client.post(edit_url(item), form_data(item, text="x"))
    assert r.status_code == 403
    assert Item.objects.get().text == "元の文"
