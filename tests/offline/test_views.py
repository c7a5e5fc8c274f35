import json

from django.test import Client
from pytest_django.asserts import assertContains


def test_the_service_worker_is_served_at_the_root_with_its_scope_header(client):
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    assert r["Cache-Control"] == "no-cache"
    assertContains(r, "/offline/")
    assertContains(r, "/static/app.css")


def test_the_service_worker_needs_no_login(user):
    assert Client().get("/sw.js").status_code == 200
    assert Client().get("/manifest.webmanifest").status_code == 200
    assert Client().get("/offline/").status_code == 200


def test_the_service_worker_version_follows_its_cached_files(client, settings):
    first = client.get("/sw.js").content
    settings.STATIC_URL = "/assets/"
    assert client.get("/sw.js").content != first


def test_the_manifest_makes_the_app_installable(client):
    r = client.get("/manifest.webmanifest")
    assert r["Content-Type"] == "application/manifest+json"
    data = json.loads(r.content)
    assert data["lang"] == "ja"
    assert data["start_url"] == "/?source=pwa"
    assert data["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_offline_page_says_what_happened(client):
    assertContains(client.get("/offline/"), "オフラインです")


def test_the_warm_list_holds_recent_days_weeks_and_own_entry_forms(
    client, user, make_entry, other_user, travel_to
):
    travel_to("2026-11-23 12:00")
    mine = make_entry(date=user.journal_settings.today())
    theirs = make_entry(user=other_user, date=user.journal_settings.today())
    old = make_entry(title="古い", date="2026-10-01")
    urls = client.get("/offline/warm.json").json()["urls"]
    assert "/" in urls
    assert "/days/2026-11-23/" in urls
    assert "/days/2026-11-10/" in urls
    assert "/days/2026-11-09/" not in urls
    assert "/weeks/2026-11-23/" in urls
    assert "/weeks/2026-10-05/" in urls
    assert "/weeks/2026-09-28/" not in urls
    assert f"/entries/{mine.uuid}/edit/" in urls
    assert f"/entries/{theirs.uuid}/edit/" not in urls
    assert f"/entries/{old.uuid}/edit/" not in urls
    assert "/weeks/2026-11-23/edit/" in urls


def test_the_warm_list_holds_recent_reading_notes_forms(client, make_note, travel_to):
    travel_to("2026-11-23 12:00")
    note = make_note("最近の本")
    assert (
        f"/weeks/{note.week.start_date}/reading/{note.uuid}/edit/"
        in (client.get("/offline/warm.json").json()["urls"])
    )


def test_the_warm_list_needs_a_login(user):
    r = Client().get("/offline/warm.json")
    assert r.status_code == 302


def test_logout_clears_what_the_browser_kept(client):
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert r["Clear-Site-Data"] == '"cache", "storage"'


def test_every_page_links_the_manifest_and_the_offline_script(client):
    r = client.get("/")
    assertContains(r, 'rel="manifest" href="/manifest.webmanifest"')
    assertContains(r, "offline")
    assertContains(r, "data-logout")
