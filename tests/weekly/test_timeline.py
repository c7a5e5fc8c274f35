from datetime import date, timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from journal.models import Entry
from tests.conftest import DAY, HTMX
from weekly.models import Item, ItemKind, ReadingNote, Review, Week
from weekly.timeline import PAGE_SIZE

MONDAYS = [DAY - timedelta(weeks=n) for n in range(40)]  # DAY (2026-11-23) and the 39 before it


def card_ids(response) -> list[str]:
    """The start dates of the week cards, in page order."""
    html = response.content.decode()
    return [part.split('"')[0] for part in html.split('<li id="week-')[1:]]


def card(response, start: str) -> str:
    """The HTML of one week's card."""
    html = response.content.decode()
    begin = html.index(f'<li id="week-{start}"')
    ends = [
        html.find(mark, begin + 1) for mark in ('<li id="week-', '<li id="timeline-more"', "</ol>")
    ]
    return html[begin : min(end for end in ends if end > 0)]


def use_english(user) -> None:
    user.journal_settings.language = "en"
    user.journal_settings.save()


def use_sunday_weeks(user) -> None:
    user.journal_settings.week_start = 6
    user.journal_settings.save()


def test_it_lists_weeks_with_a_retrospective_or_entries_newest_first(client, make_week, make_entry):
    make_week(MONDAYS[3])
    make_entry(date=MONDAYS[1] + timedelta(days=2))
    make_week(MONDAYS[0])
    r = client.get("/weeks/")
    assert card_ids(r) == ["2026-11-23", "2026-11-16", "2026-11-02"]
    assertNotContains(r, 'id="week-2026-11-09"')  # nothing written that week


def test_a_week_with_entries_but_no_retrospective_asks_for_one(client, make_entry, make_week):
    make_entry(date=MONDAYS[1])
    make_week(MONDAYS[0])
    r = client.get("/weeks/")
    assert 'href="/weeks/2026-11-16/"' in card(r, "2026-11-16")
    assert 'class="card-missing"' in card(r, "2026-11-16")
    assert 'class="card-missing"' not in card(r, "2026-11-23")


def test_a_card_shows_its_dates_worked_days_and_entry_titles(client, make_entry):
    monday = make_entry(title="月曜の実験", worked=True)
    second = make_entry(title="夜のメモ")
    sunday = make_entry(title="日曜の散歩", date=DAY + timedelta(days=6), worked=True)
    make_entry(title="消した記事").delete_softly()
    r = client.get("/weeks/")
    week = card(r, "2026-11-23")
    assert '<a href="/weeks/2026-11-23/">2026/11/23(月) – 2026/11/29(日)</a>' in week
    assert '<span class="dots" aria-hidden="true">●●○</span>' in week
    assert "目標3日のうち2日稼働" in week
    assert '<a class="card-date" href="/days/2026-11-23/">11/23(月)</a>' in week
    assert f'<a href="/days/2026-11-23/#entry-{monday.uuid}">月曜の実験</a>' in week
    assert f'<a href="/days/2026-11-23/#entry-{second.uuid}">夜のメモ</a>' in week
    assert f'<a href="/days/2026-11-29/#entry-{sunday.uuid}">日曜の散歩</a>' in week
    assert "消した記事" not in week
    assert week.index("月曜の実験") < week.index("夜のメモ") < week.index("日曜の散歩")


def test_a_week_meeting_the_target_is_marked(client, make_entry):
    for day in range(3):
        make_entry(date=DAY + timedelta(days=day), worked=True)
    make_entry(date=MONDAYS[1], worked=True)
    r = client.get("/weeks/")
    assertContains(r, '<li id="week-2026-11-23" class="week-card is-met">')
    assertContains(r, '<li id="week-2026-11-16" class="week-card">')


def test_an_untitled_entry_is_still_a_link(client, make_entry):
    entry = make_entry(title="")
    r = client.get("/weeks/")
    assertContains(r, f'<a href="/days/2026-11-23/#entry-{entry.uuid}">(無題)</a>')


def test_a_card_counts_the_kpt_items_the_week_page_shows(client, make_item):
    keep = make_item("早起きできた")
    make_item("6時に起きた", parent=keep)
    problem = make_item("夜更かしした", ItemKind.PROBLEM)
    make_item("23時に寝る", ItemKind.TRY, parent=problem)
    gone = make_item("消した問題", ItemKind.PROBLEM)
    make_item("消した問題への Try", ItemKind.TRY, parent=gone)  # hidden with its parent
    gone.delete_softly()
    r = client.get("/weeks/")
    counts = card(r, "2026-11-23")
    assert '<span class="count keep">Keep <b>2</b></span>' in counts
    assert '<span class="count problem">Problem <b>1</b></span>' in counts
    assert '<span class="count try">Try <b>1</b></span>' in counts
    assert "消した問題への Try" not in counts


def test_a_card_lists_its_tries_with_their_review(client, make_week, make_item):
    week = make_week(MONDAYS[1])
    states = {"続けた": Review.DONE, "できなかった": Review.NOT_DONE, "やめた": Review.DROPPED,
              "まだ": Review.OPEN, "持ち越した": Review.NOT_DONE}  # fmt: skip
    tries = {
        text: make_item(text, ItemKind.TRY, week=week, review=state)
        for text, state in states.items()
    }
    make_item("持ち越した", ItemKind.TRY, carried_from=tries["持ち越した"])
    make_item("続けた", ItemKind.KEEP, carried_from=tries["続けた"])  # recorded as a Keep
    tries_html = card(client.get("/weeks/"), "2026-11-16")
    tries_html = tries_html[tries_html.index('<ul class="card-tries">') :]
    for text, badge in [
        ("続けた", '<span class="badge review-done">'),
        ("できなかった", '<span class="badge review-not_done">'),
        ("やめた", '<span class="badge review-dropped">'),
        ("まだ", '<span class="badge review-open">'),
        ("持ち越した", '<span class="badge carried">'),
    ]:
        line = tries_html[tries_html.index(f"</span> {text}") :]
        assert line[: line.index("</li>")].count(badge) == 1, text


def test_a_card_lists_its_reading_notes(client, make_note):
    note = make_note()
    make_note("消したメモ").bump(deleted_at=timezone.now())
    r = client.get("/weeks/")
    week = card(r, "2026-11-23")
    assert f'<a href="/weeks/2026-11-23/#note-{note.uuid}">Attention Is All You Need</a>' in week
    assert '<span class="badge kind">論文</span>' in week
    assert "消したメモ" not in week


def test_titles_and_texts_are_escaped(client, make_entry, make_item, make_note):
    make_entry(title='<script>alert("日記")</script>')
    make_item("<b>太字</b>で書いた", ItemKind.TRY)
    make_note('<img src=x onerror="alert(1)">')
    r = client.get("/weeks/")
    assertContains(r, "&lt;script&gt;alert(&quot;日記&quot;)&lt;/script&gt;")
    assertContains(r, "&lt;b&gt;太字&lt;/b&gt;で書いた")
    assertContains(r, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;")
    for raw in ("<script>", "<b>太字", "<img src=x"):
        assertNotContains(r, raw)


def test_another_users_weeks_never_show(client, other_user, make_week, make_entry, make_item):
    make_week(MONDAYS[2], user=other_user, title="他人の週")
    make_entry(user=other_user, date=MONDAYS[1], title="他人の日記")
    make_item("他人のKeep", user=other_user)  # in other_user's week of DAY
    make_entry(title="自分の日記")
    r = client.get("/weeks/")
    assert card_ids(r) == ["2026-11-23"]
    for text in ("他人の週", "他人の日記", "他人のKeep"):
        assertNotContains(r, text)


def test_a_custom_week_title_is_shown_the_default_one_is_not(client, make_week):
    make_week(MONDAYS[0], title="研究に集中した週")
    make_week(MONDAYS[1], title="Weekly Report 2026/11/16-11/22")
    r = client.get("/weeks/")
    assertContains(r, '<p class="week-card-title">研究に集中した週</p>')
    assertContains(r, '<p class="week-card-title">', count=1)


# Paging


def test_a_page_has_page_size_weeks_and_a_sentinel_for_the_next(client, make_week):
    for monday in MONDAYS[: PAGE_SIZE + 1]:
        make_week(monday)
    r = client.get("/weeks/")
    assert card_ids(r) == [monday.isoformat() for monday in MONDAYS[:PAGE_SIZE]]
    more = f"/weeks/?before={MONDAYS[PAGE_SIZE - 1]}"
    assertContains(
        r,
        f'<li id="timeline-more" class="timeline-more" hx-get="{more}" hx-trigger="revealed"'
        ' hx-swap="outerHTML">',
    )
    assertContains(r, f'<a href="{more}" rel="next">')


def test_before_gives_the_weeks_strictly_older(client, make_week, make_entry):
    for monday in MONDAYS[: PAGE_SIZE + 1]:
        make_week(monday)
    make_entry(date=MONDAYS[PAGE_SIZE + 2] + timedelta(days=3))
    r = client.get(f"/weeks/?before={MONDAYS[PAGE_SIZE - 1]}")
    assert card_ids(r) == [str(MONDAYS[PAGE_SIZE]), str(MONDAYS[PAGE_SIZE + 2])]
    assertNotContains(r, 'id="timeline-more"')
    assertContains(r, '<p class="timeline-newest"><a href="/weeks/">')


def test_htmx_gets_the_next_cards_and_a_new_sentinel_without_the_page(client, make_week):
    for monday in MONDAYS[:30]:
        make_week(monday)
    r = client.get(f"/weeks/?before={MONDAYS[PAGE_SIZE - 1]}", headers=HTMX)
    assert r.status_code == 200
    assertNotContains(r, "<html")
    assertNotContains(r, 'class="timeline-filters"')
    assert card_ids(r) == [monday.isoformat() for monday in MONDAYS[PAGE_SIZE : 2 * PAGE_SIZE]]
    assertContains(r, f'hx-get="/weeks/?before={MONDAYS[2 * PAGE_SIZE - 1]}"')
    assert "HX-Request" in r["Vary"]


def test_a_week_whose_days_run_past_before_is_still_on_the_older_page(client, make_entry):
    make_entry(date=date(2026, 12, 3))  # Thursday of the week of Monday 2026-11-30
    make_entry(date=date(2026, 11, 25))
    r = client.get("/weeks/?before=2026-12-01")
    assert card_ids(r) == ["2026-11-30", "2026-11-23"]


@pytest.mark.parametrize(
    "before", ["garbage", "2026-13-01", "2026-02-30", "'; DROP TABLE", "x" * 500]
)
def test_a_bad_before_is_a_clear_400_not_an_error(client, before):
    r = client.get("/weeks/", {"before": before})
    assert r.status_code == 400
    assertContains(r, '<p class="notice" role="alert">', status_code=400)
    assertContains(r, '<p class="timeline-newest"><a href="/weeks/">', status_code=400)


def test_the_bad_before_message_says_how_to_write_a_date(client, user):
    use_english(user)
    r = client.get("/weeks/?before=garbage")
    assertContains(r, "“garbage” is not a date. Write it as YYYY-MM-DD", status_code=400)


@pytest.mark.parametrize("before", ["0001-01-01", "9999-12-31"])
def test_the_ends_of_the_calendar_answer(client, make_entry, before):
    make_entry()
    assert client.get("/weeks/", {"before": before}).status_code == 200


def test_it_serves_only_safe_methods(client):
    assert client.post("/weeks/").status_code == 405


# Jumping to a year or month


def test_a_month_jump_starts_with_the_week_holding_its_last_day(client, make_entry):
    make_entry(date=date(2026, 4, 2))  # in the week of Monday 3/30
    make_entry(date=date(2026, 3, 10))
    make_entry(date=date(2026, 4, 8))
    r = client.get("/weeks/?year=2026&month=3")
    assert card_ids(r) == ["2026-03-30", "2026-03-09"]
    assertContains(
        r, 'name="year" type="number" inputmode="numeric" min="1" max="9998" value="2026"'
    )


def test_a_year_jump_starts_with_its_last_week(client, make_entry):
    make_entry(date=date(2026, 1, 2))
    make_entry(date=date(2025, 12, 29))
    make_entry(date=date(2025, 6, 1))
    r = client.get("/weeks/?year=2025")
    assert card_ids(r) == ["2025-12-29", "2025-05-26"]  # 12/29–1/4 crosses into 2026


@pytest.mark.parametrize(
    "query", ["year=0", "year=99999", "year=abc", "year=2026&month=13", "year=2026&month=0"]
)
def test_an_impossible_jump_is_a_clear_400(client, query):
    r = client.get(f"/weeks/?{query}")
    assert r.status_code == 400
    assertContains(r, 'role="alert"', status_code=400)


# Weeks that start on another day


def test_sunday_weeks_group_entries_from_sunday(client, user, make_entry):
    use_sunday_weeks(user)
    make_entry(date=date(2026, 11, 22), title="日曜")  # a Sunday
    make_entry(date=date(2026, 11, 28), title="土曜")
    make_entry(date=date(2026, 11, 29), title="次の日曜")
    r = client.get("/weeks/")
    assert card_ids(r) == ["2026-11-29", "2026-11-22"]
    assert "土曜" in card(r, "2026-11-22")
    assert "2026/11/22(日) – 2026/11/28(土)" in card(r, "2026-11-22")


def test_a_stored_week_keeps_its_start_after_the_week_start_changes(
    client, user, make_week, make_entry
):
    make_week(DAY)  # a Monday week, made before the change
    use_sunday_weeks(user)
    make_entry(date=date(2026, 11, 24), title="火曜の記事")  # inside the stored week
    make_entry(date=date(2026, 11, 22), title="日曜の記事")  # before it: a Sunday week
    r = client.get("/weeks/")
    assert card_ids(r) == ["2026-11-23", "2026-11-22"]
    assert "火曜の記事" in card(r, "2026-11-23")
    assert "火曜の記事" not in card(r, "2026-11-22")


def test_a_week_across_the_new_year_is_one_card(client, make_entry):
    make_entry(date=date(2026, 12, 30), title="年末")
    make_entry(date=date(2027, 1, 3), title="正月")
    r = client.get("/weeks/")
    assert card_ids(r) == ["2026-12-28"]
    week = card(r, "2026-12-28")
    assert "2026/12/28(月) – 2027/01/03(日)" in week
    assert week.index("年末") < week.index("正月")


# Filters


def test_open_tries_keeps_weeks_with_tries_not_yet_reviewed(client, make_week, make_item):
    reviewed, open_, none = make_week(MONDAYS[1]), make_week(MONDAYS[2]), make_week(MONDAYS[3])
    make_item("済んだ", ItemKind.TRY, week=reviewed, review=Review.DONE)
    make_item("まだ", ItemKind.TRY, week=open_)
    make_item("Keepだけ", week=none)
    make_item("消したTry", ItemKind.TRY, week=none).delete_softly()
    r = client.get("/weeks/?filter=open-tries")
    assert card_ids(r) == ["2026-11-09"]
    assertContains(r, '<a href="/weeks/?filter=open-tries" aria-current="page">')


def test_missed_keeps_past_weeks_below_the_target(client, make_entry, make_week, travel_to):
    travel_to("2026-11-25 12:00")
    for day in range(3):
        make_entry(date=MONDAYS[1] + timedelta(days=day), worked=True)  # met
    make_entry(date=MONDAYS[2], worked=True)  # 1 of 3
    make_week(MONDAYS[3])  # a retrospective, no diary: 0 of 3
    make_entry(date=DAY)  # this week is not over yet
    r = client.get("/weeks/?filter=missed")
    assert card_ids(r) == ["2026-11-09", "2026-11-02"]


def test_reading_keeps_weeks_with_reading_notes(client, make_week, make_note, make_entry):
    make_note(week=make_week(MONDAYS[2]))
    make_note(week=make_week(MONDAYS[1])).bump(deleted_at=timezone.now())
    make_entry()
    r = client.get("/weeks/?filter=reading")
    assert card_ids(r) == ["2026-11-09"]


def test_a_filter_survives_paging_and_jumping(client, make_week, make_note):
    for monday in MONDAYS[: PAGE_SIZE + 2]:
        make_note(week=make_week(monday))
    r = client.get("/weeks/?filter=reading")
    last = MONDAYS[PAGE_SIZE - 1]
    assertContains(r, f'hx-get="/weeks/?before={last}&amp;filter=reading"')
    assertContains(r, '<input type="hidden" name="filter" value="reading">')
    r = client.get(f"/weeks/?before={last}&filter=reading")
    assert card_ids(r) == [str(MONDAYS[PAGE_SIZE]), str(MONDAYS[PAGE_SIZE + 1])]
    assertContains(r, '<p class="timeline-newest"><a href="/weeks/?filter=reading">')


def test_an_unknown_filter_shows_every_week(client, make_entry):
    make_entry()
    r = client.get("/weeks/?filter=nonsense")
    assert card_ids(r) == ["2026-11-23"]
    assertContains(r, '<a href="/weeks/" aria-current="page">')


def test_it_says_so_when_nothing_is_there(client, user):
    use_english(user)
    assertContains(client.get("/weeks/"), "No weeks yet")
    assertContains(client.get("/weeks/?filter=reading"), "No weeks match this filter.")


# Links to it


def test_the_header_links_the_timeline_and_keeps_week_on_this_week(client, travel_to):
    travel_to("2026-11-25 12:00")
    r = client.get("/")
    assertContains(r, '<li><a href="/weeks/">')
    assertContains(r, '<li><a href="/weeks/2026-11-25/" data-shortcut="w"')


def test_the_week_page_links_all_weeks(client):
    html = client.get("/weeks/2026-11-23/").content.decode()
    begin = html.index('<nav class="day-nav"')
    nav = html[begin : html.index("</nav>", begin)]
    assert '<a href="/weeks/">' in nav


# Queries


def make_history(user, weeks: int) -> None:
    """`weeks` weeks, newest first from DAY, made in bulk: each with two worked days (one short
    of the target), a Keep, a Try not done that the next week carries on, an open Try and a
    reading note."""
    starts = [DAY - timedelta(weeks=n) for n in range(weeks)]
    rows = Week.objects.bulk_create(
        Week(user=user, start_date=start, end_date=start + timedelta(days=6), title=f"週{n}")
        for n, start in enumerate(starts)
    )
    Entry.objects.bulk_create(
        Entry(user=user, date=start + timedelta(days=offset), title=f"記事{offset}", worked=True)
        for start in starts
        for offset in (0, 2)
    )
    tries = Item.objects.bulk_create(
        Item(user=user, week=week, kind=ItemKind.TRY, text="早く寝る", review=Review.NOT_DONE)
        for week in rows
    )
    Item.objects.bulk_create(
        Item(user=user, week=week, kind=ItemKind.TRY, text="早く寝る", carried_from=older)
        for week, older in zip(rows, tries[1:], strict=False)
    )
    Item.objects.bulk_create(
        item
        for week in rows
        for item in (
            Item(user=user, week=week, kind=ItemKind.KEEP, text="散歩した"),
            Item(user=user, week=week, kind=ItemKind.TRY, text="朝に書く"),
        )
    )
    ReadingNote.objects.bulk_create(
        ReadingNote(user=user, week=week, title="論文", url="https://arxiv.org/abs/1706.03762")
        for week in rows
    )


# session, user with settings; stored weeks, entry dates (not read by the two filters about
# retrospectives), entries, their photos, items, notes; the header's worked days
QUERIES = {"": 9, "missed": 9, "open-tries": 8, "reading": 8}


@pytest.mark.parametrize("weeks", [1, 500])
@pytest.mark.parametrize("only", QUERIES)
@pytest.mark.parametrize("before", ["", "2026-11-30"])
def test_the_page_takes_the_same_queries_for_1_and_500_weeks(
    client, user, travel_to, django_assert_num_queries, weeks, only, before
):
    travel_to("2026-12-15 12:00")
    make_history(user, weeks)
    with django_assert_num_queries(QUERIES[only]):
        r = client.get("/weeks/", {"before": before, "filter": only})
    assert len(card_ids(r)) == min(weeks, PAGE_SIZE)


def test_a_deep_page_takes_the_same_queries(client, user, django_assert_num_queries):
    make_history(user, 500)
    oldest = DAY - timedelta(weeks=499)
    with django_assert_num_queries(QUERIES[""]):
        r = client.get("/weeks/", {"before": oldest + timedelta(weeks=5)})
    assert card_ids(r)[-1] == oldest.isoformat()
    assert len(card_ids(r)) == 5
    assertNotContains(r, 'id="timeline-more"')


def test_a_page_of_500_weeks_shows_a_page_of_them_with_their_tries(client, user):
    make_history(user, 500)
    r = client.get("/weeks/")
    assert len(card_ids(r)) == PAGE_SIZE
    # each week's Try not done is carried on by the week after it, but this week's
    assertContains(r, '<span class="badge carried">', count=PAGE_SIZE - 1)
    assertContains(r, '<span class="count try">Try <b>3</b></span>', count=PAGE_SIZE)
