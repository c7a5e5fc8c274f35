"""How long a phone photo takes to become its two WebP files (journal/imaging.py).

    .venv/bin/python scripts/bench_photos.py [--runs N]

Makes a 12 MP and a 48 MP JPEG with Pillow (a gradient with some grain, EXIF orientation 6, as a
phone would send), then times imaging.process() on each: the byte and pixel checks, the full
decode (at reduced scale for JPEG), the rotation, the sRGB step and both WebP encodings. Prints
the best and the median of N runs. The user should see the thumbnail within about 2 seconds.
"""

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TSUZURI_DATA_DIR", "/tmp/tsuzuri-bench")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from journal.imaging import process  # noqa: E402

SIZES = {"12 MP": (4000, 3000), "48 MP": (8000, 6000)}


def phone_jpeg(width: int, height: int) -> bytes:
    shade = Image.radial_gradient("L").resize((width, height))
    blotches = Image.effect_noise((width // 4, height // 4), 30).resize((width, height))
    grain = Image.effect_noise((width, height), 12)
    image = Image.merge("RGB", [shade, blotches, Image.blend(shade, grain, 0.3)])
    exif = Image.Exif()
    exif[0x0112] = 6
    out = BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, (width, height) in SIZES.items():
        data = phone_jpeg(width, height)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            made = process(BytesIO(data), len(data))
            times.append(time.perf_counter() - start)
        sizes = ", ".join(f"{size}: {len(webp) // 1024} KB" for size, webp in made.files.items())
        print(
            f"{name} JPEG ({len(data) / 1e6:.1f} MB): best {min(times):.2f} s, "
            f"median {statistics.median(times):.2f} s ({sizes})"
        )


if __name__ == "__main__":
    main()
