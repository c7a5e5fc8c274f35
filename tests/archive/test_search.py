"""archive.search.search(): what it finds, what it never finds, and in which order."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from archive.search import MAX_TERMS, QueryError, search
from journal.models import Entry
from tests.conftest import DAY, only_on
from weekly.models import Item, ItemKind, ReadingNote


def kinds_found(user, query: str, **filters) -> list[str]:
    return [hit.kind for hit in search(user, query, **filters)]


@pytest.fixture
def everywhere(make_entry, make_item, make_note):
    """The same words in an entry, a KPT item and a reading note."""
    return {
        "entry": make_entry(title="英語の日", body="朝は英語の発音練習をした。"),
        "item": make_item("英語の発音練習を毎日続けた"),
        "note": make_note("発音の本", notes="英語の発音練習に効く本。", impressions="よかった"),
    }


@pytest.mark.parametrize("query", ["英語", "発音練習", "英語 発音練習"])
def test_it_finds_short_and_long_words_in_entries_items_and_notes(user, everywhere, query):
    assert sorted(kinds_found(user, query)) == ["entry", "item", "note"]


def test_a_two_character_word_is_found_though_trigrams_cannot_find_it(user, make_entry):
    make_entry(title="", body="雨。英語。")
    assert kinds_found(user, "英語") == ["entry"]
    assert kinds_found(user, "雨") == ["entry"]


@pytest.mark.parametrize("query", ["英語", "英", "語", "猫", "b"])
def test_short_words_are_found_at_the_start_and_the_end_of_a_text_of_any_length(
    user, make_item, query
):
    make_item("英語")  # shorter than a trigram
    make_item("猫")
    make_item("英語の本を読んだ猫")
    make_item("ab")
    found = {hit.title.replace("<mark>", "").replace("</mark>", "") for hit in search(user, query)}
    texts = {"英語", "猫", "英語の本を読んだ猫", "ab"}
    assert found == {text for text in texts if query in text}


def test_a_short_word_and_a_long_one_must_both_appear(user, make_entry):
    make_entry(body="英語の発音練習")
    make_entry(body="発音練習だけ")
    make_entry(body="英語だけ")
    assert [hit.snippet for hit in search(user, "英語 発音練習")] == [
        "<mark>英語</mark>の<mark>発音練習</mark>"
    ]
    assert search(user, "英語 犬") == []


@only_on("sqlite", "the FTS5 vocabulary")
def test_a_one_character_word_starting_too_many_trigrams_is_looked_for_with_like(
    user, make_entry, monkeypatch
):
    from archive import search as search_module

    monkeypatch.setattr(search_module, "MAX_TRIGRAMS", 2)
    for body in ["あい", "あう", "あえ", "かあ", "さ"]:
        make_entry(body=body)
    assert len(search(user, "あ")) == 4
    assert len(search(user, "あ か")) == 1


@only_on("sqlite", "the query plan of FTS5")
def test_a_two_character_word_reads_the_index_not_every_row(user, make_entry):
    from archive.search import _trigrams_starting, best_rows_sql

    make_entry(body="英語の発音練習")
    starting = _trigrams_starting(["英語"], [Entry])
    assert starting == {(Entry, "英語"): ["英語の"]}
    query, params = best_rows_sql("entry", user, ["英語"], starting, None, None, 20)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan
    assert "SCAN t\n" not in plan + "\n"  # the entries are not scanned one by one


@only_on("sqlite", "the query planner's statistics")
def test_statistics_of_the_tables_leave_the_searches_on_their_indexes(user, make_note):
    """ANALYZE (or PRAGMA optimize) gives SQLite's planner statistics. Given those of a year's
    entries, it scanned every entry for a Bloom filter before ranking the index's shortlist,
    and looked up every entry holding a short word to sort them all, rather than reading the
    newest off the (user, date) index: search() over ten years took 1.6 → 3.7 ms (英語) and
    2.0 → 4.5 ms (発音練習)."""
    from archive.search import KINDS, _trigrams_starting, best_rows_sql

    texts = ["英語の発音練習をした。", "雨の日の散歩。", "データ整理とモデルの再学習。"]
    Entry.objects.bulk_create(
        Entry(user=user, date=DAY - timedelta(days=n), body=text, search_text=text)
        for n in range(300)
        for text in [texts[n % 3]]
    )
    for n in range(30):
        make_note(f"本{n}", notes=texts[n % 3])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        try:
            for query in ("発音練習", "英語"):
                starting = _trigrams_starting([query], [Entry, Item, ReadingNote])
                for kind in KINDS:
                    found = best_rows_sql(kind, user, [query], starting, None, None, 20, 80)
                    if found is None:  # no item holds the word: not queried
                        continue
                    cursor.execute("EXPLAIN QUERY PLAN " + found[0], found[1])
                    plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
                    assert "BLOOM FILTER" not in plan, (query, kind, plan)
                    if (query, kind) == ("英語", "entry"):
                        assert "USING INDEX journal_entry_alive_days" in plan, plan
            assert len(search(user, "英語")) == 50
            assert len(search(user, "発音練習", limit=20)) == 20
        finally:
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # the planner forgets them


def test_full_width_letters_and_half_width_kana_are_found_by_their_usual_forms(user, make_entry):
    make_entry(title="ＡＢＣ予想", body="ｶﾀｶﾅで書いたメモ。ｶﾞｲﾄﾞも。")
    make_entry(title="abc notes", body="カタカナのガイド")
    assert len(search(user, "abc")) == 2
    assert len(search(user, "ＡＢＣ")) == 2
    assert len(search(user, "ABC")) == 2
    assert len(search(user, "カタカナ")) == 2
    assert len(search(user, "ｶﾀｶﾅ")) == 2
    assert len(search(user, "ガイド")) == 2


def test_several_words_must_all_appear(user, make_entry):
    make_entry(title="", body="英語の発音練習")
    make_entry(title="", body="英語の文法")
    make_entry(title="", body="ドイツ語の発音練習")
    assert len(search(user, "英語 発音練習")) == 1
    assert len(search(user, "英語　文法")) == 1  # an ideographic space separates words too
    assert len(search(user, "英語 の")) == 2
    assert search(user, "英語 フランス語") == []


@pytest.mark.parametrize(
    "query", ['"', '""', 'a"b', "AND", "OR", "NOT", "*", "a*", "NEAR(", "NEAR(a b)", "%", "_", "\\"]
)
def test_query_syntax_is_plain_text(user, make_entry, query):
    make_entry(title="", body="何も特別でない本文")
    assert search(user, query) == []
    make_entry(title="", body=f"記号 {query} も本文")
    assert len(search(user, query)) == 1


def test_percent_and_underscore_match_only_themselves(user, make_entry):
    make_entry(title="", body="達成率 50% と file_name")
    make_entry(title="", body="達成率 50 と filename")
    assert len(search(user, "%")) == 1
    assert len(search(user, "50%")) == 1
    assert len(search(user, "_")) == 1
    assert len(search(user, "e_n")) == 1


def test_another_users_text_is_never_found(user, other_user, make_entry, make_item, make_note):
    make_entry(user=other_user, title="他人の英語", body="他人の発音練習")
    make_item("他人の発音練習", user=other_user)
    make_note("他人の英語の本", user=other_user, notes="発音練習")
    for query in ["英語", "発音練習", "他人"]:
        assert search(user, query) == []
        assert search(other_user, query) != []


def test_a_new_entry_is_found_at_once_and_an_edit_replaces_its_words(user, entry):
    assert search(user, "発音練習") == []
    entry.save_revision(entry.revision, body="今日は発音練習。")
    assert len(search(user, "発音練習")) == 1
    assert search(user, "データ整理") == []  # the old body's words are gone from the index
    entry.save_revision(entry.revision, title="英語の日")
    assert len(search(user, "英語の日")) == 1
    assert len(search(user, "発音練習")) == 1


def test_a_deleted_entry_is_not_found_until_it_is_restored(user, make_entry):
    entry = make_entry(body="英語の発音練習")
    entry.delete_softly()
    assert search(user, "発音練習") == []
    assert search(user, "英語") == []
    entry.restore()
    assert len(search(user, "発音練習")) == 1
    assert len(search(user, "英語")) == 1


def test_deleted_items_and_notes_are_not_found(user, everywhere):
    everywhere["item"].delete_softly()
    everywhere["note"].bump(deleted_at=timezone.now())
    assert kinds_found(user, "発音練習") == ["entry"]


def test_an_item_and_a_note_edit_reach_the_index(user, everywhere):
    item, note = everywhere["item"], everywhere["note"]
    item.save_revision(item.revision, text="早起きできた")
    note.save_revision(note.revision, notes="", impressions="面白かった")
    assert kinds_found(user, "発音練習") == ["entry"]
    assert kinds_found(user, "早起きできた") == ["item"]
    assert kinds_found(user, "面白かった") == ["note"]


def test_an_update_of_search_text_through_the_queryset_reaches_the_index(user, entry):
    Entry.objects.filter(pk=entry.pk).update(search_text="書き換えた索引の文")
    assert len(search(user, "書き換えた")) == 1
    assert search(user, "データ整理") == []


@only_on("sqlite", "on PostgreSQL the index is part of the table")
def test_a_row_deleted_for_good_leaves_the_index(user, entry):
    Entry.objects.filter(pk=entry.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM journal_entry_fts WHERE journal_entry_fts MATCH '\"データ整理\"'"
        )
        assert cursor.fetchone() == (0,)


def test_it_filters_by_kind(user, everywhere):
    assert kinds_found(user, "発音練習", kinds=["entry"]) == ["entry"]
    assert sorted(kinds_found(user, "英語", kinds=["item", "note"])) == ["item", "note"]
    with pytest.raises(QueryError):
        search(user, "英語", kinds=["photo"])


def test_it_filters_entries_by_date_and_weeks_by_any_day_in_range(user, make_entry, make_item):
    make_entry(date=DAY - timedelta(days=1), body="英語の日記")
    make_entry(date=DAY + timedelta(days=3), body="英語の日記")
    make_item("英語を続ける")  # the week of DAY: 11/23–11/29
    found = search(user, "英語", since=DAY + timedelta(days=2), until=DAY + timedelta(days=10))
    assert [(hit.kind, hit.date) for hit in found] == [
        ("entry", DAY + timedelta(days=3)),
        ("item", DAY),
    ]
    assert kinds_found(user, "英語", until=DAY - timedelta(days=1)) == ["entry"]
    assert kinds_found(user, "英語", since=DAY + timedelta(days=7)) == []


def test_a_ranked_search_in_dates_finds_rows_behind_better_ones_out_of_them(user, make_entry):
    """The index's shortlist (4 × limit) is of every date: when rows out of the range fill it,
    the ones in it are found all the same; in it or not, the best in the range comes first."""
    for n in range(6):
        make_entry(date=DAY - timedelta(days=10 + n), body="発音練習。" * 4)
    weak = make_entry(date=DAY, body="長い一日の終わりに、少しだけ発音練習をした。")
    strong = make_entry(date=DAY + timedelta(days=1), body="発音練習。" * 3)
    in_range = {"since": DAY, "until": DAY + timedelta(days=6)}
    assert [hit.url for hit in search(user, "発音練習", limit=1, **in_range)] == [
        f"/days/{strong.date}/#entry-{strong.uuid}"
    ]
    strong.delete_softly()
    assert [hit.url for hit in search(user, "発音練習", limit=1, **in_range)] == [
        f"/days/{weak.date}/#entry-{weak.uuid}"
    ]
    assert len(search(user, "発音練習", limit=2, until=DAY - timedelta(days=12))) == 2


def test_short_words_list_the_newest_first(user, make_entry):
    for day in (date(2025, 1, 1), date(2026, 3, 1), date(2024, 7, 1)):
        make_entry(date=day, title="", body="英語")
    assert [hit.date.year for hit in search(user, "英語")] == [2026, 2025, 2024]


def test_long_words_list_the_best_match_first_and_the_newest_on_ties(user, make_entry):
    old = make_entry(date=date(2024, 1, 1), title="", body="発音練習。" * 5)
    new = make_entry(date=date(2026, 1, 1), title="", body="発音練習。" * 5)
    weak = make_entry(date=date(2026, 6, 1), title="", body="発音練習。" + "ほかの話。" * 60)
    found = [hit.url for hit in search(user, "発音練習")]
    assert found == [new.get_absolute_url(), old.get_absolute_url(), weak.get_absolute_url()]


def test_each_hit_links_to_its_object_on_its_page(user, everywhere):
    urls = {hit.kind: hit.url for hit in search(user, "発音練習")}
    assert urls == {
        "entry": f"/days/2026-11-23/#entry-{everywhere['entry'].uuid}",
        "item": f"/weeks/2026-11-23/#item-{everywhere['item'].uuid}",
        "note": f"/weeks/2026-11-23/#note-{everywhere['note'].uuid}",
    }


def test_the_links_follow_the_script_prefix_the_app_is_served_under(user, everywhere):
    """The day's and week's routes are reversed once a process, for each prefix."""
    from django.urls import set_script_prefix

    set_script_prefix("/tsuzuri/")
    try:
        prefixed = {hit.kind: hit.url for hit in search(user, "発音練習")}
    finally:
        set_script_prefix("/")
    assert prefixed["entry"] == f"/tsuzuri/days/2026-11-23/#entry-{everywhere['entry'].uuid}"
    assert prefixed["note"] == f"/tsuzuri/weeks/2026-11-23/#note-{everywhere['note'].uuid}"
    plain = {hit.kind: hit.url for hit in search(user, "発音練習")}
    assert plain["entry"] == f"/days/2026-11-23/#entry-{everywhere['entry'].uuid}"


def test_a_hit_shows_its_title_and_the_original_text_with_the_words_marked(user, make_entry):
    make_entry(title="ＡＢＣの記録", body="前置き。\n今日はＡＢＣ予想を<読んだ> & ｶﾀｶﾅも。")
    [hit] = search(user, "abc 予想")
    assert hit.title == "<mark>ＡＢＣ</mark>の記録"
    assert hit.snippet == "前置き。 今日は<mark>ＡＢＣ予想</mark>を&lt;読んだ&gt; &amp; ｶﾀｶﾅも。"
    assert (hit.kind, hit.date) == ("entry", DAY)


def test_a_snippet_is_cut_around_the_first_match(user, make_entry):
    make_entry(title="", body="あ" * 300 + "英語の発音練習" + "い" * 300)
    [hit] = search(user, "英語")
    assert hit.snippet.startswith("…あああ")
    assert "<mark>英語</mark>の発音練習いい" in hit.snippet
    assert hit.snippet.endswith("…")
    assert 100 < len(hit.snippet) < 140


def test_an_items_text_is_its_title_and_a_note_shows_the_field_that_matched(user, everywhere):
    found = {hit.kind: hit for hit in search(user, "英語")}
    assert found["item"].title == "<mark>英語</mark>の発音練習を毎日続けた"
    assert found["item"].label == "Keep"
    assert found["note"].title == "発音の本"
    assert found["note"].snippet == "<mark>英語</mark>の発音練習に効く本。"
    assert len(search(user, "よかった")) == 1
    assert search(user, "よかった")[0].snippet == "<mark>よかった</mark>"


def test_a_notes_link_is_searched(user, make_note):
    make_note("論文", url="https://arxiv.org/abs/1706.03762", notes="")
    [hit] = search(user, "1706.03762")
    assert hit.snippet == "https://arxiv.org/abs/<mark>1706.03762</mark>"


def test_a_try_is_labelled_as_a_try(user, make_item):
    make_item("英語で日記を書く", kind=ItemKind.TRY)
    assert search(user, "英語")[0].label == "Try"


def test_limit_caps_the_hits_over_all_kinds(user, make_entry, make_item):
    for _ in range(3):
        make_entry(body="英語")
        make_item("英語")
    assert len(search(user, "英語", limit=4)) == 4


def test_an_empty_query_finds_nothing(user, entry):
    assert search(user, "") == []
    assert search(user, " \u3000 ") == []


def test_too_long_a_query_is_refused(user):
    with pytest.raises(QueryError):
        search(user, "あ" * 201)
    with pytest.raises(QueryError):
        search(user, " ".join("語" * (n + 1) for n in range(MAX_TERMS + 1)))


def test_an_anonymous_user_finds_nothing(user, entry):
    from django.contrib.auth.models import AnonymousUser

    assert search(AnonymousUser(), "データ整理") == []


@pytest.mark.parametrize("query", ["英語", "発音練習"])
def test_it_takes_a_query_a_kind_and_one_more_for_the_rows_shown(
    user, make_week, query, django_assert_num_queries
):
    for weeks_ago in range(5):
        week = make_week(DAY - timedelta(weeks=weeks_ago))
        Item.objects.create(user=user, week=week, kind=ItemKind.KEEP, text="英語の発音練習")
    # One a kind, one for the items shown (with their weeks). On SQLite a short word is first
    # looked up in the indexes' vocabularies, all in one query, and a kind whose index has no
    # trigram starting with it is not queried at all (here only the items have 英語).
    queries = 1 + 1 + 1 if len(query) < 3 and connection.vendor == "sqlite" else 3 + 1
    with django_assert_num_queries(queries):
        assert len(search(user, query)) == 5


def test_a_ranked_search_finds_the_users_rows_behind_better_ranked_rows_of_others(
    user, other_user, make_entry
):
    """The index's shortlist (4 × limit) holds every user's rows: when others' or deleted
    ones fill it, every match is ranked instead."""
    for _ in range(6):
        make_entry(user=other_user, body="発音練習。発音練習。発音練習。発音練習。")
    for _ in range(3):
        make_entry(body="発音練習。発音練習。発音練習。").delete_softly()
    mine = make_entry(body="長い一日の終わりに、少しだけ発音練習をした。" * 3)
    hits = search(user, "発音練習", limit=1)
    assert [hit.url for hit in hits] == [f"/days/{mine.date}/#entry-{mine.uuid}"]


def test_a_ranked_search_lists_the_best_first_from_the_shortlist(user, make_entry):
    best = make_entry(title="発音練習", body="発音練習の記録。")
    for n in range(10):
        make_entry(title=f"記録{n}", body="長い一日。" * 40 + "発音練習")
    hits = search(user, "発音練習", limit=3)
    assert len(hits) == 3
    assert hits[0].url.endswith(f"#entry-{best.uuid}")


def test_a_word_in_most_entries_and_a_few_notes_shows_both_on_the_first_page(
    user, make_entry, make_note
):
    """Each index's bm25 weighs a word by its rarity in that index: written in every entry it
    weighs next to nothing there, and the three notes that hold it took the whole first page.
    The kinds are merged on their scores relative to each kind's best."""
    make_entry(title="記録", body="発音練習。発音練習。")
    for n in range(4):
        make_entry(title=f"記録{n}", body="長い一日の終わりに、少しだけ発音練習をした。")
    best_note = make_note("発音の本", notes="発音練習。発音練習。", impressions="")
    for n in range(2):
        make_note(f"本{n}", notes="長い本の最後の章に、発音練習のことが少しだけ書いてある。")
    for n in range(7):
        make_note(f"別の本{n}", notes="まったく関係のない本。")
    hits = search(user, "発音練習", limit=3)
    assert sorted(hit.kind for hit in hits[:2]) == ["entry", "note"]
    assert any(hit.url.endswith(f"#note-{best_note.uuid}") for hit in hits[:2])
    # Within a kind, the order is bm25's: the entry that says it twice first.
    entries = [hit for hit in search(user, "発音練習") if hit.kind == "entry"]
    assert entries[0].title == "記録"
