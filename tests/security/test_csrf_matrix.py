"""CSRF on every unsafe method of every URL pattern (design-notes §6.1, GHSA-gw9m-2m5v-c6x5).

Generated from the URLconf like test_url_matrix.py: the owner, logged in, sends POST, PUT, PATCH
and DELETE to each route naming their own objects, as a page, as htmx and as an outbox write
(Idempotency-Key; the admin's only as a page) without a CSRF token, and with a good token from
another site's page (Origin).
Every one is 403 and changes nothing, the ledger of outbox writes included. The same requests
with the token are not 403, so the 403s are CSRF's doing. tests/test_csrf.py checks that they
would have changed something.
"""

import uuid
from urllib.parse import urlencode

import pytest
from django.test import Client

from .routes import BODY, ROUTES, UNSAFE, Route, make_world, snapshot, url_for

CLIENT = Client(enforce_csrf_checks=True)


def path_of(route: Route) -> str:
    return f"/{route}"


def send(method: str, url: str, variant: str, token: str | None = None, origin: str = ""):
    headers = {}
    if variant in {"htmx", "outbox"}:
        headers["HX-Request"] = "true"
    if variant == "outbox":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    if token:
        headers["X-CSRFToken"] = token
    if origin:
        headers["Origin"] = origin
    data = urlencode(BODY)
    return CLIENT.generic(method, url, data, "application/x-www-form-urlencoded", headers=headers)


@pytest.fixture
def owner(user):
    CLIENT.cookies.clear()
    CLIENT.force_login(user)
    CLIENT.get("/offline/")  # sets the csrftoken cookie, as any page of ours does
    return user


@pytest.mark.parametrize("route", ROUTES, ids=path_of)
def test_every_unsafe_method_without_a_token_is_refused(owner, route: Route):
    url = url_for(route, make_world(owner))
    token = CLIENT.cookies["csrftoken"].value
    before = snapshot(owner)
    variants = ["page"] if route.is_admin else ["page", "htmx", "outbox"]
    for method in UNSAFE:
        for variant in variants:
            where = f"{method} {url} ({variant})"
            assert send(method, url, variant).status_code == 403, where
        cross_site = send(method, url, "page", token, origin="https://evil.example")
        assert cross_site.status_code == 403, f"{method} {url} from another site"
    assert snapshot(owner) == before
    still_in = CLIENT.get("/progress/", headers={"HX-Request": "true"})
    assert "HX-Redirect" not in still_in, "the refusals logged the owner out"
    # The same requests with the token get past CSRF (last: logging out ends the session).
    for method in UNSAFE:
        assert send(method, url, "page", token).status_code != 403, f"{method} {url} with a token"
