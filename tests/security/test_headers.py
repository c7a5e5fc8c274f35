"""Security headers on every response (notes/design-notes.md §6.3)."""

import pytest
from django.conf import settings
from django.test import Client

PAGES = ["/", "/days/2026-11-23/", "/weeks/2026-11-23/", "/months/2026-11/", "/settings/",
         "/search/?q=英語", "/accounts/password/", "/offline/", "/sw.js", "/manifest.webmanifest",
         "/no-such-page/"]  # fmt: skip
ANONYMOUS_PAGES = ["/accounts/login/", "/", "/offline/", "/static/app.css"]
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_the_content_security_policy_and_the_other_headers(client, url):
    r = client.get(url)
    assert r["Content-Security-Policy"] == POLICY
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_pages_without_a_session_send_the_policy_too(anonymous_client, user, url):
    r = anonymous_client.get(url)
    assert r["Content-Security-Policy"] == POLICY
    assert r["X-Content-Type-Options"] == "nosniff"


def test_htmx_fragments_and_posts_send_the_policy(client, entry):
    assert client.get("/progress/", headers={"HX-Request": "true"})["Content-Security-Policy"]
    r = client.post(f"/entries/{entry.uuid}/worked/", {"worked": "on", "base_revision": 1})
    assert r["Content-Security-Policy"] == POLICY


def test_the_policy_allows_nothing_inline_and_no_eval():
    for sources in settings.SECURE_CSP.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
        assert not any(source.startswith(("'nonce-", "'sha", "'unsafe")) for source in sources)


def test_without_https_there_is_no_hsts_and_cookies_are_not_secure_only(anonymous_client, user):
    r = anonymous_client.post(
        "/accounts/login/", {"username": "alice", "password": "correct horse 綴り"}, secure=True
    )
    assert "Strict-Transport-Security" not in r
    assert not r.cookies["sessionid"]["secure"]


def test_served_over_https_it_sends_hsts_and_secure_cookies(anonymous_client, user, settings):
    # What DJANGO_SECURE=1 sets (tests/security/test_deploy.py checks that it does).
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    anonymous_client.get("/accounts/login/", secure=True)
    assert anonymous_client.cookies["csrftoken"]["secure"]
    r = anonymous_client.post(
        "/accounts/login/", {"username": "alice", "password": "correct horse 綴り"}, secure=True
    )
    assert r["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert r.cookies["sessionid"]["secure"]
    assert r.cookies["sessionid"]["httponly"]


def test_plain_http_is_redirected_to_https_when_secure(anonymous_client, user, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    r = anonymous_client.get("/accounts/login/")
    assert r.status_code == 301
    assert r["Location"] == "https://testserver/accounts/login/"
    proxied = anonymous_client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200


def test_no_response_invites_other_origins(user):
    """No CORS: a hostile page's fetch with credentials never gets to read an answer."""
    evil = Client(headers={"Origin": "https://evil.example"})
    evil.force_login(user)
    urls = ["/", "/days/2026-11-23/", "/weeks/2026-11-23/", "/weeks/2026-11-23.md",
            "/search/?q=x", "/offline/warm.json", "/manifest.webmanifest", "/sw.js",
            "/accounts/login/", "/admin/"]  # fmt: skip
    for url in urls:
        for r in (evil.get(url), evil.options(url)):
            assert not [h for h in r.headers if h.lower().startswith("access-control-")], url
    r = evil.post("/accounts/logout/")
    assert "Access-Control-Allow-Origin" not in r


def test_static_files_are_shared_with_any_origin_but_never_with_credentials(user):
    """WhiteNoise's `*` (fonts, scripts) cannot carry a cookie: browsers refuse `*` with
    credentials, and Access-Control-Allow-Credentials is never sent."""
    r = Client(headers={"Origin": "https://evil.example"}).get("/static/app.js")
    assert r.get("Access-Control-Allow-Origin") in {None, "*"}
    assert "Access-Control-Allow-Credentials" not in r
