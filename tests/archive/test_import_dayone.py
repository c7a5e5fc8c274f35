import json
from datetime import date

import pytest
from django.utils import translation

from archive.importing import CREATE, DUPLICATE, REFUSE, ImportRefused, plan_import
from archive.readers.dayone import unescape
from archive.sources import FolderSource, bytes_source
from journal.models import Entry, Photo

from .fixtures import REAL_EXPORTS, dayone_entry, dayone_json, image, zipped

PHOTO_ID, PHOTO_MD5 = "5F1B3C6D2E8A4B0C9D7E6F5A4B3C2D1E", "e249a0b05c6158a53c1338330f9bece4"


@pytest.fixture(autouse=True)
def _english(english):
    with translation.override("en"):
        yield


def plan(user, data: bytes, name: str = "Journal.json"):
    return plan_import("dayone", user, bytes_source(data, name))


def only_entry(user, data: bytes, name: str = "Journal.json"):
    result = plan(user, data, name)
    assert [line.action for line in result.lines] == [CREATE], result.lines
    return result.entries[0]


def test_an_entry_becomes_a_diary_entry_with_its_title_and_unescaped_body(user):
    entry = only_entry(user, dayone_json(dayone_entry()))

    assert entry.date == date(2021, 1, 18)
    assert entry.title == "雨の日"
    assert entry.body == "研究室で**実験**をした."
    assert entry.source_key == "dayone:0A3BFC9847BD4173881DE43749F23B58"
    assert entry.where == "Journal.json: entry 1 (uuid 0A3BFC9847BD4173881DE43749F23B58)"


@pytest.mark.parametrize(
    ("created", "zone", "day"),
    [
        ("2021-01-18T14:59:00Z", "Asia/Tokyo", date(2021, 1, 18)),  # 23:59 in Tokyo
        ("2021-01-18T15:30:00Z", "Asia/Tokyo", date(2021, 1, 18)),  # 00:30: before the boundary
        ("2021-01-18T19:00:00Z", "Asia/Tokyo", date(2021, 1, 19)),  # 04:00: the next day
        ("2021-01-18T03:00:00Z", "America/Denver", date(2021, 1, 17)),  # 20:00 the day before
        ("2021-01-18T03:00:00Z", None, date(2021, 1, 18)),  # no zone: the user's own
    ],
)
def test_the_date_is_the_creation_time_in_the_entrys_zone_less_the_day_boundary(
    user, created, zone, day
):
    entry = only_entry(user, dayone_json(dayone_entry(creationDate=created, timeZone=zone)))

    assert entry.date == day


def test_a_zone_with_escaped_slashes_is_read(user):
    data = dayone_json(dayone_entry()).replace(b'"Asia/Tokyo"', b'"Asia\\\\/Tokyo"')

    assert only_entry(user, data).date == date(2021, 1, 18)


def test_the_day_boundary_is_the_users(user):
    user.journal_settings.day_boundary_hour = 0
    user.journal_settings.save()
    data = dayone_json(dayone_entry(creationDate="2021-01-18T15:30:00Z"))  # 00:30 in Tokyo

    assert only_entry(user, data).date == date(2021, 1, 19)


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("Notes from the commute\n\nA train\\.", "Notes from the commute", "A train."),
        ("## Recipes:\n- [Pie](http://x.example)", "Recipes:", "- [Pie](http://x.example)"),
        ("- [x] done\n- [ ] not yet", "", "- [x] done\n- [ ] not yet"),
        ("> a quote\n\nmore", "", "> a quote\n\nmore"),
        ("**Luckily** for *her*\n\nrest", "Luckily for her", "rest"),
        ("# Summer nights\\!\nnice\\.", "Summer nights!", "nice."),
        ("", "", ""),
    ],
)
def test_the_title_is_the_first_heading_or_line_of_prose(user, text, title, body):
    entry = only_entry(user, dayone_json(dayone_entry(text=text)))

    assert (entry.title, entry.body) == (title, body)


def test_a_long_first_line_stays_in_the_body_and_the_title_is_its_first_sentence(user):
    line = "This is the first sentence. " + "Then a paragraph goes on and on " * 8
    entry = only_entry(user, dayone_json(dayone_entry(text=line + "\n\nmore")))

    assert entry.title == "This is the first sentence."
    assert entry.body == line + "\n\nmore"


def test_a_long_first_sentence_is_cut_at_a_word_with_an_ellipsis(user):
    line = "word " * 60
    entry = only_entry(user, dayone_json(dayone_entry(text=line)))

    assert entry.title.endswith("word…")
    assert len(entry.title) <= 100
    assert entry.body == line.strip()


def test_a_long_japanese_first_line_is_cut_at_its_first_full_stop(user):
    line = "今日は朝から雨だった。" + "研究室で実験の準備をして、" * 10
    entry = only_entry(user, dayone_json(dayone_entry(text=line)))

    assert entry.title == "今日は朝から雨だった。"


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        ("St\\. George\\-ish \\(yes\\)\\!", "St. George-ish (yes)!"),
        ("a \\# in a line, 50\\% off", "a # in a line, 50% off"),
        ("\\# not a heading", "\\# not a heading"),
        ("\\- not a list", "\\- not a list"),
        ("1\\. not a list", "1\\. not a list"),
        ("not \\*emphasis\\* nor \\_this\\_", "not \\*emphasis\\* nor \\_this\\_"),
        ("\\[not a link\\]\\(x\\)", "\\[not a link\\]\\(x)"),
        ("\\![no image]", "\\![no image]"),
        ("a backslash \\\\ stays", "a backslash \\\\ stays"),
        ("**bold** and [a link](http://x.example)\\.", "**bold** and [a link](http://x.example)."),
        ("```\ncode\\. here\n```", "```\ncode. here\n```"),
    ],
)
def test_day_ones_escapes_go_where_they_protect_nothing(escaped, plain):
    assert unescape(escaped) == plain


def test_tags_become_a_last_line_of_hashtags(user):
    data = dayone_json(dayone_entry(tags=["日記", "Rich text", " "]))

    assert only_entry(user, data).body.endswith("をした.\n\n#日記 #Rich_text")


def test_the_star_is_kept(user):
    assert only_entry(user, dayone_json(dayone_entry(starred=True))).starred


def test_photos_are_attached_in_the_order_of_the_text_and_their_references_removed(user):
    second_id, second_md5 = "AAAA0000BBBB1111CCCC2222DDDD3333", "0" * 32
    text = (
        f"# 写真\nbefore\n\n![](dayone-moment://{PHOTO_ID})\n\nafter "
        f"![夕焼け](dayone-moment://{second_id})"
    )
    record = dayone_entry(
        text=text,
        photos=[
            {"identifier": second_id, "md5": second_md5, "type": "png", "orderInEntry": 0},
            {"identifier": PHOTO_ID, "md5": PHOTO_MD5, "type": "jpeg", "orderInEntry": 1},
        ],
    )
    data = zipped(
        {
            "Journal.json": dayone_json(record),
            f"photos/{PHOTO_MD5}.jpeg": image("navy"),
            f"photos/{second_md5}.png": image("orange", "PNG"),
        }
    )

    result = plan(user, data, "export.zip")
    entry = result.entries[0]

    assert [photo.name for photo in entry.photos] == [
        f"photos/{PHOTO_MD5}.jpeg",
        f"photos/{second_md5}.png",
    ]
    assert [photo.alt for photo in entry.photos] == ["", "夕焼け"]
    assert entry.body == "before\n\nafter"
    assert result.lines[0].reason == ""
    result.apply(user)
    stored = Entry.objects.for_user(user).get()
    photos = list(Photo.objects.filter(entry=stored).order_by("position"))
    assert [(photo.width, photo.height) for photo in photos] == [(40, 30), (40, 30)]
    assert photos[1].alt == "夕焼け"


def test_photos_listed_but_not_referenced_are_attached_too(user):
    record = dayone_entry(
        photos=[{"identifier": PHOTO_ID, "md5": PHOTO_MD5, "type": "jpeg", "orderInEntry": 0}]
    )
    data = zipped({"j/Journal.json": dayone_json(record), f"j/Photos/{PHOTO_MD5}.jpeg": image()})

    assert len(plan(user, data, "export.zip").entries[0].photos) == 1


def test_a_photo_missing_from_the_export_is_said_in_the_dry_run(user):
    record = dayone_entry(
        text=f"# 写真\n![](dayone-moment://{PHOTO_ID})\n\n![](dayone-moment://0123)",
        photos=[{"identifier": PHOTO_ID, "md5": PHOTO_MD5, "type": "jpeg"}],
    )

    result = plan(user, dayone_json(record))

    assert result.lines[0].action == CREATE
    assert result.lines[0].reason == "2 photos are not in this export."
    assert result.entries[0].body == ""


def test_videos_audio_and_pdfs_are_said_not_imported(user):
    record = dayone_entry(
        text="# 動画\n![](dayone-moment:/video/V1)\n![](dayone-moment://A1)\n本文",
        audios=[{"identifier": "A1", "md5": "1" * 32}],
    )

    result = plan(user, dayone_json(record))

    assert result.lines[0].reason == "2 videos, audios or PDFs are not imported."
    assert result.entries[0].body == "本文"


def test_a_photo_that_is_not_an_image_refuses_its_entry(user):
    record = dayone_entry(photos=[{"identifier": PHOTO_ID, "md5": PHOTO_MD5, "type": "jpeg"}])
    data = zipped(
        {"Journal.json": dayone_json(record), f"photos/{PHOTO_MD5}.jpeg": b"not a jpeg at all"}
    )

    line = plan(user, data, "export.zip").lines[0]

    assert line.action == REFUSE
    assert line.reason.startswith(f"photos/{PHOTO_MD5}.jpeg: This file is not a photo")


def test_several_journals_in_one_zip_are_all_read(user):
    data = zipped(
        {
            "Journal.json": dayone_json(dayone_entry()),
            "研究.json": dayone_json(dayone_entry(uuid="B" * 32), dayone_entry(uuid="C" * 32)),
        }
    )

    result = plan(user, data, "export.zip")

    assert [line.where for line in result.lines] == [
        f"Journal.json: entry 1 (uuid {'0A3BFC9847BD4173881DE43749F23B58'})",
        f"研究.json: entry 1 (uuid {'B' * 32})",
        f"研究.json: entry 2 (uuid {'C' * 32})",
    ]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"text": {"invalid": "type"}}, 'Its "text" is not text (it is an object).'),
        ({"tags": "diary"}, 'Its "tags" is not a list (it is text).'),
        ({"tags": [1, 2]}, 'Its "tags" are not a list of words.'),
        ({"starred": "yes"}, 'Its "starred" is not true or false (it is text).'),
        ({"creationDate": None}, 'The entry has no "creationDate".'),
        ({"creationDate": "yesterday"}, 'Its "creationDate" yesterday is not a date and time.'),
        ({"creationDate": "0000-01-01T00:00:00Z"}, "is not a date and time."),
        ({"timeZone": "Mars/Olympus_Mons"}, "Its time zone Mars/Olympus_Mons is unknown."),
        ({"timeZone": "../../etc/passwd"}, "Its time zone ../../etc/passwd is unknown."),
        ({"photos": [{"identifier": "x"}]}, 'Its "photos" list is not in Day One\'s shape.'),
    ],
)
def test_a_bad_record_is_refused_with_where_and_why(user, fields, reason):
    good = dayone_entry(uuid="A" * 32)
    bad = dayone_entry(uuid="B" * 32, **fields)

    result = plan(user, dayone_json(good, bad))

    assert [line.action for line in result.lines] == [CREATE, REFUSE]
    assert result.lines[1].where == f"Journal.json: entry 2 (uuid {'B' * 32})"
    assert reason in result.lines[1].reason
    with pytest.raises(ImportRefused):
        result.apply(user)
    assert not Entry.objects.exists()  # never a half-import


def test_a_record_without_a_uuid_or_not_an_object_is_refused(user):
    lines = plan(user, dayone_json(dayone_entry(uuid=None), ["a list"])).lines

    assert [(line.where, line.reason) for line in lines] == [
        ("Journal.json: entry 1", "The entry has no uuid."),
        ("Journal.json: entry 2", "The entry is not a JSON object."),
    ]


@pytest.mark.parametrize(
    ("created", "zone"),
    [("9999-12-31T23:00:00Z", "Asia/Tokyo"), ("0001-01-01T00:30:00Z", "America/Denver")],
)
def test_dates_past_the_ends_of_the_calendar_are_refused(user, created, zone):
    line = plan(user, dayone_json(dayone_entry(creationDate=created, timeZone=zone))).lines[0]

    assert line.action == REFUSE
    assert "is out of range" in line.reason


def test_the_year_9999_is_refused_by_the_diarys_range(user):
    line = plan(user, dayone_json(dayone_entry(creationDate="9999-06-01T00:00:00Z"))).lines[0]

    assert (line.action, line.reason) == (REFUSE, "The date 9999-06-01 is out of range.")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"entries": {}}', 'This is not a Day One export: it has no "entries" list.'),
        (b"[1, 2]", 'This is not a Day One export: it has no "entries" list.'),
        (b'{"entries": [', "This is not JSON (line 1"),
        (b"[" * 100_000 + b"]" * 100_000, "The JSON is nested too deeply."),
        ("{}".encode("utf-16"), 'it has no "entries" list'),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Journal.json is not"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_with_its_name(user, data, reason):
    line = plan(user, data).lines[0]

    assert (line.action, line.where) == (REFUSE, "Journal.json")
    assert reason in line.reason


def test_a_zip_without_a_json_is_refused(user):
    line = plan(user, zipped({"photos/a.jpeg": image()}), "export.zip").lines[0]

    assert (line.action, line.reason) == (REFUSE, "There is no Day One .json file in export.zip.")


def test_importing_twice_skips_every_entry_the_second_time(user):
    data = dayone_json(dayone_entry(), dayone_entry(uuid="B" * 32))
    plan(user, data).apply(user)

    again = plan(user, data)

    assert [line.action for line in again.lines] == [DUPLICATE, DUPLICATE]
    assert again.apply(user)[CREATE] == 0
    assert Entry.objects.for_user(user).count() == 2


def test_the_same_uuid_twice_in_one_file_is_a_duplicate(user):
    result = plan(user, dayone_json(dayone_entry(), dayone_entry(text="別の版")))

    assert [line.action for line in result.lines] == [CREATE, DUPLICATE]


def test_another_users_import_is_not_a_duplicate(user, other_user):
    data = dayone_json(dayone_entry())
    plan(user, data).apply(user)

    assert [line.action for line in plan(other_user, data).lines] == [CREATE]


def test_applying_stores_the_entries_and_reports_progress(user):
    steps = []
    data = dayone_json(dayone_entry(starred=True), dayone_entry(uuid="B" * 32))

    counts = plan(user, data).apply(user, lambda done, total: steps.append((done, total)))

    assert counts[CREATE] == 2
    assert steps == [(1, 2), (2, 2)]
    stored = Entry.objects.for_user(user).order_by("id").first()
    assert (stored.title, stored.starred, stored.source) == (
        "雨の日",
        True,
        "dayone:0A3BFC9847BD4173881DE43749F23B58",
    )
    assert "<strong>実験</strong>" in stored.body_html


def test_imported_entries_go_after_the_days_own_entries_in_order(user, make_entry):
    day = date(2021, 1, 18)
    make_entry(date=day, title="一つ目")
    make_entry(date=day, title="二つ目")
    data = dayone_json(
        dayone_entry(uuid="A" * 32, text="# 三つ目"),
        dayone_entry(uuid="B" * 32, text="# 四つ目"),
        dayone_entry(uuid="C" * 32, text="# 別の日", creationDate="2021-02-01T03:00:00Z"),
    )

    plan(user, data).apply(user)

    titles = Entry.objects.for_user(user).filter(date=day).values_list("title", flat=True)
    assert list(titles) == ["一つ目", "二つ目", "三つ目", "四つ目"]
    assert Entry.objects.for_user(user).get(title="別の日").position == 1


needs_real = pytest.mark.skipif(
    not (REAL_EXPORTS / "dayone").is_dir(), reason="../shared/real-exports is not here"
)


@needs_real
def test_the_real_day_one_export(user):
    source = FolderSource(REAL_EXPORTS / "dayone")
    result = plan_import("dayone", user, source)

    assert [line.action for line in result.lines] == [CREATE] * 10
    entries = {entry.source_key.removeprefix("dayone:"): entry for entry in result.entries}
    alice = entries["2E542464666C4ACE91E83539FF114A76"]
    # 2004-10-13T00:38:16Z in America/Boise is 18:38 on the 12th.
    assert alice.date == date(2004, 10, 12)
    assert alice.title.startswith("Luckily for Alice, the little magic bottle")
    assert alice.title.endswith("…")
    assert alice.body.startswith("**Luckily** for ***Alice***")
    assert "rabbit-hole" in alice.body
    assert "\\" not in alice.body
    assert alice.body.endswith("#diary #Pizza")
    # 07:01Z on New Year's Day is 00:01 in Boise: before the 04:00 boundary, so New Year's Eve.
    assert entries["AED1E7D94603407693F2AE91142F9089"].date == date(2007, 12, 31)
    assert entries["E3264EA138CB44478294A8B1345A1DA0"].starred
    assert entries["E3264EA138CB44478294A8B1345A1DA0"].title == "Notes from the Daily Commute"
    assert entries["D1DF49182FF24717998E317D846B0728"].title == "To Do Tomorrow"
    assert "- [ ] We need to disentangle" in entries["D1DF49182FF24717998E317D846B0728"].body
    berlin = entries["86F0A60ED1AC4EC391BF3430A8C7A44A"]
    assert (berlin.date, berlin.starred) == (date(2020, 5, 26), True)
    assert berlin.title == "Here are some aerial shots from Rich's plane."
    assert berlin.body.endswith("#Pizza #Flying #diary #Test #Testing")
    # The sample has no photos folder: every referenced photo is reported missing.
    assert all(not entry.photos for entry in result.entries)
    assert result.lines[7].reason == "7 photos are not in this export."
    assert sum(entry.starred for entry in result.entries) == 2
    assert json.loads((REAL_EXPORTS / "dayone" / "Journal.json").read_text())["entries"]
