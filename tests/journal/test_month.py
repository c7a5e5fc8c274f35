from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains


def cell(html: str, day: str) -> str:
    """The <td> of one day, e.g. cell(html, "2026-11-05")."""
    link = html.index(f'<a href="/days/{day}/"')
    return html[html.rindex("<td", 0, link) : html.index("</td>", link)]


def test_it_marks_written_and_worked_days(client, make_entry, other_user, travel_to):
    travel_to("2026-11-25 12:00")
    make_entry(date=date(2026, 11, 5))
    make_entry(date=date(2026, 11, 12), worked=True)
    make_entry(date=date(2026, 11, 19)).delete_softly()
    make_entry(date=date(2026, 11, 20), user=other_user, worked=True)
    html = client.get("/months/2026-11/").content.decode()
    assert 'class=" is-written"' in cell(html, "2026-11-05")
    assert 'class=" is-written is-worked"' in cell(html, "2026-11-12")
    assert "is-written" not in cell(html, "2026-11-19")
    assert "is-written" not in cell(html, "2026-11-20")
    assert "2日記入" in html


def test_it_links_every_day_to_its_page(client):
    r = client.get("/months/2026-11/")
    for day in range(1, 31):
        assertContains(r, f'<a href="/days/2026-11-{day:02d}/"')


def test_it_links_the_previous_and_next_months(client):
    r = client.get("/months/2026-12/")
    assertContains(r, '<a href="/months/2026-11/" rel="prev">← 2026年11月</a>')
    assertContains(r, '<a href="/months/2027-01/" rel="next">2027年1月 →</a>')
    assertContains(r, '<h1 class="day-title">2026年12月</h1>')


def test_a_month_after_the_31st_day_skips_to_the_right_month(client):
    assertContains(client.get("/months/2027-01/"), 'href="/months/2027-02/" rel="next"')
    assertContains(client.get("/months/2027-03/"), 'href="/months/2027-02/" rel="prev"')


def test_weeks_start_on_monday_by_default(client):
    html = client.get("/months/2026-11/").content.decode()
    assert html.index('<th scope="col" class="wd-0">月</th>') < html.index('class="wd-6">日</th>')
    # November 2026 starts on a Sunday: the first row starts with Monday 10/26.
    assert html.index('href="/days/2026-10-26/"') < html.index('href="/days/2026-11-01/"')


def test_a_sunday_week_start_puts_sunday_first(client, user):
    user.journal_settings.week_start = 6
    user.journal_settings.save()
    html = client.get("/months/2026-11/").content.decode()
    first_head = html.index('<th scope="col" class="wd-')
    assert html[first_head:].startswith('<th scope="col" class="wd-6">日</th>')
    assert 'href="/days/2026-10-26/"' not in html
    assert html.index('href="/days/2026-11-01/"') < html.index('href="/days/2026-11-02/"')


def test_it_counts_worked_days_per_week_against_the_target(client, make_entry):
    make_entry(date=date(2026, 11, 23), worked=True)
    make_entry(date=date(2026, 11, 23), worked=True)
    make_entry(date=date(2026, 11, 25), worked=True)
    make_entry(date=date(2026, 11, 26), worked=True)
    r = client.get("/months/2026-11/")
    assertContains(r, '<td class="week-col met">3/3</td>', count=1)
    assertContains(r, '<td class="week-col">0/3</td>', count=5)


def test_it_marks_today(client, travel_to):
    travel_to("2026-11-25 12:00")
    r = client.get("/months/2026-11/")
    assertContains(r, '<a href="/days/2026-11-25/" aria-current="date">')
    assertNotContains(r, '<a href="/days/2026-11-24/" aria-current="date">')


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "26-11", "abc"])
def test_an_impossible_month_is_404(client, month):
    assert client.get(f"/months/{month}/").status_code == 404


def test_it_serves_only_safe_methods(client):
    assert client.post("/months/2026-11/").status_code == 405


@pytest.mark.parametrize("rows", [1, 50])
def test_it_runs_the_same_queries_for_1_and_50_entries(
    client, make_entry, django_assert_num_queries, rows
):
    for n in range(rows):
        make_entry(date=date(2026, 11, 1 + n % 30), worked=n % 2 == 0)
    with django_assert_num_queries(4):
        r = client.get("/months/2026-11/")
    assert r.content.decode().count("is-written") == min(rows, 30)
