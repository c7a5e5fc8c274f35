from datetime import date, timedelta

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import ids_inside
from weekly.models import Item, ItemKind, Review, Week

LAST_WEEK = date(2026, 11, 16)
DAYS_OF_THE_WEEK = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]


def use_sunday_weeks(user) -> None:
    user.journal_settings.week_start = 6
    user.journal_settings.save()


@pytest.mark.parametrize("day", ["2026-11-24", "2026-11-26", "2026-11-29"])
def test_any_day_of_a_week_redirects_to_its_monday(client, day):
    assertRedirects(client.get(f"/weeks/{day}/"), "/weeks/2026-11-23/", 302, 200)


def test_with_sunday_weeks_a_day_redirects_to_its_sunday(client, user):
    use_sunday_weeks(user)
    assertRedirects(client.get("/weeks/2026-11-23/"), "/weeks/2026-11-22/", 302, 200)
    assert client.get("/weeks/2026-11-22/").status_code == 200


def test_the_first_day_shows_the_default_title_without_making_a_week(client):
    r = client.get("/weeks/2026-11-23/")
    assert r.status_code == 200
    assertContains(r, '<h1 class="page-title">Weekly Report 2026/11/23-11/29</h1>')
    assertContains(r, "<title>Weekly Report 2026/11/23-11/29")
    assert not Week.objects.exists()


def test_it_shows_a_stored_title_and_summary(client, make_week):
    make_week(title="研究の一週間", summary="**「論文」**を読んだ週。")
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, '<h1 class="page-title">研究の一週間</h1>')
    assertContains(r, "<strong>「論文」</strong>を読んだ週。")


def test_it_links_the_previous_and_next_weeks(client):
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, '<a href="/weeks/2026-11-16/" rel="prev">')
    assertContains(r, '<a href="/weeks/2026-11-30/" rel="next">')


def test_it_links_the_board_the_report_and_the_markdown(client):
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, 'href="/weeks/2026-11-23/board/"')
    assertContains(r, 'href="/weeks/2026-11-23/report/"')
    assertContains(r, 'href="/weeks/2026-11-23.md"')


def test_it_has_a_table_of_contents(client):
    r = client.get("/weeks/2026-11-23/")
    for anchor in ("review", "diary", "keep", "problem", "reading"):
        assertContains(r, f'<a href="#{anchor}">')
        assertContains(r, f'<section id="{anchor}"')


def test_it_lists_the_weeks_diary_entries_linking_to_their_days(client, make_entry):
    monday = make_entry(title="月曜の実験")
    sunday = make_entry(title="日曜の散歩", date=date(2026, 11, 29))
    make_entry(title="前の週の記事", date=date(2026, 11, 22))
    make_entry(title="次の週の記事", date=date(2026, 11, 30))
    make_entry(title="消した記事").delete_softly()
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, f'<a href="/days/2026-11-23/#entry-{monday.uuid}">月曜の実験</a>')
    assertContains(r, f'<a href="/days/2026-11-29/#entry-{sunday.uuid}">日曜の散歩</a>')
    assertContains(r, 'href="/days/2026-11-29/">2026/11/29(日)</a>')
    for title in ("前の週の記事", "次の週の記事", "消した記事"):
        assertNotContains(r, title)


def test_it_counts_worked_days_against_the_target(client, make_entry):
    make_entry(worked=True)
    make_entry(worked=True, title="同じ日のもう一つ")
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, '<span class="dots" aria-hidden="true">●○○</span>')
    assertContains(r, "目標3日のうち1日稼働")


def test_worked_days_beyond_the_target_keep_adding_dots(client, user, make_entry):
    user.journal_settings.weekly_target_days = 2
    user.journal_settings.save()
    for day in (23, 24, 25):
        make_entry(date=date(2026, 11, day), worked=True)
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, '<span class="dots" aria-hidden="true">●●●</span>')


def test_it_nests_keep_items_under_their_parents(client, make_item):
    parent = make_item("早起きできた")
    child = make_item("6時に起きた", parent=parent)
    grandchild = make_item("目覚ましを遠くに置いた", parent=child)
    sibling = make_item("散歩した")
    r = client.get("/weeks/2026-11-23/")
    inside_parent = ids_inside(r, f"item-{parent.uuid}")
    assert f"item-{child.uuid}" in inside_parent
    assert f"item-{grandchild.uuid}" in ids_inside(r, f"item-{child.uuid}")
    assert f"item-{sibling.uuid}" not in inside_parent
    assert f"item-{sibling.uuid}" in ids_inside(r, "section-keep")


def test_it_lists_problems_with_their_tries_marked_with_a_star(client, make_item):
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    try_ = make_item("23時に寝る", ItemKind.TRY, parent=problem)
    r = client.get("/weeks/2026-11-23/")
    assert f"item-{try_.uuid}" in ids_inside(r, f"item-{problem.uuid}")
    assert f"item-{problem.uuid}" in ids_inside(r, "section-problem")
    assertContains(r, f'<li id="item-{try_.uuid}" class="kpt-item kind-try">')
    assertContains(r, f'<div id="item-row-{try_.uuid}" class="item-row is-try"')
    html = r.content.decode()
    row = html[html.index(f'id="item-row-{try_.uuid}"') :]
    assert 'aria-pressed="true"' in row[: row.index("</form>")]
    assert ">★</button>" in row[: row.index("</form>")]
    assertContains(r, "Try は ★")


def test_keep_items_have_no_star(client, make_item):
    keep = make_item()
    html = client.get("/weeks/2026-11-23/").content.decode()
    assert f'/items/{keep.uuid}/star/"' not in html


def test_it_leaves_out_deleted_items_and_their_children(client, make_item):
    parent = make_item("消した親")
    make_item("残る子", parent=parent)
    parent.delete_softly()
    r = client.get("/weeks/2026-11-23/")
    assertNotContains(r, "消した親")
    assertNotContains(r, "残る子")


def test_it_shows_reading_notes_with_link_kind_notes_and_impressions(client, make_note):
    note = make_note()
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, f'<article id="note-{note.uuid}" class="reading-note"')
    assertContains(r, "Attention Is All You Need")
    assertContains(
        r, '<a href="https://arxiv.org/abs/1706.03762" rel="noopener noreferrer nofollow">'
    )
    assertContains(r, '<span class="badge kind">')
    assertContains(r, "<strong>自己注意</strong>")
    assertContains(r, "感想")
    assertContains(r, "<p>図がわかりやすい。</p>")
    assert f"note-{note.uuid}" in ids_inside(r, "reading-section")


def test_reading_notes_escape_their_markdown(client, make_note):
    make_note(notes="<script>alert(1)</script>", impressions="<img src=x onerror=alert(1)>")
    r = client.get("/weeks/2026-11-23/")
    assertNotContains(r, "<script>alert(1)")
    assertNotContains(r, "<img src=x")


def test_it_lists_last_weeks_tries_for_review(client, make_week, make_item):
    last_week = make_week(LAST_WEEK)
    problem = make_item("会議が長い", ItemKind.PROBLEM, week=last_week)
    try_ = make_item("議題を先に送る", ItemKind.TRY, week=last_week, parent=problem)
    make_item("先週のKeep", week=last_week)
    make_item("先週のProblem", ItemKind.PROBLEM, week=last_week)
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, f'action="/weeks/2026-11-23/review/{try_.uuid}/"')
    assertContains(r, "議題を先に送る")
    assertContains(r, "← 会議が長い")
    assertNotContains(r, "先週のKeep")
    assertNotContains(r, "先週のProblem")


def test_tries_of_two_weeks_ago_are_not_reviewed_here(client, make_week, make_item):
    make_item("二週前のTry", ItemKind.TRY, week=make_week(date(2026, 11, 9)))
    assertNotContains(client.get("/weeks/2026-11-23/"), "二週前のTry")


def test_a_reviewed_try_shows_its_state_pressed(client, make_week, make_item):
    try_ = make_item("議題を先に送る", ItemKind.TRY, week=make_week(LAST_WEEK), review="done")
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, '<div class="review-row state-done">')
    assertContains(r, '<button name="state" value="done" aria-pressed="true">')
    assertContains(r, '<button name="state" value="dropped" aria-pressed="false">')
    assertContains(r, '<button name="follow_up" value="keep"')
    assertContains(r, f'action="/weeks/2026-11-23/review/{try_.uuid}/"')


def test_another_users_week_never_shows(
    client, other_user, make_week, make_item, make_note, make_entry
):
    bobs_week = make_week(user=other_user, title="ボブの週", summary="ボブの要約")
    make_item("ボブのKeep", week=bobs_week, user=other_user)
    make_item("ボブのTry", ItemKind.TRY, week=bobs_week, user=other_user)
    make_item(
        "ボブの先週のTry", ItemKind.TRY, user=other_user, week=make_week(LAST_WEEK, user=other_user)
    )
    make_note("ボブの本", user=other_user)
    make_entry(user=other_user, title="ボブの日記")
    r = client.get("/weeks/2026-11-23/")
    assertContains(r, "Weekly Report 2026/11/23-11/29")
    for text in (
        "ボブの週",
        "ボブの要約",
        "ボブのKeep",
        "ボブのTry",
        "ボブの先週のTry",
        "ボブの本",
        "ボブの日記",
    ):
        assertNotContains(r, text)


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2026-11-2", "abc"])
def test_an_impossible_date_is_404(client, day):
    assert client.get(f"/weeks/{day}/").status_code == 404


def test_it_serves_only_safe_methods(client):
    assert client.post("/weeks/2026-11-23/").status_code == 405
    assert client.head("/weeks/2026-11-23/").status_code == 200
    assert not Week.objects.exists()


def test_it_needs_a_login(anonymous_client, user):
    r = anonymous_client.get("/weeks/2026-11-23/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def fill_week(count: int, make_week, make_item, make_note, make_entry) -> None:
    """`count` items over both sections, nested two and three deep, Tries under Problems, some
    carried over from last week's Tries; and reading notes, diary entries and last week's Tries."""
    last_week = make_week(LAST_WEEK)
    last_problem = make_item("先週の問題", ItemKind.PROBLEM, week=last_week)
    previous_tries = [
        make_item(f"先週のTry {n}", ItemKind.TRY, week=last_week, parent=last_problem,
                  review=Review.NOT_DONE)
        for n in range(count // 10 + 1)
    ]  # fmt: skip
    keep = child = problem = None
    for n in range(count):
        match n % 5:
            case 0:
                keep = make_item(f"Keep {n}")
            case 1:
                child = make_item(f"Keep の子 {n}", parent=keep)
            case 2:
                problem = make_item(f"Problem {n}", ItemKind.PROBLEM)
            case 3:
                carried = previous_tries[n // 10]
                make_item(f"Try {n}", ItemKind.TRY, parent=problem, carried_from=carried)
            case 4:
                make_item(f"Keep の孫 {n}", parent=child)
    for n in range(count // 10 + 1):
        make_note(f"本 {n}")
        make_entry(title=f"日記 {n}", date=DAYS_OF_THE_WEEK[n % 7], worked=n % 2 == 0)


@pytest.mark.parametrize("count", [1, 60])
def test_it_runs_the_same_queries_for_1_and_60_items(
    client, make_week, make_item, make_note, make_entry, django_assert_num_queries, count
):
    fill_week(count, make_week, make_item, make_note, make_entry)
    assert Item.objects.filter(week__start_date=date(2026, 11, 23)).count() == count
    with django_assert_num_queries(9):
        r = client.get("/weeks/2026-11-23/")
    assert r.content.decode().count('class="kpt-item ') == count


def test_the_last_days_of_a_year_belong_to_the_week_across_it(client, make_entry):
    make_entry(title="大晦日", date=date(2026, 12, 31))
    make_entry(title="元日", date=date(2027, 1, 1))
    make_entry(title="三が日の終わり", date=date(2027, 1, 3))
    make_entry(title="仕事始め", date=date(2027, 1, 4))
    assertRedirects(client.get("/weeks/2026-12-31/"), "/weeks/2026-12-28/", 302, 200)
    assertRedirects(client.get("/weeks/2027-01-03/"), "/weeks/2026-12-28/", 302, 200)
    r = client.get("/weeks/2026-12-28/")
    assertContains(r, "Weekly Report 2026/12/28-01/03")
    for title in ("大晦日", "元日", "三が日の終わり"):
        assertContains(r, f">{title}</a>")
    assertNotContains(r, "仕事始め")
    assertContains(r, '<a href="/weeks/2027-01-04/" rel="next">')


def test_a_sunday_week_across_new_year(client, user, make_entry):
    use_sunday_weeks(user)
    make_entry(title="元日", date=date(2027, 1, 1))
    make_entry(title="日曜の記事", date=date(2027, 1, 3))
    assertRedirects(client.get("/weeks/2027-01-01/"), "/weeks/2026-12-27/", 302, 200)
    r = client.get("/weeks/2026-12-27/")
    assertContains(r, "Weekly Report 2026/12/27-01/02")
    assertContains(r, ">元日</a>")
    assertNotContains(r, "日曜の記事")
    assertContains(r, '<a href="/weeks/2027-01-03/" rel="next">')
    assertContains(r, '<a href="/weeks/2026-12-20/" rel="prev">')


def test_a_deleted_item_in_the_query_offers_its_undo(client, make_item):
    item = make_item("うっかり消した")
    item.delete_softly()
    r = client.get(f"/weeks/2026-11-23/?deleted_item={item.uuid}")
    assertContains(r, f'action="/weeks/2026-11-23/items/{item.uuid}/restore/"')
    html = r.content.decode()
    section = html[html.index('id="section-keep"') : html.index('id="section-problem"')]
    assert f"/items/{item.uuid}/restore/" in section
    assertContains(r, "うっかり消した")


def test_a_deleted_problem_offers_its_undo_in_its_own_section(client, make_item):
    item = make_item("消した問題", ItemKind.PROBLEM)
    item.delete_softly()
    html = client.get(f"/weeks/2026-11-23/?deleted_item={item.uuid}").content.decode()
    assert html.index(f"/items/{item.uuid}/restore/") > html.index('id="section-problem"')


def test_a_deleted_reading_note_in_the_query_offers_its_undo(client, make_note):
    note = make_note()
    note.bump(deleted_at=note.created_at)
    r = client.get(f"/weeks/2026-11-23/?deleted_note={note.uuid}")
    assertContains(r, f'action="/weeks/2026-11-23/reading/{note.uuid}/restore/"')


@pytest.mark.parametrize(
    "query", ["deleted_item=xyz", "deleted_item=", "deleted_note=%00", "deleted_item=1"]
)
def test_a_garbled_undo_query_is_ignored(client, query):
    r = client.get(f"/weeks/2026-11-23/?{query}")
    assert r.status_code == 200
    assertNotContains(r, "/restore/")


def test_an_undo_query_for_a_live_or_foreign_item_offers_nothing(client, make_item, other_user):
    live = make_item()
    bobs = make_item("ボブの消したKeep", user=other_user)
    bobs.delete_softly()
    for item in (live, bobs):
        r = client.get(f"/weeks/2026-11-23/?deleted_item={item.uuid}")
        assertNotContains(r, "/restore/")
    assertNotContains(r, "ボブの消したKeep")
