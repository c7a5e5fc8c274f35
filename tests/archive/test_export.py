import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from archive.export import write_export
from journal.models import Entry


def exported(user) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_export(user, out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def document(user) -> dict:
    return json.loads(exported(user).read("tsuzuri.json"))


def test_it_writes_the_json_with_every_kind(user, make_entry, make_item, make_note, make_conflict):
    entry = make_entry(title="朝", starred=True)
    make_conflict(entry)
    gone = make_entry(title="消した")
    gone.delete_softly()
    child = make_item("子", parent=make_item("親"))
    make_note()
    data = document(user)
    assert (data["format"], data["version"]) == ("tsuzuri", 1)
    assert data["settings"]["title"] == "研究日記"
    assert [e["title"] for e in data["entries"]] == ["朝", "消した"]
    assert data["entries"][1]["deleted_at"] is not None
    assert data["entries"][0]["starred"] is True
    assert data["conflict_copies"][0]["entry"] == str(entry.uuid)
    by_text = {item["text"]: item for item in data["items"]}
    assert by_text["子"]["parent"] == by_text["親"]["uuid"] == str(child.parent.uuid)
    assert data["reading_notes"][0]["week"] == data["weeks"][0]["uuid"]


def test_two_exports_are_identical_but_for_the_time(user, make_entry, make_item):
    make_entry()
    make_item()
    first, second = document(user), document(user)
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second


def test_it_writes_a_markdown_day_with_front_matter_and_a_week(user, make_entry, make_item):
    make_entry(title="雨: 実験", body="本文", worked=True)
    make_entry(title="", body="二つ目")
    make_entry(title="消えた", date=date(2026, 11, 24)).delete_softly()
    make_item("早起きできた")
    archive = exported(user)
    text = archive.read("markdown/days/2026-11-23.md").decode()
    assert text.startswith(
        '---\ndate: 2026-11-23\nworked: true\nstarred: false\ntitles:\n  - "雨: 実験"\n---\n'
    )
    assert "## 雨: 実験\n\n本文\n\n* * *\n\n二つ目\n" in text
    assert "markdown/days/2026-11-24.md" not in archive.namelist()
    week = archive.read("markdown/weeks/2026-11-23.md").decode()
    assert "### Keep\n- 早起きできた\n" in week


def test_the_command_writes_the_zip_of_the_only_user(user, make_entry, tmp_path):
    make_entry()
    call_command("export_journal", str(tmp_path / "out.zip"))
    data = json.loads(zipfile.ZipFile(tmp_path / "out.zip").read("tsuzuri.json"))
    assert len(data["entries"]) == Entry.objects.count() == 1


def test_the_command_asks_which_user_when_there_are_two(user, other_user, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_journal", str(tmp_path / "out.zip"))
    call_command("export_journal", str(tmp_path / "out.zip"), user="bob")
    assert document(other_user)["entries"] == []


def png(color=(200, 30, 30), size=(40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def test_it_stores_each_photo_file_once_with_its_hash(user, make_entry):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from journal.models import Photo

    first, second = make_entry(), make_entry(title="二つ目")
    photo = Photo.attach(user, SimpleUploadedFile("a.png", png()), entry=first)
    Photo.attach(user, SimpleUploadedFile("a.png", png()), entry=second)  # the same image
    archive = exported(user)
    data = json.loads(archive.read("tsuzuri.json"))
    assert len(data["photos"]) == 2
    assert {p["file_key"] for p in data["photos"]} == {str(photo.file_key)}
    files = data["photos"][0]["files"]
    assert [f["name"] for f in files] == ["1600.webp", "480.webp"]
    for file in files:
        stored = archive.read(f"photos/{photo.file_key}/{file['name']}")
        assert hashlib.sha256(stored).hexdigest() == file["sha256"]
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 2
