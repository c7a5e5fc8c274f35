from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from journal.markdown import RENDER_VERSION
from journal.models import Entry, JournalSettings, Weekday, normalize_for_search


def at(moment: str, zone: str = "Asia/Tokyo") -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("moment", "boundary", "day"),
    [
        ("2026-11-23 01:30", 4, date(2026, 11, 22)),
        ("2026-11-23 03:59", 4, date(2026, 11, 22)),
        ("2026-11-23 04:00", 4, date(2026, 11, 23)),
        ("2026-11-23 23:59", 4, date(2026, 11, 23)),
        ("2026-11-23 00:00", 0, date(2026, 11, 23)),
        ("2026-11-23 22:59", 23, date(2026, 11, 22)),
        ("2027-01-01 02:00", 4, date(2026, 12, 31)),
    ],
)
def test_today_counts_the_small_hours_for_the_previous_day(moment, boundary, day):
    prefs = JournalSettings(day_boundary_hour=boundary)
    assert prefs.today(at(moment)) == day


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Asia/Tokyo", date(2026, 11, 23)),  # 12:00
        ("UTC", date(2026, 11, 23)),  # 03:00
        ("America/New_York", date(2026, 11, 22)),  # 22:00 the evening before
    ],
)
def test_today_is_counted_in_the_owners_time_zone(zone, day):
    prefs = JournalSettings(time_zone=zone, day_boundary_hour=0)
    assert prefs.today(at("2026-11-23 12:00")) == day


def test_today_applies_the_boundary_in_utc():
    prefs = JournalSettings(time_zone="UTC", day_boundary_hour=4)
    assert prefs.today(at("2026-11-23 12:30")) == date(2026, 11, 22)  # 03:30 UTC
    assert prefs.today(at("2026-11-23 13:00")) == date(2026, 11, 23)  # 04:00 UTC


def test_today_follows_new_york_across_a_daylight_saving_change():
    prefs = JournalSettings(time_zone="America/New_York", day_boundary_hour=4)
    # 2026-11-01 02:00 EDT became 01:00 EST; 08:30 UTC is 03:30 EST, still Oct 31's diary.
    assert prefs.today(at("2026-11-01 08:30", "UTC")) == date(2026, 10, 31)
    assert prefs.today(at("2026-11-01 09:00", "UTC")) == date(2026, 11, 1)


def test_today_defaults_to_now(travel_to):
    travel_to("2026-11-23 01:30")
    assert JournalSettings().today() == date(2026, 11, 22)


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 28), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 3)],
)
def test_a_monday_week_crosses_the_new_year(day):
    prefs = JournalSettings(week_start=Weekday.MONDAY)
    assert prefs.week_of(day) == (date(2026, 12, 28), date(2027, 1, 3))


def test_a_monday_week_ends_on_sunday():
    prefs = JournalSettings()
    assert prefs.week_of(date(2021, 1, 18)) == (date(2021, 1, 18), date(2021, 1, 24))
    assert prefs.week_of(date(2021, 1, 24)) == (date(2021, 1, 18), date(2021, 1, 24))
    assert prefs.week_of(date(2021, 1, 25)) == (date(2021, 1, 25), date(2021, 1, 31))


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 12, 26), (date(2026, 12, 20), date(2026, 12, 26))),  # a Saturday
        (date(2026, 12, 27), (date(2026, 12, 27), date(2027, 1, 2))),  # a Sunday
        (date(2027, 1, 1), (date(2026, 12, 27), date(2027, 1, 2))),
        (date(2027, 1, 2), (date(2026, 12, 27), date(2027, 1, 2))),
        (date(2027, 1, 3), (date(2027, 1, 3), date(2027, 1, 9))),
    ],
)
def test_a_sunday_week_crosses_the_new_year(day, week):
    assert JournalSettings(week_start=Weekday.SUNDAY).week_of(day) == week


def test_a_save_with_the_current_revision_wins(entry):
    assert entry.save_revision(1, title="新しい題")
    assert entry.revision == 2
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.title == "新しい題"
    assert stored.revision == 2
    assert "新しい題" in stored.search_text


def test_a_second_save_from_the_same_revision_loses(entry):
    other_device = Entry.objects.get(pk=entry.pk)
    assert entry.save_revision(1, body="先に届いた版")
    assert not other_device.save_revision(1, body="遅れて届いた版")
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.body == "先に届いた版"
    assert stored.revision == 2
    assert other_device.body == "先に届いた版"  # the loser sees what won


def test_a_save_on_a_deleted_entry_loses(entry):
    entry.delete_softly()
    assert not entry.save_revision(entry.revision, body="消えた後の編集")
    assert Entry.objects.get(pk=entry.pk).body != "消えた後の編集"


def test_save_revision_renders_the_new_body(entry):
    entry.save_revision(1, body="**太字**")
    assert entry.body_html == "<p><strong>太字</strong></p>\n"


def test_a_lost_edit_becomes_a_conflict_copy(entry):
    entry.save_revision(1, body="先に届いた版")
    copy = entry.edit_or_conflict(1, title="遅れた題", body="遅れて届いた版", worked=True)
    assert copy is not None
    assert (copy.title, copy.body, copy.worked, copy.base_revision) == (
        "遅れた題",
        "遅れて届いた版",
        True,
        1,
    )
    assert copy.user_id == entry.user_id


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("ＡＢＣ", "abc"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("English Words", "english words"),
        ("ﾃﾞｰﾀ１２３", "データ123"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_for_search_folds_width_and_case(text, normalized):
    assert normalize_for_search(text) == normalized


def test_saving_an_entry_fills_its_search_text(make_entry):
    entry = make_entry(title="ＡＢＣの実験", body="ｶﾀｶﾅで書いた")
    assert entry.search_text == "abcの実験\nカタカナで書いた"


def test_ensure_rendered_renders_a_row_of_an_old_renderer_again(entry):
    Entry.objects.filter(pk=entry.pk).update(body_html="<p>古い</p>", render_version=0)
    stale = Entry.objects.get(pk=entry.pk)
    stale.ensure_rendered()
    assert "<strong>「データ整理」</strong>" in stale.body_html
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.render_version == RENDER_VERSION
    assert stored.body_html == stale.body_html
    assert stored.revision == entry.revision


def test_ensure_rendered_leaves_a_current_row_alone(entry, django_assert_num_queries):
    Entry.objects.filter(pk=entry.pk).update(body_html="<p>そのまま</p>")
    current = Entry.objects.get(pk=entry.pk)
    with django_assert_num_queries(0):
        current.ensure_rendered()
    assert current.body_html == "<p>そのまま</p>"


def test_the_day_page_renders_stale_rows_again(client, entry):
    Entry.objects.filter(pk=entry.pk).update(body_html="<p>古い</p>", render_version=0)
    assert "<strong>「データ整理」</strong>" in client.get("/days/2026-11-23/").content.decode()
    assert Entry.objects.get(pk=entry.pk).render_version == RENDER_VERSION
