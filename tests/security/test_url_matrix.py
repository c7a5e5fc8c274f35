"""Every URL pattern × every method × another user, an anonymous visitor and the owner.

Routes come from the URLconf (tests/security/routes.py), so a new URL is in the matrix the moment
it is added, and a URL whose arguments the generator cannot fill fails here rather than escaping
(notes/design-notes.md §6: the Memos IDORs). Each route's URL names the owner's objects:

- another user: a route naming one of the owner's rows answers 404, exactly as for a row that does
  not exist (or 405, the same as for a missing row); any route, never a 5xx, never a byte of the
  owner's text, and nothing of the owner's changes;
- nobody logged in: the login page (a redirect), HX-Redirect to it for htmx, 401 for an outbox
  write (Idempotency-Key); public views never show the owner's text;
- the owner: HEAD answers as GET does, a made-up method is 405, and every route answers something
  other than 404 to some method (so the 404s above are about ownership, not a broken URL).
"""

import uuid
from urllib.parse import urlencode

import pytest
from django.test import Client

from .routes import (
    APP_ROUTES,
    BODY,
    MARK,
    METHODS,
    ROUTES,
    UNSAFE,
    CannotBuild,
    Route,
    make_world,
    snapshot,
    url_for,
)


def path_of(route: Route) -> str:
    return f"/{route}"


UNKNOWN_METHODS = ["PROPFIND", "TRACE", "BREW"]


def requests_of(route: Route):
    """(method, variant) pairs: every method as a page; htmx and the outbox's Idempotency-Key
    (which only unsafe methods carry) on the app's routes, not the admin's."""
    for method in METHODS:
        yield method, "page"
        if not route.is_admin:
            yield method, "htmx"
            if method in UNSAFE:
                yield method, "outbox"


def send(client: Client, method: str, url: str, variant: str = "page"):
    headers = {}
    if variant in {"htmx", "outbox"}:
        headers |= {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
    if variant == "outbox":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    if method in {"GET", "HEAD"}:
        return client.generic(method, url, headers=headers)
    return client.generic(
        method, url, urlencode(BODY), "application/x-www-form-urlencoded", headers=headers
    )


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def leaks(response) -> bool:
    shown = body(response) + str(dict(response.headers)).encode()
    return MARK.encode() in shown


def with_other_uuid(url: str, world: dict) -> str:
    """The same URL with every uuid of the owner's replaced by one nobody has."""
    for value in world.values():
        if hasattr(value, "uuid"):
            url = url.replace(str(value.uuid), "00000000-0000-4000-8000-00000000beef")
    return url


@pytest.fixture
def world(user):
    return make_world(user)


# One Client each for the whole module: a new Client loads the middleware again, and
# WhiteNoise's scan of the static files then costs more than the requests of a route.
CLIENTS = {name: Client() for name in ("bob", "anonymous", "owner")}


def fresh(name: str, user=None) -> Client:
    client = CLIENTS[name]
    client.cookies.clear()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def bob(other_user):
    return fresh("bob", other_user)


@pytest.fixture
def owner(user):
    return fresh("owner", user)


def test_every_route_can_be_built(world):
    """A new URL pattern with an argument the generator cannot fill fails here, by name."""
    problems = []
    for route in ROUTES:
        try:
            url_for(route, world)
        except CannotBuild as error:
            problems.append(str(error))
    assert not problems, "\n".join(problems)


def test_the_matrix_covers_the_known_routes():
    routes = {route.route for route in APP_ROUTES}
    known = {"entries/<uuid:uuid>/edit/", "weeks/<isodate:start>/items/<uuid:uuid>/move/",
             "conflicts/<uuid:uuid>/resolve/", "search/", "accounts/password/"}  # fmt: skip
    assert known <= routes
    assert len(ROUTES) > len(APP_ROUTES) > 40


@pytest.mark.parametrize("route", ROUTES, ids=path_of)
def test_another_user_gets_nothing_of_the_owners(world, user, bob, route: Route):
    url = url_for(route, world)
    before = snapshot(user)
    for method, variant in requests_of(route):
        r = send(bob, method, url, variant)
        where = f"{method} {url} ({variant})"
        assert r.status_code < 500, where
        assert not leaks(r), f"{where} shows the owner's text"
        if route.takes_object:
            missing = send(bob, method, with_other_uuid(url, world), variant)
            assert r.status_code in {404, 405}, where
            assert r.status_code == missing.status_code, f"{where}: existence leaks"
    assert snapshot(user) == before, f"another user's requests changed /{route}'s object"


@pytest.mark.parametrize("route", ROUTES, ids=path_of)
def test_nobody_logged_in_is_sent_to_the_login(world, user, route: Route):
    anonymous = fresh("anonymous")
    url = url_for(route, world)
    before = snapshot(user)
    # The admin's index and login are its own; its other pages go through the app's login.
    logins = ("/accounts/login/?next=", "/admin/login/?next=")[: 2 if route.is_admin else 1]
    for method, variant in requests_of(route):
        r = send(anonymous, method, url, variant)
        where = f"{method} {url} ({variant})"
        assert r.status_code < 500, where
        assert not leaks(r), f"{where} shows the owner's text"
        if route.is_public:
            continue
        if variant == "outbox":
            assert r.status_code == 401, where
            assert r["Content-Type"] == "application/problem+json", where
        elif variant == "htmx":
            assert r["HX-Redirect"].startswith(logins), where
            assert not body(r), where
        else:
            assert r.status_code == 302, where
            assert r["Location"].startswith(logins), where
    assert snapshot(user) == before


@pytest.mark.parametrize("route", APP_ROUTES, ids=path_of)
def test_the_owner_gets_head_like_get_and_405_for_unknown_methods(world, owner, route: Route):
    url = url_for(route, world)
    get, head = owner.get(url), owner.head(url)
    assert head.status_code == get.status_code, f"HEAD {url}"
    assert not body(head)
    for method in UNKNOWN_METHODS:
        assert send(owner, method, url).status_code == 405, f"{method} {url}"


@pytest.mark.parametrize("route", [r for r in APP_ROUTES if r.name != "setup"], ids=path_of)
def test_every_route_answers_its_owner(world, owner, route: Route):
    """Guards the matrix: a route the owner cannot reach either would pass it untested.
    (/setup/ is 404 for everybody once the owner exists; tests/journal/test_setup.py.)"""
    url = url_for(route, world)
    statuses = {method: send(owner, method, url).status_code for method in METHODS}
    assert set(statuses.values()) - {404, 405}, f"{url}: {statuses}"
