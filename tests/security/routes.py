"""Every URL pattern of the URLconf, and a real URL for each, built from one user's objects.

The security matrices (test_url_matrix.py, test_csrf_matrix.py) take their routes from here, so
a URL added to any urls.py is covered without touching them. A route whose arguments this module
cannot fill makes those tests fail (`CannotBuild`) instead of being skipped: teach `_value()`
about the new argument, usually one line in OBJECT_OF_SEGMENT.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from importlib.util import find_spec
from io import BytesIO
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from journal.converters import IsoDateConverter, MonthConverter
from journal.models import Entry, JournalSettings
from offline.models import AppliedOp
from weekly.models import Item, ItemKind, ReadingKind, ReadingNote, Week

# In every text of the owner's objects: no response to anybody else may contain it.
MARK = "owner-secret-5f3a"
DAY = date(2026, 11, 23)  # a Monday, the first day of the owner's week
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
# A valid-looking body for any route: a real attack would send one.
BODY = {
    "date": DAY.isoformat(), "title": "乗っ取り", "body": "乗っ取り", "text": "乗っ取り",
    "summary": "乗っ取り", "worked": "on", "base_revision": 1, "choice": "mine",
    "section": "keep", "state": "done", "follow_up": "carry", "direction": "up",
    "kind": "article", "url": "https://example.com/", "notes": "乗っ取り",
}  # fmt: skip

# The path segment before a <uuid:…> names the kind of object the route takes.
OBJECT_OF_SEGMENT = {
    "entries": "entry",
    "conflicts": "conflict",
    "items": "item",
    "review": "last_weeks_try",  # /weeks/<start>/review/<uuid>/ reviews the week before's Try
    "reading": "note",
    "photos": "photo",
    "imports": "import",
}
# Where one segment names different objects under different prefixes.
OBJECT_OF_PREFIX = {
    "weeks/<isodate:start>/conflicts": "week_conflict",
}


class CannotBuild(AssertionError):
    pass


@dataclass
class Route:
    route: str  # as the URLconf spells it, prefixes joined: "weeks/<isodate:start>/items/"
    name: str | None
    callback: object
    converters: dict = field(default_factory=dict)  # of RoutePattern levels
    groups: list = field(default_factory=list)  # named groups of RegexPattern levels
    parts: list = field(default_factory=list)  # (pattern, is_regex) per level

    def __str__(self) -> str:
        return self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def takes_object(self) -> bool:
        """Whether the route names one of the owner's rows (not a date or nothing)."""
        return any(isinstance(c, UUIDConverter) for c in self.converters.values())

    @property
    def is_public(self) -> bool:
        """Views marked @login_not_required (and the admin, which has its own login)."""
        return getattr(self.callback, "login_required", True) is False


def all_routes(patterns=None, prefix: tuple = ()) -> list[Route]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        parts = (*prefix, pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += all_routes(pattern.url_patterns, parts)
        elif isinstance(pattern, URLPattern):
            route = Route(
                route="".join(str(part) for part in parts),
                name=pattern.name,
                callback=pattern.callback,
                parts=list(parts),
            )
            for part in parts:
                if isinstance(part, RoutePattern):
                    route.converters |= part.converters
                else:
                    route.groups += list(part.regex.groupindex)
            found.append(route)
    return found


ROUTES = all_routes()
APP_ROUTES = [route for route in ROUTES if not route.is_admin]


# The owner's world: one of everything, every text carrying MARK.


def png_bytes() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def make_owned(model: type[models.Model], owner, **known):
    """A row of a model this module has no factory for (the photos' one, when it arrives): every
    required field filled with something plausible. Good enough for the admin and the matrix."""
    values = dict(known)
    for model_field in model._meta.concrete_fields:
        if model_field.name in values or model_field.auto_created or model_field.primary_key:
            continue
        if model_field.has_default() or model_field.null or getattr(model_field, "auto_now", 0):
            continue
        if getattr(model_field, "auto_now_add", False):
            continue
        if isinstance(model_field, models.ForeignKey):
            related = model_field.related_model
            values[model_field.name] = (
                owner if related is owner.__class__ else related.objects.for_user(owner).first()
            )
        elif isinstance(model_field, models.FileField):
            values[model_field.name] = ContentFile(png_bytes(), name="mark.png")
        elif isinstance(model_field, models.CharField | models.TextField):
            choices = model_field.choices
            values[model_field.name] = choices[0][0] if choices else MARK
        elif isinstance(model_field, models.IntegerField):
            values[model_field.name] = 8
        elif isinstance(model_field, models.FloatField | models.DecimalField):
            values[model_field.name] = 1
        elif isinstance(model_field, models.BooleanField):
            values[model_field.name] = False
        elif isinstance(model_field, models.DateTimeField):
            from django.utils import timezone

            values[model_field.name] = timezone.now()
        elif isinstance(model_field, models.DateField):
            values[model_field.name] = DAY
    return model.objects.create(**values)


def photo_model():
    return optional_model("journal", "Photo")


def make_world(user) -> dict:
    """One object of each kind a route can take, all `user`'s, all with MARK in their text."""
    JournalSettings.objects.filter(user=user).update(title=f"{MARK} 日記", goal=f"{MARK} 目標")
    entry = Entry.objects.create(
        user=user, date=DAY, title=f"{MARK} の日記", body=f"{MARK} 本文 **強調**"
    )
    base = entry.revision
    entry.save_revision(base, body=f"{MARK} 先に保存した版")
    conflict = entry.edit_or_conflict(base, body=f"{MARK} 遅れて届いた版")
    entry.refresh_from_db()
    last_week = Week.objects.create(
        user=user, start_date=DAY - timedelta(days=7), end_date=DAY - timedelta(days=1),
        title=f"{MARK} 先週", summary=f"{MARK} 先週のまとめ",
    )  # fmt: skip
    week = Week.objects.create(
        user=user, start_date=DAY, end_date=DAY + timedelta(days=6),
        title=f"{MARK} 今週", summary=f"{MARK} まとめ",
    )  # fmt: skip
    world = {
        "user": user,
        "entry": entry,
        "conflict": conflict,
        "week": week,
        "item": Item.objects.create(user=user, week=week, kind=ItemKind.KEEP, text=f"{MARK} K"),
        "try": Item.objects.create(user=user, week=week, kind=ItemKind.TRY, text=f"{MARK} T"),
        "last_weeks_try": Item.objects.create(
            user=user, week=last_week, kind=ItemKind.TRY, text=f"{MARK} 先週のT"
        ),
        "note": ReadingNote.objects.create(
            user=user,
            week=week,
            title=f"{MARK} 論文",
            url="https://example.com/mark",
            kind=ReadingKind.PAPER,
            notes=f"{MARK} メモ",
            impressions=f"{MARK} 感想",
        ),  # fmt: skip
        "op": AppliedOp.objects.create(
            user=user,
            key="6f0c1b2a-0000-4000-8000-000000000001",
            fingerprint="0" * 64,
            method="POST",
            path="/entries/new/",
            done=True,
            status=200,
            body=MARK.encode(),
        ),  # fmt: skip
    }
    if (Photo := photo_model()) is not None:
        world["photo"] = make_photo(Photo, entry)
    if (WeeklyConflict := optional_model("weekly", "WeeklyConflictCopy")) is not None:
        world["week_conflict"] = make_owned(
            WeeklyConflict, user, kind="item", week=week, item=world["item"],
            base_revision=1, fields={"text": f"{MARK} 遅れた版"},
        )  # fmt: skip
    world["import"] = make_import(user)
    return world


def make_import(user) -> SimpleNamespace:
    """An upload on /archive/ waiting for its import; its file name and text carry MARK."""
    from archive.import_jobs import ImportJob

    report = f"# Weekly Report 2020/01/06-01/12\n{MARK} まとめ\n## 振り返り\n### Keep\n- {MARK}\n"
    upload = SimpleUploadedFile(f"{MARK}.md", report.encode())
    return SimpleNamespace(uuid=ImportJob.create(user, upload, "weekly", {}).id)


def optional_model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def make_photo(Photo, entry):
    """A photo on the entry, through the photos code when it offers process() and store(), so
    its files exist and the owner's /photos/… URL answers 200."""
    links = {"user": entry.user}
    links |= {
        f.name: entry
        for f in Photo._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is Entry
    }
    if find_spec("journal.imaging"):
        imaging = import_module("journal.imaging")
        if hasattr(imaging, "process") and hasattr(imaging, "store"):
            done = imaging.process(BytesIO(png_bytes()))
            photo = make_owned(
                Photo, entry.user, sha256=done.sha256, width=done.width, height=done.height,
                alt=f"{MARK} 写真", **links,
            )  # fmt: skip
            imaging.store(entry.user.pk, photo.file_key, done.files)
            return photo
    return make_owned(Photo, entry.user, **links)


def photo_sizes() -> list[str]:
    """The sizes /photos/<uuid>/<size>.webp serves, read from the photos code when it exists."""
    Photo = photo_model()
    modules = [Photo.__module__, "journal.imaging", "journal.photos"] if Photo else []
    holders = [Photo] + [import_module(name) for name in modules if find_spec(name)]
    for holder in holders:
        for name in ("SIZES", "Size", "PhotoSize", "VARIANTS"):
            sizes = getattr(holder, name, None)
            if sizes is None:
                continue
            if hasattr(sizes, "values"):  # TextChoices or a dict
                sizes = list(sizes.values) if hasattr(sizes, "choices") else list(sizes)
            return [str(size) for size in sizes]
    raise CannotBuild("tests/security/routes.py: say which <size> values the photo URL takes")


# Arguments of a route, from the world.


def _value(route: Route, name: str, converter, world: dict) -> str:
    segments = route.route.split("/")
    if isinstance(converter, UUIDConverter):
        placeholder = next(i for i, part in enumerate(segments) if f":{name}>" in part)
        segment = segments[placeholder - 1] if placeholder else ""
        prefix = "/".join(segments[:placeholder])
        kind = OBJECT_OF_PREFIX.get(prefix) or OBJECT_OF_SEGMENT.get(segment)
        if kind is None or kind not in world:
            raise CannotBuild(
                f"/{route}: add its segment {segment!r} to OBJECT_OF_SEGMENT in tests/security/"
                "routes.py (and the object to make_world)"
            )
        return str(world[kind].uuid)
    if isinstance(converter, IsoDateConverter) and name in {"day", "start", "date"}:
        return world["week"].start_date.isoformat()
    if isinstance(converter, MonthConverter):
        return converter.to_url(world["entry"].date)
    if isinstance(converter, IntConverter) and name == "year":
        return str(world["entry"].date.year)
    if name == "size" and "photo" in world:
        return photo_sizes()[0]
    if route.is_admin:
        return _admin_value(route, name, world)
    raise CannotBuild(f"/{route}: tests/security/routes.py cannot fill <{name}>; teach _value()")


def _admin_value(route: Route, name: str, world: dict) -> str:
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(Entry).pk)
    if name == "id":  # admin/auth/user/<id>/password/
        return str(world["user"].pk)
    if name == "object_id":
        if route.route.startswith("admin/r/"):
            return str(world["entry"].pk)
        app_label, model_name = route.route.split("/")[1:3]
        model = apps.get_model(app_label, model_name)
        if model is world["user"].__class__:
            return str(world["user"].pk)
        if model is Group:
            return str(Group.objects.get_or_create(name="family")[0].pk)
        if "user" in {f.name for f in model._meta.concrete_fields}:
            return str(model.objects.filter(user=world["user"]).first().pk)
        return "1"
    if name == "app_label":
        return "journal"
    if name == "url":
        return "no-such-page/"
    raise CannotBuild(f"/{route}: tests/security/routes.py cannot fill admin <{name}>")


_GROUP = re.compile(r"\(\?P<(\w+)>")
_ROUTE_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _fill_regex(regex: str, values: dict[str, str]) -> str:
    """A regex route with its named groups replaced by values: `^(?P<app_label>a|b)/$`."""
    out, i = [], 0
    regex = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    while i < len(regex):
        match = _GROUP.match(regex, i)
        if not match:
            out.append(regex[i].replace("\\", ""))
            i += 1
            continue
        depth, j = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
            j += 1
        out.append(values[match.group(1)])
        i = j
    return "".join(out)


def _bare(route: str) -> str:
    return route.replace("^", "").replace("$", "")


def url_for(route: Route, world: dict) -> str:
    """A URL of `route` naming `world`'s objects, checked to resolve back to `route`."""
    values = {
        name: _value(route, name, converter, world) for name, converter in route.converters.items()
    }
    for name in route.groups:
        values[name] = _value(route, name, PathConverter(), world)
    url = "/"
    for part in route.parts:
        if isinstance(part, RegexPattern):
            url += _fill_regex(part._regex, values)
        else:
            url += _ROUTE_PARAMETER.sub(lambda m: values[m.group(2)], str(part))
    match = resolve(url.split("?")[0])
    if _bare(match.route) != _bare(route.route):
        raise CannotBuild(f"/{route}: built {url}, which resolves to /{match.route}")
    return url


def snapshot(user) -> list:
    """Everything of `user`'s, to compare before and after requests that must change nothing."""
    return [
        list(model.objects.filter(user=user).order_by("pk").values()) for model in owned_models()
    ]


def owned_models() -> list[type[models.Model]]:
    """Every model with a `user`: each app's rows, the photos' and later ones alike."""
    return [
        model
        for model in apps.get_models()
        if any(
            f.name == "user" and f.is_relation and f.related_model is get_user_model()
            for f in model._meta.concrete_fields
        )
    ]
