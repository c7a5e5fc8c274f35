"""manage.py seed_demo --years N: a realistic synthetic Japanese journal ending today, for demos
and for the benchmark.

Each week has a diary on 0–7 days (1–3 entries a day, some weeks empty, about three worked days),
nine weeks in ten a retrospective of 10–25 KPT items nested up to three levels (★ Tries under
their Problems), last week's Tries reviewed and some carried forward, and about three reading
notes. The same --seed on the same day makes the same journal, and each week is drawn from the
seed and its date alone: the last year of a 10-year journal is the 1-year journal of the same
seed (but for the first week's review of the Tries before it), so that the benchmark compares
the same pages at both sizes. Rows are made in bulk, so this fills in what save() would have
set: positions, rendered HTML and search text.
"""

import random
import time
import uuid
from datetime import date, timedelta
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max

from journal import demo_text as text
from journal.markdown import RENDER_VERSION, render_markdown
from journal.models import Entry, JournalSettings, normalize_for_search
from weekly.models import Item, ItemKind, ReadingKind, ReadingNote, Review, Week, default_week_title

BATCH = 500
render = lru_cache(maxsize=8192)(render_markdown)  # notes and summaries repeat; bodies rarely do


class Command(BaseCommand):
    help = "Make a realistic synthetic Japanese journal of N years ending today (demo, benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=1, help="how many years (52 weeks each)")
        parser.add_argument("--user", help="the owner's username (default: the only user, or demo)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed makes the same text")
        parser.add_argument("--force", action="store_true", help="add to a journal with entries")

    def handle(self, *args, years: int, user: str | None, seed: int, force: bool, **options):
        if not 1 <= years <= 100:
            raise CommandError("--years は 1 から 100 までです")
        owner = demo_owner(user)
        if Entry.objects.filter(user=owner).exists() and not force:
            raise CommandError(
                f"{owner} にはもう記事があるので、何も作りませんでした(足すなら --force)"
            )
        started = time.perf_counter()
        with transaction.atomic():
            journal = DemoJournal(owner, seed)
            journal.make(weeks=52 * years)
        self.stdout.write(f"{owner}: {journal.describe()} ({time.perf_counter() - started:.1f}秒)")


def demo_owner(username: str | None):
    """The named user (made if missing), else the only user, else a new owner called demo."""
    users = get_user_model().objects.order_by("pk")
    if username is None:
        found = list(users[:2])
        if len(found) > 1:
            raise CommandError("ユーザーが複数います。--user で指定してください")
        username = found[0].get_username() if found else "demo"
    owner, made = users.get_or_create(**{get_user_model().USERNAME_FIELD: username})
    if made:  # an owner like the one /setup/ makes; a password is set with changepassword
        owner.is_staff = owner.is_superuser = True
        owner.set_unusable_password()
        owner.save()
    JournalSettings.objects.get_or_create(user=owner)
    return owner


class Slots(dict):
    """Fills `{slot}` in the text bank with a random choice, afresh for every slot."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return self.rng.choice(text.SLOTS[key])


class DemoJournal:
    def __init__(self, owner, seed: int):
        self.owner, self.seed, self.rng = owner, seed, random.Random(seed)
        self.ids = random.Random(seed)  # uuids in one sequence: never the same twice a journal
        self.prefs = JournalSettings.objects.get(user=owner)
        self.slots = Slots(self.rng)
        self.entries: list[Entry] = []
        self.weeks: list[Week] = []
        self.items: list[Item] = []
        self.notes: list[ReadingNote] = []
        self.positions: dict[tuple, int] = {}
        self.links: dict[int, tuple] = {}  # id(item): (parent, carried_from), saved before it

    def make(self, weeks: int) -> None:
        today = self.prefs.today()
        newest = self.prefs.week_of(today)[0]
        taken = set(Week.objects.filter(user=self.owner).values_list("start_date", flat=True))
        last_positions = (
            Entry.objects.filter(user=self.owner).values("date").annotate(last=Max("position"))
        )
        self.positions = {("day", row["date"]): row["last"] for row in last_positions}
        tries: list[Item] = []
        for back in range(weeks - 1, -1, -1):
            start = newest - timedelta(days=7 * back)
            self.reseed(start, "diary")
            self.diary_week(start, today)
            self.reseed(start, "retrospective")
            if start in taken or self.rng.random() < 0.1:
                tries = []  # no retrospective: last week's Tries stay unreviewed
            else:
                tries = self.retrospective(start, tries)
        self.save()

    def reseed(self, start: date, part: str) -> None:
        """Draw what follows from the seed, the week and the part alone, whatever came before
        (a string seed is hashed the same way in every process)."""
        self.rng.seed(f"{self.seed}:{start.isoformat()}:{part}")

    # The diary

    def diary_week(self, start: date, today: date) -> None:
        rng = self.rng
        if rng.random() < 0.08:
            return  # a week away from the diary
        offsets = rng.sample(range(7), rng.choice([1, 2, 3, 3, 4, 4, 5, 5, 6, 7]))
        days = sorted(d for n in offsets if (d := start + timedelta(days=n)) <= today)
        worked = set(rng.sample(days, min(len(days), rng.choice([2, 3, 3, 3, 4, 4, 5]))))
        for day in days:
            for n in range(rng.choices([1, 2, 3], weights=[55, 30, 15])[0]):
                title, body = self.fill(rng.choice(text.TITLES)), self.body()
                self.entries.append(
                    Entry(
                        user=self.owner,
                        uuid=self.uuid(),
                        date=day,
                        title=title,
                        body=body,
                        body_html=render_markdown(body),
                        render_version=RENDER_VERSION,
                        worked=n == 0 and day in worked,
                        position=self.next_position("day", day),
                        search_text=normalize_for_search(title, body),
                    )
                )

    def body(self) -> str:
        """200–2,000 characters, mostly short; paragraphs, sometimes a list, bold or a quote.
        Most sentences come from one theme (research, study or daily life), none twice."""
        rng = self.rng
        themes = [text.RESEARCH, text.STUDY, text.LIFE]
        main = rng.choices(themes, weights=[5, 3, 3])[0]
        others = [line for theme in themes if theme is not main for line in theme]
        decks = (rng.sample(main, len(main)), rng.sample(others, len(others)))
        target = int(rng.triangular(200, 2000, 420))
        blocks: list[str] = []
        while sum(map(len, blocks)) < target and any(decks):
            block = self.paragraph(decks)
            if blocks and sum(map(len, blocks)) + len(block) > 2000:
                break
            blocks.append(block)
        if rng.random() < 0.2:
            items = rng.sample(text.LIST_ITEMS, rng.randint(3, 5))
            blocks.insert(rng.randint(0, len(blocks)), "今日やること:\n" + self.bullets(items))
        if rng.random() < 0.25:
            blocks.append(f"**{rng.choice(text.BOLD_PHRASES)}**を忘れないようにしたい。")
        if rng.random() < 0.5:
            reflection = rng.choice(text.REFLECTIONS)
            blocks.append(f"> {reflection}" if rng.random() < 0.2 else reflection)
        return "\n\n".join(blocks)

    def paragraph(self, decks: tuple[list[str], list[str]]) -> str:
        """2–5 sentences, seven in ten from the main theme's deck while it lasts."""
        main, others = decks
        lines = []
        for _ in range(self.rng.randint(2, 5)):
            deck = main if main and (self.rng.random() < 0.7 or not others) else others
            if deck:
                lines.append(self.fill(deck.pop()))
        if len(lines) > 1 and self.rng.random() < 0.3:  # a soft line break, kept in the HTML
            return "".join(lines[:-1]) + "\n" + lines[-1]
        return "".join(lines)

    # The retrospective

    def retrospective(self, start: date, last_weeks_tries: list[Item]) -> list[Item]:
        """Make the week's KPT and reading notes; return its Tries, for next week's review."""
        rng = self.rng
        end = start + timedelta(days=6)
        summary = " ".join(rng.sample(text.WEEK_SUMMARIES, 2)) if rng.random() < 0.3 else ""
        week = Week(
            user=self.owner,
            uuid=self.uuid(),
            start_date=start,
            end_date=end,
            title=default_week_title(start, end),
            summary=summary,
            summary_html=render(summary),
            render_version=RENDER_VERSION,
        )
        self.weeks.append(week)
        followed = self.review(week, last_weeks_tries)
        rest = max(rng.randint(10, 25) - len(followed), 4)
        keep = round(rest * rng.uniform(0.35, 0.55))
        self.tree(week, ItemKind.KEEP, keep)
        tries = self.tree(week, ItemKind.PROBLEM, rest - keep)
        for _ in range(rng.choices(range(7), weights=[8, 12, 18, 20, 18, 14, 10])[0]):
            self.reading_note(week)
        return tries + [item for item in followed if item.kind == ItemKind.TRY]

    def review(self, week: Week, tries: list[Item]) -> list[Item]:
        """Review last week's Tries; carry some not done forward, record some done as a Keep."""
        followed = []
        for try_ in tries:
            try_.review = self.rng.choices(
                [Review.DONE, Review.NOT_DONE, Review.DROPPED], weights=[50, 32, 18]
            )[0]
            if try_.review == Review.NOT_DONE and self.rng.random() < 0.6:
                followed.append(self.item(week, ItemKind.TRY, try_.text, carried_from=try_))
            elif try_.review == Review.DONE and self.rng.random() < 0.2:
                followed.append(self.item(week, ItemKind.KEEP, try_.text, carried_from=try_))
        return followed

    def tree(self, week: Week, section: str, count: int) -> list[Item]:
        """`count` items of a section, nested up to three levels; returns its Tries. Problem &
        Try holds at least one Try, usually under the Problem it answers."""
        rng = self.rng
        made: list[tuple[Item, int]] = []
        for _ in range(count):
            parents = [(item, depth) for item, depth in made if depth < 2 and not item.is_try]
            parent, depth = None, 0
            if parents and rng.random() < 0.45:
                parent, depth = rng.choice(parents)
                depth += 1
            made.append((self.item(week, self.kind(section, depth), "", parent=parent), depth))
        if section == ItemKind.PROBLEM and made and not any(i.is_try for i, _ in made):
            made[-1][0].kind = ItemKind.TRY  # the last one has no children yet
        for item, depth in made:
            bank = {
                (ItemKind.KEEP, True): text.KEEPS,
                (ItemKind.KEEP, False): text.KEEP_DETAILS,
                (ItemKind.PROBLEM, True): text.PROBLEMS,
                (ItemKind.PROBLEM, False): text.PROBLEM_DETAILS,
                (ItemKind.TRY, True): text.TRIES,
                (ItemKind.TRY, False): text.TRIES,
            }[(item.kind, depth == 0)]
            item.text = self.fill(rng.choice(bank))
            item.search_text = normalize_for_search(item.text)
        return [item for item, _ in made if item.is_try]

    def kind(self, section: str, depth: int) -> str:
        if section == ItemKind.KEEP:
            return ItemKind.KEEP
        chance = 0.6 if depth else 0.15
        return ItemKind.TRY if self.rng.random() < chance else ItemKind.PROBLEM

    def item(self, week: Week, kind: str, item_text: str, **links) -> Item:
        section = ItemKind.KEEP if kind == ItemKind.KEEP else ItemKind.PROBLEM
        parent = links.get("parent")
        item = Item(
            user=self.owner,
            uuid=self.uuid(),
            week=week,
            kind=kind,
            text=item_text,
            search_text=normalize_for_search(item_text),
            position=self.next_position(id(week), section, id(parent)),
            **links,
        )
        self.items.append(item)
        self.links[id(item)] = (parent, links.get("carried_from"))
        return item

    def reading_note(self, week: Week) -> None:
        rng = self.rng
        kind = rng.choices(
            [ReadingKind.BOOK, ReadingKind.ARTICLE, ReadingKind.PAPER, ReadingKind.VIDEO],
            weights=[25, 35, 30, 10],
        )[0]
        title, url = self.reading_source(kind, week.start_date)
        lead = self.fill(rng.choice(text.RESEARCH + text.STUDY))
        notes = f"{lead}\n\n" + self.bullets(rng.sample(text.NOTE_POINTS, rng.randint(2, 4)))
        impressions = " ".join(self.fill(line) for line in rng.sample(text.IMPRESSIONS, 2))
        self.notes.append(
            ReadingNote(
                user=self.owner,
                uuid=self.uuid(),
                week=week,
                title=title,
                url=url,
                kind=kind,
                notes=notes,
                notes_html=render(notes),
                impressions=impressions,
                impressions_html=render(impressions),
                render_version=RENDER_VERSION,
                position=self.next_position(id(week), "reading"),
                search_text=normalize_for_search(title, url, notes, impressions),
            )
        )

    def reading_source(self, kind: str, day: date) -> tuple[str, str]:
        rng = self.rng
        number = rng.randint(1000, 99999)
        if kind == ReadingKind.BOOK:
            return rng.choice(text.BOOKS), f"https://example.org/books/{number}"
        if kind == ReadingKind.PAPER:
            title = " ".join(rng.choice(words) for words in text.PAPER_WORDS[:2])
            title += f" for {rng.choice(text.PAPER_WORDS[2])}"
            arxiv_id = f"{day:%y%m}.{rng.randint(1, 29999):05d}"
            return title, f"https://arxiv.org/abs/{arxiv_id}"
        if kind == ReadingKind.VIDEO:
            return rng.choice(text.VIDEOS), f"https://example.org/videos/v{number}"
        form, topic = rng.choice(text.ARTICLE_FORMS), rng.choice(text.ARTICLE_TOPICS)
        return form.format(topic=topic), f"https://example.org/articles/{day:%Y}/{number}"

    # Helpers

    def fill(self, line: str) -> str:
        return line.format_map(self.slots)

    def bullets(self, lines: list[str]) -> str:
        return "\n".join(f"- {line}" for line in lines)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def next_position(self, *key) -> int:
        self.positions[key] = self.positions.get(key, 0) + 1
        return self.positions[key]

    def save(self) -> None:
        Entry.objects.bulk_create(self.entries, batch_size=BATCH)
        Week.objects.bulk_create(self.weeks, batch_size=BATCH)
        # An item needs its parent's and its carried Try's ids: save them in waves.
        waiting = self.items
        while waiting:
            ready = [item for item in waiting if self.linked_rows_saved(item)]
            Item.objects.bulk_create(ready, batch_size=BATCH)
            waiting = [item for item in waiting if item.pk is None]
        ReadingNote.objects.bulk_create(self.notes, batch_size=BATCH)

    def linked_rows_saved(self, item: Item) -> bool:
        return all(linked is None or linked.pk is not None for linked in self.links[id(item)])

    def describe(self) -> str:
        days = {entry.date for entry in self.entries}
        worked = {entry.date for entry in self.entries if entry.worked}
        tries = sum(item.kind == ItemKind.TRY for item in self.items)
        return (
            f"記事 {len(self.entries):,} 件({len(days):,} 日、稼働 {len(worked):,} 日)、"
            f"振り返り {len(self.weeks):,} 週(KPT {len(self.items):,} 項目、うち Try {tries:,})、"
            f"気になったこと {len(self.notes):,} 件を作りました"
        )
