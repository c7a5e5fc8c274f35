"""Login attempts are throttled by django-axes: 5 failures for a username from one address
pause logging in there for 15 minutes, with our own page (429)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

RIGHT = "correct horse 綴り"


def attempt(client: Client, password: str, username: str = "alice", **extra):
    return client.post(
        "/accounts/login/", {"username": username, "password": password, "next": "/"}, **extra
    )


def fail(client: Client, times: int, **extra):
    return [attempt(client, f"guess {n}", **extra).status_code for n in range(times)]


def test_four_wrong_passwords_only_show_the_form_again(anonymous_client, user):
    assert fail(anonymous_client, 4) == [200] * 4
    r = attempt(anonymous_client, RIGHT)
    assert r.status_code == 302
    assert not AccessAttempt.objects.exists()  # a success forgets the failures


def test_the_fifth_wrong_password_pauses_logging_in(anonymous_client, user):
    assert fail(anonymous_client, 5) == [200] * 4 + [429]
    r = attempt(anonymous_client, RIGHT)
    assert r.status_code == 429
    assert "sessionid" not in r.cookies
    assert anonymous_client.get("/").status_code == 302  # still not logged in


def test_the_lockout_page_is_ours_and_says_what_happened(anonymous_client, user):
    fail(anonymous_client, 5)
    r = attempt(anonymous_client, RIGHT)
    page = r.content.decode()
    assert "registration/locked_out.html" in [t.name for t in r.templates]
    assert "Too many wrong passwords" in page or "パスワード" in page
    assert "15" in page
    assert 'href="/accounts/login/"' in page
    assert r["Content-Security-Policy"]


def test_the_lockout_page_speaks_english_too(anonymous_client, user, settings):
    settings.LANGUAGE_CODE = "en"
    fail(anonymous_client, 5)
    with translation.override("en"):
        page = attempt(anonymous_client, RIGHT).content.decode()
    assert "Too many wrong passwords were tried for this account from this address." in page
    assert "paused for 15 minutes" in page


def test_the_pause_is_per_username_and_address(anonymous_client, user, other_user):
    fail(anonymous_client, 5)
    assert attempt(Client(), RIGHT, REMOTE_ADDR="192.0.2.7").status_code == 302
    assert attempt(Client(), RIGHT, username="bob").status_code == 302


def wait(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_pause_ends_after_15_minutes(anonymous_client, user):
    fail(anonymous_client, 5)
    wait(16)
    assert attempt(anonymous_client, RIGHT).status_code == 302


def test_trying_again_during_the_pause_starts_it_again(anonymous_client, user):
    """A guesser that keeps going stays paused (django-axes' default, kept on purpose)."""
    fail(anonymous_client, 5)
    wait(14)
    assert attempt(anonymous_client, "one more guess").status_code == 429
    wait(2)
    assert attempt(anonymous_client, RIGHT).status_code == 429
    wait(16)
    assert attempt(anonymous_client, RIGHT).status_code == 302


def test_an_ajax_lockout_gets_the_same_page_without_cors_headers(anonymous_client, user):
    """django-axes' own answer to XMLHttpRequest is JSON with Access-Control-Allow-Origin: *."""
    xhr = {"headers": {"X-Requested-With": "XMLHttpRequest", "Origin": "https://evil.example"}}
    fail(anonymous_client, 5, **xhr)
    r = attempt(anonymous_client, RIGHT, **xhr)
    assert r.status_code == 429
    assert r["Content-Type"].startswith("text/html")
    assert not [h for h in r.headers if h.lower().startswith("access-control-")]


def test_the_admin_login_is_throttled_too(anonymous_client, user):
    data = {"username": "alice", "password": "guess", "next": "/admin/"}
    codes = [anonymous_client.post("/admin/login/", data).status_code for _ in range(5)]
    assert codes[-1] == 429


@override_settings(AXES_CLIENT_IP_CALLABLE="config.lockout.client_ip")
def test_behind_the_proxy_the_address_it_saw_counts_not_one_the_client_claims(user):
    """With DJANGO_SECURE every request comes from the proxy, which appends the real address."""
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(5):
        forged = {"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.9"}
        attempt(attacker, f"guess {n}", headers=forged)
    forged = {"X-Forwarded-For": "10.0.0.99, 203.0.113.9"}
    assert attempt(attacker, RIGHT, headers=forged).status_code == 429
    owner = {"X-Forwarded-For": "198.51.100.4"}
    assert attempt(Client(REMOTE_ADDR="127.0.0.1"), RIGHT, headers=owner).status_code == 302


def test_the_owner_setup_still_logs_in_with_axes_installed(anonymous_client, db):
    password = "a long enough 合言葉 2026"
    data = {"username": "owner", "password1": password, "password2": password}
    r = anonymous_client.post("/setup/", data)
    assert r.status_code == 302
    assert anonymous_client.get("/").status_code == 200
