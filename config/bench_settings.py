"""Settings for scripts/bench.py (`make bench`): the production settings, plus the floor view.

Static files stay on CompressedManifestStaticFilesStorage, as `make serve` has them (hashed
names read from the manifest, whitenoise serving the gzipped copies), but are collected into
TSUZURI_BENCH_STATIC_ROOT (data/bench/static/ by default) so the benchmark never writes into the
checkout's staticfiles/, which `make run` and other sessions use.
"""

import os

from .settings import *  # noqa: F403
from .settings import ALLOWED_HOSTS, BASE_DIR

ROOT_URLCONF = "config.bench_urls"
STATIC_ROOT = os.environ.get(
    "TSUZURI_BENCH_STATIC_ROOT", str(BASE_DIR / "data" / "bench" / "static")
)
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # the in-process Django test client
