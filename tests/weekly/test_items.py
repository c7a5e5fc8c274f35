from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX, ids_inside
from weekly.models import Item, ItemKind, Week

URL = "/weeks/2026-11-23/items/"
CLIENT_UUID = "6b0f3c1e-2a4d-4e8f-9c7b-1d2e3f4a5b6c"


def add(client, text="早起きできた", section="keep", htmx=True, **fields):
    headers = HTMX if htmx else {}
    return client.post(URL, {"text": text, "section": section, **fields}, headers=headers)


def test_the_first_item_creates_the_week_with_its_dates(client, user):
    assert not Week.objects.exists()
    add(client)
    week = Week.objects.get()
    assert week.user == user
    assert week.start_date == date(2026, 11, 23)
    assert week.end_date == date(2026, 11, 29)
    assert week.title == "Weekly Report 2026/11/23-11/29"
    item = Item.objects.get()
    assert (item.week, item.kind, item.text, item.parent) == (
        week,
        ItemKind.KEEP,
        "早起きできた",
        None,
    )
    assert item.revision == 1


def test_with_sunday_weeks_the_week_ends_on_saturday(client, user):
    user.journal_settings.week_start = 6
    user.journal_settings.save()
    client.post("/weeks/2026-12-27/items/", {"text": "年末の大掃除", "section": "keep"})
    week = Week.objects.get()
    assert (week.start_date, week.end_date) == (date(2026, 12, 27), date(2027, 1, 2))


def test_a_later_item_goes_into_the_same_week_at_the_end(client, make_item):
    first = make_item("最初")
    add(client, "二つ目")
    second = Item.objects.get(text="二つ目")
    assert Week.objects.count() == 1
    assert second.week == first.week
    assert second.position > first.position


def test_it_returns_the_keep_section_for_htmx(client):
    r = add(client)
    item = Item.objects.get()
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertContains(r, f'id="item-row-{item.uuid}"')
    assertContains(r, 'id="add-keep-text"')
    assertNotContains(r, "<html")
    assert "HX-Request" in r.headers.get("Vary", "")


def test_it_returns_the_problem_section_for_htmx(client):
    r = add(client, "夜更かしした", section="problem")
    assertContains(r, '<div id="section-problem"')
    assertNotContains(r, 'id="section-keep"')
    assert Item.objects.get().kind == ItemKind.PROBLEM


def test_the_fresh_form_keeps_the_chosen_level(client, make_item):
    make_item()
    r = add(client, "子", depth="1")
    assertContains(r, '<option value="1" selected>')
    assertContains(r, 'value=""')


@pytest.mark.parametrize("section", ["keep", "problem"])
def test_it_redirects_to_the_section_without_javascript(client, section):
    r = add(client, section=section, htmx=False)
    assertRedirects(r, f"/weeks/2026-11-23/#{section}", fetch_redirect_response=False)


def test_a_try_is_a_starred_item_of_the_problem_section(client):
    r = add(client, "23時に寝る", section="problem", is_try="on")
    item = Item.objects.get()
    assert item.kind == ItemKind.TRY
    assertContains(r, f'<div id="item-row-{item.uuid}" class="item-row is-try"')


def test_is_try_means_nothing_in_the_keep_section(client):
    add(client, is_try="on")
    assert Item.objects.get().kind == ItemKind.KEEP


def test_stars_in_the_text_stay_text_and_the_item_stays_a_problem(client):
    add(client, "★★★の難易度", section="problem")
    item = Item.objects.get()
    assert item.text == "★★★の難易度"
    assert item.kind == ItemKind.PROBLEM


def test_newlines_in_the_text_become_spaces(client):
    add(client, "  一行目\n二行目\t ")
    assert Item.objects.get().text == "一行目 二行目"


def test_depth_puts_the_item_under_the_last_item_one_level_up(client, make_item):
    top = make_item("親")
    child = make_item("子", parent=top)
    make_item("二つ目の親")
    add(client, "最後の子", depth="1")
    assert Item.objects.get(text="最後の子").parent.text == "二つ目の親"
    add(client, "孫", depth="2")
    grandchild = Item.objects.get(text="孫")
    assert grandchild.parent == Item.objects.get(text="最後の子")
    assert grandchild.depth() == 2
    assert child.parent == top


def test_depth_is_clamped_to_one_level_below_the_last_item(client, make_item):
    make_item("親")
    add(client, "深すぎる", depth="2")
    item = Item.objects.get(text="深すぎる")
    assert item.parent.text == "親"
    assert item.depth() == 1


@pytest.mark.parametrize("depth", ["1", "2"])
def test_the_first_item_is_always_at_the_top(client, depth):
    r = add(client, depth=depth)
    assert r.status_code == 200
    assert Item.objects.get().parent is None


@pytest.mark.parametrize("depth", ["9", "-3", "深い"])
def test_a_level_not_offered_is_refused_and_the_text_kept(client, depth):
    r = add(client, depth=depth)
    assert r.status_code == 200
    assertContains(r, 'value="早起きできた"')
    assert not Item.objects.exists()


def test_depth_counts_within_the_section(client, make_item):
    make_item("Keep の親")
    add(client, "問題", section="problem", depth="1")
    assert Item.objects.get(text="問題").parent is None


def test_a_try_can_be_added_under_the_last_problem(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    r = add(client, "23時に寝る", section="problem", depth="1", is_try="on")
    try_ = Item.objects.get(text="23時に寝る")
    assert (try_.parent, try_.kind) == (problem, ItemKind.TRY)
    assert f"item-{try_.uuid}" in ids_inside(r, f"item-{problem.uuid}")


def test_deleted_items_are_not_parents(client, make_item):
    make_item("残る親")
    make_item("消えた親").delete_softly()
    add(client, "子", depth="1")
    assert Item.objects.get(text="子").parent.text == "残る親"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_item_rerenders_the_section_with_an_error(client, text):
    r = add(client, text)
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertContains(r, '<div class="field-errors" role="alert">')
    assertNotContains(r, "<html")
    assert not Item.objects.exists()
    assert not Week.objects.exists()


def test_an_empty_item_without_javascript_rerenders_the_week(client, make_item):
    make_item("既存のKeep")
    r = add(client, "", section="problem", htmx=False)
    assert r.status_code == 200
    assertContains(r, "<html")
    assertContains(r, "既存のKeep")
    html = r.content.decode()
    problem_section = html[html.index('id="section-problem"') :]
    assert '<div class="field-errors" role="alert">' in problem_section
    assert Item.objects.count() == 1


def test_an_overlong_item_is_refused_and_its_text_kept_in_the_form(client):
    huge = "あ" * 50_000
    r = add(client, huge)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assertContains(r, "50000")
    assertContains(r, f'value="{huge}"')
    assert not Item.objects.exists()


def test_an_overlong_problem_without_javascript_keeps_its_text(client):
    huge = "い" * 50_000
    r = add(client, huge, section="problem", htmx=False)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index(f'value="{huge}"') > html.index('id="section-problem"')
    assert not Item.objects.exists()


def test_an_unknown_section_is_an_error(client):
    r = add(client, section="try")
    assert r.status_code == 200
    assert not Item.objects.exists()


def test_it_uses_the_uuid_made_by_the_client(client):
    r = add(client, uuid=CLIENT_UUID)
    assert str(Item.objects.get().uuid) == CLIENT_UUID
    assertContains(r, f'id="item-row-{CLIENT_UUID}"')


def test_a_replayed_add_makes_one_item(client):
    add(client, uuid=CLIENT_UUID)
    r = add(client, uuid=CLIENT_UUID)
    assert r.status_code == 200
    assert Item.objects.count() == 1
    assertContains(r, f'id="item-row-{CLIENT_UUID}"', count=1)


def test_another_users_uuid_is_404(client, make_item, other_user):
    bobs = make_item("ボブのKeep", user=other_user)
    r = add(client, "乗っ取り", uuid=str(bobs.uuid))
    assert r.status_code == 404
    bobs.refresh_from_db()
    assert bobs.text == "ボブのKeep"
    assert Item.objects.count() == 1


@pytest.mark.parametrize("day", ["2026-11-24", "2026-11-29", "2026-02-30"])
def test_a_date_that_does_not_start_a_week_is_404(client, day):
    r = client.post(f"/weeks/{day}/items/", {"text": "x", "section": "keep"}, headers=HTMX)
    assert r.status_code == 404
    assert not Week.objects.exists()


def test_get_with_htmx_returns_a_section(client, make_item):
    keep = make_item()
    problem = make_item("問題", ItemKind.PROBLEM)
    r = client.get(f"{URL}?section=keep", headers=HTMX)
    assertContains(r, '<div id="section-keep"')
    assertContains(r, f'id="item-row-{keep.uuid}"')
    assertNotContains(r, f'id="item-row-{problem.uuid}"')
    assertNotContains(r, "<html")
    r = client.get(f"{URL}?section=problem", headers=HTMX)
    assertContains(r, f'id="item-row-{problem.uuid}"')


def test_get_of_an_empty_week_returns_an_empty_section_without_making_a_week(client):
    r = client.get(f"{URL}?section=problem", headers=HTMX)
    assertContains(r, '<div id="section-problem"')
    assert not Week.objects.exists()


@pytest.mark.parametrize("query", ["?section=keep", "?section=nonsense"])
def test_get_without_htmx_or_with_an_unknown_section_redirects_to_the_week(client, query):
    headers = HTMX if "nonsense" in query else {}
    r = client.get(f"{URL}{query}", headers=headers)
    assertRedirects(r, "/weeks/2026-11-23/", fetch_redirect_response=False)


def test_it_rejects_other_methods(client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


def test_it_requires_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    r = add(client)
    assert r.status_code == 403
    assert not Item.objects.exists()
    assert not Week.objects.exists()


def test_another_users_items_never_show_in_the_section(client, make_item, other_user):
    make_item("ボブのKeep", user=other_user)
    r = add(client, "アリスのKeep")
    assertContains(r, "アリスのKeep")
    assertNotContains(r, "ボブのKeep")
    assert Week.objects.filter(user=other_user).count() == 1
    assert Week.objects.count() == 2


def test_with_view_board_htmx_answers_with_the_board(client, make_item):
    make_item("既存のKeep")
    r = add(client, "新しい Try", section="problem", is_try="on", view="board")
    assertContains(r, '<div id="board" class="kpt-board">')
    assertContains(r, "既存のKeep")
    assertContains(r, "新しい Try")
    assertNotContains(r, 'id="section-problem"')
    assertNotContains(r, "<html")


def test_with_view_board_without_javascript_redirects_to_the_board(client):
    r = add(client, section="problem", view="board", htmx=False)
    assertRedirects(r, "/weeks/2026-11-23/board/#problem", fetch_redirect_response=False)


def test_an_empty_item_on_the_board_answers_with_the_board_and_a_notice(client, make_item):
    make_item("既存のKeep")
    r = add(client, "   ", section="keep", view="board")
    assert r.status_code == 200
    assertContains(r, '<div id="board" class="kpt-board">')
    assertContains(r, '<p class="notice board-notice" role="status">')
    assertContains(r, "既存のKeep")
    assertNotContains(r, 'id="section-keep"')
    assert Item.objects.count() == 1


def test_an_empty_item_on_the_board_without_javascript_shows_the_board(client):
    r = add(client, "", section="problem", view="board", htmx=False)
    assert r.status_code == 200
    assertContains(r, "<html")
    assertContains(r, '<div id="board" class="kpt-board">')
    assertContains(r, '<p class="notice board-notice" role="status">')
    assert not Item.objects.exists()
