"""The own zip back in (archive/readers/tsuzuri.py): round trips, idempotence, updates by
revision, and every kind of bad input refused per record with nothing written."""

import hashlib
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import translation

from archive.export import write_export
from archive.importing import CREATE, DUPLICATE, REFUSE, UPDATE, ImportRefused, plan_import
from archive.search import search
from archive.sources import bytes_source
from journal.models import ConflictCopy, Entry, Photo
from weekly.models import Item, ItemKind, ReadingNote, Week, WeeklyConflictCopy, save_or_conflict

from .test_export import png


def export_bytes(user) -> bytes:
    out = io.BytesIO()
    write_export(user, out)
    return out.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def document(data: bytes) -> dict:
    found = json.loads(members(data)["tsuzuri.json"])
    found.pop("exported_at")
    return found


def rezip(data: bytes, change=None, drop: str | None = None) -> bytes:
    """The export with its JSON changed by `change(document)` and/or a member left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members(data).items():
            if name == drop:
                continue
            if name == "tsuzuri.json" and change:
                found = json.loads(content)
                change(found)
                content = json.dumps(found, ensure_ascii=False).encode()
            archive.writestr(name, content)
    return out.getvalue()


def plan(user, data: bytes, name: str = "tsuzuri-export.zip"):
    """The plan, its reasons in English (the tests read them; the catalogue translates them)."""
    with translation.override("en"):
        return plan_import("tsuzuri", user, bytes_source(data, name))


def actions(found) -> dict[str, int]:
    return dict(found.counts())


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Entry, ConflictCopy, Week, Item, ReadingNote, WeeklyConflictCopy, Photo)
    }


@pytest.fixture
def journal(user, make_entry, make_item, make_note, make_conflict):
    """A bit of everything: a starred entry with a photo and a conflict copy, a deleted entry, a
    tree of items with a carried Try and a deleted one, a note with a cover, a weekly conflict."""
    entry = make_entry(title="実験ノート", body="**「データ整理」**をした。", starred=True)
    late = make_conflict(make_entry(title="競合した日記", date=date(2026, 11, 25)))
    ConflictCopy.objects.filter(pk=late.pk).update(starred=True)  # the losing save's ★
    make_entry(title="消した日記", date=date(2026, 11, 24)).delete_softly()
    problem = make_item("寝坊した", ItemKind.PROBLEM)
    tried = make_item("目覚ましを二つ", ItemKind.TRY, parent=problem)
    make_item("早起きできた", week=Week.get_or_create_for(user, date(2026, 11, 30)))
    make_item(
        "続ける",
        ItemKind.TRY,
        carried_from=tried,
        week=Week.objects.get(user=user, start_date=date(2026, 11, 30)),
    )
    make_item("取り消し").delete_softly()
    save_or_conflict(problem, problem.revision - 1, text="遅れた編集")
    note = make_note()
    Photo.attach(user, SimpleUploadedFile("a.png", png()), entry=entry)
    Photo.attach(user, SimpleUploadedFile("c.png", png((0, 90, 200))), reading_note=note)
    gone = Photo.attach(user, SimpleUploadedFile("d.png", png((9, 9, 9))), entry=entry)
    gone.bump(deleted_at=gone.created_at + timedelta(minutes=1))
    return user


def test_export_import_export_is_identical_in_an_empty_journal(journal, other_user):
    first = export_bytes(journal)
    journal.delete()  # its UUIDs are free again, as in a fresh instance
    found = plan(other_user, first)
    assert found.refused == []
    found.apply(other_user)
    second = export_bytes(other_user)
    assert document(second) == document(first)
    assert {name: data for name, data in members(second).items() if name != "tsuzuri.json"} == {
        name: data for name, data in members(first).items() if name != "tsuzuri.json"
    }


def test_a_conflict_copy_keeps_its_star_and_one_from_an_older_file_has_none(journal, other_user):
    data = export_bytes(journal)
    journal.delete()
    plan(other_user, data).apply(other_user)
    assert ConflictCopy.objects.get().starred is True

    ConflictCopy.objects.all().delete()
    older = rezip(data, lambda found: found["conflict_copies"][0].pop("starred"))
    found = plan(other_user, older)
    assert found.refused == []
    found.apply(other_user)
    assert ConflictCopy.objects.get().starred is False


def test_importing_twice_changes_nothing(journal):
    data = export_bytes(journal)
    before = (rows(), document(data))
    found = plan(journal, data)
    assert set(actions(found)) == {DUPLICATE}
    found.apply(journal)
    assert (rows(), document(export_bytes(journal))) == before


def test_it_keeps_times_and_revisions_and_renders_the_body(journal, other_user):
    entry = Entry.objects.get(title="実験ノート")
    data = export_bytes(journal)
    journal.delete()
    plan(other_user, data).apply(other_user)
    copy = Entry.objects.get(uuid=entry.uuid)
    kept = ("revision", "created_at", "updated_at", "deleted_at", "position", "starred")
    assert [getattr(copy, name) for name in kept] == [getattr(entry, name) for name in kept]
    assert copy.body_html == entry.body_html
    assert "<strong>「データ整理」</strong>" in copy.body_html
    assert copy.search_text == entry.search_text


def test_imported_rows_are_searchable(journal, other_user):
    data = export_bytes(journal)
    journal.delete()
    plan(other_user, data).apply(other_user)
    assert {hit.kind for hit in search(other_user, "データ整理")} == {"entry"}
    assert {hit.kind for hit in search(other_user, "目覚まし")} == {"item"}
    assert {hit.kind for hit in search(other_user, "Attention")} == {"note"}
    assert search(other_user, "英語") == []


def test_a_newer_revision_in_the_file_updates_and_an_older_one_is_skipped(journal):
    data = export_bytes(journal)
    entry = Entry.objects.get(title="実験ノート")
    revision = entry.revision
    item = Item.objects.get(text="早起きできた")

    def newer(found):
        for row in found["entries"]:
            if row["uuid"] == str(entry.uuid):
                row.update(title="書き直した題", revision=row["revision"] + 1)
        for row in found["items"]:
            if row["uuid"] == str(item.uuid):
                row["revision"] -= 1

    found = plan(journal, rezip(data, newer))
    by_action = {line.what: line for line in found.lines}
    updated = by_action["2026-11-23「書き直した題」"]
    assert updated.action == UPDATE
    assert "newer" in updated.reason
    skipped = by_action["Keep「早起きできた」"]
    assert skipped.action == DUPLICATE
    assert "the one here is newer" in skipped.reason
    found.apply(journal)
    entry.refresh_from_db()
    assert (entry.title, entry.revision) == ("書き直した題", revision + 1)
    assert search(journal, "書き直した")[0].kind == "entry"


def test_another_users_uuids_are_refused(journal, other_user):
    found = plan(other_user, export_bytes(journal))
    entries = [line for line in found.lines if "entries[" in line.where]
    assert {line.action for line in entries} == {REFUSE}
    assert "another user" in entries[0].reason
    with pytest.raises(ImportRefused):
        found.apply(other_user)
    assert Entry.objects.filter(user=other_user).count() == 0


def test_a_week_already_here_takes_the_files_items(journal, other_user, make_week):
    data = export_bytes(journal)
    journal.delete()
    mine = make_week(user=other_user)
    found = plan(other_user, data)
    merged = [line for line in found.lines if line.what.startswith("2026-11-23「Weekly")]
    assert merged[0].action == DUPLICATE
    found.apply(other_user)
    assert Item.objects.filter(week=mine, text="寝坊した").exists()


def test_the_settings_are_kept_when_the_journal_has_entries(user, make_entry, other_user):
    make_entry()
    data = rezip(export_bytes(user), lambda found: found["settings"].update(title="別の題"))
    found = plan(user, data)
    line = next(line for line in found.lines if line.what == "settings")
    assert line.action == DUPLICATE
    found.apply(user)
    user.journal_settings.refresh_from_db()
    assert user.journal_settings.title == "研究日記"


def test_the_bare_json_is_enough_without_photos(user, make_entry, other_user):
    make_entry(title="写真なし")
    data = members(export_bytes(user))["tsuzuri.json"]
    user.delete()
    found = plan(other_user, data, "tsuzuri.json")
    assert [line.action for line in found.lines if "entries" in line.where] == [CREATE]
    found.apply(other_user)
    assert Entry.objects.get(user=other_user).title == "写真なし"


def test_progress_reaches_the_total(journal, other_user):
    data = export_bytes(journal)
    journal.delete()
    found = plan(other_user, data)
    seen = []
    found.apply(other_user, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (found.total, found.total)
    assert all(done <= total for done, total in seen)


# Bad input: each refused with where and why, and nothing written.


def entry_row(found: dict) -> dict:
    return found["entries"][0]


BAD = {
    "an object for text": (
        lambda found: entry_row(found).update(title={"invalid": "type"}),
        "entries[0]",
        "title should be text, not an object",
    ),
    "an item's text of the wrong type": (
        lambda found: found["items"][0].update(text={"invalid": "type"}),
        "items[0]",
        "text should be text",
    ),
    "the year 0": (
        lambda found: entry_row(found).update(date="0000-01-01"),
        "entries[0]",
        "date is not a date",
    ),
    "the year 9999": (
        lambda found: entry_row(found).update(date="9999-12-31"),
        "entries[0]",
        "9999-12-31 is out of range",
    ),
    "a time in the year 9999": (
        lambda found: entry_row(found).update(updated_at="9999-12-31T23:59:59Z"),
        "entries[0]",
        "out of range",
    ),
    "a time without a zone": (
        lambda found: entry_row(found).update(created_at="2026-11-23T10:00:00"),
        "entries[0]",
        "no time zone",
    ),
    "a missing field": (lambda found: entry_row(found).pop("worked"), "entries[0]", "missing"),
    "a number for a flag": (
        lambda found: entry_row(found).update(worked=1),
        "entries[0]",
        "true or false",
    ),
    "a negative revision": (
        lambda found: entry_row(found).update(revision=-1),
        "entries[0]",
        "between",
    ),
    "an unknown kind": (
        lambda found: found["items"][0].update(kind="maybe"),
        "items[0]",
        "kind should be one of",
    ),
    "a NUL character": (
        lambda found: entry_row(found).update(body="a\x00b"),
        "entries[0]",
        "NUL",
    ),
    "a javascript link": (
        lambda found: found["reading_notes"][0].update(url="javascript:alert(1)"),
        "reading_notes[0]",
        "not a web address",
    ),
    "a reference to nothing": (
        lambda found: found["conflict_copies"][0].update(
            entry="00000000-0000-4000-8000-000000000000"
        ),
        "conflict_copies[0]",
        "neither in the file nor here",
    ),
    "a week that is not there": (
        lambda found: found.update(weeks=[]),
        "items[0]",
        "neither in the file nor here",
    ),
    "a UUID twice": (
        lambda found: found["entries"].append(dict(entry_row(found))),
        "entries[3]",
        "twice",
    ),
    "a row that is not an object": (
        lambda found: found["entries"].append("日記"),
        "entries[3]",
        "should be an object",
    ),
    "a wrong photo hash": (
        lambda found: found["photos"][0]["files"][0].update(sha256="0" * 64),
        "photos[0]",
        "does not match its sha256",
    ),
    "an item under itself": (
        lambda found: found["items"][0].update(parent=found["items"][0]["uuid"]),
        "items[0]",
        "circle",
    ),
    "a settings value out of range": (
        lambda found: found["settings"].update(day_boundary_hour=24),
        "settings",
        "day_boundary_hour should be between 0 and 23",
    ),
    "an unknown time zone": (
        lambda found: found["settings"].update(time_zone="Mars/Olympus"),
        "settings",
        "time_zone should be one of",
    ),
    "a conflict copy's field too long": (
        lambda found: found["weekly_conflict_copies"][0]["fields"].update(text="長" * 2001),
        "weekly_conflict_copies[0]",
        "fields.text is longer than 2000 characters",
    ),
    "a conflict copy of the wrong object": (
        lambda found: found["weekly_conflict_copies"][0].update(item=None),
        "weekly_conflict_copies[0]",
        "wrong object",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_records_are_refused_and_nothing_is_written(journal, other_user, case):
    change, where, why = BAD[case]
    data = rezip(export_bytes(journal), change)
    journal.delete()
    before = rows()
    found = plan(other_user, data)
    refused = [line for line in found.refused if line.where.endswith(where)]
    assert refused, [str(line) for line in found.refused]
    assert why in refused[0].reason
    with pytest.raises(ImportRefused):
        found.apply(other_user)
    assert rows() == before


def test_a_missing_photo_file_is_refused(journal, other_user):
    data = export_bytes(journal)
    key = document(data)["photos"][0]["file_key"]
    journal.delete()
    found = plan(other_user, rezip(data, drop=f"photos/{key}/480.webp"))
    assert any("480.webp is missing" in line.reason for line in found.refused)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\x89PNG not json", "not UTF-8"),
        (b'{"format": ', "not valid JSON"),
        (b"[1, 2, 3]", "not a Tsuzuri export"),
        (b'{"format": "dayone", "version": 1}', "not a Tsuzuri export"),
        (b'{"format": "tsuzuri"}', "no version"),
        (b'{"format": "tsuzuri", "version": 2}', "newer Tsuzuri"),
        (b'{"format": "tsuzuri", "version": 1, "entries": {"a": 1}}', "should be a list"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_whole(user, content, why):
    found = plan(user, content, "tsuzuri.json")
    assert len(found.refused) == 1
    assert why in found.refused[0].reason
    assert Entry.objects.count() == 0


def test_a_zip_without_the_json_is_refused(user):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    found = plan(user, out.getvalue())
    assert "no tsuzuri.json" in found.refused[0].reason


def test_the_json_may_sit_in_a_folder_of_the_zip(journal, other_user):
    data = export_bytes(journal)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members(data).items():
            archive.writestr(f"tsuzuri-export/{name}", content)
    journal.delete()
    found = plan(other_user, out.getvalue())
    assert found.refused == []
    found.apply(other_user)
    photo = Photo.objects.filter(user=other_user).first()
    stored = sorted(p.name for p in (photo_folder(other_user, photo)).iterdir())
    assert stored == ["1600.webp", "480.webp"]


def photo_folder(user, photo):
    from journal.imaging import folder

    return folder(user.pk, photo.file_key)


def test_photo_files_are_byte_identical(journal, other_user):
    data = export_bytes(journal)
    files = {name: hashlib.sha256(content).hexdigest() for name, content in members(data).items()}
    journal.delete()
    plan(other_user, data).apply(other_user)
    for photo in Photo.objects.filter(user=other_user):
        for path in photo_folder(other_user, photo).iterdir():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert files[f"photos/{photo.file_key}/{path.name}"] == digest


def test_an_update_keeps_the_files_revision(journal):
    data = export_bytes(journal)
    Entry.objects.filter(user=journal).update(revision=F("revision") - 1)
    found = plan(journal, data)
    assert actions(found)[UPDATE] == 3
    found.apply(journal)
    assert document(export_bytes(journal)) == document(data)


def test_a_photo_whose_files_were_lost_before_the_export_is_refused(journal, other_user):
    import shutil

    photo = Photo.objects.filter(user=journal).first()
    shutil.rmtree(photo_folder(journal, photo))
    data = export_bytes(journal)
    journal.delete()
    found = plan(other_user, data)
    assert any("already missing where it was exported" in line.reason for line in found.refused)


def test_export_journal_then_import_journal_round_trip(journal, other_user, tmp_path):
    from django.core.management import call_command

    call_command("export_journal", str(tmp_path / "out.zip"), user="alice")
    first = (tmp_path / "out.zip").read_bytes()
    journal.delete()
    call_command("import_journal", str(tmp_path / "out.zip"), format="tsuzuri", user="bob")
    assert document(export_bytes(other_user)) == document(first)


def test_an_entry_from_the_same_source_here_takes_the_files_photos(journal, other_user):
    Entry.objects.filter(title="実験ノート").update(source="dayone:ABC")
    data = export_bytes(journal)
    journal.delete()
    mine = Entry.objects.create(user=other_user, date=date(2026, 11, 23), source="dayone:ABC")
    found = plan(other_user, data)
    line = next(line for line in found.lines if "実験ノート" in line.what)
    assert (line.action, line.reason) == (DUPLICATE, "an entry from the same source is here")
    found.apply(other_user)
    assert Photo.objects.filter(entry=mine).count() == 2


def test_two_entries_of_one_source_in_the_file_are_refused(journal, other_user):
    def same_source(found):
        for row in found["entries"]:
            row["source"] = "jrnl:1"

    data = rezip(export_bytes(journal), same_source)
    journal.delete()
    found = plan(other_user, data)
    assert [line.reason for line in found.refused] == [
        "Another entry in the file has the same source."
    ] * 2
    assert all(line.action for line in found.lines)


def test_two_weeks_of_one_start_in_the_file_are_refused(journal, other_user):
    def same_start(found):
        for row in found["weeks"]:
            row["start_date"] = "2026-11-23"

    data = rezip(export_bytes(journal), same_start)
    journal.delete()
    found = plan(other_user, data)
    assert [line.reason for line in found.refused] == [
        "Another week in the file starts on 2026-11-23."
    ]
    assert all(line.label for line in found.lines)
