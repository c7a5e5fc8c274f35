"""The timeline of weeks (/weeks/): which weeks a page shows, and what each of their cards says.

A week is on the timeline when it has a stored Week or a live diary entry. Stored weeks keep the
start they were made with; an entry belongs to the stored week whose dates hold it, else to the
user's week (JournalSettings.week_of). A page is found by keyset (`before`: weeks starting
strictly earlier) and costs the same few queries however long the history is: the candidate
starts come from two bounded queries (the newest stored weeks, the newest distinct entry dates),
then the page's entries, KPT items and reading notes are loaded with one query each.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from config import sql
from config.http import url_format
from config.sql import as_date, uuid_text
from journal.imaging import scaled
from journal.models import Entry, JournalSettings, Photo
from journal.templatetags.journal import weekday_short

from .models import Item, ItemKind, ReadingKind, ReadingNote, Review, Week, default_week_title

# Weeks a page: a phone screen shows one or two cards and a laptop's three or four; more load as
# the list scrolls, so a short first page costs less and shows as much.
PAGE_SIZE = 8
CARD_PHOTOS = 6  # thumbnails on a week's card; the rest are counted
FILTERS = ("open-tries", "missed", "reading")
KPT_KINDS = ItemKind.values  # the enum makes this list anew on each access: once, for every card
# The tables the page reads with plain SQL (config/sql.py): the ORM would cost more than the SQL.
WEEKS, ITEMS, NOTES = Week._meta.db_table, Item._meta.db_table, ReadingNote._meta.db_table
ENTRIES, PHOTOS = Entry._meta.db_table, Photo._meta.db_table


def shift(day: date, days: int) -> date:
    """`day` moved by `days`, held inside the dates Python can hold."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass
class TimelineDay:
    date: date
    label: str  # 11/23(月)
    url: str
    entries: list[dict] = field(default_factory=list)

    @property
    def worked(self) -> bool:
        return any(entry["worked"] for entry in self.entries)


@dataclass
class WeekCard:
    start: date
    end: date
    target: int
    url: str
    week: dict | None = None  # the stored week's id and title, if there is one
    days: list[TimelineDay] = field(default_factory=list)
    worked: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KPT_KINDS, 0))
    tries: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)
    html: SafeString = SafeString("")  # the whole card, see CardRows

    @property
    def progress(self) -> dict:
        return {"worked": self.worked, "target": self.target}

    @property
    def met(self) -> bool:
        return self.worked >= self.target

    @property
    def title(self) -> str:
        """The stored title, when the user gave one (the default title only repeats the dates)."""
        if self.week and self.week["title"] != default_week_title(self.start, self.end):
            return self.week["title"]
        return ""


@dataclass
class TimelinePage:
    cards: list[WeekCard]
    next_before: date | None  # the `before` of the next page, None on the last one


def timeline_page(
    user, prefs: JournalSettings, before: date | None, only: str = "", today: date | None = None
) -> TimelinePage:
    """The page of weeks starting before `before` (all weeks when None), newest first, keeping
    only those that pass the filter `only` (one of FILTERS, or "" for every week)."""
    weeks, dates = _candidates(user, before, only)
    covered = _covering_weeks(weeks)
    starts = {week["start_date"] for week in weeks}
    starts = {start for start in starts if before is None or start < before}
    worked = Counter()
    if only not in ("open-tries", "reading"):  # those two are about retrospectives only
        for row in dates:
            start = covered.get(row["date"]) or prefs.week_of(row["date"])[0]
            if before is None or start < before:
                starts.add(start)
                worked[start] += row["worked"] > 0
    stored = {week["start_date"]: week for week in weeks}
    ordered = sorted(starts, reverse=True)
    if only == "missed":
        today = today or prefs.today()
        ordered = [
            start
            for start in ordered
            if worked[start] < prefs.weekly_target_days and _end(start, stored) < today
        ]
    week_url = url_format("weekly:week")
    cards = [
        WeekCard(
            start,
            _end(start, stored),
            prefs.weekly_target_days,
            week_url.format(start),
            stored.get(start),
        )
        for start in ordered[:PAGE_SIZE]
    ]
    _fill(user, prefs, cards, covered)
    rows = CardRows()
    for card in cards:
        card.html = rows.card(card)
    next_before = cards[-1].start if len(ordered) > PAGE_SIZE else None
    return TimelinePage(cards, next_before)


def _candidates(user, before: date | None, only: str) -> tuple[list[dict], list[dict]]:
    """The stored weeks and the entry dates (with their worked count) the page is chosen from.

    Unfiltered, both are bounded: PAGE_SIZE + 1 weeks are enough to know whether another page
    follows, and 7 dates a week, plus the 6 days a week starting before `before` can reach past
    it. A stored week starting within 7 days after `before` is loaded too, so that the dates it
    holds are not taken for another week. "missed" needs every week's worked days, so it reads
    every date (one row per written day: some thousands after ten years).
    """
    week_where, date_where = ['"user_id" = %s'], ['"user_id" = %s', '"deleted_at" IS NULL']
    week_params, date_params = [user.pk], [user.pk]
    if before is not None:
        week_where.append('"start_date" < %s')
        week_params.append(shift(before, 7))
        date_where.append('"date" < %s')
        date_params.append(shift(before, 6))
    if only == "open-tries":
        week_where.append(
            f'EXISTS (SELECT 1 FROM {ITEMS} i WHERE i."week_id" = {WEEKS}."id" AND '
            f'i."deleted_at" IS NULL AND i."kind" = %s AND i."review" = %s)'
        )
        week_params += [ItemKind.TRY, Review.OPEN]
    elif only == "reading":
        week_where.append(
            f'EXISTS (SELECT 1 FROM {NOTES} n WHERE n."week_id" = {WEEKS}."id" AND '
            f'n."deleted_at" IS NULL)'
        )
    limit = "" if only == "missed" else f" LIMIT {PAGE_SIZE + 8}"
    weeks = [
        {"id": pk, "start_date": as_date(start), "end_date": as_date(end), "title": title}
        for pk, start, end, title in sql.fetch(
            f'SELECT "id", "start_date", "end_date", "title" FROM {WEEKS} '
            f'WHERE {" AND ".join(week_where)} ORDER BY "start_date" DESC{limit}',
            week_params,
        )
    ]
    if only in ("open-tries", "reading"):
        return weeks, []
    limit = "" if only == "missed" else f" LIMIT {7 * (PAGE_SIZE + 1) + 6}"
    dates = [
        {"date": as_date(day), "worked": worked}
        for day, worked in sql.fetch(
            f'SELECT "date", SUM(CASE WHEN "worked" THEN 1 ELSE 0 END) FROM {ENTRIES} '
            f'WHERE {" AND ".join(date_where)} GROUP BY "date" ORDER BY "date" DESC{limit}',
            date_params,
        )
    ]
    return weeks, dates


def _covering_weeks(weeks: list[dict]) -> dict[date, date]:
    """{day: start} for every day a stored week holds (older weeks first: a newer one wins)."""
    covered = {}
    for week in sorted(weeks, key=lambda week: week["start_date"]):
        start = week["start_date"]
        for offset in range((week["end_date"] - start).days + 1):
            covered[start + timedelta(days=offset)] = start
    return covered


def _end(start: date, stored: dict[date, dict]) -> date:
    return stored[start]["end_date"] if start in stored else shift(start, 6)


def _fill(user, prefs: JournalSettings, cards: list[WeekCard], covered: dict) -> None:
    """Load the cards' entries, KPT items and reading notes: one query each, read as plain rows
    (a page holds some hundreds of them, and model instances would cost more than the SQL)."""
    _fill_entries(user, prefs, cards, covered)
    weeks = {card.week["id"]: card for card in cards if card.week}
    if weeks:
        _fill_items(user, weeks)
        _fill_notes(user, weeks)


def _fill_entries(user, prefs: JournalSettings, cards: list[WeekCard], covered: dict) -> None:
    by_start = {card.start: card for card in cards}
    days = {card.start + timedelta(days=n) for card in cards for n in range(7)}
    days |= {day for day, start in covered.items() if start in by_start}
    entry_cards: dict[int, WeekCard] = {}
    if not cards:
        return  # and no IN () either: PostgreSQL refuses it
    days = sorted(days)
    entries = sql.dicts(
        f'SELECT "id", "uuid", "date", "title", "worked", "starred" FROM {ENTRIES} '
        f'WHERE "user_id" = %s AND "deleted_at" IS NULL AND "date" IN ({sql.marks(days)}) '
        'ORDER BY "date", "position", "id"',
        [user.pk, *days],
        ["id", "uuid", "date", "title", "worked", "starred"],
    )
    day_url = url_format("journal:day")
    untitled = gettext("(untitled)")
    weekdays = [weekday_short(n) for n in range(7)]  # translated once, not once a day
    for entry in entries:
        day = entry["date"] = as_date(entry["date"])
        card = by_start.get(covered.get(day) or prefs.week_of(day)[0])
        if card is None:
            continue
        if not card.days or card.days[-1].date != day:
            label = f"{day.month}/{day.day}({weekdays[day.weekday()]})"
            card.days.append(TimelineDay(day, label, day_url.format(day)))
        entry["title"] = entry["title"] or untitled
        entry["uuid"] = uuid_text(entry["uuid"])  # only ever written into HTML
        card.days[-1].entries.append(entry)
        entry_cards[entry["id"]] = card
    for card in cards:
        card.worked = sum(day.worked for day in card.days)
    _fill_photos(user, entry_cards)


def _fill_photos(user, entry_cards: dict[int, WeekCard]) -> None:
    """The live photos of the cards' entries, in the order the day pages show them."""
    if not entry_cards:
        return
    photos = sql.dicts(
        f'SELECT p."uuid", p."entry_id", p."width", p."height", p."alt" FROM {PHOTOS} p '
        f'JOIN {ENTRIES} e ON e."id" = p."entry_id" '
        f'WHERE p."user_id" = %s AND p."deleted_at" IS NULL '
        f'AND p."entry_id" IN ({sql.marks(entry_cards)}) '
        'ORDER BY e."date", e."position", p."entry_id", p."position", p."id"',
        [user.pk, *entry_cards],
        ["uuid", "entry_id", "width", "height", "alt"],
    )
    for photo in photos:
        photo["uuid"] = uuid_text(photo["uuid"])  # only ever written into HTML
        entry_cards[photo["entry_id"]].photos.append(photo)


def _fill_items(user, weeks: dict[int, WeekCard]) -> None:
    """KPT counts and Tries (with review state) of the items the week page shows: live ones
    whose parents are shown too, in the order of its nested lists."""
    items = sql.dicts(
        'SELECT i."id", i."week_id", i."kind", i."text", i."review", i."parent_id", '
        f'EXISTS (SELECT 1 FROM {ITEMS} c WHERE c."carried_from_id" = i."id" '
        'AND c."deleted_at" IS NULL AND c."kind" = %s) '
        f'FROM {ITEMS} i WHERE i."user_id" = %s AND i."deleted_at" IS NULL '
        f'AND i."week_id" IN ({sql.marks(weeks)}) ORDER BY i."position", i."id"',
        [ItemKind.TRY, user.pk, *weeks],
        ["id", "week_id", "kind", "text", "review", "parent_id", "carried"],
    )
    children: dict[int | None, list[dict]] = {}
    for item in items:
        children.setdefault(item["parent_id"], []).append(item)

    def shown(parent_id: int | None):
        for item in children.get(parent_id, []):
            yield item
            yield from shown(item["id"])

    for item in shown(None):
        card = weeks[item["week_id"]]
        card.counts[item["kind"]] += 1
        if item["kind"] == ItemKind.TRY:
            card.tries.append(item)


def _fill_notes(user, weeks: dict[int, WeekCard]) -> None:
    notes = sql.dicts(
        f'SELECT "uuid", "week_id", "title", "kind" FROM {NOTES} '
        f'WHERE "user_id" = %s AND "deleted_at" IS NULL AND "week_id" IN ({sql.marks(weeks)}) '
        'ORDER BY "position", "id"',
        [user.pk, *weeks],
        ["uuid", "week_id", "title", "kind"],
    )
    for note in notes:
        note["uuid"] = uuid_text(note["uuid"])  # only ever written into HTML
        weeks[note["week_id"]].notes.append(note)


class CardRows:
    """The cards, and the rows they repeat (a day with its entries, a photo, a Try, a reading
    note), as HTML.

    A page has a couple of hundred rows. Through the template language they, and then the cards'
    frames, took most of the page's time; here they are f-strings, with every text escaped
    (html.escape) before it goes in, and the words translated once a page.
    """

    def __init__(self):
        self.progress = escape(gettext("%(worked)s of %(target)s target days worked"))
        self.photos_label = escape(gettext("Photos"))
        self.notes_label = escape(gettext("Reading notes"))
        self.write = escape(gettext("Write the retrospective"))
        self.weekdays = [weekday_short(n) for n in range(7)]
        self.worked = (
            ' <span class="mark worked" aria-hidden="true"></span>'
            f'<span class="visually-hidden">{escape(gettext("worked"))}</span>'
        )
        self.star = (
            '<span class="entry-star" aria-hidden="true">★</span>'
            f'<span class="visually-hidden">{escape(gettext("Starred:"))} </span>'
        )
        self.carried = f'<span class="badge carried">{escape(gettext("carried"))}</span>'
        self.reviews = {
            value: f'<span class="badge review-{value}">{escape(str(label))}</span>'
            for value, label in Review.choices
        }
        self.kinds = {
            value: f'<span class="badge kind">{escape(str(label))}</span>'
            for value, label in ReadingKind.choices
        }
        self.no_alt = gettext("Photo without a description")
        self.more = gettext("+%(n)d more")
        sample = uuid.UUID(int=0)
        self.photo_url = reverse("journal:photo-file", args=[sample, 480]).replace(
            f"{sample}/480", "{}/{}"
        )

    def date(self, day: date) -> str:
        """2026/11/23(月), as the jdate filter writes it."""
        return f"{day.year:04}/{day.month:02}/{day.day:02}({self.weekdays[day.weekday()]})"

    def card(self, card: WeekCard) -> SafeString:
        met = " is-met" if card.met else ""
        dots = "●" * card.worked + "○" * max(card.target - card.worked, 0)
        worked = self.progress % {"worked": card.worked, "target": card.target}
        html = [
            f'<li id="week-{card.start.isoformat()}" class="week-card{met}">'
            '<header class="week-card-head">'
            f'<h2><a href="{card.url}">{self.date(card.start)} – {self.date(card.end)}</a></h2>'
            f'<p class="week-progress"><span class="dots" aria-hidden="true">{dots}</span> '
            f"{worked}</p></header>"
        ]
        if card.title:
            html.append(f'<p class="week-card-title">{escape(card.title)}</p>')
        if card.days:
            html.append(f'<ul class="card-days">{self.days(card)}</ul>')
        if card.photos:
            html.append(
                f'<ul class="card-photos" data-gallery aria-label="{self.photos_label}">'
                f"{self.photos(card)}</ul>"
            )
        if card.week:
            counts = card.counts
            html.append(
                '<p class="kpt-counts">'
                f'<span class="count keep">Keep <b>{counts["keep"]}</b></span> '
                f'<span class="count problem">Problem <b>{counts["problem"]}</b></span> '
                f'<span class="count try">Try <b>{counts["try"]}</b></span></p>'
            )
            if card.tries:
                html.append(f'<ul class="card-tries">{self.tries(card)}</ul>')
            if card.notes:
                html.append(
                    f'<ul class="card-reading" aria-label="{self.notes_label}">'
                    f"{self.notes(card)}</ul>"
                )
        else:
            html.append(
                f'<p class="card-missing"><a class="button quiet" href="{card.url}">'
                f"{self.write} →</a></p>"
            )
        html.append("</li>")
        return mark_safe("".join(html))  # every text in it escaped

    def days(self, card: WeekCard) -> SafeString:
        return mark_safe(
            "\n".join(
                f'<li><span class="card-day"><a class="card-date" href="{day.url}">{day.label}'
                f"</a>{self.worked if day.worked else ''}</span> "
                f'<span class="card-titles">{self.entry_links(day)}</span></li>'
                for day in card.days
            )
        )

    def entry_links(self, day: TimelineDay) -> str:
        return "".join(
            f'<a href="{day.url}#entry-{entry["uuid"]}">{self.star if entry["starred"] else ""}'
            f"{escape(entry['title'])}</a>"
            for entry in day.entries
        )

    def photos(self, card: WeekCard) -> SafeString:
        """Small thumbnails (the 480 px file, shown smaller) that open the lightbox."""
        items = []
        for photo in card.photos[:CARD_PHOTOS]:
            thumb = scaled(photo["width"], photo["height"], 480)
            full = scaled(photo["width"], photo["height"], 1600)
            alt = escape(photo["alt"] or self.no_alt)
            items.append(
                f'<li><a href="{self.photo_url.format(photo["uuid"], 1600)}" data-lightbox '
                f'data-width="{full[0]}" data-height="{full[1]}">'
                f'<img src="{self.photo_url.format(photo["uuid"], 480)}" width="{thumb[0]}" '
                f'height="{thumb[1]}" alt="{alt}" loading="lazy" decoding="async"></a></li>'
            )
        if len(card.photos) > CARD_PHOTOS:
            more = len(card.photos) - CARD_PHOTOS
            items.append(f'<li class="more">{escape(self.more % {"n": more})}</li>')
        return mark_safe("".join(items))

    def tries(self, card: WeekCard) -> SafeString:
        return mark_safe(
            "\n".join(
                f'<li><span class="star-mark" aria-hidden="true">★</span> {escape(item["text"])} '
                f"{self.carried if item['carried'] else self.reviews[item['review']]}</li>"
                for item in card.tries
            )
        )

    def notes(self, card: WeekCard) -> SafeString:
        return mark_safe(
            "\n".join(
                f"<li>{self.kinds[note['kind']]} "
                f'<a href="{card.url}#note-{note["uuid"]}">{escape(note["title"])}</a></li>'
                for note in card.notes
            )
        )
