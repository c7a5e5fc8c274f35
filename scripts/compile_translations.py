"""Compile locale/*/LC_MESSAGES/*.po into .mo files with polib.

Django's compilemessages needs GNU gettext's msgfmt, which a fresh machine does not have.
"""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"

for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
    catalog = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    if untranslated:
        raise SystemExit(f"{po_path}: untranslated messages: {untranslated}")
    catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
