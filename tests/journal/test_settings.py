import re
import zoneinfo

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from journal.models import JournalSettings


def form_data(**changes) -> dict:
    data = {
        "title": "研究日記",
        "goal": "1週間で3日稼働する",
        "weekly_target_days": 3,
        "week_start": 0,
        "day_boundary_hour": 4,
        "time_zone": "Asia/Tokyo",
        "language": "ja",
    }
    return data | changes


def test_it_shows_the_current_values(client, user):
    r = client.get("/settings/")
    assertContains(r, 'value="研究日記"')
    assertContains(r, 'value="1週間で3日稼働する"')
    assertContains(r, '<option value="Asia/Tokyo" selected>')


def test_it_saves_and_redirects_with_a_message(client, user):
    r = client.post("/settings/", form_data(title="綴り帳", weekly_target_days=5))
    assertRedirects(r, "/settings/", fetch_redirect_response=False)
    prefs = JournalSettings.objects.get(user=user)
    assert prefs.title == "綴り帳"
    assert prefs.weekly_target_days == 5
    assertContains(client.get("/settings/"), "設定を保存しました。")


@pytest.mark.parametrize(
    ("field", "value"),
    [("weekly_target_days", 9), ("day_boundary_hour", 24), ("time_zone", "Mars/Base")],
)
def test_it_rerenders_invalid_values_with_errors_and_saves_nothing(client, user, field, value):
    r = client.post("/settings/", form_data(title="保存されない題", **{field: value}))
    assert r.status_code == 200
    assert list(r.context["form"].errors) == [field]
    assertContains(r, 'class="field-errors"')
    assertContains(r, 'class="brand" href="/">研究日記</a>')
    assertContains(r, '<span aria-hidden="true">0/3</span>')
    prefs = JournalSettings.objects.get(user=user)
    assert prefs.title == "研究日記"
    assert getattr(prefs, field) != value


def test_it_rejects_other_methods(client):
    assert client.put("/settings/").status_code == 405


def test_english_switches_the_interface_on_the_next_page(client):
    assertContains(client.get("/"), ">今日</a>")
    client.post("/settings/", form_data(language="en"))
    r = client.get("/")
    assertContains(r, ">Today</a>")
    assertContains(r, ">Settings</a>")
    assert r["Content-Language"] == "en"


def test_the_day_boundary_decides_what_today_shows(client, travel_to):
    travel_to("2026-11-23 05:30")
    assertContains(client.get("/"), "2026/11/23(月)")
    client.post("/settings/", form_data(day_boundary_hour=6))
    assertContains(client.get("/"), "2026/11/22(日)")


def test_the_time_zone_decides_what_today_shows(client, travel_to):
    travel_to("2026-11-23 12:00")  # 2026-11-22 22:00 in New York
    assertContains(client.get("/"), "2026/11/23(月)")
    client.post("/settings/", form_data(time_zone="America/New_York"))
    assertContains(client.get("/"), "2026/11/22(日)")


def test_the_time_zone_select_lists_every_zone_with_the_chosen_one_selected(client, user):
    user.journal_settings.time_zone = "America/Sao_Paulo"
    user.journal_settings.save()
    html = client.get("/settings/").content.decode()
    [select] = re.findall(r'<select[^>]* name="time_zone"[^>]*>.*?</select>', html, re.S)
    assert 'id="id_time_zone"' in select
    assert '<option value="America/Sao_Paulo" selected>America/Sao_Paulo</option>' in select
    assert '<option value="Asia/Tokyo">Asia/Tokyo</option>' in select
    assert select.count("<option") == len(zoneinfo.available_timezones())
    assert select.count(" selected") == 1
