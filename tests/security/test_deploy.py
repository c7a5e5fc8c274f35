"""`manage.py check --deploy` is clean with the documented production variables (README)."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

OUR_VARIABLES = ("DJANGO_", "TSUZURI_", "DATABASE_URL")


def run(tmp_path, code: list[str], **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_VARIABLES)}
    env |= {"TSUZURI_DATA_DIR": str(tmp_path)} | variables
    return subprocess.run(
        [sys.executable, *code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "diary.example.org",
}


def test_check_deploy_reports_nothing_with_the_production_variables(tmp_path):
    r = run(tmp_path, ["manage.py", "check", "--deploy"], **PRODUCTION)
    assert r.returncode == 0, r.stderr
    assert "System check identified no issues" in r.stdout
    assert "WARNINGS" not in r.stdout + r.stderr


def test_check_deploy_asks_for_preload_only_when_it_is_turned_on(tmp_path):
    r = run(tmp_path, ["manage.py", "check", "--deploy"], **PRODUCTION, DJANGO_HSTS_PRELOAD="1")
    assert "System check identified no issues (0 silenced)" in r.stdout


def test_check_deploy_still_warns_without_https(tmp_path):
    """Guards the first test: the check does look at the settings DJANGO_SECURE turns on."""
    r = run(tmp_path, ["manage.py", "check", "--deploy"], **(PRODUCTION | {"DJANGO_SECURE": "0"}))
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in r.stderr


SHOW = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
from django.conf import settings as s
print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,
      s.CSRF_COOKIE_SECURE, s.DEBUG, s.SECURE_PROXY_SSL_HEADER)
"""


def test_django_secure_turns_on_the_https_only_settings(tmp_path):
    r = run(tmp_path, ["-c", SHOW], DJANGO_SECURE="1")
    assert r.stdout.split(maxsplit=5) == [
        "True",
        "31536000",
        "True",
        "True",
        "False",
        "('HTTP_X_FORWARDED_PROTO', 'https')\n",
    ], r.stderr


def test_with_no_environment_at_all_nothing_needs_https(tmp_path):
    r = run(tmp_path, ["-c", SHOW])
    assert r.stdout.split() == ["False", "0", "False", "False", "False", "None"], r.stderr
    assert (tmp_path / "secret_key").exists()
