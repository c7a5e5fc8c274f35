"""`?next=` never leads off the site after logging in."""

import pytest
from django.test import Client

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "///evil.example",
    " //evil.example",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
]


def log_in(next_url: str):
    client = Client()
    data = {"username": "alice", "password": "correct horse 綴り", "next": next_url}
    return client.post(f"/accounts/login/?next={next_url}", data)


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_logging_in_with_an_off_site_next_stays_on_the_site(user, next_url):
    r = log_in(next_url)
    assert r.status_code == 302
    assert r["Location"] == "/"  # LOGIN_REDIRECT_URL


def test_logging_in_with_an_own_path_goes_there(user):
    assert log_in("/days/2026-11-23/?from=login")["Location"] == "/days/2026-11-23/?from=login"


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_the_login_form_does_not_carry_an_off_site_next(anonymous_client, user, next_url):
    r = anonymous_client.get("/accounts/login/", {"next": next_url})
    assert "evil.example" not in r.content.decode()
