from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import Week


def test_it_returns_the_head_for_htmx(client, make_week):
    make_week(title="研究の一週間", summary="**要約**")
    r = client.get("/weeks/2026-11-23/head/", headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<header id="week-head" class="week-head"')
    assertContains(r, '<h1 class="page-title">研究の一週間</h1>')
    assertContains(r, "<strong>要約</strong>")
    assertContains(r, 'hx-get="/weeks/2026-11-23/edit/"')
    assertNotContains(r, "<html")


def test_an_unsaved_week_has_the_default_title(client):
    r = client.get("/weeks/2026-11-23/head/", headers=HTMX)
    assertContains(r, '<h1 class="page-title">Weekly Report 2026/11/23-11/29</h1>')
    assert not Week.objects.exists()


def test_it_redirects_to_the_week_without_javascript(client):
    r = client.get("/weeks/2026-11-23/head/")
    assertRedirects(r, "/weeks/2026-11-23/", fetch_redirect_response=False)


def test_a_date_that_does_not_start_a_week_is_404(client):
    assert client.get("/weeks/2026-11-25/head/", headers=HTMX).status_code == 404


def test_it_rejects_post(client):
    assert client.post("/weeks/2026-11-23/head/").status_code == 405


def test_another_users_week_never_shows(client, make_week, other_user):
    make_week(user=other_user, title="ボブの週")
    r = client.get("/weeks/2026-11-23/head/", headers=HTMX)
    assertNotContains(r, "ボブの週")
