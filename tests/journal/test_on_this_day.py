from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from journal.models import Entry


def on_this_day(response) -> str:
    html = response.content.decode()
    if 'class="on-this-day"' not in html:
        return ""
    begin = html.index('<section class="on-this-day"')
    return html[begin : html.index("</section>", begin)]


def test_today_shows_entries_of_the_same_date_in_earlier_years(client, make_entry, travel_to):
    travel_to("2026-11-23 12:00")
    last_year = make_entry(date=date(2025, 11, 23), title="去年の今日")
    long_ago = make_entry(date=date(2019, 11, 23), title="七年前の今日")
    make_entry(date=date(2025, 11, 22), title="前の日")
    make_entry(date=date(2025, 12, 23), title="次の月")
    make_entry(date=date(2024, 11, 23), title="消した記事").delete_softly()
    make_entry(title="今日の記事")
    section = on_this_day(client.get("/"))
    assert (
        f'<a href="/days/2025-11-23/#entry-{last_year.uuid}">'
        '<time datetime="2025-11-23">2025/11/23(日)</time> 去年の今日</a>'
    ) in section
    assert f'href="/days/2019-11-23/#entry-{long_ago.uuid}"' in section
    assert section.index("去年の今日") < section.index("七年前の今日")  # newest first
    for title in ("前の日", "次の月", "消した記事", "今日の記事"):
        assert title not in section


def test_nothing_is_shown_when_there_is_nothing(client, make_entry, travel_to):
    travel_to("2026-11-23 12:00")
    make_entry(date=date(2025, 11, 24))
    assertNotContains(client.get("/"), "on-this-day")


def test_another_users_entries_are_not_shown(client, make_entry, other_user, travel_to):
    travel_to("2026-11-23 12:00")
    make_entry(date=date(2025, 11, 23), user=other_user, title="他人の日記")
    assertNotContains(client.get("/"), "他人の日記")


def test_only_the_today_page_shows_it(client, make_entry, travel_to):
    travel_to("2026-11-23 12:00")
    make_entry(date=date(2025, 11, 23), title="去年の今日")
    assertNotContains(client.get("/days/2026-11-23/"), "on-this-day")
    assertNotContains(client.get("/days/2026-11-24/"), "on-this-day")


def test_it_follows_the_day_boundary(client, make_entry, travel_to):
    travel_to("2026-11-24 01:30")  # still the 23rd in the diary
    make_entry(date=date(2025, 11, 23), title="去年の23日")
    make_entry(date=date(2025, 11, 24), title="去年の24日")
    section = on_this_day(client.get("/"))
    assert "去年の23日" in section
    assert "去年の24日" not in section


def test_an_untitled_entry_is_still_a_link(client, make_entry, travel_to):
    travel_to("2026-11-23 12:00")
    make_entry(date=date(2025, 11, 23), title="")
    assertContains(client.get("/"), "2025/11/23(日)</time> (無題)</a>")


@pytest.mark.parametrize(
    ("today", "shown", "hidden"),
    [
        # February 29 shows the earlier February 29ths only
        ("2028-02-29 12:00", ["2024-02-29"], ["2027-02-28", "2027-03-01"]),
        # February 28 of a year without a 29th also remembers the 29ths
        ("2027-02-28 12:00", ["2024-02-29", "2026-02-28", "2024-02-28"], ["2026-03-01"]),
        # in a leap year the 28th is only the 28th: the 29th comes tomorrow
        ("2028-02-28 12:00", ["2027-02-28"], ["2024-02-29"]),
        ("2027-03-01 12:00", ["2026-03-01"], ["2024-02-29"]),
    ],
)
def test_february_29(client, user, travel_to, today, shown, hidden):
    travel_to(today)
    client.force_login(user)  # a session made today would have expired by then
    for day in {*shown, *hidden}:
        Entry.objects.create(user=user, date=date.fromisoformat(day), title=f"記事{day}")
    section = on_this_day(client.get("/"))
    for day in shown:
        assert f"記事{day}" in section, day
    for day in hidden:
        assert f"記事{day}" not in section, day


def test_it_is_one_query_on_the_today_page(
    client, make_entry, travel_to, django_assert_num_queries
):
    travel_to("2026-11-23 12:00")
    make_entry(title="今日の記事")
    for year in range(2000, 2026):
        make_entry(date=date(year, 11, 23), title=f"{year}年の今日")
    # the day page's four (today's entries: one query), this date's entries in earlier years,
    # and the list of open conflicts that only today's page shows
    with django_assert_num_queries(6):
        r = client.get("/")
    assert on_this_day(r).count("<li>") == 26
