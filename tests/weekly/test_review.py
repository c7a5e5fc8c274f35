import json
from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import Item, ItemKind, Review, Week

LAST_WEEK = date(2026, 11, 16)


@pytest.fixture
def last_try(make_week, make_item):
    problem = make_item("会議が長い", ItemKind.PROBLEM, week=make_week(LAST_WEEK))
    return make_item("議題を先に送る", ItemKind.TRY, parent=problem)


def review(client, try_, htmx=True, **data):
    headers = HTMX if htmx else {}
    return client.post(f"/weeks/2026-11-23/review/{try_.uuid}/", data, headers=headers)


def this_weeks_items():
    return Item.objects.filter(week__start_date=date(2026, 11, 23))


@pytest.mark.parametrize("state", ["done", "not_done", "dropped"])
def test_it_records_the_review_and_returns_the_list(client, last_try, state):
    r = review(client, last_try, state=state)
    assert r.status_code == 200
    assertContains(r, '<div id="review-list" class="review-list">')
    assertContains(r, f'<div class="review-row state-{state}">')
    assertContains(r, f'<button name="state" value="{state}" aria-pressed="true">')
    assertContains(r, 'aria-pressed="true"', count=1)
    assertNotContains(r, "<html")
    assert json.loads(r.headers["HX-Trigger"]) == {"kpt-changed": {}}
    last_try.refresh_from_db()
    assert last_try.review == state
    assert last_try.revision == 2
    assert not Week.objects.filter(start_date=date(2026, 11, 23)).exists()


def test_the_review_shows_on_both_weeks(client, last_try):
    review(client, last_try, state="dropped")
    this_week = client.get("/weeks/2026-11-23/")
    assertContains(this_week, '<button name="state" value="dropped" aria-pressed="true">')
    last_week = client.get("/weeks/2026-11-16/")
    assertContains(last_week, '<span class="badge review-dropped">')


def test_a_try_can_be_reopened(client, last_try):
    review(client, last_try, state="done")
    review(client, last_try, state="open")
    last_try.refresh_from_db()
    assert last_try.review == Review.OPEN


def test_it_redirects_to_the_review_without_javascript(client, last_try):
    r = review(client, last_try, htmx=False, state="done")
    assertRedirects(r, "/weeks/2026-11-23/#review", fetch_redirect_response=False)


def test_a_done_try_offers_to_be_recorded_as_a_keep(client, last_try):
    r = review(client, last_try, state="done")
    assertContains(r, '<button name="follow_up" value="keep"')
    assertNotContains(r, 'value="carry"')


def test_a_try_not_done_offers_to_be_carried(client, last_try):
    r = review(client, last_try, state="not_done")
    assertContains(r, '<button name="follow_up" value="carry"')
    assertNotContains(r, 'name="follow_up" value="keep"')


def test_carrying_makes_one_try_in_this_week_creating_the_week(client, last_try):
    r = review(client, last_try, follow_up="carry")
    assert r.status_code == 200
    week = Week.objects.get(start_date=date(2026, 11, 23))
    assert week.end_date == date(2026, 11, 29)
    carried = this_weeks_items().get()
    assert (carried.kind, carried.text, carried.carried_from) == (
        ItemKind.TRY, "議題を先に送る", last_try,
    )  # fmt: skip
    assert carried.parent is None
    assertContains(r, '<span class="badge carried">')
    assert "kpt-changed" in r.headers["HX-Trigger"]
    last_try.refresh_from_db()
    assert last_try.review == Review.NOT_DONE


def test_carrying_twice_still_makes_one_try(client, last_try):
    review(client, last_try, state="not_done", follow_up="carry")
    review(client, last_try, follow_up="carry")
    assert this_weeks_items().count() == 1


def test_carrying_keeps_a_dropped_review(client, last_try):
    review(client, last_try, state="dropped", follow_up="carry")
    last_try.refresh_from_db()
    assert last_try.review == Review.DROPPED


def test_the_carried_try_shows_in_this_weeks_problem_section(client, last_try):
    review(client, last_try, follow_up="carry")
    carried = this_weeks_items().get()
    r = client.get("/weeks/2026-11-23/")
    html = r.content.decode()
    assert html.index(f'id="item-row-{carried.uuid}"') > html.index('id="section-problem"')
    assertContains(r, '<span class="badge carried"', count=2)


def test_carrying_again_after_deleting_the_carried_try_makes_a_new_one(client, last_try):
    review(client, last_try, follow_up="carry")
    this_weeks_items().get().delete_softly()
    review(client, last_try, follow_up="carry")
    assert this_weeks_items().filter(deleted_at__isnull=True).count() == 1


def test_recording_as_a_keep_makes_one_keep(client, last_try):
    review(client, last_try, state="done", follow_up="keep")
    r = review(client, last_try, follow_up="keep")
    kept = this_weeks_items().get()
    assert (kept.kind, kept.text, kept.carried_from) == (ItemKind.KEEP, "議題を先に送る", last_try)
    assertContains(r, '<span class="badge kept">')
    last_try.refresh_from_db()
    assert last_try.review == Review.DONE


def test_it_goes_into_an_existing_week(client, last_try, make_item):
    existing = make_item("今週のKeep")
    review(client, last_try, follow_up="keep")
    assert Week.objects.filter(start_date=date(2026, 11, 23)).count() == 1
    assert this_weeks_items().count() == 2
    assert existing.week.items.count() == 2


@pytest.mark.parametrize("data", [{"state": "finished"}, {"follow_up": "forget"}])
def test_an_unknown_state_or_follow_up_is_400(client, last_try, data):
    assert review(client, last_try, **data).status_code == 400
    last_try.refresh_from_db()
    assert last_try.review == Review.OPEN


@pytest.mark.parametrize("kind", [ItemKind.PROBLEM, ItemKind.KEEP])
def test_an_item_that_is_not_a_try_is_400(client, make_week, make_item, kind):
    item = make_item("先週の項目", kind, week=make_week(LAST_WEEK))
    r = review(client, item, state="done", follow_up="carry")
    assert r.status_code == 400
    item.refresh_from_db()
    assert item.review == Review.OPEN
    assert not this_weeks_items().exists()


@pytest.mark.parametrize("start", [date(2026, 11, 23), date(2026, 11, 9), date(2026, 11, 30)])
def test_a_try_of_a_week_other_than_the_previous_is_404(client, make_week, make_item, start):
    try_ = make_item("別の週のTry", ItemKind.TRY, week=make_week(start))
    r = review(client, try_, state="done", follow_up="carry")
    assert r.status_code == 404
    try_.refresh_from_db()
    assert try_.review == Review.OPEN
    assert Item.objects.count() == 1


def test_a_date_that_does_not_start_a_week_is_404(client, last_try):
    r = client.post(f"/weeks/2026-11-24/review/{last_try.uuid}/", {"state": "done"})
    assert r.status_code == 404


def test_another_users_try_is_404(client, make_week, make_item, other_user):
    bobs = make_item("ボブのTry", ItemKind.TRY, user=other_user,
                     week=make_week(LAST_WEEK, user=other_user))  # fmt: skip
    r = review(client, bobs, state="done", follow_up="keep")
    assert r.status_code == 404
    bobs.refresh_from_db()
    assert bobs.review == Review.OPEN
    assert Item.objects.count() == 1


def test_it_rejects_get(client, last_try):
    assert client.get(f"/weeks/2026-11-23/review/{last_try.uuid}/").status_code == 405


def test_it_requires_a_csrf_token(client, last_try):
    client.handler.enforce_csrf_checks = True
    assert review(client, last_try, state="done", follow_up="keep").status_code == 403
    last_try.refresh_from_db()
    assert last_try.review == Review.OPEN
    assert not this_weeks_items().exists()
