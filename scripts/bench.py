#!/usr/bin/env python3
"""make bench: is Tsuzuri still instant after ten years of writing? (issue 8)

1. Builds a 1-year and a 10-year demo journal (`seed_demo --years 1|10 --seed S --user bench`),
   each in its own data directory under data/bench/ (--cache), named by years, seed, the
   journal's today and a hash of the migrations and seed_demo's code. A second run the same day
   reuses them (seconds instead of a minute); older builds of the same journal are deleted.
2. Measures in-process (Django's test client: the whole middleware stack, no HTTP), both journals
   in one Python process taking turns, after a warm-up, round after round over the pages (in a
   new order each round, so that no page always follows the same one) so that the machine's load
   falls on all of them alike: wall time p50 and p95 and the query count of today, a day, a
   month, a week, the timeline's first and oldest page, the year, search for a 2- and a
   4-character word, a week's Markdown, and the floor (config/bench_urls.py). Static files go
   through the manifest storage, as in production, collected into data/bench/static/.
3. Search through the app's search() against a plain LIKE scan of the three tables.
4. Chromium (scripts/bench_browser.py) against gunicorn serving a copy of the 10-year journal:
   the bytes of a cold first load of today's page, an inline edit's round trip, an offline reload
   of a week.
5. Exports the 10-year journal to the own zip (`export_journal`) and imports that zip into a fresh
   data directory (plan and apply, as /archive/ does), each timed in a process of its own; the
   import's re-export must give the same tsuzuri.json.
6. Prints a Markdown table and writes bench-results.json at the repo root.

    .venv/bin/python scripts/bench.py                  # what `make bench` runs
    .venv/bin/python scripts/bench.py --iterations 30 --no-browser   # quicker, in-process only
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "bench", "bench correct horse 綴り"
SETTINGS = "config.bench_settings"
# The pages measured, in the order of the table; the floor is measured with them.
PAGES = (
    "today",
    "day",
    "month",
    "week",
    "timeline",
    "timeline_deep",
    "year",
    "search_2char",
    "search_4char",
    "week_markdown",
)
SHORT_WORD, LONG_WORD = "英語", "発音練習"  # both in journal/demo_text.py
LIKE_TABLES = ("journal_entry", "weekly_item", "weekly_readingnote")
TARGETS = {
    "floor_ratio": 4.0,
    "growth_ratio": 1.25,
    "search_speedup": 20.0,
    "first_load_bytes": 60 * 1024,
    "inline_edit_p50_ms": 50.0,
    "offline_reload_p50_ms": 100.0,
    "import_10y_s": 15.0,
}


# Measuring, inside a Django process (also used by tests/bench/)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of them lie (linear between the two nearest)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def bench_urls(user) -> dict[str, str]:
    """{page: URL} of the journal of `user`, chosen the same way whatever its size: the newest
    past day with the most entries, the newest past week with a retrospective, the timeline's
    oldest full page, this month and this year."""
    from django.db.models import Count

    from journal.models import Entry
    from weekly.models import Item

    prefs = user.journal_settings
    today = prefs.today()
    this_week = prefs.week_of(today)[0]
    days = (
        Entry.objects.filter(user=user, deleted_at=None, date__lt=today)
        .values("date")
        .annotate(n=Count("id"))
        .order_by("-n", "-date")
    )
    day = days[0]["date"] if days else today
    weeks = Item.objects.filter(user=user, deleted_at=None, week__start_date__lt=this_week)
    week = (
        weeks.order_by("-week__start_date").values_list("week__start_date", flat=True).first()
        or this_week
    )
    oldest = Entry.objects.filter(user=user).order_by("date").values_list("date", flat=True)
    oldest_week = prefs.week_of(oldest.first() or today)[0]
    deep = oldest_week + timedelta(weeks=8)  # ?before= gives the 8 weeks starting before it
    return {
        "floor": "/__floor__/",
        "today": "/",
        "day": f"/days/{day}/",
        "month": f"/months/{today:%Y-%m}/",
        "week": f"/weeks/{week}/",
        "timeline": "/weeks/",
        "timeline_deep": f"/weeks/?before={deep}",
        "year": f"/years/{today.year}/",
        "search_2char": f"/search/?q={SHORT_WORD}",
        "search_4char": f"/search/?q={LONG_WORD}",
        "week_markdown": f"/weeks/{week}.md",
    }


def timed(function, iterations: int, warmup: int) -> list[float]:
    """Milliseconds of wall time of each of `iterations` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(iterations):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return times


_OPEN: dict[str, object] = {}  # {SQLite path: its DB-API connection, while another is in use}


def use_database(path: Path | None, connection=None) -> None:
    """Point the default connection (or this one) at another journal's SQLite file (None: leave
    it).

    Each journal keeps its own open connection from one turn to the next, as a gunicorn worker
    keeps its one (CONN_MAX_AGE): closing and opening it at every switch gave each page a cold
    SQLite page cache, which added 0.3-0.8 to the pages' ratios over the floor and nothing to
    the floor's own (docs/decisions.md)."""
    from django.db import connection as default

    connection = connection or default
    current, wanted = connection.settings_dict["NAME"], str(path)
    if path is None or current == wanted:
        return
    if connection.connection is not None:
        _OPEN[str(current)] = connection.connection
    # None makes Django open it on first use (with the PRAGMAs of the settings).
    connection.connection = _OPEN.pop(wanted, None)
    connection.settings_dict["NAME"] = wanted


def measure_pages(journals: dict, iterations: int = 100, warmup: int = 10) -> dict:
    """{journal: {page: {url, p50_ms, p95_ms, cpu_p50_ms, queries, bytes}}} for every page of
    bench_urls() and the floor, through Django's test client logged in as the bench user.

    `journals` is {label: SQLite path, or None for the current database}. The journals take
    turns, round after round (in alternating order), so a change in the machine's load during
    the run weighs on each of them alike."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients, urls, results = {}, {}, {}
    for label, path in journals.items():
        use_database(path)
        user = get_user_model().objects.get(username=USERNAME)
        clients[label] = Client()
        clients[label].force_login(user)
        urls[label] = bench_urls(user)
        results[label] = {}
        for name, url in urls[label].items():
            response = clients[label].get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            with CaptureQueriesContext(connection) as queries:
                clients[label].get(url)
            results[label][name] = {
                "url": url,
                "queries": len(queries),
                "bytes": len(response.content),
            }

    order = random.Random(0)  # the same orders every run

    def rounds(count: int, timed: bool) -> None:
        for number in range(count):
            labels = list(journals)
            for label in labels if number % 2 else reversed(labels):
                use_database(journals[label])
                client = clients[label]
                client.get("/__floor__/")  # untimed: the first turn opens the connection
                # A new order each round, the floor among the pages: in a fixed one the floor
                # always came right after the untimed floor above, its code and data still in
                # the CPU's caches, where every page came after another page. That made the
                # floor 0.1-0.2 ms (10-15 %) faster than anywhere else, and every ratio over it
                # as much larger (docs/decisions.md).
                pages = list(urls[label].items())
                order.shuffle(pages)
                for name, url in pages:
                    began, began_cpu = time.perf_counter(), time.process_time()
                    client.get(url)
                    if timed:
                        times[label, name].append((time.perf_counter() - began) * 1000)
                        cpu[label, name].append((time.process_time() - began_cpu) * 1000)

    times: dict[tuple, list[float]] = {(j, n): [] for j in journals for n in urls[j]}
    cpu: dict[tuple, list[float]] = {key: [] for key in times}
    rounds(warmup, timed=False)
    rounds(iterations, timed=True)
    for (label, name), values in times.items():
        page = results[label][name]
        page["p50_ms"] = round(statistics.median(values), 3)
        page["p95_ms"] = round(percentile(values, 0.95), 3)
        # CPU time of this process: what the page costs, less the time others held the CPU.
        page["cpu_p50_ms"] = round(statistics.median(cpu[label, name]), 3)
    return results


def like_scan(user, word: str) -> int:
    """A search without an index: every live row of the user's three kinds whose search_text
    holds the word, by LIKE '%word%'. The number of matching rows."""
    from django.db import connection

    from journal.models import normalize_for_search

    pattern = f"%{connection.ops.prep_for_like_query(normalize_for_search(word))}%"
    found = 0
    with connection.cursor() as cursor:
        for table in LIKE_TABLES:
            cursor.execute(
                f'SELECT "id" FROM {table} WHERE "user_id" = %s AND "deleted_at" IS NULL '
                f"AND \"search_text\" LIKE %s ESCAPE '\\'",
                [user.pk, pattern],
            )
            found += len(cursor.fetchall())
    return found


def measure_search(user, iterations: int = 100, warmup: int = 5) -> dict:
    """{word: {fts_p50_ms, like_p50_ms, hits, like_rows}}: the app's search(), as the search page
    calls it (21 hits), against like_scan() of the same word."""
    from archive.search import search
    from archive.views import RESULTS_SHOWN

    results = {}
    for word in (SHORT_WORD, LONG_WORD):
        fts = timed(lambda w=word: search(user, w, limit=RESULTS_SHOWN + 1), iterations, warmup)
        like = timed(lambda w=word: like_scan(user, w), iterations, warmup)
        results[word] = {
            "fts_p50_ms": round(statistics.median(fts), 3),
            "like_p50_ms": round(statistics.median(like), 3),
            "hits": len(search(user, word, limit=RESULTS_SHOWN + 1)),
            "like_rows": like_scan(user, word),
        }
    return results


def journal_size(user) -> dict:
    from journal.models import Entry
    from weekly.models import Item, ReadingNote, Week

    return {
        "entries": Entry.objects.filter(user=user).count(),
        "weeks": Week.objects.filter(user=user).count(),
        "items": Item.objects.filter(user=user).count(),
        "notes": ReadingNote.objects.filter(user=user).count(),
    }


def measure_journals(journals: dict, iterations: int, warmup: int) -> dict:
    """Everything in-process, for each of `journals` ({label: SQLite path or None})."""
    from django.contrib.auth import get_user_model

    pages = measure_pages(journals, iterations, warmup)
    measured = {}
    for label, path in journals.items():
        use_database(path)
        user = get_user_model().objects.get(username=USERNAME)
        measured[label] = {
            "size": journal_size(user),
            "urls": {name: page["url"] for name, page in pages[label].items()},
            "pages": pages[label],
            "search": measure_search(user, iterations, warmup),
        }
    return measured


def build_journal(years: int, seed: int) -> None:
    """migrate + seed_demo into the current data directory, and give `bench` a password."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", years=years, seed=seed, user=USERNAME)
    user = get_user_model().objects.get(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def time_export(user, path: Path) -> dict:
    """Seconds to write the user's whole-journal zip (archive/export.py) to `path`."""
    from archive.export import write_export_file

    began = time.perf_counter()
    write_export_file(user, path)
    return {"export_s": round(time.perf_counter() - began, 2), "bytes": path.stat().st_size}


def time_import(user, path: Path) -> dict:
    """Seconds to import the zip at `path` for `user`: reading, the dry run's plan and applying
    it, what /archive/ and import_journal do. Refused lines stop the benchmark."""
    from archive.importing import plan_import
    from archive.sources import Source

    began = time.perf_counter()
    with Source.open(path) as source:
        plan = plan_import("tsuzuri", user, source)
        planned = time.perf_counter()
        if plan.refused:
            raise SystemExit(f"the import refused {len(plan.refused)}: {plan.refused[:3]}")
        plan.apply(user)
    done = time.perf_counter()
    return {
        "import_s": round(done - began, 2),
        "plan_s": round(planned - began, 2),
        "records": dict(plan.counts()),
    }


def same_json(first: Path, second: Path) -> bool:
    """Whether two export zips hold the same tsuzuri.json but for exported_at."""
    import zipfile

    def read(path: Path) -> dict:
        with zipfile.ZipFile(path) as archive:
            found = json.loads(archive.read("tsuzuri.json"))
        found.pop("exported_at")
        return found

    return read(first) == read(second)


def archive_child(step: str, path: Path) -> dict:
    """In a child: export the bench user's journal to `path`, or import `path` into this (fresh)
    data directory and export it again beside it to compare."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    if step == "export":
        return time_export(get_user_model().objects.get(username=USERNAME), path)
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    found = time_import(user, path)
    again = path.with_name("re-export.zip")
    time_export(user, again)
    found["round_trip"] = same_json(path, again)
    return found


def measure_archive(ten_dir: Path, static_root: Path) -> dict:
    """Export the 10-year journal (read only, the cached build is kept) and import it into a
    throwaway data directory, each in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="tsuzuri-bench-archive-") as scratch:
        exported = Path(scratch) / "export.zip"
        fresh = Path(scratch) / "data"
        fresh.mkdir()
        out = run_child(ten_dir, static_root, "--child", "export", "--zip", str(exported))
        found = json.loads(out.splitlines()[-1])
        out = run_child(fresh, static_root, "--child", "import", "--zip", str(exported))
        return found | json.loads(out.splitlines()[-1])


# The report


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def results_json(ten: dict, one: dict, browser: dict | None, archive: dict | None = None) -> dict:
    """bench-results.json: per page p50_ms, p95_ms, queries (10 years) and p50_ms_1y; plus the
    floor, search against LIKE, the browser figures and the whole journal's export and import
    (null when not measured)."""
    browser, archive = browser or {}, archive or {}
    search_10 = ten["search"][SHORT_WORD]
    return {
        "pages": {
            name: {
                "p50_ms": ten["pages"][name]["p50_ms"],
                "p95_ms": ten["pages"][name]["p95_ms"],
                "queries": ten["pages"][name]["queries"],
                "p50_ms_1y": one["pages"][name]["p50_ms"],
            }
            for name in PAGES
        },
        "floor_p50_ms": ten["pages"]["floor"]["p50_ms"],
        "search_fts_p50_ms": search_10["fts_p50_ms"],
        "search_like_p50_ms": search_10["like_p50_ms"],
        "first_load_bytes": browser.get("first_load_bytes"),
        "inline_edit_p50_ms": browser.get("inline_edit_p50_ms"),
        "offline_reload_p50_ms": browser.get("offline_reload_p50_ms"),
        "export_10y_s": archive.get("export_s"),
        "import_10y_s": archive.get("import_s"),
    }


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def markdown(
    ten: dict, one: dict, browser: dict | None, meta: dict, archive: dict | None = None
) -> str:
    """The tables printed at the end and pasted into the README."""
    floor, floor_cpu = ten["pages"]["floor"]["p50_ms"], ten["pages"]["floor"]["cpu_p50_ms"]
    lines = [
        f"10-year journal: {fmt_size(ten['size'])}; 1-year: {fmt_size(one['size'])}.  ",
        f"{meta['iterations']} timed requests a page after {meta['warmup']} warm-up rounds; "
        f"load average {meta['loadavg_before']} before, {meta['loadavg_after']} after; "
        f"{meta['cpus']} CPUs; {meta['when']}.",
        "",
        "| page (10 years) | p50 ms | p95 ms | CPU p50 ms | queries 10y (1y) | p50 / floor "
        "| CPU / floor | p50 1y ms | 10y / 1y | KB 10y (1y) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name in ("floor", *PAGES):
        page, small = ten["pages"][name], one["pages"][name]
        over, growth = ratio(page["p50_ms"], floor), ratio(page["p50_ms"], small["p50_ms"])
        over_cpu = ratio(page["cpu_p50_ms"], floor_cpu)
        # Constant means not growing with the journal: search asks once more for each kind
        # with a hit shown, which depends on the words, not on the size.
        grows = page["queries"] > small["queries"]
        ok_floor = None if name == "floor" else over <= TARGETS["floor_ratio"]
        lines.append(
            f"| {name} `{page['url']}` | {page['p50_ms']:.2f} | {page['p95_ms']:.2f} | "
            f"{page['cpu_p50_ms']:.2f} | {page['queries']} ({small['queries']})"
            f"{' ❌' if grows else ''} | {over:.2f} {mark(ok_floor)} | {over_cpu:.2f} | "
            f"{small['p50_ms']:.2f} | {growth:.2f} {mark(growth <= TARGETS['growth_ratio'])} | "
            f"{page['bytes'] / 1024:.1f} ({small['bytes'] / 1024:.1f}) |"
        )
    lines += [
        "",
        "| search, 10 years | search() p50 ms | LIKE scan p50 ms | LIKE / search() | hits "
        "shown / rows matching |",
        "|---|--:|--:|--:|--:|",
    ]
    for word, found in ten["search"].items():
        speedup = ratio(found["like_p50_ms"], found["fts_p50_ms"])
        lines.append(
            f"| {word} | {found['fts_p50_ms']:.2f} | {found['like_p50_ms']:.2f} | "
            f"{speedup:.1f}× {mark(speedup >= TARGETS['search_speedup'])} | "
            f"{found['hits']} / {found['like_rows']} |"
        )
    browser = browser or {}

    def row(label: str, key: str, unit: str, target) -> str:
        value = browser.get(key)
        shown = "not measured" if value is None else f"{value:,}{unit}"
        ok = None if value is None else value <= TARGETS[key]
        return f"| {label} | {shown} | ≤ {target} {mark(ok)} |"

    lines += [
        "",
        "| Chromium, 10-year journal, gunicorn on loopback | measured | target |",
        "|---|--:|--:|",
        row("first load of today's page, bytes transferred", "first_load_bytes", " B", "60 KB"),
        row("inline edit round trip, p50", "inline_edit_p50_ms", " ms", "50 ms"),
        row("offline reload of a week, p50 (to `load`)", "offline_reload_p50_ms", " ms", "100 ms"),
        *archive_rows(archive),
    ]
    if details := browser.get("details"):
        lines += ["", *details]
    return "\n".join(lines)


def archive_rows(archive: dict | None) -> list[str]:
    if not archive:
        return [
            "| export of the 10-year journal (`export_journal`) | not measured | — |",
            "| import of that zip into an empty instance | not measured | ≤ 15 s |",
        ]
    ok = archive["import_s"] <= TARGETS["import_10y_s"]
    same = "identical" if archive["round_trip"] else "DIFFERENT ❌"
    return [
        f"| export of the 10-year journal (`export_journal`, {archive['bytes'] / 2**20:.1f} MB) "
        f"| {archive['export_s']:.1f} s | — |",
        f"| import of that zip into an empty instance ({archive['plan_s']:.1f} s to plan; "
        f"re-export {same}) | {archive['import_s']:.1f} s | ≤ 15 s {mark(ok)} |",
    ]


def fmt_size(size: dict) -> str:
    return (
        f"{size['entries']:,} entries, {size['weeks']:,} retrospectives, "
        f"{size['items']:,} KPT items, {size['notes']:,} reading notes"
    )


# Orchestration (the parent process)


def journal_today() -> str:
    """The demo journal's today (seed_demo ends its journal there): Asia/Tokyo, the default."""
    return datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()


def code_fingerprint() -> str:
    """What a built journal depends on besides years, seed and day: schema and generator."""
    digest = hashlib.sha256()
    sources = sorted(BASE_DIR.glob("*/migrations/*.py")) + [
        BASE_DIR / "journal/management/commands/seed_demo.py",
        BASE_DIR / "journal/demo_text.py",
        BASE_DIR / "journal/markdown.py",
    ]
    for source in sources:
        digest.update(source.relative_to(BASE_DIR).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


def child_env(data_dir: Path, static_root: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        TSUZURI_DATA_DIR=str(data_dir),
        TSUZURI_BENCH_STATIC_ROOT=str(static_root),
        DJANGO_DEBUG="0",
        PYTHONHASHSEED="0",
    )
    return env


def run_child(data_dir: Path, static_root: Path, *arguments: str) -> str:
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    done = subprocess.run(
        command, cwd=BASE_DIR, env=child_env(data_dir, static_root), capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{' '.join(arguments)} failed in {data_dir}")
    return done.stdout


def journal_dir(cache: Path, years: int, seed: int, static_root: Path) -> Path:
    """The data directory of the journal, built now unless a build of the same key exists."""
    prefix = f"{years}y-seed{seed}-"
    key = f"{prefix}{journal_today()}-{code_fingerprint()}"
    ready = cache / key
    if (ready / "built").exists():
        print(f"Using the {years}-year journal in {ready}")
        return ready
    for old in cache.glob(prefix + "*"):
        shutil.rmtree(old)
    building = cache / (key + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    began = time.monotonic()
    print(f"Building the {years}-year journal in {ready} …", flush=True)
    out = run_child(building, static_root, "--child", "build", "--years", str(years),
                    "--seed", str(seed))  # fmt: skip
    print(f"  {out.strip()} — {time.monotonic() - began:.0f} s in all")
    (building / "built").write_text(out)
    building.rename(ready)
    return ready


def collectstatic(data_dir: Path, static_root: Path) -> None:
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, cwd=BASE_DIR, env=child_env(data_dir, static_root), check=True)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as `make serve` runs it (2 workers, DEBUG off, whitenoise), on a free port."""

    def __init__(self, data_dir: Path, static_root: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log, self.access_log = data_dir / "gunicorn.log", data_dir / "access.log"
        # The access log gives each request's time inside gunicorn (%(D)s, microseconds).
        command = [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(workers), "--error-logfile", str(self.log),
                   "--access-logfile", str(self.access_log),
                   "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=child_env(data_dir, static_root), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/accounts/login/", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer; see {self.log}")

    def server_ms(self, method: str, path_pattern: str) -> list[float]:
        """Milliseconds gunicorn spent on each logged request whose path matches."""
        times = []
        for line in self.access_log.read_text().splitlines():
            verb, path, _, micros = line.split()
            if verb == method and re.fullmatch(path_pattern, path):
                times.append(int(micros) / 1000)
        return times

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def measure_in_browser(ten_dir: Path, static_root: Path, urls: dict, runs: int) -> dict:
    """The Chromium figures, against gunicorn serving a throwaway copy of the 10-year journal
    (the inline edits write to it)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_browser

    with tempfile.TemporaryDirectory(prefix="tsuzuri-bench-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(ten_dir, copy)
        server = Server(copy, static_root)
        try:
            found = bench_browser.measure(
                server.url, USERNAME, PASSWORD, day=urls["day"], week=urls["week"], runs=runs
            )
            edit = r"/entries/[-0-9a-f]+/edit/"
            form, save = server.server_ms("GET", edit), server.server_ms("POST", edit)
            if form and save:
                found["details"].append(
                    f"Inside gunicorn, an edit form took p50 {statistics.median(form):.1f} ms "
                    f"and a save p50 {statistics.median(save):.1f} ms ({len(save)} saves)."
                )
            return found
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=100, help="timed requests a page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed rounds before timing")
    parser.add_argument("--browser-runs", type=int, default=20, help="edits and reloads timed")
    parser.add_argument("--no-browser", action="store_true", help="in-process figures only")
    parser.add_argument("--cache", type=Path, default=BASE_DIR / "data" / "bench")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "bench-results.json")
    parser.add_argument(
        "--child", choices=["build", "measure", "export", "import"], help=argparse.SUPPRESS
    )
    parser.add_argument("--zip", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--years", type=int, default=10, help=argparse.SUPPRESS)
    parser.add_argument("--databases", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    cache = args.cache.resolve()
    static_root = cache / "static"
    cache.mkdir(parents=True, exist_ok=True)
    dirs = {years: journal_dir(cache, years, args.seed, static_root) for years in (1, 10)}
    collectstatic(dirs[10], static_root)
    meta = {"iterations": args.iterations, "warmup": args.warmup, "cpus": os.cpu_count(),
            "loadavg_before": loadavg(),
            "when": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}  # fmt: skip
    print("Measuring the 1- and 10-year journals in-process, in turns …", flush=True)
    counts = ["--iterations", str(args.iterations), "--warmup", str(args.warmup)]
    databases = [str(dirs[years] / "tsuzuri.sqlite3") for years in (1, 10)]
    out = run_child(dirs[10], static_root, "--child", "measure", *counts, "--databases", *databases)
    measured = {int(label): found for label, found in json.loads(out.splitlines()[-1]).items()}
    print("Exporting the 10-year journal and importing it into an empty one …", flush=True)
    archive = measure_archive(dirs[10], static_root)
    browser = None
    if not args.no_browser:
        print("Measuring in Chromium against gunicorn …", flush=True)
        browser = measure_in_browser(dirs[10], static_root, measured[10]["urls"], args.browser_runs)
    meta["loadavg_after"] = loadavg()
    results = results_json(measured[10], measured[1], browser, archive)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(measured[10], measured[1], browser, meta, archive))
    print(f"\nWrote {args.output}")


def child(args) -> None:
    """A fresh Django process: build a journal into the data directory its settings point at,
    measure the journals of --databases (the 1-year, then the 10-year one), or export or import
    the whole journal (--zip)."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    if args.child == "build":
        build_journal(args.years, args.seed)
    elif args.child in ("export", "import"):
        print(json.dumps(archive_child(args.child, args.zip)))
    else:
        journals = {str(years): path for years, path in zip((1, 10), args.databases, strict=True)}
        measured = measure_journals(journals, args.iterations, args.warmup)
        print(json.dumps(measured, ensure_ascii=False))


if __name__ == "__main__":
    main()
