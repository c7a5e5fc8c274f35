from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from journal.models import Photo
from tests.conftest import DAY


def test_it_lists_the_days_entries_in_position_order(client, make_entry):
    second = make_entry(title="午後の会議", position=2)
    first = make_entry(title="朝の散歩", position=1)
    r = client.get("/days/2026-11-23/")
    html = r.content.decode()
    assert html.index(f'id="entry-{first.uuid}"') < html.index(f'id="entry-{second.uuid}"')
    assertContains(r, "<strong>「データ整理」</strong>", count=2)


def test_it_leaves_out_deleted_entries_other_days_and_other_users(client, make_entry, other_user):
    make_entry(title="残っている記事")
    make_entry(title="消した記事").delete_softly()
    make_entry(title="前の日の記事", date=date(2026, 11, 22))
    make_entry(title="他人の日記", user=other_user)
    r = client.get("/days/2026-11-23/")
    assertContains(r, "残っている記事")
    assertNotContains(r, "消した記事")
    assertNotContains(r, "前の日の記事")
    assertNotContains(r, "他人の日記")


def test_it_says_when_nothing_is_written(client):
    assertContains(client.get("/days/2026-11-23/"), "この日はまだ何も書かれていません。")


def test_it_links_the_previous_and_next_days_and_the_month(client):
    r = client.get("/days/2026-11-23/")
    assertContains(r, '<a href="/days/2026-11-22/" rel="prev">← 2026/11/22(日)</a>')
    assertContains(r, '<a href="/days/2026-11-24/" rel="next">2026/11/24(火) →</a>')
    assertContains(r, '<a href="/months/2026-11/">2026年11月</a>')


def test_the_links_cross_a_year(client):
    r = client.get("/days/2027-01-01/")
    assertContains(r, 'href="/days/2026-12-31/" rel="prev"')
    assertContains(r, 'href="/days/2027-01-02/" rel="next"')


def test_it_offers_a_new_entry_form_for_the_day(client):
    r = client.get("/days/2026-11-23/")
    assertContains(r, '<form id="new-entry"')
    assertContains(r, 'action="/entries/new/"')
    assertContains(r, 'name="date" value="2026-11-23"')


def test_a_past_day_is_not_marked_today(client, travel_to):
    travel_to("2026-11-25 12:00")
    assertNotContains(client.get("/days/2026-11-23/"), '<span class="badge today">')
    assertContains(client.get("/days/2026-11-25/"), '<span class="badge today">')


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "abc", "2026-1-01", "2026-00-10"])
def test_an_impossible_date_is_404(client, day):
    assert client.get(f"/days/{day}/").status_code == 404


def test_it_serves_only_safe_methods(client):
    assert client.post("/days/2026-11-23/").status_code == 405


@pytest.mark.parametrize("rows", [1, 50])
def test_it_runs_the_same_queries_for_1_and_50_entries(
    client, make_entry, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_entry(worked=True)
    # session, user and settings, the entries, the header's worked days
    with django_assert_num_queries(4):
        r = client.get("/days/2026-11-23/")
    assert r.content.decode().count('class="entry is-worked"') == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_photos_and_open_conflicts_cost_one_query_each_for_any_number_of_entries(
    client, user, make_entry, make_conflict, django_assert_num_queries, rows
):
    for n in range(rows):
        entry = make_entry(title=f"記事 {n}")
        Photo.objects.create(user=user, entry=entry, sha256="0" * 64, width=64, height=48)
        make_conflict(entry, body=f"遅れて届いた版 {n}")
    with django_assert_num_queries(6):
        r = client.get("/days/2026-11-23/")
    html = r.content.decode()
    assert html.count('class="photo-list" data-gallery') == rows
    assert html.count('<section class="conflict" role="alert"') == rows


def test_a_deleted_entry_with_an_open_conflict_stays_with_the_conflict(
    client, entry, make_conflict
):
    make_conflict(entry, body="消える前に書いた版")
    entry.delete_softly()
    r = client.get("/days/2026-11-23/")
    assertContains(r, f'id="entry-{entry.uuid}"')
    assertContains(r, "この記事は別の端末で削除されました。")
    assertContains(r, "消える前に書いた版")
    assertContains(r, 'value="mine"')


def test_a_deleted_entry_whose_conflict_is_resolved_is_gone(client, entry, make_conflict):
    make_conflict(entry).mark_resolved()
    entry.delete_softly()
    assertNotContains(client.get("/days/2026-11-23/"), f'id="entry-{entry.uuid}"')


def test_it_offers_to_undo_a_deletion(client, entry):
    entry.delete_softly()
    r = client.get(f"/days/2026-11-23/?deleted={entry.uuid}")
    assertContains(r, "「雨の日の実験」を削除しました。")
    assertContains(r, f'action="/entries/{entry.uuid}/restore/"')


def test_it_offers_no_undo_for_a_live_or_another_users_entry(client, entry, other_entry):
    other_entry.delete_softly()
    for uuid in (entry.uuid, other_entry.uuid):
        r = client.get(f"/days/2026-11-23/?deleted={uuid}")
        assertNotContains(r, "を削除しました。")
        assertNotContains(r, "/restore/")


@pytest.mark.parametrize("garbage", ["xyz", "", "00000000-0000-0000-0000-000000000000"])
def test_a_garbage_undo_parameter_is_ignored(client, entry, garbage):
    r = client.get(f"/days/2026-11-23/?deleted={garbage}")
    assertContains(r, entry.title)
    assertNotContains(r, "を削除しました。")


def test_the_day_is_shown_in_the_page_title(client):
    assertContains(client.get(f"/days/{DAY}/"), "<title>2026/11/23(月) · 研究日記</title>")
