"""Search everything a user wrote: diary entries, KPT items and reading notes (DESIGN.md §6).

Every model keeps `search_text`, its text in NFKC + casefold. On SQLite every word is looked up
in the FTS5 trigram indexes (archive/migrations/): a word of three or more characters as a phrase;
a shorter one (two-character words such as 英語 and 日記 are common in Japanese), which no trigram
query finds, as the trigrams that start with it, read off the index's vocabulary (migration 0002
pads every text so that its last characters start trigrams too). Only a one-character word that
starts too many trigrams falls back to LIKE on the table. On PostgreSQL every word uses LIKE,
which the pg_trgm index serves, and words of three or more characters are ranked by a frequency
score computed in SQL (_trigram_rank), as SQLite ranks them by bm25().
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
# A short word that starts more trigrams than this is looked for with LIKE: a MATCH of thousands
# of alternatives would cost more than the scan.
MAX_TRIGRAMS = 300
KINDS = ("entry", "item", "note")

FTS_TABLES = {
    Entry: "journal_entry_fts",
    Item: "weekly_item_fts",
    ReadingNote: "weekly_readingnote_fts",
}
# Each index's fts5vocab table: one row a trigram, in order (for the short words).
VOCABULARIES = {model: f"{table}_vocab" for model, table in FTS_TABLES.items()}
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
    kinds = list(kinds or KINDS)
    starting = _trigrams_starting(terms, [SEARCHES[kind].model for kind in kinds])
    for kind in kinds:
        searched = SEARCHES[kind]
        matching = _matching(searched.rows(user, since, until), terms, starting)
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


def _trigrams_starting(terms: list[str], models: list) -> dict[tuple, list[str] | None]:
    """{(model, short word): the trigrams of the model's index that start with it, or None when
    more than MAX_TRIGRAMS do}, read off the vocabularies in one query."""
    short = [term for term in terms if len(term) < TRIGRAM]
    if not short or not _uses_fts():
        return {}
    parts, params = [], []
    for model in models:
        for number, term in enumerate(short):
            # A range the vocabulary seeks to: "英語" ≤ trigram ≤ "英語" + the last code point.
            parts.append(
                f"SELECT * FROM (SELECT %s, %s, term FROM {VOCABULARIES[model]} "
                f"WHERE term >= %s AND term <= %s LIMIT {MAX_TRIGRAMS + 1})"
            )
            params += [model._meta.label, number, term, term + "\U0010ffff"]
    found: dict[tuple, list[str]] = {(model, term): [] for model in models for term in short}
    labels = {model._meta.label: model for model in models}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for label, number, trigram in cursor.fetchall():
            found[labels[label], short[number]].append(trigram)
    return {key: None if len(tris) > MAX_TRIGRAMS else tris for key, tris in found.items()}


def _matching(rows: QuerySet, terms: list[str], starting: dict[tuple, list[str] | None]):
    if not _uses_fts():
        for term in terms:
            rows = rows.filter(search_text__contains=term)  # LIKE, with % and _ escaped
        if all(len(term) >= TRIGRAM for term in terms):
            rank, params = _trigram_rank(rows.model, terms)
            rows = rows.extra(select={"search_rank": rank}, select_params=params)
        return rows
    words = []  # an FTS5 expression a word; a row must match all of them
    for term in terms:
        if len(term) >= TRIGRAM:
            words.append(_phrase(term))
        elif (trigrams := starting[rows.model, term]) is None:
            rows = rows.filter(search_text__contains=term)
        elif not trigrams:
            return rows.none()
        else:
            words.append("(" + " OR ".join(_phrase(trigram) for trigram in trigrams) + ")")
    if not words:
        return rows
    fts, table = FTS_TABLES[rows.model], rows.model._meta.db_table
    match = " AND ".join(words)
    if all(len(term) >= TRIGRAM for term in terms):
        # A join with the FTS table, for its MATCH and bm25() rank: no ORM expression makes one.
        return rows.extra(
            tables=[fts],
            where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
            params=[match],
            select={"search_rank": f"bm25({fts})"},
        )
    # Newest first, unranked: as a set of ids, the rows are read in date order off the
    # (user, date) index until enough match, instead of all of them fetched and sorted.
    return rows.extra(
        where=[f"{table}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"], params=[match]
    )


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
    """Links to the pages of hits and their labels, each route reversed once rather than once a
    hit."""

    def __init__(self) -> None:
        sample = date(2000, 1, 1)
        self._day = reverse("journal:day", args=[sample]).replace(sample.isoformat(), "{}")
        self._week = reverse("weekly:week", args=[sample]).replace(sample.isoformat(), "{}")
        self._labels: dict[type, dict[str, str]] = {}

    def label(self, row: Item | ReadingNote) -> str:
        """The row's kind (Keep, Problem, Try; book, article, …) in the user's language,
        translated once a search rather than once a hit."""
        model = type(row)
        if model not in self._labels:
            kinds = model._meta.get_field("kind").choices
            self._labels[model] = {value: str(label) for value, label in kinds}
        return self._labels[model][row.kind]

    def day(self, day: date, anchor: str) -> str:
        return self._day.format(day.isoformat()) + "#" + anchor

    def week(self, week: Week, anchor: str) -> str:
        return self._week.format(week.start_date.isoformat()) + "#" + anchor


# Each kind: its rows of the user in the date range, newest first, and how a row is shown.


@dataclass(frozen=True)
class _Searched:
    model: type
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
        label=links.label(item),
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
        label=links.label(note),
    )


SEARCHES = {
    "entry": _Searched(Entry, _entries, "date", ("-date", "-position"), _entry_hit),
    "item": _Searched(Item, _items, "week__start_date", ("-week__start_date", "-id"), _item_hit),
    "note": _Searched(
        ReadingNote, _notes, "week__start_date", ("-week__start_date", "-position"), _note_hit
    ),
}
