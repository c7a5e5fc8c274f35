"""Search everything a user wrote: diary entries, KPT items and reading notes (DESIGN.md §6).

Every model keeps `search_text`, its text in NFKC + casefold. On SQLite, words of three or more
characters are looked up in the FTS5 trigram indexes (archive/migrations/0001_search_index.py);
trigrams cannot find anything shorter, and two-character words (英語, 日記) are common in
Japanese, so words of one or two characters use LIKE on the table itself. On PostgreSQL every word
uses LIKE, which the pg_trgm index serves, and words of three or more characters are ranked by a
frequency score computed in SQL (_trigram_rank), as SQLite ranks them by bm25().
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from journal.models import Entry, normalize_for_search
from weekly.models import Item, ReadingNote, Week

from .highlight import highlight, matches, snippet

MAX_QUERY_LENGTH = 200  # characters as typed
MAX_TERMS = 8
TRIGRAM = 3  # FTS5's trigram tokenizer finds nothing shorter
KINDS = ("entry", "item", "note")

FTS_TABLES = {
    Entry: "journal_entry_fts",
    Item: "weekly_item_fts",
    ReadingNote: "weekly_readingnote_fts",
}
# What each model's save() makes search_text of, in this order (rebuild_search recomputes it).
SEARCHED_FIELDS = {
    Entry: ("title", "body"),
    Item: ("text",),
    ReadingNote: ("title", "url", "notes", "impressions"),
}


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Hit:
    kind: str  # "entry", "item" or "note"
    date: date  # the entry's date, or the first day of the item's or note's week
    title: SafeString  # the entry's title, the item's text or the note's title, terms marked
    snippet: SafeString  # the original text around the first match, every term in <mark>
    url: str  # the object itself, on its day or week page
    label: str = ""  # Keep/Problem/Try for an item, book/article/… for a note


def search_terms(query: str) -> list[str]:
    """The words of a query, normalised like search_text; a hit contains every one of them."""
    return list(dict.fromkeys(normalize_for_search(query).split()))


def search(
    user,
    query: str,
    kinds: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
) -> list[Hit]:
    """The user's live entries, items and notes containing every word of `query`: best first
    when the full-text index ranks them all, else newest first."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"a query has at most {MAX_QUERY_LENGTH} characters")
    terms = search_terms(query)
    if len(terms) > MAX_TERMS:
        raise QueryError(f"a query has at most {MAX_TERMS} words")
    if unknown := set(kinds or ()) - set(KINDS):
        raise QueryError(f"unknown kinds: {sorted(unknown)}")
    if not terms:
        return []
    ranked = all(len(term) >= TRIGRAM for term in terms)
    # First the ids and sort keys of each kind's best rows, then the rows of the overall best:
    # sorting whole rows (kilobytes of text each) would cost more than the search itself.
    best: list[tuple[tuple, str, int]] = []
    for kind in kinds or KINDS:
        searched = SEARCHES[kind]
        matching = _matching(searched.rows(user, since, until), terms)
        order = ("search_rank", *searched.newest_first) if ranked else searched.newest_first
        columns = ("id", searched.date_field, *(["search_rank"] if ranked else []))
        for pk, day, *rank in matching.order_by(*order).values_list(*columns)[:limit]:
            best.append(((*rank, -day.toordinal()), kind, pk))
    best.sort(key=lambda candidate: candidate[0])  # stable: ties keep each kind's own order
    best = best[:limit]
    rows = {}
    for kind in {kind for _, kind, _ in best}:
        shown = [pk for _, of_kind, pk in best if of_kind == kind]
        rows[kind] = SEARCHES[kind].rows(user, since, until).in_bulk(shown)
    links = Links()
    return [SEARCHES[kind].hit(rows[kind][pk], terms, links) for _, kind, pk in best]


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _matching(rows: QuerySet, terms: list[str]) -> QuerySet:
    indexed = [term for term in terms if len(term) >= TRIGRAM] if _uses_fts() else []
    for term in terms:
        if term not in indexed:
            rows = rows.filter(search_text__contains=term)  # LIKE, with % and _ escaped
    if indexed:
        # A join with the FTS table, for its MATCH and bm25() rank: no ORM expression makes one.
        fts, table = FTS_TABLES[rows.model], rows.model._meta.db_table
        rows = rows.extra(
            tables=[fts],
            where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
            params=[" ".join(_phrase(term) for term in indexed)],  # phrases side by side: AND
            select={"search_rank": f"bm25({fts})"},
        )
    elif all(len(term) >= TRIGRAM for term in terms):
        rank, params = _trigram_rank(rows.model, terms)
        rows = rows.extra(select={"search_rank": rank}, select_params=params)
    return rows


BM25_K1 = 1.2  # how fast more occurrences of a word stop counting, as in SQLite's bm25()


def _trigram_rank(model, terms: list[str]) -> tuple[str, list]:
    """SQL and its parameters for a rank where there is no FTS5 bm25(), lower being better: for
    each word, BM25's saturating term frequency, tf / (tf + k1). No IDF (every row ranked holds
    every word) and no length normalisation: bm25() divides by the average length of the table,
    which would cost a scan of it here, and a fixed guess would rank short KPT items above
    entries instead of merging the kinds as bm25's per-table statistics do."""
    column = f'"{model._meta.db_table}"."search_text"'
    count = f"((length({column}) - length(replace({column}, %s, '')))::float / %s)"
    scores, params = [], []
    for term in terms:
        scores.append(f"{count} / ({count} + {BM25_K1})")
        params += [term, len(term), term, len(term)]
    return "-(" + " + ".join(scores) + ")", params


def _phrase(term: str) -> str:
    """One FTS5 string: user input is never query syntax ("AND", "*", "NEAR(", a stray quote)."""
    return '"' + term.replace('"', '""') + '"'


class Links:
    """Links to the pages of hits, each route reversed once rather than once a hit."""

    def __init__(self) -> None:
        sample = date(2000, 1, 1)
        self._day = reverse("journal:day", args=[sample]).replace(sample.isoformat(), "{}")
        self._week = reverse("weekly:week", args=[sample]).replace(sample.isoformat(), "{}")

    def day(self, day: date, anchor: str) -> str:
        return self._day.format(day.isoformat()) + "#" + anchor

    def week(self, week: Week, anchor: str) -> str:
        return self._week.format(week.start_date.isoformat()) + "#" + anchor


# Each kind: its rows of the user in the date range, newest first, and how a row is shown.


@dataclass(frozen=True)
class _Searched:
    rows: Callable[..., QuerySet]
    date_field: str
    newest_first: tuple[str, ...]
    hit: Callable[..., Hit]


def _entries(user, since: date | None, until: date | None) -> QuerySet:
    rows = Entry.objects.for_user(user).alive().only("uuid", "date", "title", "body", "position")
    if since:
        rows = rows.filter(date__gte=since)
    if until:
        rows = rows.filter(date__lte=until)
    return rows


def _in_weeks(rows: QuerySet, since: date | None, until: date | None) -> QuerySet:
    """Rows of the weeks that share a day with the range."""
    rows = rows.select_related("week")
    if since:
        rows = rows.filter(week__end_date__gte=since)
    if until:
        rows = rows.filter(week__start_date__lte=until)
    return rows


def _items(user, since: date | None, until: date | None) -> QuerySet:
    rows = Item.objects.for_user(user).alive().only("uuid", "kind", "text", "week__start_date")
    return _in_weeks(rows, since, until)


def _notes(user, since: date | None, until: date | None) -> QuerySet:
    fields = ("uuid", "kind", "title", "url", "notes", "impressions", "position")
    rows = ReadingNote.objects.for_user(user).alive().only(*fields, "week__start_date")
    return _in_weeks(rows, since, until)


def _entry_hit(entry: Entry, terms: list[str], links: Links) -> Hit:
    return Hit(
        kind="entry",
        date=entry.date,
        title=highlight(entry.title, terms),
        snippet=snippet(entry.body, terms),
        url=links.day(entry.date, f"entry-{entry.uuid}"),
    )


def _item_hit(item: Item, terms: list[str], links: Links) -> Hit:
    return Hit(
        kind="item",
        date=item.week.start_date,
        title=snippet(item.text, terms),
        snippet=SafeString(""),  # the text is the title
        url=links.week(item.week, f"item-{item.uuid}"),
        label=item.get_kind_display(),
    )


def _note_hit(note: ReadingNote, terms: list[str], links: Links) -> Hit:
    texts = [note.notes, note.impressions, note.url]
    shown = next((text for text in texts if matches(text, terms)), note.notes or note.impressions)
    return Hit(
        kind="note",
        date=note.week.start_date,
        title=highlight(note.title, terms),
        snippet=snippet(shown, terms),
        url=links.week(note.week, f"note-{note.uuid}"),
        label=note.get_kind_display(),
    )


SEARCHES = {
    "entry": _Searched(_entries, "date", ("-date", "-position"), _entry_hit),
    "item": _Searched(_items, "week__start_date", ("-week__start_date", "-id"), _item_hit),
    "note": _Searched(_notes, "week__start_date", ("-week__start_date", "-position"), _note_hit),
}
