from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX


def test_it_returns_the_week_progress_fragment_for_htmx(client, make_entry, travel_to):
    travel_to("2026-11-25 12:00")
    make_entry(date=date(2026, 11, 24), worked=True)
    r = client.get("/progress/", headers=HTMX)
    assertContains(r, '<p id="week-progress"')
    assertContains(r, 'hx-trigger="entry-saved from:body"')
    assertContains(r, '<span class="dots" aria-hidden="true">●○○</span>')
    assertContains(r, '<span aria-hidden="true">1/3</span>')
    assertNotContains(r, "<html")
    assertNotContains(r, "研究日記")


def test_it_redirects_to_today_without_javascript(client):
    assertRedirects(client.get("/progress/"), "/", fetch_redirect_response=False)


def test_it_serves_only_safe_methods(client):
    assert client.post("/progress/", headers=HTMX).status_code == 405
