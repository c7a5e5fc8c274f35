"""Another user's object answers 404 on every URL and method (DESIGN.md §3)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter
from django.urls.resolvers import RoutePattern

from journal.models import ConflictCopy, Entry

UUID_PARAMETER = re.compile(r"<uuid:\w+>")


def uuid_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the URLconf that takes a <uuid:…>, e.g. "entries/<uuid:uuid>/edit/"."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # regex routes (the admin's) take no uuid
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += uuid_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and any(
            isinstance(converter, UUIDConverter)
            for converter in pattern.pattern.converters.values()
        ):
            routes.append(route)
    return routes


ROUTES = uuid_routes()

# A valid-looking body for any of the routes: a real attack would send one.
BODY = {
    "date": "2026-11-23",
    "title": "乗っ取り",
    "body": "乗っ取り",
    "worked": "on",
    "base_revision": 1,
    "choice": "mine",
}


def test_the_urlconf_has_the_known_uuid_routes():
    assert set(ROUTES) >= {
        "entries/<uuid:uuid>/",
        "entries/<uuid:uuid>/edit/",
        "entries/<uuid:uuid>/worked/",
        "entries/<uuid:uuid>/delete/",
        "entries/<uuid:uuid>/restore/",
        "conflicts/<uuid:uuid>/resolve/",
    }


def url_for(route: str, entry: Entry, copy: ConflictCopy) -> str:
    owned = {"entries": entry.uuid, "conflicts": copy.uuid}
    kind = route.split("/")[0]
    assert kind in owned, f"tests/test_ownership.py: give bob an object for /{route}"
    return "/" + UUID_PARAMETER.sub(str(owned[kind]), route)


@pytest.fixture
def mine(entry, make_conflict):
    return entry, make_conflict(entry)


@pytest.fixture
def bobs(other_entry, other_conflict):
    other_entry.refresh_from_db()
    return other_entry, other_conflict


def snapshot(*objects) -> list[dict]:
    return [type(obj).objects.filter(pk=obj.pk).values().get() for obj in objects]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("htmx", [False, True])
def test_another_users_object_is_404_on_every_route(client, mine, bobs, route, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    url = url_for(route, *bobs)
    before = snapshot(*bobs)
    for method in ("get", "post"):
        status = getattr(client, method)(url, BODY, headers=headers).status_code
        if status == 405:
            # Only where the method is refused outright: alice's own object answers 405 too.
            own = getattr(client, method)(url_for(route, *mine), BODY, headers=headers)
            assert own.status_code == 405, f"{method.upper()} /{route}"
        else:
            assert status == 404, f"{method.upper()} /{route}"
    assert snapshot(*bobs) == before


@pytest.mark.parametrize("route", ROUTES)
def test_every_uuid_route_takes_some_method(client, mine, route):
    """Guards the test above: a route refusing both GET and POST would pass it untested."""
    url = url_for(route, *mine)
    assert {client.get(url).status_code, client.post(url, BODY).status_code} != {405}


# The source check: views load a user's rows only through for_user() or owned_or_404().

ALLOWED = {
    # Setup runs before any user exists: it asks whether one does, and makes the owner's settings.
    ("setup", "get_user_model().objects.exists()"),
    ("setup", "JournalSettings.objects.create(user=owner)"),
    # A replayed create with another user's uuid must be 404, not a unique-constraint crash.
    ("entry_create", "Entry.objects.filter(uuid=data['uuid']).exists()"),
}


def unscoped_queries(source: str) -> list[tuple[str, str]]:
    """(function, expression) for each `.objects` use not scoped to the request's user."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "objects"):
            continue
        chain = node  # climb the method chain: X.objects.a(…).b(…)
        while isinstance(parents.get(chain), ast.Attribute | ast.Call) and (
            getattr(parents[chain], "value", None) is chain
            or getattr(parents[chain], "func", None) is chain
        ):
            chain = parents[chain]
        first_method = parents.get(node)
        scoped = (isinstance(first_method, ast.Attribute) and first_method.attr == "for_user") or (
            isinstance(parents.get(chain), ast.Call)
            and ast.unparse(parents[chain].func) == "owned_or_404"
            and parents[chain].args[:1] == [chain]
        )
        creates_own = (
            isinstance(chain, ast.Call)
            and ast.unparse(chain.func).endswith(".objects.create")
            and any(
                kw.arg == "user" and ast.unparse(kw.value) == "request.user"
                for kw in chain.keywords
            )
        )
        if not (scoped or creates_own):
            function = node
            while function in parents and not isinstance(function, ast.FunctionDef):
                function = parents[function]
            name = function.name if isinstance(function, ast.FunctionDef) else "<module>"
            found.append((name, ast.unparse(chain)))
    return found


VIEW_FILES = sorted(
    path
    for path in Path(settings.BASE_DIR).glob("*/views.py")
    if not path.parent.name.startswith(".")
)


def test_the_source_check_reads_the_journal_views():
    assert Path(settings.BASE_DIR, "journal", "views.py") in VIEW_FILES


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda path: path.parent.name)
def test_views_load_rows_only_through_the_ownership_helpers(path):
    unscoped = set(unscoped_queries(path.read_text())) - ALLOWED
    assert not unscoped, f"{path}: use for_user() or owned_or_404() for {sorted(unscoped)}"


def test_the_source_check_flags_an_unscoped_query():
    source = """
def entry_detail(request, uuid):
    a = Entry.objects.get(uuid=uuid)
    b = Entry.objects.for_user(request.user).get(uuid=uuid)
    c = owned_or_404(Entry.objects.alive(), request.user, uuid=uuid)
    d = Entry.objects.filter(user=request.user)
    e = Entry.objects.create(user=request.user, title="x")
    f = Entry.objects.create(user=other, title="x")
    g = owned_or_404(Entry.objects, request.user, uuid=Entry.objects.first().uuid)
"""
    assert set(unscoped_queries(source)) == {
        ("entry_detail", "Entry.objects.get(uuid=uuid)"),
        ("entry_detail", "Entry.objects.filter(user=request.user)"),
        ("entry_detail", "Entry.objects.create(user=other, title='x')"),
        ("entry_detail", "Entry.objects.first().uuid"),
    }
