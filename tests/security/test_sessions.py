"""Identity comes only from the session, and a password change ends every other session."""

import pytest
from django.test import Client
from pytest_django.asserts import assertRedirects

NEW_PASSWORD = "a quite different 合言葉 2026"


def change_password(client: Client):
    return client.post(
        "/accounts/password/",
        {
            "old_password": "correct horse 綴り",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def test_the_password_change_page_exists(client):
    r = client.get("/accounts/password/")
    assert r.status_code == 200
    assert 'name="new_password1"' in r.content.decode()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, user):
    phone = Client()
    phone.force_login(user)
    assert phone.get("/").status_code == 200
    r = change_password(client)
    assertRedirects(r, "/settings/", fetch_redirect_response=False)
    assert client.get("/").status_code == 200
    assertRedirects(phone.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_an_old_session_cookie_does_not_come_back_after_a_password_change(client, user):
    phone = Client()
    phone.force_login(user)
    stolen = phone.cookies["sessionid"].value
    change_password(client)
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assertRedirects(thief.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_a_wrong_old_password_changes_nothing(client, user):
    phone = Client()
    phone.force_login(user)
    r = client.post(
        "/accounts/password/",
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 200
    assert phone.get("/").status_code == 200
    user.refresh_from_db()
    assert user.check_password("correct horse 綴り")


IDENTITY_HEADERS = {
    "Remote-User": "alice",
    "X-Forwarded-User": "alice",
    "X-User-Id": "1",
    "X-Remote-User": "alice",
    "X-Authenticated-User": "alice",
}


@pytest.mark.parametrize("url", ["/", "/days/2026-11-23/", "/settings/", "/offline/warm.json"])
def test_identity_headers_without_a_session_get_the_login_redirect(user, url):
    headers = IDENTITY_HEADERS | {"X-User-Id": str(user.pk)}
    r = Client(headers=headers).get(url, REMOTE_USER="alice")
    assertRedirects(r, f"/accounts/login/?next={url}", fetch_redirect_response=False)


def test_identity_headers_do_not_change_who_is_logged_in(client, other_user):
    headers = {"Remote-User": "bob", "X-Forwarded-User": "bob", "X-User-Id": str(other_user.pk)}
    r = client.get("/settings/", headers=headers, REMOTE_USER="bob")
    assert r.context["user"].username == "alice"


def test_identity_headers_cannot_write_through_the_outbox_path(user):
    r = Client(headers=IDENTITY_HEADERS).post(
        "/entries/new/",
        {"date": "2026-11-23", "title": "x"},
        headers={"Idempotency-Key": "0b5c3f2e-7d1a-4a8e-9a55-2f1e0c6d7b9a"},
    )
    assert r.status_code == 401
