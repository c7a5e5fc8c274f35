"""Every form and the weekly report importer, fed generated input (issue 7, item 7).

Japanese, control characters (NUL too), lone surrogates (sent as the invalid UTF-8 they encode
to), huge and empty values and values of the wrong type, in any field or missing. Each answer is
2xx/3xx, or a 4xx that says something; never a 5xx (the test client raises what would be one).
And nothing already saved is lost: the owner's other rows are exactly as they were, and a refused
edit leaves its row as it was.

Example counts are modest (the whole suite must stay fast); `TSUZURI_FUZZ_LONG=1` runs 20 times
more of each.
"""

import os
from datetime import timedelta
from io import StringIO
from urllib.parse import quote_from_bytes

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.models import ConflictCopy, Entry, JournalSettings
from tests.conftest import DAY
from weekly.models import Item, ItemKind, ReadingNote, Week
from weekly.report_format import ReportFormatError, parse_weekly_report

settings.register_profile(
    "fuzz",
    max_examples=30,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],  # fmt: skip
)
settings.register_profile("fuzz-long", parent=settings.get_profile("fuzz"), max_examples=600)
FUZZ = settings.get_profile("fuzz-long" if os.environ.get("TSUZURI_FUZZ_LONG") else "fuzz")

HTMX = {"HX-Request": "true"}
# One for the module (a new Client reloads the middleware, and WhiteNoise scans), enforcing CSRF
# as production does: its check reads the body first, so a body over DATA_UPLOAD_MAX_MEMORY_SIZE
# is refused (400) before any view could act and then fail reading the form.
CLIENT = Client(enforce_csrf_checks=True)

NASTY = [
    "", " ", "\x00", "a\x00b", "\t\n\r", "\x1b[31m", "\x7f", "\ufeff", "\u202e", "\u2028",
    "日本語の日記", "ｶﾀｶﾅ", "🍣🍺", "é", "\uffff", "\ud800", "\udfff", "a\ud83db", "-1", "0",
    "1.5", "1e309", "NaN", "2147483648", "99999999999999999999999", "true", "null", "[]", "{}",
    "2026-02-30", "0001-01-01", "9999-12-31", "2026-11-23", "../../etc/passwd", "%00", "&amp;",
    "<script>", "'; DROP TABLE journal_entry; --", "keep", "problem", "try", "mine", "theirs",
    "up", "down", "indent", "outdent", "done", "carry", "board", "article", "paper",
    "https://example.com/", "javascript:alert(1)", "Asia/Tokyo", "ja", "en", "on",
]  # fmt: skip
HUGE = st.builds(
    lambda text, size: text * size,
    st.sampled_from(["a", "日", "\x00", "<", " "]),
    st.sampled_from([101, 201, 301, 2_001, 100_001, 250_000]),
)
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),  # any code point but lone surrogates
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Lo", "Zs"]), max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    HUGE,
)


def form(fields: list[str]):
    """Some of `fields` (maybe none, maybe an unknown one) with generated values."""
    names = st.sampled_from([*fields, "unknown", "csrfmiddlewaretoken"])
    return st.dictionaries(names, st.one_of(VALUE, st.lists(VALUE, max_size=3)), max_size=8)


def encoded(data: dict) -> str:
    """application/x-www-form-urlencoded, lone surrogates as the invalid UTF-8 they become."""
    pairs = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            raw = value.encode("utf-8", "surrogatepass")
            pairs.append(f"{quote_from_bytes(name.encode())}={quote_from_bytes(raw)}")
    return "&".join(pairs)


def send(method: str, url: str, data: dict, htmx: bool):
    headers = {**(HTMX if htmx else {}), "X-CSRFToken": CLIENT.cookies["csrftoken"].value}
    if method == "GET":
        return CLIENT.get(f"{url}?{encoded(data)}", headers=headers)
    return CLIENT.generic(
        "POST", url, encoded(data), "application/x-www-form-urlencoded", headers=headers
    )


def assert_answered(response, where: str) -> None:
    assert response.status_code < 500, where
    if response.status_code >= 400:
        assert response.content.strip(), f"{where}: {response.status_code} without a message"


def everything_of(user) -> list:
    return [
        list(model.objects.filter(user=user).order_by("pk").values())
        for model in (Entry, ConflictCopy, Week, Item, ReadingNote, JournalSettings)
    ]


@pytest.fixture
def owner(user):
    CLIENT.cookies.clear()
    CLIENT.force_login(user)
    CLIENT.get("/offline/")  # the csrftoken cookie, as any page of ours sets it
    return user


@pytest.fixture
def saved(owner, make_entry, make_item, make_note, make_conflict, other_user):
    """What the owner (and somebody else) already wrote, and must keep."""
    entry = make_entry()
    make_conflict(make_entry(title="競合のある記事"))
    last_week = DAY - timedelta(days=7)
    objects = {
        "entry": entry,
        "item": make_item(),
        "try": make_item("朝に書く", kind=ItemKind.TRY),
        "last_try": Item.objects.create(
            user=owner,
            kind=ItemKind.TRY,
            text="先週のTry",
            week=Week.objects.create(
                user=owner, start_date=last_week, end_date=last_week + timedelta(days=6)
            ),
        ),  # fmt: skip
        "note": make_note(),
        "conflict": ConflictCopy.objects.for_user(owner).get(),
        "bobs": make_entry(user=other_user, title="他人の日記"),
    }
    return objects


# Each form: its URL (given the saved objects), method, fields, and the row it may change.
FORMS = {
    "entry-create": ("POST", "/entries/new/", ["date", "title", "body", "worked", "uuid"], None),
    "entry-edit": ("POST", "/entries/{entry.uuid}/edit/",
                   ["title", "body", "worked", "base_revision", "merge"], "entry"),
    "entry-worked": ("POST", "/entries/{entry.uuid}/worked/", ["worked", "base_revision"],
                     "entry"),
    "entry-delete": ("POST", "/entries/{entry.uuid}/delete/", [], "entry"),
    "conflict-resolve": ("POST", "/conflicts/{conflict.uuid}/resolve/", ["choice"], "conflict"),
    "settings": ("POST", "/settings/", ["title", "goal", "weekly_target_days", "week_start",
                 "day_boundary_hour", "time_zone", "language"], "settings"),
    "week-edit": ("POST", f"/weeks/{DAY}/edit/", ["title", "summary", "base_revision"], "week"),
    "item-add": ("POST", f"/weeks/{DAY}/items/",
                 ["text", "section", "depth", "is_try", "uuid", "view"], None),
    "item-edit": ("POST", f"/weeks/{DAY}/items/{{item.uuid}}/edit/",
                  ["text", "base_revision", "then"], "item"),
    "item-move": ("POST", f"/weeks/{DAY}/items/{{item.uuid}}/move/", ["direction", "view"],
                  "item"),
    "item-star": ("POST", f"/weeks/{DAY}/items/{{try.uuid}}/star/", ["view"], "try"),
    "review": ("POST", f"/weeks/{DAY}/review/{{last_try.uuid}}/", ["state", "follow_up"],
               "last_try"),
    "reading-create": ("POST", f"/weeks/{DAY}/reading/",
                       ["title", "url", "kind", "notes", "impressions", "uuid"], None),
    "reading-edit": ("POST", f"/weeks/{DAY}/reading/{{note.uuid}}/edit/",
                     ["title", "url", "kind", "notes", "impressions", "base_revision"], "note"),
    "reading-move": ("POST", f"/weeks/{DAY}/reading/{{note.uuid}}/move/", ["direction"], "note"),
    "search": ("GET", "/search/", ["q", "kind", "from", "to"], None),
    "timeline": ("GET", "/weeks/", ["year", "month", "before", "filter"], None),
    "day-undo": ("GET", f"/days/{DAY}/", ["deleted"], None),
    "week-undo": ("GET", f"/weeks/{DAY}/", ["deleted_item", "deleted_note"], None),
    "password-change": ("POST", "/accounts/password/",
                        ["old_password", "new_password1", "new_password2"], None),
}  # fmt: skip


def target_state(name: str | None, saved: dict, owner):
    if name is None:
        return None
    if name == "settings":
        return list(JournalSettings.objects.filter(user=owner).values())
    if name == "week":
        return list(Week.objects.filter(user=owner, start_date=DAY).values())
    row = saved[name]
    return list(type(row).objects.filter(pk=row.pk).values())


@pytest.mark.parametrize("name", FORMS)
def test_every_form_answers_generated_input_and_loses_nothing(saved, owner, other_user, name):
    method, url_pattern, fields, target = FORMS[name]
    url = url_pattern.format(**saved)
    bobs = everything_of(other_user)

    @FUZZ
    @given(data=form(fields), htmx=st.booleans())
    def fuzz(data, htmx):
        before = everything_of(owner)
        target_before = target_state(target, saved, owner)
        response = send(method, url, data, htmx)
        assert_answered(response, f"{method} {url} {data!r}")
        after = everything_of(owner)
        # Rows are never removed (deletes keep a tombstone) and the other user's are untouched.
        for rows_before, rows_after in zip(before, after, strict=True):
            assert {r["id"] for r in rows_before} <= {r["id"] for r in rows_after}
        if response.status_code >= 400:
            assert target_state(target, saved, owner) == target_before, response.status_code
        assert CLIENT.get("/offline/").status_code == 200

    fuzz()
    assert everything_of(other_user) == bobs
    assert Entry.objects.filter(pk=saved["entry"].pk).exists()
    owner.refresh_from_db()
    assert owner.check_password("correct horse 綴り")  # no generated old password matched


def test_the_login_form(owner):
    anonymous = Client()

    @FUZZ
    @given(data=form(["username", "password", "next"]), htmx=st.booleans())
    def fuzz(data, htmx):
        response = anonymous.generic(
            "POST", "/accounts/login/", encoded(data), "application/x-www-form-urlencoded",
            headers=HTMX if htmx else {},
        )  # fmt: skip
        assert_answered(response, f"login {data!r}")  # 200 with errors, or 429 locked out

    fuzz()
    owner.refresh_from_db()
    assert owner.check_password("correct horse 綴り")


def test_the_setup_form(db, django_user_model):
    """Setup runs while no user exists; whatever is posted, at most the one owner is made."""
    anonymous = Client()

    @FUZZ
    @given(data=form(["username", "password1", "password2"]))
    def fuzz(data):
        response = anonymous.generic(
            "POST", "/setup/", encoded(data), "application/x-www-form-urlencoded"
        )
        assert_answered(response, f"setup {data!r}")
        assert django_user_model.objects.count() <= 1

    fuzz()


# The weekly report importer

LINE = st.one_of(
    st.sampled_from([
        "# 週報 2021年1月18日〜1月24日", "## KPT", "### Keep", "### Problem", "### Try",
        "## Problem & Try", "## 前回のTry", "## 気になったこと", "#### 感想", "K:", "P:", "T:",
        "- ", "-", "* item", "  - nested", "    - deeper", "      - deepest", "1. first", "・点",
        "★", "- ★ try", "- 朝に書く★", "- ✅ 早寝する", "- ~~消した~~", "→ できなかった",
        "https://example.com/a", "[title](https://example.com/b)", "[t](javascript:alert(1))",
        "<https://example.com/c>", "---", "***", "Published on 2021-01-25", "目次", "[TOC]",
        "Try は ★", "", " ", "\t", "\\# not a heading", "\\- not a bullet", "2021/01/18",
        "2021-01-18〜2021-01-24", "9999-12-31", "0001-01-01", "2021年13月40日",
    ]),
    st.text(max_size=60),
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Lo"]), max_size=10),
    HUGE.map(lambda text: text[:5000]),
)  # fmt: skip
REPORT = st.lists(LINE, max_size=40).map("\n".join)


@FUZZ
@given(text=REPORT, as_bytes=st.booleans(), filename=st.sampled_from([None, "r.md", "r.txt"]))
def test_the_report_parser_reads_or_says_why(text, as_bytes, filename):
    source = text.encode("utf-8", "surrogatepass") if as_bytes else text
    try:
        parse_weekly_report(source, filename=filename)
    except ReportFormatError as error:
        problem = str(error)
        assert problem


WEEKS = st.sampled_from([None, "2021-01-18", str(DAY), "0001-01-01", "9999-12-27", "2021-02-30"])


def test_the_import_command(saved, owner, tmp_path):
    """import_journal on generated files: imported, or a CommandError naming the problem; the
    week that already has a retrospective is never overwritten without --replace."""
    kept = everything_of(owner)

    @FUZZ
    @given(text=REPORT, raw=st.binary(max_size=200), use_raw=st.booleans(), week=WEEKS)
    def fuzz(text, raw, use_raw, week):
        path = tmp_path / "report.md"
        path.write_bytes(raw if use_raw else text.encode("utf-8", "surrogatepass"))
        options = ["--week", week] if week else []
        try:
            call_command("import_journal", str(path), "--format", "weekly", *options,
                         stdout=StringIO(), stderr=StringIO())  # fmt: skip
        except CommandError as error:
            problem = str(error)
            assert problem
        # The saved week (it has a retrospective) and the diary are untouched.
        now = everything_of(owner)
        assert now[0] == kept[0]  # entries
        saved_items = [row for row in now[3] if row["id"] in {r["id"] for r in kept[3]}]
        assert saved_items == kept[3]

    fuzz()
