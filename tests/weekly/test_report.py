from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from weekly.models import ItemKind

URL = "/weeks/2026-11-23/report/"


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def week(make_week, make_item, make_note, make_entry):
    week = make_week(title="研究の一週間", summary="**「論文」**を読んだ週。")
    keep = make_item("早起きできた")
    make_item("6時に起きた", parent=keep)
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    make_item("23時に寝る", ItemKind.TRY, parent=problem)
    make_note()
    make_note("リーダブルコード", url="", kind="book", notes="", impressions="")
    make_entry(worked=True)
    return week


def test_it_is_read_only(client, week):
    r = client.get(URL)
    assert r.status_code == 200
    main = main_of(r)
    assert "<form" not in main
    assert "hx-post" not in main
    assert "<button" not in main
    assert "<input" not in main


def test_it_has_the_title_summary_and_worked_days(client, week):
    r = client.get(URL)
    assertContains(r, '<h1 class="report-title">研究の一週間</h1>')
    assertContains(r, "<strong>「論文」</strong>を読んだ週。")
    assertContains(r, "目標3日のうち1日稼働")


def test_it_has_a_table_of_contents(client, week):
    r = client.get(URL)
    for anchor in ("r-retro", "r-keep", "r-problem", "r-reading", "r-note-1", "r-note-2"):
        assertContains(r, f'<a href="#{anchor}">')
        assertContains(r, f'id="{anchor}"')
    assertContains(r, '<a href="#r-note-2">リーダブルコード</a>')


def test_it_nests_the_lists_and_stars_the_tries(client, week):
    r = client.get(URL)
    assertInHTML("<li>早起きできた<ul><li>6時に起きた</li></ul></li>", r.content.decode())
    assertInHTML(
        '<li>夜更かしした<ul><li>23時に寝る <span class="star-mark" aria-label="Try">★</span>'
        "</li></ul></li>",
        r.content.decode(),
    )
    assertContains(r, "Try は ★")
    assertContains(r, "振り返り")


def test_it_shows_reading_notes_with_links_and_impressions(client, week):
    r = client.get(URL)
    assertContains(r, "気になったこと")
    assertContains(
        r, '<a href="https://arxiv.org/abs/1706.03762" rel="noopener noreferrer nofollow">'
    )
    assertContains(r, "<strong>自己注意</strong>")
    assertContains(r, "<h4>感想</h4>", count=1)
    assertContains(r, "<p>図がわかりやすい。</p>")


def test_it_lists_last_weeks_tries_with_their_review(client, make_week, make_item):
    make_item("議題を先に送る", ItemKind.TRY, week=make_week(date(2026, 11, 16)), review="done")
    r = client.get(URL)
    assertContains(r, '<a href="#r-review">前回のTry</a>')
    assertContains(r, "議題を先に送る — ")


def test_without_last_weeks_tries_there_is_no_review_section(client, week):
    assertNotContains(client.get(URL), 'id="r-review"')


def test_an_unsaved_week_renders_empty_without_making_a_week(client):
    r = client.get(URL)
    assert r.status_code == 200
    assertContains(r, '<h1 class="report-title">Weekly Report 2026/11/23-11/29</h1>')


def test_another_users_week_never_shows(client, make_week, make_item, make_note, other_user):
    make_week(user=other_user, title="ボブの週")
    make_item("ボブのKeep", user=other_user)
    make_note("ボブの本", user=other_user)
    r = client.get(URL)
    for text in ("ボブの週", "ボブのKeep", "ボブの本"):
        assertNotContains(r, text)


@pytest.mark.parametrize("day", ["2026-11-24", "2026-02-30"])
def test_a_date_that_does_not_start_a_week_is_404(client, day):
    assert client.get(f"/weeks/{day}/report/").status_code == 404


def test_it_rejects_post(client):
    assert client.post(URL).status_code == 405
