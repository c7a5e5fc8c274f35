from datetime import date

import pytest
from pytest_django.asserts import assertContains


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        ("2026-11-23 01:30", "2026/11/22(日)"),
        ("2026-11-23 03:59", "2026/11/22(日)"),
        ("2026-11-23 04:00", "2026/11/23(月)"),
        ("2026-11-23 04:30", "2026/11/23(月)"),
    ],
)
def test_it_shows_the_diary_date_after_the_day_boundary(client, travel_to, moment, shown):
    travel_to(moment)
    r = client.get("/")
    assertContains(r, f">{shown}</time>")
    assertContains(r, '<span class="badge today">今日</span>')


def test_it_counts_in_the_owners_time_zone(client, user, travel_to):
    user.journal_settings.time_zone = "UTC"
    user.journal_settings.save()
    travel_to("2026-11-23 10:00")  # 01:00 UTC: before the boundary there
    assertContains(client.get("/"), ">2026/11/22(日)</time>")


def test_it_lists_todays_entries(client, make_entry, travel_to):
    travel_to("2026-11-23 09:00")
    make_entry(title="朝の散歩")
    assertContains(client.get("/"), "朝の散歩")


def test_the_header_shows_title_goal_and_this_weeks_worked_days(
    client, make_entry, other_user, travel_to
):
    now = travel_to("2026-11-25 12:00")  # a Wednesday; the week is 11/23 (Mon) – 11/29 (Sun)
    make_entry(date=date(2026, 11, 23), worked=True)
    make_entry(date=date(2026, 11, 23), worked=True)  # the same day counts once
    make_entry(date=date(2026, 11, 24), worked=True)
    make_entry(date=date(2026, 11, 25), worked=False)
    make_entry(date=date(2026, 11, 26), worked=True, deleted_at=now)
    make_entry(date=date(2026, 11, 27), worked=True, user=other_user)
    make_entry(date=date(2026, 11, 22), worked=True)  # last week
    make_entry(date=date(2026, 11, 30), worked=True)  # next week
    r = client.get("/")
    assertContains(r, 'class="brand" href="/">研究日記</a>')
    assertContains(r, '<p class="goal">1週間で3日稼働する</p>')
    assertContains(r, '<span class="dots" aria-hidden="true">●●○</span>')
    assertContains(r, '<span aria-hidden="true">2/3</span>')
    assertContains(r, "目標3日のうち2日稼働")


def test_worked_days_beyond_the_target_keep_adding_dots(client, user, make_entry, travel_to):
    user.journal_settings.weekly_target_days = 1
    user.journal_settings.save()
    travel_to("2026-11-25 12:00")
    make_entry(date=date(2026, 11, 23), worked=True)
    make_entry(date=date(2026, 11, 24), worked=True)
    r = client.get("/")
    assertContains(r, '<span class="dots" aria-hidden="true">●●</span>')
    assertContains(r, '<span aria-hidden="true">2/1</span>')


def test_the_week_follows_the_owners_week_start(client, user, make_entry, travel_to):
    user.journal_settings.week_start = 6  # Sunday: the week is 11/22 – 11/28
    user.journal_settings.save()
    travel_to("2026-11-25 12:00")
    make_entry(date=date(2026, 11, 22), worked=True)
    make_entry(date=date(2026, 11, 29), worked=True)
    assertContains(client.get("/"), '<span aria-hidden="true">1/3</span>')


def test_the_progress_counts_the_diary_week_of_now_not_of_the_calendar_day(
    client, make_entry, travel_to
):
    travel_to("2026-11-30 02:00")  # Monday 02:00 still belongs to Sunday 11/29
    make_entry(date=date(2026, 11, 29), worked=True)
    r = client.get("/")
    assertContains(r, ">2026/11/29(日)</time>")
    assertContains(r, '<span aria-hidden="true">1/3</span>')


def test_it_serves_only_safe_methods(client):
    assert client.post("/").status_code == 405
