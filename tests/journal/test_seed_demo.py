from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from journal.markdown import RENDER_VERSION
from journal.models import Entry, JournalSettings, normalize_for_search
from weekly.models import Item, ItemKind, ReadingNote, Review, Week


def seed(*options: str) -> str:
    out = StringIO()
    call_command("seed_demo", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(user, travel_to):
    travel_to("2026-11-25 12:00")
    seed("--years", "1", "--seed", "7")
    return user


def test_one_year_makes_about_52_weeks_ending_this_week(seeded):
    entries = Entry.objects.filter(user=seeded)
    first, last = entries.order_by("date").first().date, entries.order_by("date").last().date
    assert last <= seeded.journal_settings.today()
    assert (last - first).days > 300
    weeks = Week.objects.filter(user=seeded)
    assert 40 <= weeks.count() <= 52  # about nine in ten weeks have a retrospective
    assert weeks.order_by("start_date").last().start_date <= seeded.journal_settings.today()
    assert all(week.start_date.weekday() == 0 for week in weeks)  # the user's week start
    assert all(week.end_date == week.start_date + timedelta(days=6) for week in weeks)


def test_entries_are_rendered_searchable_and_placed_like_saved_ones(seeded):
    entries = list(Entry.objects.filter(user=seeded))
    assert len(entries) > 150
    for entry in entries:
        assert entry.search_text == normalize_for_search(entry.title, entry.body)
        assert entry.body_html.startswith("<")
        assert entry.render_version == RENDER_VERSION
        assert 200 <= len(entry.body) <= 2000 + 200  # the last paragraph may run over a little
    by_day: dict = {}
    for entry in entries:
        by_day.setdefault(entry.date, []).append(entry.position)
    assert all(
        sorted(positions) == list(range(1, len(positions) + 1)) for positions in by_day.values()
    )
    assert any("<strong>" in entry.body_html for entry in entries)
    assert any("<li>" in entry.body_html for entry in entries)
    assert len({entry.uuid for entry in entries}) == len(entries)


def test_about_three_days_a_week_are_worked(seeded):
    worked = Entry.objects.filter(user=seeded, worked=True).values("date").distinct().count()
    assert 52 * 2 <= worked <= 52 * 4


def test_retrospectives_nest_kpt_items_with_tries_under_problems(seeded):
    for week in Week.objects.filter(user=seeded):
        items = list(week.items.all())
        assert 10 <= len(items) <= 25 + 5, week  # carried Tries come on top
        assert any(item.kind == ItemKind.TRY for item in items)
        for item in items:
            assert item.search_text == normalize_for_search(item.text)
            assert item.depth() <= 2
            if item.parent:
                assert item.parent.week_id == week.pk
                assert item.parent.kind != ItemKind.TRY
                assert (item.parent.kind == ItemKind.KEEP) == (item.kind == ItemKind.KEEP)
    tries = Item.objects.filter(user=seeded, kind=ItemKind.TRY)
    assert tries.filter(parent__kind=ItemKind.PROBLEM).exists()
    assert tries.filter(parent__parent__isnull=False).exists()  # three levels deep


def test_last_weeks_tries_are_reviewed_and_some_carried_forward(seeded):
    tries = Item.objects.filter(user=seeded, kind=ItemKind.TRY)
    for state in (Review.DONE, Review.NOT_DONE, Review.DROPPED, Review.OPEN):
        assert tries.filter(review=state).exists(), state
    carried = tries.filter(carried_from__isnull=False)
    assert carried.exists()
    for item in carried.select_related("carried_from__week", "week"):
        assert item.carried_from.review == Review.NOT_DONE
        assert item.text == item.carried_from.text
        assert item.week.start_date - item.carried_from.week.start_date == timedelta(days=7)


def test_reading_notes_have_links_notes_and_impressions(seeded):
    notes = list(ReadingNote.objects.filter(user=seeded))
    assert 52 * 2 <= len(notes) <= 52 * 4
    assert {note.kind for note in notes} == {"book", "article", "paper", "video"}
    for note in notes:
        assert note.url.startswith(("https://example.org/", "https://arxiv.org/abs/"))
        assert "<li>" in note.notes_html
        assert note.impressions_html.startswith("<p>")
        assert note.search_text == normalize_for_search(
            note.title, note.url, note.notes, note.impressions
        )


def test_it_says_what_it_made(user, travel_to):
    travel_to("2026-11-25 12:00")
    out = seed("--years", "1")
    assert out.startswith("alice: 記事 ")
    assert f"記事 {Entry.objects.count():,} 件" in out
    assert f"気になったこと {ReadingNote.objects.count():,} 件" in out


def test_it_refuses_a_journal_that_has_entries(seeded):
    with pytest.raises(CommandError, match="--force"):
        seed("--years", "1")


def test_force_adds_to_it_without_touching_existing_weeks(seeded):
    weeks, entries = Week.objects.count(), Entry.objects.count()
    seed("--years", "2", "--force", "--seed", "8")
    assert Week.objects.count() > weeks  # only the older year was free
    assert Entry.objects.count() > entries
    for day in Entry.objects.values_list("date", flat=True).distinct()[:50]:
        positions = list(Entry.objects.filter(date=day).values_list("position", flat=True))
        assert len(set(positions)) == len(positions)


def test_the_same_seed_makes_the_same_journal(db, django_user_model, travel_to):
    travel_to("2026-11-25 12:00")
    journals = []
    for name in ("first", "second"):
        seed("--years", "1", "--user", name, "--seed", "3")
        owner = django_user_model.objects.get(username=name)
        journals.append(
            [
                list(Entry.objects.filter(user=owner).values_list("date", "title", "body", "uuid")),
                list(Item.objects.filter(user=owner).values_list("text", "kind", "review")),
            ]
        )
        Entry.objects.filter(user=owner).delete()  # uuids are unique across users
        Week.objects.filter(user=owner).delete()  # with its items and notes
    assert journals[0] == journals[1]


def test_a_longer_journal_ends_with_the_shorter_one_of_the_same_seed(
    db, django_user_model, travel_to
):
    """Each week is drawn from the seed and its date: the benchmark's 10-year journal shows the
    same today, week and year as its 1-year one, so that their times compare."""
    travel_to("2026-11-25 12:00")
    first = None

    def journal(name: str, years: str) -> tuple[list, list, int]:
        nonlocal first
        seed("--years", years, "--user", name, "--seed", "5")
        owner = django_user_model.objects.get(username=name)
        weeks = Week.objects.filter(user=owner)
        first = first or weeks.order_by("start_date").first().start_date
        diary = Entry.objects.filter(user=owner, date__gte=first).order_by("date", "position")
        # The first week reviews Tries that only the longer journal has before it.
        items = Item.objects.filter(user=owner, week__start_date__gt=first + timedelta(days=7))
        made = (
            list(diary.values_list("date", "title", "body", "worked", "position")),
            # As a multiset: positions repeat under each parent, and PostgreSQL orders ties
            # its own way.
            Counter(items.values_list("week__start_date", "kind", "text", "position", "review")),
            Entry.objects.filter(user=owner).count(),
        )
        Entry.objects.filter(user=owner).delete()  # uuids are unique across users
        weeks.delete()
        return made

    short, long = journal("short", "1"), journal("long", "2")
    assert len(short[0]) > 200
    assert sum(short[1].values()) > 500
    assert short[0] == long[0]
    assert short[1] == long[1]
    assert long[2] > 1.8 * short[2]


def test_without_users_it_makes_a_demo_owner(db, travel_to):
    travel_to("2026-11-25 12:00")
    seed("--years", "1")
    owner = get_user_model().objects.get()
    assert owner.username == "demo"
    assert owner.is_superuser
    assert not owner.has_usable_password()
    assert JournalSettings.objects.filter(user=owner).exists()


def test_with_several_users_it_asks_which(user, other_user):
    with pytest.raises(CommandError, match="--user"):
        seed("--years", "1")


@pytest.mark.parametrize("years", ["0", "101"])
def test_it_refuses_an_odd_number_of_years(user, years):
    with pytest.raises(CommandError):
        seed("--years", years)
