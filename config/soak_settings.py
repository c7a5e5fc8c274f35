"""Settings for scripts/soak.py: the production settings, except static files.

The soak drives the app, not WhiteNoise: plain static storage needs no collectstatic (so the soak
never writes into the checkout's staticfiles/), and nothing else differs from `make serve`.
"""

from .settings import *  # noqa: F403
from .settings import DATA_DIR, STORAGES

STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
