from datetime import date, timedelta

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from journal.heatmap import Streak, week_streaks
from journal.models import Entry, JournalSettings
from journal.summaries import weeks_meeting


def cell(html: str, day: str) -> str:
    """The <td> of one day, e.g. cell(html, "2026-11-05")."""
    link = html.index(f'<a href="/days/{day}/"')
    return html[html.rindex("<td", 0, link) : html.index("</td>", link)]


def use_english(user) -> None:
    user.journal_settings.language = "en"
    user.journal_settings.save()


def test_it_marks_written_and_worked_days_by_how_much_was_written(client, make_entry, other_user):
    make_entry(date=date(2026, 3, 5))
    for _ in range(2):
        make_entry(date=date(2026, 3, 6), worked=True)
    for _ in range(4):
        make_entry(date=date(2026, 3, 7))
    make_entry(date=date(2026, 3, 8)).delete_softly()
    make_entry(date=date(2026, 3, 9), user=other_user, worked=True)
    html = client.get("/years/2026/").content.decode()
    assert cell(html, "2026-03-05").startswith('<td class="day is-written level-1">')
    assert cell(html, "2026-03-06").startswith('<td class="day is-written is-worked level-2">')
    assert cell(html, "2026-03-07").startswith('<td class="day is-written level-3">')
    assert cell(html, "2026-03-08").startswith('<td class="day">')
    assert cell(html, "2026-03-09").startswith('<td class="day">')


def test_each_day_has_a_label_with_its_date_entries_and_work(client, user, make_entry):
    use_english(user)
    for _ in range(2):
        make_entry(date=date(2026, 11, 23), worked=True)
    make_entry(date=date(2026, 11, 24))
    html = client.get("/years/2026/").content.decode()
    assert 'title="2026/11/23(Mon): 2 entries, worked"' in cell(html, "2026-11-23")
    assert 'title="2026/11/24(Tue): 1 entry"' in cell(html, "2026-11-24")
    assert 'title="2026/11/25(Wed): nothing written"' in cell(html, "2026-11-25")


def test_every_day_of_the_year_links_to_its_page_and_no_other(client):
    html = client.get("/years/2026/").content.decode()
    assert html.count('<a href="/days/2026-') == 365
    assert "/days/2025-12-31/" not in html
    assert "/days/2027-01-01/" not in html
    assert client.get("/years/2028/").content.decode().count('<a href="/days/2028-') == 366


def test_the_weeks_around_the_new_year_are_partly_blank(client):
    html = client.get("/years/2026/").content.decode()  # 2026-01-01 is a Thursday
    first_row = html[html.index('<th scope="row" class="wd-0">') :]
    cells = first_row[first_row.index("</th>") + 5 :].lstrip()
    assert cells.startswith('<td class="out"></td><td class="day"><a href="/days/2026-01-05/"')
    thursdays = html[html.index('<th scope="row" class="wd-3">') :]
    assert '<td class="out">' not in thursdays[: thursdays.index("2026-01-01")]


def test_rows_start_from_the_users_week_start(client, user):
    user.journal_settings.week_start = 6
    user.journal_settings.save()
    html = client.get("/years/2026/").content.decode()
    rows = [part[:1] for part in html.split('<th scope="row" class="wd-')[1:]]
    assert rows == ["6", "0", "1", "2", "3", "4", "5"]


def test_month_labels_link_to_their_months(client):
    r = client.get("/years/2026/")
    for month in range(1, 13):
        assertContains(r, f'<a href="/months/2026-{month:02d}/">{month}月</a>')


def test_it_marks_today(client, travel_to):
    travel_to("2026-11-25 12:00")
    html = client.get("/years/2026/").content.decode()
    assert cell(html, "2026-11-25").startswith('<td class="day is-today">')


def test_weeks_meeting_the_target_are_marked(client, make_entry):
    for day in (23, 24, 30):  # Monday 11/23 and Tuesday 11/24 worked; 11/30 the next week
        make_entry(date=date(2026, 11, day), worked=True)
    make_entry(date=date(2026, 11, 26), worked=True)
    r = client.get("/years/2026/")
    assertContains(r, '<td class="met"><a href="/weeks/2026-11-23/"', count=1)
    assertContains(r, '<td class="met">', count=1)


def test_a_week_across_the_new_year_counts_the_days_of_both_years(client, make_entry):
    # The week of Monday 2026-12-28 holds two days of 2027: three worked days in all meet
    # the target on both years' pages, though each page shows only its own days.
    for day in (date(2026, 12, 30), date(2027, 1, 1), date(2027, 1, 2)):
        make_entry(date=day, worked=True)
    for year in (2026, 2027):
        r = client.get(f"/years/{year}/")
        assertContains(r, '<td class="met"><a href="/weeks/2026-12-28/"', count=1)
        assertContains(r, '<a href="/days/2026-12-30/"', count=1 if year == 2026 else 0)
        assertContains(r, '<a href="/days/2027-01-01/"', count=1 if year == 2027 else 0)


def test_it_counts_days_written_and_worked_in_the_year(client, make_entry):
    make_entry(date=date(2026, 1, 1), worked=True)
    make_entry(date=date(2026, 1, 1))
    make_entry(date=date(2026, 6, 1))
    make_entry(date=date(2025, 12, 31), worked=True)  # in the first column, not the year
    html = client.get("/years/2026/").content.decode()
    assert "<dd>2</dd>" in html  # days written
    assert "<dd>1</dd>" in html  # days worked


def test_it_shows_the_current_and_longest_streaks(client, user, make_entry, travel_to):
    use_english(user)
    travel_to("2026-11-25 12:00")  # this week (from 11/23) has not met the target yet
    for monday in (date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19)):  # 3 weeks
        for day in range(3):
            make_entry(date=monday + timedelta(days=day), worked=True)
    for monday in (date(2026, 11, 9), date(2026, 11, 16)):  # 2 weeks, up to last week
        for day in range(3):
            make_entry(date=monday + timedelta(days=day), worked=True)
    r = client.get("/years/2026/")
    html = r.content.decode()
    assert "<dt>Current streak</dt><dd>2 weeks</dd>" in html
    assert "<dt>Longest streak</dt>\n        <dd>3 weeks" in html
    assertContains(r, '<a href="/weeks/2026-10-05/">2026/10/05(Mon)</a>')
    assertContains(r, '<a href="/weeks/2026-10-19/">2026/10/25(Sun)</a>')


def test_the_longest_streak_counts_over_all_years(client, user, make_entry, travel_to):
    use_english(user)
    travel_to("2026-11-25 12:00")
    for week in range(4):  # 2019/12/23 … 2020/01/13, across a new year
        monday = date(2019, 12, 23) + timedelta(weeks=week)
        for day in range(3):
            make_entry(date=monday + timedelta(days=day), worked=True)
    html = client.get("/years/2026/").content.decode()
    assert "<dt>Current streak</dt><dd>0 weeks</dd>" in html
    assert "<dd>4 weeks" in html


@pytest.fixture
def prefs(user) -> JournalSettings:
    return user.journal_settings


def worked_weeks(*mondays: date, days: int = 3) -> list[date]:
    return [monday + timedelta(days=n) for monday in mondays for n in range(days)]


def streaks(prefs: JournalSettings, worked: list[date], today: date) -> tuple[Streak, Streak]:
    """The streaks of a journal with a worked entry on each of the dates."""
    for day in worked:
        Entry.objects.create(user=prefs.user, date=day, worked=True)
    met = weeks_meeting(prefs.user, prefs.week_start, prefs.weekly_target_days)
    return week_streaks(prefs, met, today)


def test_streaks_count_consecutive_weeks_meeting_the_target(prefs):
    mondays = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    current, longest = streaks(prefs, worked_weeks(*mondays), date(2026, 11, 25))
    assert current == longest == Streak(4, date(2026, 11, 2), date(2026, 11, 23))


def test_a_week_short_of_the_target_breaks_the_streak(prefs):
    dates = worked_weeks(date(2026, 11, 2), date(2026, 11, 16)) + [date(2026, 11, 9)]
    current, longest = streaks(prefs, dates, date(2026, 11, 18))
    assert current == Streak(1, date(2026, 11, 16), date(2026, 11, 16))
    assert longest == Streak(1, date(2026, 11, 2), date(2026, 11, 2))  # the first of equals


def test_a_streak_that_ended_before_last_week_is_not_current(prefs):
    current, longest = streaks(prefs, worked_weeks(date(2026, 11, 2)), date(2026, 11, 18))
    assert current == Streak()
    assert longest.weeks == 1


def test_several_entries_on_a_day_count_once(prefs):
    dates = [date(2026, 11, 23)] * 3 + [date(2026, 11, 24)] * 2
    assert streaks(prefs, dates, date(2026, 11, 25)) == (Streak(), Streak())


def test_streaks_follow_a_sunday_week_start(prefs):
    prefs.week_start = 6
    # Sun 11/22, Mon 11/23, Tue 11/24: one Sunday week; a Monday week would split them 1 + 2.
    current, _ = streaks(prefs, worked_weeks(date(2026, 11, 22)), date(2026, 11, 25))
    assert current == Streak(1, date(2026, 11, 22), date(2026, 11, 22))


def test_it_links_the_previous_and_next_years_and_their_weeks(client):
    r = client.get("/years/2026/")
    assertContains(r, '<a href="/years/2025/" rel="prev">')
    assertContains(r, '<a href="/years/2027/" rel="next">')
    assertContains(r, '<a href="/weeks/?year=2026">')


def test_the_month_page_links_its_year(client):
    assertContains(client.get("/months/2026-11/"), '<a href="/years/2026/">')


def test_the_last_year_has_no_next_and_the_first_no_previous(client):
    assertNotContains(client.get("/years/9998/"), 'rel="next"')
    assertNotContains(client.get("/years/2/"), 'rel="prev"')


@pytest.mark.parametrize("year", ["0", "1", "9999", "99999", "-1", "abc", "2026-11", "1e3"])
def test_a_year_out_of_range_is_404(client, year):
    assert client.get(f"/years/{year}/").status_code == 404


def test_it_serves_only_safe_methods(client):
    assert client.post("/years/2026/").status_code == 405


@pytest.mark.parametrize("weeks", [1, 500])
def test_it_runs_the_same_queries_for_1_and_500_weeks_of_history(
    client, user, django_assert_num_queries, weeks
):
    Entry.objects.bulk_create(
        Entry(user=user, date=date(2026, 11, 23) - timedelta(days=day), worked=day % 2 == 0)
        for day in range(weeks * 7)
    )
    # session, user, settings; the year's days, every worked date; the header's worked days
    with django_assert_num_queries(5):
        r = client.get("/years/2026/")
    assert r.status_code == 200


def test_weeks_meeting_counts_live_worked_days_of_the_user_only(user, other_user, make_entry):
    prefs = user.journal_settings
    monday = date(2026, 11, 2)
    for n in range(3):
        make_entry(date=monday + timedelta(days=n), worked=True)
    make_entry(date=date(2026, 11, 9), worked=True)
    make_entry(date=date(2026, 11, 10), worked=True)
    make_entry(date=date(2026, 11, 11), worked=True).delete_softly()
    make_entry(date=date(2026, 11, 11), worked=False)
    for n in range(3):
        make_entry(date=date(2026, 11, 16) + timedelta(days=n), user=other_user, worked=True)
    met = weeks_meeting(user, prefs.week_start, 3)
    assert met == [(monday.toordinal() - 1) // 7]


@pytest.mark.parametrize("week_start", [0, 3, 6])
def test_weeks_meeting_numbers_weeks_like_python_over_the_whole_calendar(user, week_start):
    days = [date(2, 1, 1), date(1999, 12, 31), date(2026, 11, 23), date(9999, 12, 31)]
    for day in days:
        Entry.objects.create(user=user, date=day, worked=True)
    met = weeks_meeting(user, week_start, 1)
    assert met == [(day.toordinal() - 1 - week_start) // 7 for day in days]
