"""Builders for the import tests: exports in the shapes of Day One, jrnl and Obsidian, made here
(never copied from ../shared/real-exports), and small real images made with Pillow."""

import io
import json
import zipfile
from pathlib import Path

from PIL import Image

REAL_EXPORTS = Path(__file__).resolve().parents[3] / "shared" / "real-exports"


def zipped(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def image(colour: str = "tomato", kind: str = "JPEG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def dayone_entry(uuid: str = "0A3BFC9847BD4173881DE43749F23B58", **fields) -> dict:
    entry = {
        "uuid": uuid,
        "creationDate": "2021-01-18T03:00:00Z",  # 12:00 in Tokyo
        "timeZone": "Asia/Tokyo",
        "text": "# 雨の日\n研究室で**実験**をした\\.",
        "starred": False,
        "tags": [],
    }
    return entry | fields


def dayone_json(*entries: dict) -> bytes:
    return json.dumps({"metadata": {"version": "1.0"}, "entries": list(entries)}).encode()
