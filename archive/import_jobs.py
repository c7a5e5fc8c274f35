"""An import from the /archive/ page, from the upload to the end, kept as files on disk.

Each upload gets a folder DATA_DIR/imports/<uuid>/ (never under the static or media trees):
`meta.json` (owner, format, options, the file's name as given), the upload itself under a fixed
name, `plan.json` (the dry run's lines, made once when the file arrives) and `state.json` (planned,
running with done/total, done with the counts, or failed with the message). Progress is a file, not
a row: apply() runs in one transaction and, on SQLite, holds the write lock until it ends, so a row
written by it would not be seen by the page that polls, and a row written beside it would wait for
the lock. The import runs in a thread of the serving process (TSUZURI_IMPORT_THREADS; tests run it
at once) and replaces state.json atomically as it goes; any worker of the server can read it.

The upload is deleted when the import ends; the small files are swept a day after the upload, as is
an upload never imported.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from .importing import CREATE, REFUSE, UPDATE, ImportRefused, Line, Plan, plan_import
from .sources import FileSource, Source, SourceRefused, ZipSource

PLANNED, RUNNING, DONE, FAILED = "planned", "running", "done", "failed"
KEEP_FOR_SECONDS = 24 * 60 * 60
# A running import whose state has not moved for this long was cut off (the process stopped);
# its transaction was rolled back with it.
STALE_AFTER_SECONDS = 15 * 60
WRITE_EVERY_SECONDS = 0.25
UPLOAD = "upload"


def imports_dir() -> Path:
    return Path(getattr(settings, "TSUZURI_IMPORTS_DIR", settings.DATA_DIR / "imports"))


def _write_json(path: Path, value: dict) -> None:
    """Replace the file at once: a reader sees the old content or the new, never half of it."""
    partial = path.with_name(f".{path.name}.{threading.get_ident()}.part")
    partial.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class ImportJob:
    id: uuid.UUID
    folder: Path
    meta: dict

    # Making and finding

    @classmethod
    def create(cls, user, upload, format: str, options: dict) -> ImportJob:
        """Store the upload and make its dry run. SourceRefused (the file cannot be read at all)
        leaves nothing behind."""
        sweep()
        job_id = uuid.uuid4()
        folder = imports_dir() / str(job_id)
        folder.mkdir(parents=True)
        meta = {
            "user": user.pk,
            "format": format,
            "options": options,
            "name": upload.name,
            "language": translation.get_language(),
        }
        job = cls(job_id, folder, meta)
        try:
            with (folder / UPLOAD).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            _write_json(folder / "meta.json", meta)
            with job.source() as source:
                plan = job.plan(user, source)
            _write_json(folder / "plan.json", {"lines": [_line(x) for x in plan.lines]})
            job.set_state(PLANNED, total=plan.total)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return job

    @classmethod
    def get(cls, user, job_id: uuid.UUID) -> ImportJob:
        """The user's import, or 404 (for another user's too)."""
        folder = imports_dir() / str(job_id)
        try:
            meta = _read_json(folder / "meta.json")
        except (OSError, ValueError):
            raise Http404 from None
        if meta.get("user") != user.pk:
            raise Http404
        return cls(job_id, folder, meta)

    # Reading

    @property
    def name(self) -> str:
        return self.meta["name"]

    def source(self) -> Source:
        path = self.folder / UPLOAD
        if zipfile.is_zipfile(path):
            return ZipSource(path.open("rb"), self.name)
        return FileSource(path.read_bytes(), self.name)

    def plan(self, user, source: Source) -> Plan:
        options = dict(self.meta["options"])
        if options.get("week"):
            options["week"] = date.fromisoformat(options["week"])
        return plan_import(self.meta["format"], user, source, **options)

    def lines(self) -> list[Line]:
        return [Line(*values) for values in _read_json(self.folder / "plan.json")["lines"]]

    def state(self) -> dict:
        try:
            state = _read_json(self.folder / "state.json")
        except (OSError, ValueError):  # swept (a day old) while the page was open
            raise Http404 from None
        if state["state"] == RUNNING and time.time() - state["at"] > STALE_AFTER_SECONDS:
            message = _("The import stopped before it ended (the server was restarted?).")
            return {**state, "state": FAILED, "message": message}
        return state

    def set_state(self, state: str, **values) -> None:
        _write_json(self.folder / "state.json", {"state": state, "at": time.time(), **values})

    # Running

    def start(self, user) -> bool:
        """Run the import (in a thread unless TSUZURI_IMPORT_THREADS is off); False when it had
        been started already or the dry run refused something."""
        if self.state()["state"] != PLANNED or any(x.action == REFUSE for x in self.lines()):
            return False
        try:  # one start only, even with two clicks in two server processes
            os.close(os.open(self.folder / "started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        self.set_state(RUNNING, done=0, total=self.state().get("total", 1))
        if getattr(settings, "TSUZURI_IMPORT_THREADS", True):
            name = f"import-{self.id}"
            threading.Thread(target=self._run_in_thread, args=(user,), name=name).start()
        else:
            self.run(user)
        return True

    def _run_in_thread(self, user) -> None:
        try:
            self.run(user)
        finally:
            connection.close()  # the thread's own connection

    def run(self, user) -> None:
        last_write = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_write
            if done == total or time.monotonic() - last_write > WRITE_EVERY_SECONDS:
                last_write = time.monotonic()
                self.set_state(RUNNING, done=done, total=total)

        with translation.override(self.meta.get("language")):
            try:
                with self.source() as source:
                    plan = self.plan(user, source)  # again: the journal may have changed since
                    plan.apply(user, progress)
            except (ImportRefused, SourceRefused) as error:
                self.set_state(FAILED, message=str(error))
            except Exception:
                self.set_state(FAILED, message=_("The import failed; the server log says why."))
                raise
            else:
                self.set_state(DONE, counts=dict(plan.counts()), **_touched(plan))
            finally:
                (self.folder / UPLOAD).unlink(missing_ok=True)


def _line(line: Line) -> list[str]:
    return [line.action, line.where, line.what, str(line.reason)]


def _touched(plan: Plan) -> dict:
    """The days and weeks the import wrote, for links: entries from other tools (EntryPlan),
    weekly reports (WeeklyPlan) and the own zip's records (TsuzuriPlan)."""
    days = {entry.date for entry in getattr(plan, "entries", [])}
    weeks = {report.start for report in getattr(plan, "reports", [])}
    records = getattr(plan, "records", {})
    for kind, key, into in (("entries", "date", days), ("weeks", "start_date", weeks)):
        into.update(
            record.values[key]
            for record in records.get(kind, [])
            if record.action in (CREATE, UPDATE) and key in record.values
        )
    return {
        "days": sorted(day.isoformat() for day in days),
        "weeks": sorted(week.isoformat() for week in weeks),
    }


def sweep(now: float | None = None) -> None:
    """Delete the imports uploaded more than a day ago, unless one is still running."""
    now = now or time.time()
    if not imports_dir().is_dir():
        return
    for folder in imports_dir().iterdir():
        old, state = False, {}
        try:
            old = now - folder.stat().st_mtime > KEEP_FOR_SECONDS
            state = _read_json(folder / "state.json") if old else {}
        except (OSError, ValueError):
            pass
        if old and not (state.get("state") == RUNNING and now - state["at"] < STALE_AFTER_SECONDS):
            shutil.rmtree(folder, ignore_errors=True)
