"""Pages, fragments and the service worker go gzipped, except where BREACH could read them
(config.middleware.CompressionMiddleware; docs/decisions.md, issue 8)."""

import gzip
import shutil

import pytest
from django.conf import settings
from whitenoise.compress import Compressor

from journal.models import Photo
from tests.conftest import HTMX
from tests.journal.test_photos import jpeg, upload

GZIP = {"Accept-Encoding": "gzip, deflate, br, zstd"}
POLICY_START = "default-src 'self'; script-src 'self';"


def unzipped(response) -> str:
    return gzip.decompress(response.content).decode()


@pytest.mark.parametrize(
    "url",
    ["/", "/days/2026-11-23/", "/weeks/2026-11-23/", "/months/2026-11/", "/years/2026/",
     "/weeks/", "/sw.js", "/offline/", "/offline/warm.json", "/manifest.webmanifest",
     "/weeks/2026-11-23.md"],
)  # fmt: skip
def test_it_gzips_pages_the_worker_and_json_for_a_client_that_accepts_gzip(
    client, entry, make_item, make_note, url
):
    make_item("朝の散歩を続けられた")
    make_note(notes="注意機構の論文。" * 20)
    r = client.get(url, headers=GZIP)
    assert r.status_code == 200
    assert r["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in r["Vary"]
    assert int(r["Content-Length"]) == len(r.content)
    assert unzipped(r)  # a real gzip stream


def test_the_gzipped_page_is_the_page(client, entry):
    plain = client.get("/days/2026-11-23/")
    zipped = client.get("/days/2026-11-23/", headers=GZIP)
    assert "Content-Encoding" not in plain
    assert entry.title in unzipped(zipped)
    assert len(zipped.content) < len(plain.content) / 2


def test_it_sends_plain_text_to_a_client_that_does_not_accept_gzip(client, entry):
    r = client.get("/days/2026-11-23/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in r
    assert entry.title in r.content.decode()


def test_an_htmx_fragment_is_gzipped_too(client, entry):
    r = client.get(f"/entries/{entry.uuid}/edit/", headers={**HTMX, **GZIP})
    assert r["Content-Encoding"] == "gzip"
    html = unzipped(r)
    assert f'id="entry-{entry.uuid}"' in html
    assert "<html" not in html


@pytest.mark.parametrize("url", ["/search/?q=%E8%8B%B1%E8%AA%9E", "/weeks/?before=2026-11-23"])
def test_answers_to_a_query_string_are_not_compressed(client, entry, url):
    """The search page shows the query next to the diary and the CSRF token: BREACH."""
    r = client.get(url, headers=GZIP)
    assert r.status_code == 200
    assert "Content-Encoding" not in r


def test_the_login_page_with_its_next_is_not_compressed(anonymous_client, user):
    r = anonymous_client.get("/accounts/login/?next=/days/2026-11-23/", headers=GZIP)
    assert r.status_code == 200
    assert "Content-Encoding" not in r
    assert anonymous_client.get("/accounts/login/", headers=GZIP)["Content-Encoding"] == "gzip"


def test_answers_to_a_post_are_not_compressed(client, entry):
    """An invalid form comes back with what was typed in it, beside the CSRF token."""
    url = f"/entries/{entry.uuid}/edit/"
    headers = {**HTMX, **GZIP}
    invalid = client.post(url, {"title": "秘" * 500, "base_revision": 1}, headers=headers)
    assert invalid.status_code == 200
    assert "Content-Encoding" not in invalid
    assert "秘" * 500 in invalid.content.decode()  # sent back as typed, with its error
    saved = client.post(url, {"title": "雨", "body": "", "base_revision": 1}, headers=headers)
    assert saved.status_code == 200
    assert "Content-Encoding" not in saved
    assert len(saved.content) > 200  # long enough that only the rule kept it plain


def test_error_pages_are_not_compressed(client):
    r = client.get("/days/2026-11-23/nothing-here/", headers=GZIP)
    assert r.status_code == 404
    assert "Content-Encoding" not in r


def test_a_photo_is_not_compressed_again(client, entry):
    upload(client, entry, ("a.jpg", jpeg()))
    photo = Photo.objects.get(entry=entry)
    r = client.get(f"/photos/{photo.uuid}/480.webp", headers=GZIP)
    assert r.status_code == 200
    assert "Content-Encoding" not in r


def test_gzipped_answers_keep_their_security_and_caching_headers(client, entry):
    page = client.get("/days/2026-11-23/", headers=GZIP)
    worker = client.get("/sw.js", headers=GZIP)
    for r in (page, worker):
        assert r["Content-Encoding"] == "gzip"
        assert r["Content-Security-Policy"].startswith(POLICY_START)
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["X-Frame-Options"] == "DENY"
        assert "HX-Request" in r["Vary"]
    assert worker["Cache-Control"] == "no-cache"
    assert worker["Service-Worker-Allowed"] == "/"
    assert "Cache-Control" not in page or "public" not in page["Cache-Control"]


@pytest.mark.parametrize("name", ["app.css", "app.js", "outbox.js"])
def test_collectstatic_makes_a_brotli_copy_smaller_than_the_gzip_one(tmp_path, name):
    """WhiteNoise sends it to browsers that accept br (all current ones, on HTTPS and localhost):
    about a tenth fewer bytes than gzip for the scripts and styles of a first visit."""
    copy = tmp_path / name
    shutil.copy(settings.BASE_DIR / "static" / name, copy)
    list(Compressor(quiet=True).compress(str(copy)))
    brotli_size = (tmp_path / f"{name}.br").stat().st_size
    assert brotli_size < (tmp_path / f"{name}.gz").stat().st_size * 0.95


@pytest.mark.parametrize(
    ("name", "size"),
    [("icon-192", 192), ("icon-512", 512), ("maskable-512", 512), ("apple-touch-icon", 180)],
)
def test_the_app_icons_are_small_pngs_of_their_size(name, size):
    """Fewer than 256 colours each: kept as palette PNGs, pixel for pixel the same as the RGBA
    files they replaced at half the bytes (the worker installs icon-192 with the app shell)."""
    from PIL import Image

    path = settings.BASE_DIR / "static" / "icons" / f"{name}.png"
    with Image.open(path) as icon:
        assert icon.format == "PNG"
        assert icon.size == (size, size)
    assert path.stat().st_size < 12 * 1024
