#!/usr/bin/env python3
"""make soak: Tsuzuri under load and kill -9, on loopback, with nothing lost (issue 7, item 6).

Starts gunicorn (2 workers) on a free 127.0.0.1 port against a fresh data directory (or a fresh
PostgreSQL database when DATABASE_URL names one), makes a user, and runs concurrent clients that
log in and mix reads with writes the way the offline outbox sends them: htmx requests with an
Idempotency-Key and, for creates, a client-made uuid. Every write the server acknowledges (a 2xx)
is recorded. Two phases:

1. plain load for --seconds;
2. the same, with the whole server (master and workers) killed with SIGKILL halfway and started
   again; clients retry each unacknowledged write with the same Idempotency-Key until it is.

After each phase every acknowledged write must be in the database (a created entry or item
exists; an edited one holds the last acknowledged text), and no response may have been a 5xx.
At the end, SQLite's `PRAGMA integrity_check` must say ok. Prints the figures; exit status 1 if
anything was lost, any 5xx was seen or the check failed.

    .venv/bin/python scripts/soak.py                      # the full run: 20 clients, 60 s a phase
    .venv/bin/python scripts/soak.py --seconds 4 --clients 6 --report out.json   # the short one

Standard library only (threads and urllib), so it needs nothing beyond the app's own packages.
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "soak", "soak correct horse 綴り"
MONDAYS = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(4)]  # week starts (Monday)
RETRY_FOR = 30.0  # seconds an unacknowledged write keeps being retried after the phase ends


# The server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, env: dict, port: int, workers: int, log: Path):
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Start gunicorn and wait until it answers; the seconds that took."""
        began = time.monotonic()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--timeout", "60",
                   "--error-logfile", str(self.log)]  # fmt: skip
        # Its own process group: killpg reaches the master and every worker at once.
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5) as answer:
                    if answer.status == 200:
                        return time.monotonic() - began
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL to the master and the workers: no shutdown, no flush, mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


# The clients


@dataclass
class Figures:
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    server_errors: list = field(default_factory=list)
    connection_errors: int = 0
    retried_writes: int = 0
    replayed: int = 0
    acknowledged: int = 0
    unacknowledged: int = 0
    conflicts: int = 0
    latencies: list = field(default_factory=list)
    logins: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, seconds: float, what: str) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(seconds)
            if status >= 500:
                self.server_errors.append(f"{status} {what}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Thing:
    """An entry or a KPT item this client made, and what the server acknowledged of it."""

    kind: str  # "entry" | "item"
    uuid: str
    start: date  # the item's week, or the entry's date
    revision: int = 1
    text: str = ""  # the last acknowledged text
    editable: bool = True


class Clock:
    """When the timed part of a phase ends: set once every client has logged in."""

    def __init__(self, clients: int):
        self.ready = threading.Barrier(clients + 1)
        self.stop_at = float("inf")


class Client(threading.Thread):
    def __init__(self, number: int, base: str, figures: Figures, clock: Clock, seed: int):
        super().__init__(daemon=True)
        self.number, self.base, self.figures, self.clock = number, base, figures, clock
        self.random = random.Random(seed)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self.things: list[Thing] = []
        self.sequence = 0
        self.error: BaseException | None = None

    # HTTP

    def send(self, method: str, path: str, data: dict | None = None, headers=None):
        """(status, body, headers); a status of 0 when the connection failed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if method == "POST":
            request.add_header("X-CSRFToken", self.csrf_token())
        began = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as answer:
                status, content, got = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, content, got = error.code, error.read(), error.headers
        except (OSError, http.client.HTTPException):
            with self.figures.lock:
                self.figures.connection_errors += 1
            return 0, b"", {}
        self.figures.count(status, time.monotonic() - began, f"{method} {path}")
        return status, content, got

    @property
    def stop_at(self) -> float:
        return self.clock.stop_at

    def csrf_token(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def write(self, path: str, data: dict) -> tuple[int, dict]:
        """An outbox write: retried with the same Idempotency-Key until the server answers."""
        headers = {"HX-Request": "true", "Idempotency-Key": str(uuid.uuid4())}
        tries = 0
        while True:
            tries += 1
            status, body, got = self.send("POST", path, data, headers)
            in_progress = status == 409 and b"idempotency-in-progress" in body
            if status and not in_progress:
                if tries > 1:
                    with self.figures.lock:
                        self.figures.retried_writes += 1
                if got.get("Idempotent-Replayed"):
                    with self.figures.lock:
                        self.figures.replayed += 1
                return status, got
            if time.monotonic() > self.stop_at + RETRY_FOR:
                return 0, {}
            time.sleep(0.2 if status == 0 else 0.05)

    # The user

    def log_in(self) -> None:
        """The login form, then the login (PBKDF2, so it is the slowest request there is)."""
        for _attempt in range(50):
            if self.send("GET", "/accounts/login/")[0] == 200:
                data = {"username": USERNAME, "password": PASSWORD,
                        "csrfmiddlewaretoken": self.csrf_token()}  # fmt: skip
                status = self.send("POST", "/accounts/login/", data)[0]
                if status == 302:
                    return
                if status:
                    raise RuntimeError(f"client {self.number}: login answered {status}")
            time.sleep(0.2)
        raise RuntimeError(f"client {self.number}: could not log in")

    def run(self) -> None:
        try:
            self.log_in()
            self.clock.ready.wait()
            while time.monotonic() < self.stop_at:
                self.step()
        except threading.BrokenBarrierError:
            pass
        except BaseException as error:  # reported by the main thread
            self.error = error
            self.clock.ready.abort()

    def step(self) -> None:
        roll = self.random.random()
        entries = [t for t in self.things if t.kind == "entry" and t.editable]
        items = [t for t in self.things if t.kind == "item" and t.editable]
        if roll < 0.5:
            self.read(entries)
        elif roll < 0.65 or not entries:
            self.create_entry()
        elif roll < 0.78:
            self.edit(self.random.choice(entries))
        elif roll < 0.9 or not items:
            self.add_item()
        else:
            self.edit(self.random.choice(items))

    def text(self, what: str) -> str:
        self.sequence += 1
        return f"soak c{self.number} #{self.sequence} {what} 今日は実験を進めた。"

    def read(self, entries: list[Thing]) -> None:
        day = self.random.choice(MONDAYS) + timedelta(days=self.random.randrange(7))
        paths = ["/", f"/days/{day}/", f"/weeks/{self.random.choice(MONDAYS)}/",
                 "/search/?q=soak", "/weeks/", f"/months/{day:%Y-%m}/"]  # fmt: skip
        if entries:
            paths.append(f"/entries/{self.random.choice(entries).uuid}/edit/")
        if self.send("GET", self.random.choice(paths))[0] == 0:
            time.sleep(0.2)  # the server is down: wait a little, as a reader would

    def acknowledged(self, status: int, thing: Thing, text: str) -> None:
        with self.figures.lock:
            if 200 <= status < 300:
                self.figures.acknowledged += 1
            elif status == 409:
                self.figures.conflicts += 1
            elif status == 0:
                self.figures.unacknowledged += 1
        if 200 <= status < 300:
            thing.text = text
            return True
        thing.editable = False  # its revision is no longer known: leave it as it is
        return False

    def create_entry(self) -> None:
        day = self.random.choice(MONDAYS) + timedelta(days=self.random.randrange(7))
        thing = Thing("entry", str(uuid.uuid4()), day)
        text = self.text("entry")
        data = {"date": day.isoformat(), "title": f"c{self.number}", "body": text,
                "uuid": thing.uuid}  # fmt: skip
        status, _ = self.write("/entries/new/", data)
        if self.acknowledged(status, thing, text):
            self.things.append(thing)

    def add_item(self) -> None:
        start = self.random.choice(MONDAYS)
        thing = Thing("item", str(uuid.uuid4()), start)
        text = self.text("keep")
        data = {"text": text, "section": "keep", "uuid": thing.uuid}
        status, _ = self.write(f"/weeks/{start}/items/", data)
        if self.acknowledged(status, thing, text):
            self.things.append(thing)

    def edit(self, thing: Thing) -> None:
        text = self.text("edited")
        if thing.kind == "entry":
            path = f"/entries/{thing.uuid}/edit/"
            data = {"title": f"c{self.number}", "body": text, "base_revision": thing.revision}
        else:
            path = f"/weeks/{thing.start}/items/{thing.uuid}/edit/"
            data = {"text": text, "base_revision": thing.revision}
        status, _ = self.write(path, data)
        if self.acknowledged(status, thing, text):
            thing.revision += 1


# A phase


def run_phase(server: Server, clients: int, seconds: float, kill_at: float | None, seed: int):
    figures = Figures()
    clock = Clock(clients)
    crowd = [Client(n, server.url, figures, clock, seed * 1000 + n) for n in range(clients)]
    for client in crowd:
        client.start()
    try:
        clock.ready.wait(timeout=300)  # every client has logged in
    except threading.BrokenBarrierError:
        errors = [f"client {c.number}: {c.error!r}" for c in crowd if c.error]
        raise SystemExit("\n".join(errors)) from None
    figures.logins = figures.requests
    began = time.monotonic()
    clock.stop_at = began + seconds
    kill = None
    if kill_at is not None:
        time.sleep(max(0.0, began + kill_at - time.monotonic()))
        killed_at = time.monotonic()
        server.kill()
        restart = server.start()
        kill = {"killed_after_s": round(killed_at - began, 1), "back_after_s": round(restart, 2)}
    for client in crowd:
        client.join(timeout=seconds + RETRY_FOR + 90)
    elapsed = time.monotonic() - began
    errors = [f"client {c.number}: {c.error!r}" for c in crowd if c.error or c.is_alive()]
    if errors:
        raise SystemExit("\n".join(errors))
    return figures, [thing for client in crowd for thing in client.things], elapsed, kill


def lost_writes(things) -> list[str]:
    """Acknowledged writes that are not in the database, read back through the ORM."""
    from journal.models import Entry
    from weekly.models import Item

    stored = {
        str(uuid_): body
        for uuid_, body in Entry.objects.filter(
            uuid__in=[t.uuid for t in things if t.kind == "entry"]
        ).values_list("uuid", "body")
    }
    stored |= {
        str(uuid_): text
        for uuid_, text in Item.objects.filter(
            uuid__in=[t.uuid for t in things if t.kind == "item"]
        ).values_list("uuid", "text")
    }
    lost = []
    for thing in things:
        if thing.uuid not in stored:
            lost.append(f"{thing.kind} {thing.uuid}: missing")
        elif stored[thing.uuid] != thing.text:
            lost.append(
                f"{thing.kind} {thing.uuid}: holds {stored[thing.uuid]!r}, not {thing.text!r}"
            )
    return lost


def summary(name: str, figures: Figures, things, elapsed: float, kill) -> dict:
    latencies = sorted(figures.latencies) or [0.0]
    lost = lost_writes(things)
    return {
        "phase": name,
        "seconds": round(elapsed, 1),
        "requests": figures.requests,
        "login_requests": figures.logins,
        "throughput_rps": round((figures.requests - figures.logins) / elapsed, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2]),
        "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)]),
        "statuses": {str(k): v for k, v in sorted(figures.statuses.items())},
        "acknowledged_writes": figures.acknowledged,
        "lost_writes": len(lost),
        "lost_examples": lost[:5],
        "server_errors_5xx": len(figures.server_errors),
        "server_error_examples": figures.server_errors[:5],
        "connection_errors": figures.connection_errors,
        "writes_retried": figures.retried_writes,
        "answers_replayed": figures.replayed,
        "unacknowledged_writes": figures.unacknowledged,
        "revision_conflicts": figures.conflicts,
        "kill_9": kill,
    }


# Setting up


def fresh_postgres(url: str) -> tuple[str, str]:
    """A new database beside the one DATABASE_URL names: (its URL, its name)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'tsuzuri'}_soak_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", type=Path, help="also write the figures here, as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="tsuzuri-soak-"))
    original_url = os.environ.get("DATABASE_URL", "")
    postgres = original_url.startswith(("postgres://", "postgresql://"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TSUZURI_"))}
    env |= {"TSUZURI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.soak_settings",
            "PYTHONPATH": str(BASE_DIR)}  # fmt: skip
    database = "SQLite (WAL, synchronous=FULL)"
    if postgres:
        env["DATABASE_URL"], pg_name = fresh_postgres(original_url)
        database = f"PostgreSQL (database {pg_name})"
    else:
        env.pop("DATABASE_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))

    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from journal.models import JournalSettings

    server, failed = None, True
    try:
        call_command("migrate", interactive=False, verbosity=0)
        owner = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
        JournalSettings.objects.create(user=owner)
        connection.close()

        server = Server(env, free_port(), options.workers, data_dir / "gunicorn.log")
        server.start()
        print(f"soak: {options.clients} clients, {options.seconds:g} s a phase, "
              f"gunicorn with {options.workers} workers on {server.url}, {database}")  # fmt: skip
        phases = []
        for name, kill_at in (("load", None), ("kill -9", options.seconds / 2)):
            result = run_phase(server, options.clients, options.seconds, kill_at, options.seed)
            phases.append(summary(name, *result))
            connection.close()
            print(format_phase(phases[-1]))
        server.stop()
        integrity = "n/a (PostgreSQL)"
        if not postgres:
            with sqlite3.connect(data_dir / "tsuzuri.sqlite3") as db:
                integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        print(f"  PRAGMA integrity_check: {integrity}")
        report = {"database": database, "clients": options.clients, "workers": options.workers,
                  "phases": phases, "integrity_check": integrity}  # fmt: skip
        if options.report:
            options.report.write_text(json.dumps(report, ensure_ascii=False, indent=2))
        failed = integrity not in {"ok", "n/a (PostgreSQL)"} or any(
            p["lost_writes"] or p["server_errors_5xx"] or not p["acknowledged_writes"]
            for p in phases
        )
        print("soak: FAILED" if failed else "soak: ok — nothing lost, no 5xx")
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        connection.close()
        if postgres:
            drop_postgres(original_url, pg_name)
        if options.keep or failed:
            print(f"soak: data and gunicorn's log kept in {data_dir}")
        else:
            subprocess.run(["rm", "-rf", str(data_dir)], check=False)


def format_phase(p: dict) -> str:
    lines = [
        f"  {p['phase']}: {p['requests']} requests ({p['login_requests']} logging in first), "
        f"then {p['throughput_rps']}/s for {p['seconds']} s (p50 {p['p50_ms']} ms, "
        f"p95 {p['p95_ms']} ms), statuses {p['statuses']}",
        f"    acknowledged writes {p['acknowledged_writes']}, lost {p['lost_writes']}, "
        f"5xx {p['server_errors_5xx']}, connection errors {p['connection_errors']}, "
        f"writes retried {p['writes_retried']} (answers replayed {p['answers_replayed']}), "
        f"unacknowledged {p['unacknowledged_writes']}, revision conflicts "
        f"{p['revision_conflicts']}",
    ]
    if p["kill_9"]:
        lines.append(
            f"    kill -9 of master and workers after {p['kill_9']['killed_after_s']} s; "
            f"answering again {p['kill_9']['back_after_s']} s later"
        )
    for example in p["lost_examples"] + p["server_error_examples"]:
        lines.append(f"    ! {example}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
