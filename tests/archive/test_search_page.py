"""GET /search/?q=…&kind=…&from=…&to=… (DESIGN.md §3)."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from archive.views import RESULTS_SHOWN
from journal.models import Entry, normalize_for_search
from tests.conftest import DAY, HTMX
from weekly.models import Item, ItemKind, ReadingNote, Week


def test_it_shows_the_empty_form_without_searching(client, entry):
    with CaptureQueriesContext(connection) as queries:
        r = client.get("/search/")
    assertContains(r, '<form class="search-form" role="search" method="get" action="/search/"')
    assertContains(r, '<label class="search-label" for="search-q">')
    assertContains(r, 'id="results" class="search-results" aria-live="polite"')
    assertNotContains(r, "search-count")
    assert not [q for q in queries if "journal_entry_fts" in q["sql"]]


def test_an_empty_query_shows_the_form_only(client, entry):
    r = client.get("/search/", {"q": "  ", "kind": "", "from": "", "to": ""})
    assert r.status_code == 200
    assertNotContains(r, "search-count")
    assertNotContains(r, 'role="alert"')


def test_it_lists_hits_with_their_kind_date_title_and_marked_snippet(
    client, english, make_entry, make_item
):
    entry = make_entry(title="ＡＢＣの日", body="今日は英語の発音練習をした。")
    make_item("英語で話す", kind=ItemKind.TRY)
    r = client.get("/search/", {"q": "英語"})
    assertContains(r, '<ol class="search-hits">')
    assertContains(r, "2 results")
    assertContains(r, f'<a href="/days/2026-11-23/#entry-{entry.uuid}">ＡＢＣの日</a>')
    assertContains(r, "今日は<mark>英語</mark>の発音練習をした。")
    assertContains(r, '<time datetime="2026-11-23">2026/11/23(Mon)</time>')
    assertContains(r, '<span class="badge kind-item">Try</span>')
    assertContains(r, "<mark>英語</mark>で話す</a>")


def test_it_shows_the_query_in_the_box(client, entry):
    r = client.get("/search/", {"q": '"><script>'})
    assertContains(r, 'value="&quot;&gt;&lt;script&gt;"')
    assertNotContains(r, "<script>alert")


def test_nothing_found_says_so(client, english, entry):
    r = client.get("/search/", {"q": "存在しない言葉"})
    assertContains(r, "0 results")
    assertContains(r, 'class="empty"')


def test_htmx_gets_the_results_only(client, entry):
    r = client.get("/search/", {"q": "データ整理"}, headers=HTMX)
    assertNotContains(r, "<html")
    assertNotContains(r, "<form")
    assertContains(r, "<mark>データ整理</mark>")
    assert "HX-Request" in r["Vary"]


def test_the_search_box_asks_for_results_only_when_text_is_committed(client):
    r = client.get("/search/")
    assertContains(r, 'hx-trigger="search-typed changed delay:300ms, search"')
    assertContains(r, 'hx-push-url="true"')
    assertContains(r, 'hx-include="closest form"')
    assertNotContains(r, "keyup")


def test_it_filters_by_kind_and_dates(client, make_entry, make_item):
    make_entry(date=DAY - timedelta(days=30), body="英語の復習")
    make_entry(date=DAY, body="英語の予習")
    make_item("英語を続けた")
    r = client.get("/search/", {"q": "英語", "kind": "entry", "from": "2026-11-01"})
    assertContains(r, "<mark>英語</mark>の予習")
    assertNotContains(r, "<mark>英語</mark>の復習")
    assertNotContains(r, "<mark>英語</mark>を続けた")
    assertContains(r, 'value="2026-11-01"')
    assertContains(r, '<option value="entry" selected>')


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "英語", "from": "garbage"}, "Give the date as YYYY-MM-DD"),
        ({"q": "英語", "to": "0000-01-01"}, "Give the date as YYYY-MM-DD"),
        ({"q": "英語", "from": "2026-12-01", "to": "2026-11-01"}, "The first date comes after"),
        ({"q": "英語", "kind": "photo"}, "photo"),
        ({"q": "あ" * 10_000}, "at most 200 characters"),
        ({"q": " ".join("語" * n for n in range(1, 10))}, "at most 8 words"),
    ],
)
def test_bad_input_gets_a_clear_message(client, english, entry, params, message):
    r = client.get("/search/", params)
    assert r.status_code == 200
    assertContains(r, 'class="notice search-errors" role="alert"')
    assertContains(r, message)
    assertNotContains(r, "search-hits")


def test_the_form_keeps_what_was_asked_and_marks_what_is_wrong(client, english, entry):
    r = client.get(
        "/search/", {"q": "<b>英語</b>", "kind": "note", "from": "2026-13-01", "to": "2026-11-30"}
    )
    html = r.content.decode()
    start = html.index('<form class="search-form"')
    form = html[start : html.index("</form>", start)]
    assert 'value="&lt;b&gt;英語&lt;/b&gt;"' in form
    assert "autofocus" not in form  # the box is autofocused only when empty
    assert '<option value="note" selected>Reading notes</option>' in form
    assert form.count(" selected") == 1
    assert (
        '<input type="date" name="from" value="2026-13-01" id="id_from" aria-invalid="true">'
        in form
    )
    assert '<input type="date" name="to" value="2026-11-30" id="id_to">' in form
    assert '<select name="kind" id="id_kind">' in form
    assert '<label class="search-label" for="search-q">Search for</label>' in form
    empty = client.get("/search/").content.decode()
    assert 'aria-describedby="search-hint" autofocus data-live-search' in empty
    assert '<option value="" selected>Everything</option>' in empty
    assert 'value=""' in empty
    assert 'name="from" id="id_from">' in empty
    long = client.get("/search/", {"q": "あ" * 300}).content.decode()
    assert f'value="{"あ" * 200}"' in long


def test_a_10_kb_query_answers_fast(client, make_entry):
    for _ in range(50):
        make_entry(body="英語" * 500)
    started = time.perf_counter()
    r = client.get("/search/", {"q": "英語 " * 3_400}, headers=HTMX)
    assert r.status_code == 200
    assert time.perf_counter() - started < 0.5


def test_post_is_refused(client):
    assert client.post("/search/", {"q": "英語"}).status_code == 405


def test_anonymous_visitors_are_sent_to_login(anonymous_client, user):
    r = anonymous_client.get("/search/?q=英語")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=/search/")


def test_the_navigation_links_to_search(client):
    assertContains(
        client.get("/days/2026-11-23/"),
        '<a href="/search/" data-shortcut="/" aria-keyshortcuts="/">',
    )


def test_another_users_text_is_not_shown(client, english, other_entry):
    r = client.get("/search/", {"q": "他人の日記"})
    assertContains(r, "0 results")
    assertNotContains(r, "<mark>")


def matching_rows(user, count: int) -> None:
    """`count` entries, KPT items and reading notes that match 英語 and 発音練習, one of each a
    week, made in bulk (bulk_create skips save(), so search_text is set here). The texts are
    alike, so every hit ranks the same and the newest of all three kinds come first."""
    text = "今日も英語の発音練習。"
    starts = [DAY - timedelta(weeks=n) for n in range(count)]
    weeks = Week.objects.bulk_create(
        Week(user=user, start_date=start, end_date=start + timedelta(days=6), title=str(start))
        for start in starts
    )
    Entry.objects.bulk_create(
        Entry(user=user, date=week.start_date, title="日記", body=text,
              search_text=normalize_for_search("日記", text))
        for week in weeks
    )  # fmt: skip
    folded = normalize_for_search(text)
    Item.objects.bulk_create(
        Item(user=user, week=week, kind=ItemKind.KEEP, text=text, search_text=folded)
        for week in weeks
    )
    ReadingNote.objects.bulk_create(
        ReadingNote(user=user, week=week, title="本", notes=text,
                    search_text=normalize_for_search("本", "", text, ""))
        for week in weeks
    )  # fmt: skip


@pytest.mark.parametrize("query", ["英語", "発音練習", "英語 発音練習"])
def test_the_query_count_does_not_grow_with_the_hits(
    client, user, english, query, django_assert_num_queries
):
    matching_rows(user, 1)
    with CaptureQueriesContext(connection) as one:
        assertContains(client.get("/search/", {"q": query}), "3 results")
    Entry.objects.all().delete()
    Item.objects.all().delete()
    ReadingNote.objects.all().delete()
    Week.objects.all().delete()
    matching_rows(user, 500)
    with django_assert_num_queries(len(one)):
        r = client.get("/search/", {"q": query})
    assertContains(r, f"The first {RESULTS_SHOWN} results")
    html = r.content.decode()
    assert html.count('<li class="search-hit">') == RESULTS_SHOWN
    for kind in ("entry", "item", "note"):
        assert f'class="badge kind-{kind}"' in html
