"""Export → import into an empty journal → export gives the same JSON and the same photo bytes,
for generated journals: any text, dates across the diary's whole range, tombstones, conflict
copies of both kinds, item trees with carried Tries, photos on entries and as covers."""

import itertools
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.importing import DUPLICATE, FIRST_DAY, LAST_DAY
from journal.models import Entry, JournalSettings, Photo
from weekly.models import (
    MAX_DEPTH,
    Item,
    ItemKind,
    ReadingKind,
    ReadingNote,
    Week,
    save_or_conflict,
)

from .test_export import png
from .test_tsuzuri_import import document, export_bytes, members, plan

usernames = (f"roundtrip{n}" for n in itertools.count())

texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=30,
)
colours = st.tuples(*[st.integers(0, 255)] * 3)
photos = st.lists(st.tuples(colours, texts, st.booleans()), max_size=2)  # colour, alt, deleted
entries = st.lists(
    st.fixed_dictionaries(
        {
            "day": st.dates(FIRST_DAY, LAST_DAY),
            "title": texts,
            "body": texts,
            "worked": st.booleans(),
            "starred": st.booleans(),
            "deleted": st.booleans(),
            "conflict": st.booleans(),
            "photos": photos,
        }
    ),
    max_size=4,
)


def forests(depth: int = 1):
    children = st.just([]) if depth == MAX_DEPTH else forests(depth + 1)
    node = st.tuples(st.sampled_from(ItemKind.values), texts, st.booleans(), children)
    return st.lists(node, max_size=3 if depth == 1 else 2)


weeks = st.lists(
    st.fixed_dictionaries(
        {
            "monday": st.integers(0, 2000),
            "title": texts,
            "summary": texts,
            "items": forests(),
            "carry": st.booleans(),
            "notes": st.lists(
                st.fixed_dictionaries(
                    {
                        "title": texts,
                        "url": st.sampled_from(["", "https://example.com/a?b=c", "ftp://x.org/"]),
                        "kind": st.sampled_from(ReadingKind.values),
                        "notes": texts,
                        "impressions": texts,
                        "cover": st.one_of(st.none(), colours),
                        "deleted": st.booleans(),
                    }
                ),
                max_size=2,
            ),
            "conflict": st.booleans(),
        }
    ),
    max_size=3,
    unique_by=lambda week: week["monday"],
)


def make_journal(user, entries: list[dict], weeks: list[dict]) -> None:
    for number, one in enumerate(entries):
        entry = Entry.objects.create(
            user=user, date=one["day"], title=one["title"], body=one["body"],
            worked=one["worked"], starred=one["starred"],
        )  # fmt: skip
        for colour, alt, deleted in one["photos"]:
            photo = Photo.attach(user, SimpleUploadedFile("p.png", png(colour)), entry=entry)
            photo.bump(alt=alt, **({"deleted_at": photo.created_at} if deleted else {}))
        if one["conflict"]:
            base = entry.revision
            entry.save_revision(base, body=f"先 {number}")
            entry.edit_or_conflict(base, body=one["body"] + "後")
        if one["deleted"]:
            entry.delete_softly()
    items: list[Item] = []
    for one in weeks:
        start = date(2020, 1, 6) + timedelta(weeks=one["monday"])
        week = Week.objects.create(
            user=user, start_date=start, end_date=start + timedelta(days=6),
            title=one["title"], summary=one["summary"],
        )  # fmt: skip
        plant(user, week, one["items"], None, items, one["carry"])
        for note_fields in one["notes"]:
            fields = {k: v for k, v in note_fields.items() if k not in ("cover", "deleted")}
            note = ReadingNote.objects.create(user=user, week=week, **fields)
            if note_fields["cover"] is not None:
                cover = png(note_fields["cover"])
                Photo.attach(user, SimpleUploadedFile("c.png", cover), reading_note=note)
            if note_fields["deleted"]:
                note.bump(deleted_at=note.created_at)
        if one["conflict"]:
            save_or_conflict(week, week.revision - 1, title="遅れた題", summary=one["summary"])
            if items:
                save_or_conflict(items[-1], items[-1].revision - 1, text="遅れた項目")


def plant(user, week, forest, parent, items: list, carry: bool) -> None:
    for kind, text, deleted, children in forest:
        carried = items[0] if carry and items and items[0].week_id != week.pk else None
        item = Item.objects.create(
            user=user, week=week, kind=kind, text=text, parent=parent, carried_from=carried
        )
        items.append(item)
        plant(user, week, children, item, items, carry)
        if deleted:
            item.delete_softly()


def new_owner():
    owner = get_user_model().objects.create_user(next(usernames))
    JournalSettings.objects.create(user=owner)
    return owner


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=entries, weeks=weeks, title=texts.filter(str.strip))
def test_export_import_export_is_identical(db, entries, weeks, title):
    owner = new_owner()
    JournalSettings.objects.filter(user=owner).update(title=title[:100], week_start=6)
    make_journal(owner, entries, weeks)
    first = export_bytes(owner)
    again = plan(owner, first)
    assert {line.action for line in again.lines} <= {DUPLICATE}  # idempotent
    owner.delete()
    copy = new_owner()
    found = plan(copy, first)
    assert found.refused == []
    found.apply(copy)
    second = export_bytes(copy)
    assert document(second) == document(first)
    assert {k: v for k, v in members(second).items() if k != "tsuzuri.json"} == {
        k: v for k, v in members(first).items() if k != "tsuzuri.json"
    }
    copy.delete()
