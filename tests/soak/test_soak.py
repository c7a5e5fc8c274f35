"""The short soak inside `make test`: scripts/soak.py with 6 clients, 4 s of load, then 4 s with
gunicorn killed (-9) halfway and restarted (`make soak` is the full 20 clients × 60 s).

It runs the real server in a subprocess against its own fresh data directory, or its own fresh
database beside DATABASE_URL's when that is PostgreSQL, so it shares nothing with the test
database and needs no `db` fixture.
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.own_database


def test_nothing_acknowledged_is_lost_under_load_and_kill_9(tmp_path):
    report = tmp_path / "soak.json"
    command = [sys.executable, "scripts/soak.py", "--seconds", "4", "--clients", "6",
               "--report", str(report)]  # fmt: skip
    run = subprocess.run(
        command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300
    )
    print(run.stdout)  # the figures, with pytest -s
    assert run.returncode == 0, run.stdout + run.stderr
    figures = json.loads(report.read_text())
    load, killed = figures["phases"]
    for phase in (load, killed):
        assert phase["acknowledged_writes"] > 0, phase
        assert phase["lost_writes"] == 0, phase["lost_examples"]
        assert phase["server_errors_5xx"] == 0, phase["server_error_examples"]
    assert killed["kill_9"]["back_after_s"] < 30
    assert figures["integrity_check"] in {"ok", "n/a (PostgreSQL)"}
