"""Photos in, safely (DESIGN.md §7, ../shared/notes/design-notes.md §4).

An upload becomes two WebP files, about 480 and 1600 px wide, made from pixels only: the client's
bytes and file name are never stored or served. In order: a byte cap (before Pillow sees
anything), a format allowlist, a pixel cap (Pillow's decompression-bomb warning is an error), a
full decode (a truncated file is refused), EXIF orientation applied, colours converted to sRGB,
and a re-encode that writes no metadata at all (no EXIF, GPS, XMP or ICC profile).
"""

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

MAX_BYTES = 25 * 1024 * 1024  # a 48 MP phone JPEG is about 15–20 MB
MAX_PIXELS = 64_000_000  # admits 48 MP (8064×6048 = 48.8 M); a 20000×20000 bomb is 400 M
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
SIZES = (480, 1600)  # widths of the two derivatives; the larger is the lightbox's "full size"
TALLEST = 2  # a derivative is at most this many times as tall as it is wide at its size
QUALITY = 82
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"

# Pillow warns from MAX_IMAGE_PIXELS and raises from twice that; we turn the warning into an
# error too (below), so MAX_PIXELS is the one cap.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoRefused(Exception):
    """The upload is not a photo we take; the message says why, in the user's language."""


@dataclass
class Processed:
    sha256: str
    width: int  # of the upright original
    height: int
    files: dict[int, bytes]  # size → WebP bytes


def sha256_of(upload: BinaryIO) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def scaled(width: int, height: int, size: int) -> tuple[int, int]:
    """The dimensions of the derivative `size` of an image width×height (never enlarged)."""
    scale = min(1.0, size / width, TALLEST * size / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def check_size(size: int | None) -> None:
    if size is not None and size > MAX_BYTES:
        raise PhotoRefused(too_large_message())


def too_large_message() -> str:
    return _("The file is too large: a photo may be at most %(mb)d MB.") % {
        "mb": MAX_BYTES // (1024 * 1024)
    }


def process(upload: BinaryIO, size: int | None = None) -> Processed:
    """Turn an uploaded file into our derivatives, or raise PhotoRefused."""
    check_size(size)
    sha = sha256_of(upload)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise PhotoRefused(too_many_pixels_message()) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise PhotoRefused(not_a_photo_message()) from error
        with image:
            return _derive(image, sha)


def not_a_photo_message() -> str:
    return _("This file is not a photo we can read. Use JPEG, PNG, WebP, GIF or HEIC.")


def too_many_pixels_message() -> str:
    return _("The image has too many pixels: at most %(mp)d megapixels.") % {
        "mp": MAX_PIXELS // 1_000_000
    }


def _derive(image: Image.Image, sha: str) -> Processed:
    raw_width, raw_height = image.size
    if raw_width * raw_height > MAX_PIXELS:  # also for formats that skip Pillow's own check
        raise PhotoRefused(too_many_pixels_message())
    orientation = image.getexif().get(0x0112, 1)
    turned = orientation in (5, 6, 7, 8)
    width, height = (raw_height, raw_width) if turned else (raw_width, raw_height)
    if image.format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale when the largest derivative is that much smaller:
        # libjpeg still reads every byte (a truncated file still fails), in a fraction of the time.
        want = scaled(width, height, max(SIZES))
        image.draft(image.mode, (want[1], want[0]) if turned else want)
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise PhotoRefused(too_many_pixels_message()) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise PhotoRefused(_("The image is damaged or incomplete.")) from error
    pixels = _to_srgb(upright, image.info.get("icc_profile"))
    files = {}
    for size in sorted(SIZES, reverse=True):
        target = scaled(width, height, size)
        if pixels.size != target:
            pixels = pixels.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        # WebP's `method` trades time for bytes: 2 is three times faster than the default 4 at
        # 1600 px for a few percent more; the small thumbnails take the thorough one.
        files[size] = _webp(pixels, method=2 if size == max(SIZES) else 4)
    return Processed(sha, width, height, files)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA pixels in sRGB, carrying no profile and no other metadata."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
        image = image.convert("RGBA" if has_alpha else "RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are rather than refuse the photo
    clean = image.convert(mode) if image.mode != mode else image.copy()
    clean.info = {}
    return clean


def _webp(image: Image.Image, method: int) -> bytes:
    out = BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=method)
    return out.getvalue()


# Storage: MEDIA_ROOT/photos/<user id>/<file key>/<size>.webp, every part made by us.


def photos_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve() / "photos"


def folder(user_id: int, file_key) -> Path:
    path = (photos_root() / str(int(user_id)) / str(file_key)).resolve()
    if not path.is_relative_to(photos_root()):  # cannot happen with an int and a UUID
        raise ValueError("photo path outside the photo folder")
    return path


def store(user_id: int, file_key, files: dict[int, bytes]) -> None:
    """Write the files, each atomically (a reader never sees half a file)."""
    target = folder(user_id, file_key)
    target.mkdir(parents=True, exist_ok=True)
    for size, data in files.items():
        handle, temporary = tempfile.mkstemp(dir=target, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target / f"{int(size)}.webp")
