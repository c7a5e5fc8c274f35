from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import Week, WeeklyConflictCopy

URL = "/weeks/2026-11-23/edit/"


def form_data(**changes) -> dict:
    return {
        "title": "研究の一週間",
        "summary": "**「論文」**を読んだ。",
        "base_revision": 1,
    } | changes


def test_it_shows_the_form_fragment_for_htmx_without_making_a_week(client):
    r = client.get(URL, headers=HTMX)
    assertContains(r, '<form id="week-head" class="entry-form week-head"')
    assertContains(r, 'value="Weekly Report 2026/11/23-11/29"')
    assertContains(r, 'name="base_revision" value="1"')
    assertContains(r, 'hx-get="/weeks/2026-11-23/head/"')
    assertNotContains(r, "<html")
    assert not Week.objects.exists()


def test_it_shows_a_full_page_form_without_javascript(client, make_week):
    make_week(title="研究の一週間", summary="要約")
    r = client.get(URL)
    assertContains(r, "<html")
    assertContains(r, 'action="/weeks/2026-11-23/edit/"')
    assertContains(r, 'value="研究の一週間"')
    assertContains(r, "要約</textarea>")


def test_the_first_save_creates_the_week_and_returns_the_head(client, user):
    r = client.post(URL, form_data(), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<header id="week-head" class="week-head"')
    assertContains(r, '<h1 class="page-title">研究の一週間</h1>')
    assertContains(r, "<strong>「論文」</strong>を読んだ。")
    assertNotContains(r, "<html")
    week = Week.objects.get()
    assert (week.user, week.start_date, week.end_date) == (
        user,
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert (week.title, week.summary) == ("研究の一週間", "**「論文」**を読んだ。")
    assert week.summary_html == "<p><strong>「論文」</strong>を読んだ。</p>\n"
    assert week.revision == 2


def test_it_saves_an_existing_week(client, make_week, make_item):
    week = make_week()
    make_item()
    client.post(URL, form_data(base_revision=week.revision), headers=HTMX)
    week.refresh_from_db()
    assert week.title == "研究の一週間"
    assert Week.objects.count() == 1


def test_it_redirects_to_the_week_without_javascript(client):
    r = client.post(URL, form_data())
    assertRedirects(r, "/weeks/2026-11-23/", fetch_redirect_response=False)


def test_the_summary_may_be_empty(client):
    client.post(URL, form_data(summary=""))
    assert Week.objects.get().summary_html == ""


def test_a_missing_base_revision_saves_over_the_stored_week(client, make_week):
    make_week()
    client.post(URL, {"title": "上書き", "summary": ""})
    assert Week.objects.get().title == "上書き"


def test_a_stale_revision_answers_409_and_stores_a_conflict_copy(client, make_week):
    week = make_week()
    week.save_revision(1, title="先に保存した題", summary="先の要約")
    r = client.post(URL, form_data(title="遅れた題", summary="遅れて届いた要約"), headers=HTMX)
    assert r.status_code == 409
    assertContains(r, '<header id="week-head"', status_code=409)
    assertContains(r, "先に保存した題", status_code=409)
    assertContains(r, '<section class="conflict" role="alert"', status_code=409)
    assertContains(r, "遅れた題", status_code=409)
    assertContains(r, "遅れて届いた要約", status_code=409)
    assertContains(r, "/weeks/2026-11-23/edit/?merge=", status_code=409)
    assertNotContains(r, "<html", status_code=409)
    assert r.headers["X-Conflict-Location"] == "/weeks/2026-11-23/#week-head"
    copy = WeeklyConflictCopy.objects.get()
    assert (copy.kind, copy.week, copy.item, copy.note) == ("week", week, None, None)
    assert copy.fields == {"title": "遅れた題", "summary": "遅れて届いた要約"}
    week.refresh_from_db()
    assert (week.title, week.summary, week.revision) == ("先に保存した題", "先の要約", 2)


def test_a_stale_revision_without_javascript_shows_the_week_with_the_conflict(client, make_week):
    make_week().save_revision(1, title="先に保存した題")
    r = client.post(URL, form_data(title="遅れた題"))
    assert r.status_code == 409
    assertContains(r, "<html", status_code=409)
    assertContains(r, '<section class="conflict" role="alert"', status_code=409)
    assertContains(r, "遅れた題", status_code=409)


def test_the_merge_form_holds_both_summaries_and_saving_it_resolves_the_copy(client, make_week):
    make_week().save_revision(1, summary="先の要約")
    client.post(URL, form_data(summary="遅れて届いた要約"))
    copy = WeeklyConflictCopy.objects.get()
    r = client.get(f"{URL}?merge={copy.uuid}", headers=HTMX)
    assertContains(r, "先の要約\n\n---\n\n遅れて届いた要約</textarea>")
    client.post(URL, form_data(summary="まとめた要約", base_revision=2, merge=copy.uuid))
    assert Week.objects.get().summary == "まとめた要約"
    copy.refresh_from_db()
    assert copy.resolved_at is not None


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_title_is_an_error_and_makes_no_week(client, title):
    r = client.post(URL, form_data(title=title), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assertContains(r, "「論文」")
    assert not Week.objects.exists()


def test_an_overlong_title_is_an_error(client):
    r = client.post(URL, form_data(title="題" * 201), headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div class="field-errors" role="alert">')
    assert not Week.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-24", "2026-02-30"])
def test_a_date_that_does_not_start_a_week_is_404(client, day):
    assert client.get(f"/weeks/{day}/edit/").status_code == 404
    assert client.post(f"/weeks/{day}/edit/", form_data()).status_code == 404
    assert not Week.objects.exists()


def test_another_users_week_is_untouched(client, make_week, other_user):
    bobs = make_week(user=other_user, title="ボブの週")
    r = client.get(URL)
    assertNotContains(r, "ボブの週")
    client.post(URL, form_data())
    bobs.refresh_from_db()
    assert bobs.title == "ボブの週"
    assert Week.objects.count() == 2


def test_it_rejects_other_methods(client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


def test_it_requires_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    assert client.post(URL, form_data()).status_code == 403
    assert not Week.objects.exists()
