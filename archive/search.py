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
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from config import sql
from config.sql import as_date, as_uuid
from journal.models import Entry, normalize_for_search
from weekly.models import Item, ReadingNote

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
    when the full-text index ranks them all (each kind's score relative to its best), else
    newest first."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"a query has at most {MAX_QUERY_LENGTH} characters")
    terms = search_terms(query)
    if len(terms) > MAX_TERMS:
        raise QueryError(f"a query has at most {MAX_TERMS} words")
    if unknown := set(kinds or ()) - set(KINDS):
        raise QueryError(f"unknown kinds: {sorted(unknown)}")
    if not terms:
        return []
    # First the ids and sort keys of each kind's best rows, then the rows of the overall best:
    # sorting whole rows (kilobytes of text each) would cost more than the search itself.
    best: list[tuple[tuple, str, int]] = []
    kinds = list(kinds or KINDS)
    starting = _trigrams_starting(terms, [SEARCHES[kind].model for kind in kinds])
    for kind in kinds:
        rows = _best_rows(kind, user, terms, starting, since, until, limit)
        # Ranked, each kind's scores count relative to its best: a table's bm25 weighs a word
        # by how rare it is in that table, so a word written in a thousand entries and a few
        # notes ranked every note above every entry (発音練習: 21 notes, no entry, on the first
        # page of a ten-year journal). Within a kind the order is the same.
        ranked = [row[2] for row in rows if len(row) > 2]  # negative, the best lowest
        scale = -min(ranked, default=0) or 1.0  # so that the best is -1
        for pk, day, *rank in rows:
            best.append(((*[r / scale for r in rank], -as_date(day).toordinal()), kind, pk))
    best.sort(key=lambda candidate: candidate[0])  # stable: ties keep each kind's own order
    best = best[:limit]
    rows = {}
    for kind in {kind for _, kind, _ in best}:
        rows[kind] = _shown_rows(SEARCHES[kind], user, [pk for _, of, pk in best if of == kind])
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


def best_rows_sql(
    kind: str,
    user,
    terms: list[str],
    starting: dict[tuple, list[str] | None],
    since: date | None,
    until: date | None,
    limit: int,
    shortlist: int = 0,
) -> tuple[str, list] | None:
    """SQL and parameters for the ids and dates (and ranks, when ranked) of a kind's best
    `limit` rows holding every term, or None when the index shows that none can. With a
    `shortlist` on SQLite, a ranked search picks from the index's best `shortlist` matches of
    any user: up to `limit` of them, this user's live rows in the dates first, each carrying
    how many matches the shortlist holds and whether it is one of those rows (see
    _best_rows)."""
    searched = SEARCHES[kind]
    joins, where, params = _rows_of(searched, user, since, until)
    ranked = all(len(term) >= TRIGRAM for term in terms)
    words = []  # on SQLite, an FTS5 expression a word; a row must match all of them
    for term in terms:
        if _uses_fts() and len(term) >= TRIGRAM:
            words.append(_phrase(term))
        elif _uses_fts() and (trigrams := starting[searched.model, term]) is not None:
            if not trigrams:
                return None
            words.append("(" + " OR ".join(_phrase(trigram) for trigram in trigrams) + ")")
        else:
            where.append("t.\"search_text\" LIKE %s ESCAPE '\\'")
            params.append(f"%{connection.ops.prep_for_like_query(term)}%")
    columns, rank_params = f't."id", {searched.date}', []
    fts = FTS_TABLES[searched.model]
    if words and ranked and shortlist:
        # FTS5 ranks its own best `shortlist` rows faster than it ranks every match joined to
        # the table; the count tells whether the list was cut short. ORDER BY bm25() rather
        # than FTS5's `rank`: for that, FTS5 sorts every match in a query of its own, where
        # SQLite keeps only the best `shortlist` (発音練習 over ten years of entries: 0.99 →
        # 0.71 ms, the same rows). The user's live rows in the dates sort first and are told
        # apart by a flag, rather than filtered in a WHERE (or a LEFT JOIN's ON, which kept a
        # row for the count when none was the user's): given statistics (ANALYZE), the planner
        # scanned the whole table for a Bloom filter of them first (0.9 → 2.7 ms).
        match = " AND ".join(words)
        return (
            f"WITH f AS MATERIALIZED (SELECT rowid AS id, bm25({fts}) AS score FROM {fts} "
            f"WHERE {fts} MATCH %s ORDER BY score LIMIT %s) "
            f'SELECT t."id", {searched.date}, f.score, (SELECT count(*) FROM f), '
            f'({" AND ".join(where)}) AS wanted FROM f JOIN {searched.table} t ON t."id" = f.id'
            f"{joins} ORDER BY wanted DESC, 3, {searched.newest_first} LIMIT %s",
            [match, shortlist, *params, limit],
        )
    if words and ranked:
        joins += f' JOIN {fts} ON {fts}.rowid = t."id"'  # MATCH and bm25() need the table
        where.append(f"{fts} MATCH %s")
        params.append(" AND ".join(words))
        columns += f", bm25({fts})"
    elif words:
        # Newest first, unranked: as a set of ids, entries are read in date order off the
        # (user, date) index until enough match, instead of all of them fetched and sorted.
        # The unary + keeps it so when the planner has statistics (ANALYZE): it otherwise
        # looked up every match by its id and sorted them all (英語, ten years: 0.2 → 2.2
        # ms). Items and notes, dated by their weeks, have no such order to read them in:
        # there the lookups of the matches are the fast plan (+ made it 0.1 → 1.0 ms).
        plus = "" if searched.in_weeks else "+"
        where.append(f'{plus}t."id" IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)')
        params.append(" AND ".join(words))
    elif ranked:
        rank, rank_params = _trigram_rank(terms)
        columns += f", {rank}"
    order = f"3, {searched.newest_first}" if ranked else searched.newest_first
    return (
        f"SELECT {columns} FROM {searched.table} t{joins} WHERE {' AND '.join(where)} "
        f"ORDER BY {order} LIMIT %s",
        [*rank_params, *params, limit],
    )


def _best_rows(kind, user, terms, starting, since, until, limit: int) -> list[tuple]:
    """A kind's best rows: (id, date) newest first, or (id, date, rank) best first. A ranked
    search on SQLite first takes the index's best 4 × limit matches; only when other users'
    or deleted rows among them (or rows out of the dates) leave fewer than `limit` of this
    user's, and there may be more, does it rank every match."""
    shortlist = 4 * limit if _uses_fts() and all(len(t) >= TRIGRAM for t in terms) else 0
    query = best_rows_sql(kind, user, terms, starting, since, until, limit, shortlist)
    if query is None:
        return []
    rows = sql.fetch(*query)
    if not shortlist or not rows:
        return rows
    found = [row[:3] for row in rows if row[4]]
    if len(found) == limit or rows[0][3] < shortlist:
        return found
    return sql.fetch(*best_rows_sql(kind, user, terms, starting, since, until, limit))


def _rows_of(searched, user, since: date | None, until: date | None) -> tuple[str, list, list]:
    """The JOIN, the WHERE conditions and their parameters of the user's live rows of a kind in
    the date range: entries of its days, items and notes of the weeks that share a day with it."""
    joins = searched.week_join
    where, params = ['t."user_id" = %s', 't."deleted_at" IS NULL'], [user.pk]
    first, last = (
        ('t."date"', 't."date"') if not searched.in_weeks else ('w."end_date"', 'w."start_date"')
    )
    if since:
        where.append(f"{first} >= %s")
        params.append(since)
    if until:
        where.append(f"{last} <= %s")
        params.append(until)
    return joins, where, params


def _shown_rows(searched, user, ids: list[int]) -> dict[int, dict]:
    joins = searched.week_join
    columns = ", ".join(column for column, _ in searched.shown)
    rows = sql.fetch(
        f'SELECT t."id", {columns} FROM {searched.table} t{joins} '
        f'WHERE t."user_id" = %s AND t."id" IN ({sql.marks(ids)})',
        [user.pk, *ids],
    )
    names = [name for _, name in searched.shown]
    return {pk: dict(zip(names, values, strict=True)) for pk, *values in rows}


BM25_K1 = 1.2  # how fast more occurrences of a word stop counting, as in SQLite's bm25()


def _trigram_rank(terms: list[str]) -> tuple[str, list]:
    """SQL and its parameters for a rank where there is no FTS5 bm25(), lower being better: for
    each word, BM25's saturating term frequency, tf / (tf + k1). No IDF (every row ranked holds
    every word) and no length normalisation: bm25() divides by the average length of the table,
    which would cost a scan of it here, and a fixed guess would rank short KPT items above
    entries instead of merging the kinds as bm25's per-table statistics do. Lengths in bytes:
    octet_length() of a stored text is read from its header, where length() would decompress
    and walk it (that halved the time of 発音練習 over ten years of entries)."""
    column = 't."search_text"'
    count = (
        f"((octet_length({column}) - octet_length(replace({column}, %s, '')))::float"
        " / octet_length(%s))"  # bytes in the database's encoding, whichever it is
    )
    scores, params = [], []
    for term in terms:
        scores.append(f"{count} / ({count} + {BM25_K1})")
        params += [term] * 4
    return "-(" + " + ".join(scores) + ")", params


def _phrase(term: str) -> str:
    """One FTS5 string: user input is never query syntax ("AND", "*", "NEAR(", a stray quote)."""
    return '"' + term.replace('"', '""') + '"'


class Links:
    """Links to the pages of hits and their labels, each route reversed once rather than once a
    hit."""

    def __init__(self) -> None:
        self._day, self._week = _day_and_week_routes(
            get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
        )
        self._labels: dict[type, dict[str, str]] = {}

    def label(self, model: type, kind: str) -> str:
        """The kind (Keep, Problem, Try; book, article, …) in the user's language, translated
        once a search rather than once a hit."""
        if model not in self._labels:
            kinds = model._meta.get_field("kind").choices
            self._labels[model] = {value: str(label) for value, label in kinds}
        return self._labels[model][kind]

    def day(self, day: date, anchor: str) -> str:
        return self._day.format(day.isoformat()) + "#" + anchor

    def week(self, start: date, anchor: str) -> str:
        return self._week.format(start.isoformat()) + "#" + anchor


@lru_cache(maxsize=8)
def _day_and_week_routes(prefix: str, urlconf) -> tuple[str, str]:
    """The day's and the week's URL with {} for the date, reversed once a process for each
    script prefix and URLconf (both reversals cost about a hundredth of a search)."""
    sample = date(2000, 1, 1)
    return tuple(
        reverse(route, args=[sample], urlconf=urlconf).replace(sample.isoformat(), "{}")
        for route in ("journal:day", "weekly:week")
    )


# Each kind: its table, the date its hits sort by, newest first, and how a row is shown.


@dataclass(frozen=True)
class _Searched:
    model: type
    in_weeks: bool  # items and notes: dated by their week (joined as w)
    date: str  # SQL
    newest_first: str  # SQL
    shown: tuple[tuple[str, str], ...]  # (SQL, name) of what its hit shows
    hit: Callable[..., Hit]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def week_join(self) -> str:
        return ' JOIN weekly_week w ON w."id" = t."week_id"' if self.in_weeks else ""


def _entry_hit(entry: dict, terms: list[str], links: Links) -> Hit:
    day = as_date(entry["date"])
    return Hit(
        kind="entry",
        date=day,
        title=highlight(entry["title"], terms),
        snippet=snippet(entry["body"], terms),
        url=links.day(day, f"entry-{as_uuid(entry['uuid'])}"),
    )


def _item_hit(item: dict, terms: list[str], links: Links) -> Hit:
    start = as_date(item["start"])
    return Hit(
        kind="item",
        date=start,
        title=snippet(item["text"], terms),
        snippet=SafeString(""),  # the text is the title
        url=links.week(start, f"item-{as_uuid(item['uuid'])}"),
        label=links.label(Item, item["kind"]),
    )


def _note_hit(note: dict, terms: list[str], links: Links) -> Hit:
    start = as_date(note["start"])
    texts = [note["notes"], note["impressions"], note["url"]]
    shown = next((text for text in texts if matches(text, terms)), texts[0] or texts[1])
    return Hit(
        kind="note",
        date=start,
        title=highlight(note["title"], terms),
        snippet=snippet(shown, terms),
        url=links.week(start, f"note-{as_uuid(note['uuid'])}"),
        label=links.label(ReadingNote, note["kind"]),
    )


SEARCHES = {
    "entry": _Searched(
        Entry,
        in_weeks=False,
        date='t."date"',
        newest_first='t."date" DESC, t."position" DESC',
        shown=(
            ('t."uuid"', "uuid"),
            ('t."date"', "date"),
            ('t."title"', "title"),
            ('t."body"', "body"),
        ),
        hit=_entry_hit,
    ),
    "item": _Searched(
        Item,
        in_weeks=True,
        date='w."start_date"',
        newest_first='w."start_date" DESC, t."id" DESC',
        shown=(
            ('t."uuid"', "uuid"),
            ('w."start_date"', "start"),
            ('t."kind"', "kind"),
            ('t."text"', "text"),
        ),
        hit=_item_hit,
    ),
    "note": _Searched(
        ReadingNote,
        in_weeks=True,
        date='w."start_date"',
        newest_first='w."start_date" DESC, t."position" DESC',
        shown=(
            ('t."uuid"', "uuid"),
            ('w."start_date"', "start"),
            ('t."kind"', "kind"),
            ('t."title"', "title"),
            ('t."url"', "url"),
            ('t."notes"', "notes"),
            ('t."impressions"', "impressions"),
        ),
        hit=_note_hit,
    ),
}
