from django.contrib.auth import BACKEND_SESSION_KEY as SESSION_BACKEND
from pytest_django.asserts import assertRedirects

from tests.conftest import HTMX


def test_it_sends_an_anonymous_visitor_to_the_login_page(anonymous_client, user):
    r = anonymous_client.get("/")
    assertRedirects(r, "/accounts/login/?next=/", fetch_redirect_response=False)


def test_it_shows_the_login_form(anonymous_client, user):
    r = anonymous_client.get("/accounts/login/?next=/")
    assert r.status_code == 200
    assert 'name="password"' in r.content.decode()


def test_it_logs_in_with_the_password(anonymous_client, user):
    r = anonymous_client.post(
        "/accounts/login/", {"username": "alice", "password": "correct horse 綴り", "next": "/"}
    )
    assertRedirects(r, "/", fetch_redirect_response=False)
    assert anonymous_client.get("/").status_code == 200


def test_it_reloads_the_whole_page_for_an_htmx_request_without_a_session(anonymous_client, user):
    r = anonymous_client.get("/progress/", headers=HTMX)
    assert r["HX-Redirect"].startswith("/accounts/login/")
    assert b"<html" not in r.content


def test_logout_is_a_post_that_ends_the_session(client):
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
    r = client.post("/accounts/logout/")
    assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
    assertRedirects(client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_an_htmx_request_after_the_session_ended_returns_to_its_page_after_login(user):
    from django.test import Client

    r = Client().get(
        "/progress/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/days/2026-11-23/"},
    )
    assert r["HX-Redirect"] == "/accounts/login/?next=%2Fdays%2F2026-11-23%2F"


def test_a_login_loads_the_user_and_their_settings_in_one_query(
    anonymous_client, user, django_assert_num_queries
):
    anonymous_client.post(
        "/accounts/login/", {"username": "alice", "password": "correct horse 綴り", "next": "/"}
    )
    assert anonymous_client.session[SESSION_BACKEND] == "config.auth.JournalUserBackend"
    with django_assert_num_queries(3) as queries:  # session, user with settings, progress
        assert anonymous_client.get("/progress/", headers=HTMX).status_code == 200
    assert "journal_journalsettings" in queries.captured_queries[1]["sql"]


def test_a_session_made_by_djangos_own_backend_stays_logged_in(anonymous_client, user):
    anonymous_client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    r = anonymous_client.get("/")
    assert r.status_code == 200
    assert r.context["journal"].user_id == user.pk


def test_a_user_without_settings_gets_them_made(anonymous_client, user):
    user.journal_settings.delete()
    anonymous_client.force_login(user, backend="config.auth.JournalUserBackend")
    assert anonymous_client.get("/").status_code == 200


def test_a_deactivated_user_is_logged_out(client, user):
    user.is_active = False
    user.save()
    assertRedirects(client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)
