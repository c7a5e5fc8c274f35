"""Refresh the Japanese catalogue from the sources and fill in translations.

    .venv/bin/python scripts/translate.py [TRANSLATIONS.json ...]

Runs makemessages, fills msgstr from each JSON file ({"English msgid": "日本語", ...}; for a
plural message the value is a list [singular, plural]), clears fuzzy marks on what it filled,
drops the `#|` previous-msgid lines msgmerge leaves, and compiles the .mo. Messages that are still
untranslated are listed and left empty (the i18n test fails until someone fills them), so several
people can work on different strings at once. A lock keeps two runs from writing the .po together.
"""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> int:
    translations: dict[str, object] = {}
    for path in paths:
        translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
    with open(ROOT / "locale" / ".translate.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = {**os.environ, "TSUZURI_DATA_DIR": os.environ.get("TSUZURI_DATA_DIR", "/tmp/tsz-dev")}
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "ja",
                "--no-obsolete",
                "--no-location",
                "--ignore=.venv",
                "--ignore=tests",
                "--ignore=staticfiles",
                "--ignore=data",
                "-v0",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        catalog = polib.pofile(str(PO))
        for entry in catalog:
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if entry.msgid not in translations:
                continue
            value = translations[entry.msgid]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = {0: forms[-1]}
            else:
                entry.msgstr = value if isinstance(value, str) else value[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalog.save()
        missing = [e.msgid for e in catalog if not e.translated() or "fuzzy" in e.flags]
        catalog.save_as_mofile(str(PO.with_suffix(".mo")))  # fuzzy entries are left out
    if missing:
        print("untranslated (fill them in a JSON file and run again):", file=sys.stderr)
        for msgid in missing:
            print(f"  {msgid!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
