"""Another user's object answers 404 on every URL and method (DESIGN.md §3)."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter
from django.urls.resolvers import RoutePattern

from archive.import_jobs import ImportJob
from journal.models import ConflictCopy, Entry, Photo
from tests.conftest import DAY
from weekly.models import Item, ItemKind, ReadingNote, Week, WeeklyConflictCopy, save_or_conflict

UUID_PARAMETER = re.compile(r"<uuid:\w+>")
DATE_PARAMETER = re.compile(r"<isodate:\w+>")
# The segment before <uuid:…> names the kind of object the route takes.
OBJECT_OF_SEGMENT = {
    "entries": "entry",
    "conflicts": "conflict",
    "items": "item",
    "review": "try",
    "reading": "note",
    "week-conflicts": "week-conflict",
    "photos": "photo",
    "imports": "import",
}


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
    "text": "乗っ取り",
    "worked": "on",
    "base_revision": 1,
    "choice": "mine",
    "section": "keep",
    "state": "done",
}


def test_the_urlconf_has_the_known_uuid_routes():
    assert set(ROUTES) >= {
        "entries/<uuid:uuid>/",
        "entries/<uuid:uuid>/edit/",
        "entries/<uuid:uuid>/worked/",
        "entries/<uuid:uuid>/delete/",
        "entries/<uuid:uuid>/restore/",
        "conflicts/<uuid:uuid>/resolve/",
        "weeks/<isodate:start>/conflicts/<uuid:uuid>/resolve/",
    }


def objects_of(user, make_conflict) -> dict:
    """One object of each kind a uuid route can take, all belonging to `user`."""
    entry = Entry.objects.create(user=user, date=DAY, title=f"{user}の日記", body="本文")
    week = Week.objects.create(user=user, start_date=DAY, end_date=DAY.replace(day=29))
    objects = {
        "entry": entry,
        "conflict": make_conflict(entry),
        "week": week,
        "item": Item.objects.create(user=user, week=week, kind=ItemKind.KEEP, text="早起き"),
        "try": Item.objects.create(user=user, week=week, kind=ItemKind.TRY, text="朝に書く"),
        "note": ReadingNote.objects.create(user=user, week=week, title="論文"),
    }
    objects["photo"] = Photo.objects.create(
        user=user, entry=entry, sha256="0" * 64, width=40, height=30
    )
    objects["item"].save_revision(1, text="先に保存")
    objects["week-conflict"] = save_or_conflict(objects["item"], 1, text="遅れて届いた")
    objects["entry"].refresh_from_db()
    report = "# Weekly Report 2020/01/06-01/12\n## 振り返り\n### Keep\n- 早起き\n"
    upload = SimpleUploadedFile("週報.md", report.encode())
    objects["import"] = SimpleNamespace(uuid=ImportJob.create(user, upload, "weekly", {}).id)
    return objects


def url_for(route: str, objects: dict) -> str:
    segments = route.split("/")
    segment = next(segments[i - 1] for i, part in enumerate(segments) if UUID_PARAMETER.match(part))
    if segments[0] == "weeks" and segment == "conflicts":
        segment = "week-conflicts"  # a KPT item's, reading note's or week head's conflict copy
    assert segment in OBJECT_OF_SEGMENT, f"tests/test_ownership.py: give bob an object for /{route}"
    url = UUID_PARAMETER.sub(str(objects[OBJECT_OF_SEGMENT[segment]].uuid), route)
    return "/" + DATE_PARAMETER.sub(objects["week"].start_date.isoformat(), url)


@pytest.fixture
def mine(user, make_conflict):
    return objects_of(user, make_conflict)


@pytest.fixture
def bobs(other_user, make_conflict):
    return objects_of(other_user, make_conflict)


def everything_of(user) -> list[list[dict]]:
    return [
        list(model.objects.filter(user=user).order_by("pk").values())
        for model in (Entry, ConflictCopy, Week, Item, ReadingNote, WeeklyConflictCopy, Photo)
    ]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("htmx", [False, True])
def test_another_users_object_is_404_on_every_route(client, mine, bobs, other_user, route, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    url = url_for(route, bobs)
    before = everything_of(other_user)
    for method in ("get", "post"):
        status = getattr(client, method)(url, BODY, headers=headers).status_code
        if status == 405:
            # Only where the method is refused outright: alice's own object answers 405 too.
            own = getattr(client, method)(url_for(route, mine), BODY, headers=headers)
            assert own.status_code == 405, f"{method.upper()} /{route}"
        else:
            assert status == 404, f"{method.upper()} /{route}"
    assert everything_of(other_user) == before


@pytest.mark.parametrize("route", ROUTES)
def test_every_uuid_route_takes_some_method(client, mine, route):
    """Guards the test above: a route refusing both GET and POST would pass it untested."""
    url = url_for(route, mine)
    assert {client.get(url).status_code, client.post(url, BODY).status_code} != {405}


# The source check: views load a user's rows only through for_user() or the helpers built on it.
OWNERSHIP_HELPERS = {"owned_or_404", "replayed_or_404"}

ALLOWED = {
    # Setup runs before any user exists: it asks whether one does, and makes the owner's settings.
    ("setup", "get_user_model().objects.exists()"),
    ("setup", "JournalSettings.objects.create(user=owner)"),
}
# A replayed create with another user's uuid must be 404, not a unique-constraint crash; the
# question returns no row, only whether the uuid is taken.
UUID_CLASH_CHECK = re.compile(r"\w+\.objects\.filter\(uuid=[^,]+\)\.exists\(\)")


def unscoped_queries(source: str) -> list[tuple[str, str]]:
    """(function, expression) for each `.objects` use not scoped to the request's user.

    Scoped: `X.objects.for_user(request.user)…`; `owned_or_404(X.objects…, request.user, …)`,
    directly or through a variable; a manager method given `request.user` first
    (`Week.objects.for_start(request.user, start)`); `X.objects.create(user=request.user, …)`.
    """
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def enclosing_function(node):
        while node in parents and not isinstance(node, ast.FunctionDef):
            node = parents[node]
        return node

    def guarded_names(function) -> set[str]:
        return {
            call.args[0].id
            for call in ast.walk(function)
            if isinstance(call, ast.Call)
            and ast.unparse(call.func) in OWNERSHIP_HELPERS
            and call.args
            and isinstance(call.args[0], ast.Name)
        }

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
        method, holder = parents.get(node), parents.get(chain)
        method_call = parents.get(method)
        function = enclosing_function(node)
        text = ast.unparse(chain)
        scoped = (
            (isinstance(method, ast.Attribute) and method.attr == "for_user")
            or (
                isinstance(method_call, ast.Call)
                and method_call.func is method
                and ast.unparse(method_call.args[:1] or ast.Constant(None)) == "request.user"
            )
            or (
                isinstance(holder, ast.Call)
                and ast.unparse(holder.func) in OWNERSHIP_HELPERS
                and holder.args[:1] == [chain]
            )
            or (
                isinstance(holder, ast.Assign)
                and [ast.unparse(target) for target in holder.targets]
                in [[name] for name in guarded_names(function)]
            )
            or (
                isinstance(chain, ast.Call)
                and text.split("(")[0].endswith(".objects.create")
                and any(
                    kw.arg == "user" and ast.unparse(kw.value) == "request.user"
                    for kw in chain.keywords
                )
            )
            or UUID_CLASH_CHECK.fullmatch(text)
        )
        if not scoped:
            name = function.name if isinstance(function, ast.FunctionDef) else "<module>"
            found.append((name, text))
    return found


VIEW_FILES = sorted(
    path
    for path in Path(settings.BASE_DIR).glob("*/*views.py")  # views.py, photo_views.py
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
    h = Entry.objects.filter(date=day)
    i = owned_or_404(h, request.user, uuid=uuid)
    j = Entry.objects.filter(date=day)
    k = Week.objects.for_start(request.user, start)
    m = Week.objects.for_start(other, start)
    n = Entry.objects.filter(uuid=data["uuid"]).exists()
    o = Entry.objects.filter(uuid=data["uuid"]).first()
    p = Entry.objects.filter(uuid=data["uuid"], user=other).exists()
"""
    assert set(unscoped_queries(source)) == {
        ("entry_detail", "Entry.objects.get(uuid=uuid)"),
        ("entry_detail", "Entry.objects.filter(user=request.user)"),
        ("entry_detail", "Entry.objects.create(user=other, title='x')"),
        ("entry_detail", "Entry.objects.first().uuid"),
        ("entry_detail", "Entry.objects.filter(date=day)"),  # j: never checked
        ("entry_detail", "Week.objects.for_start(other, start)"),
        ("entry_detail", "Entry.objects.filter(uuid=data['uuid']).first()"),
        ("entry_detail", "Entry.objects.filter(uuid=data['uuid'], user=other).exists()"),
    }
