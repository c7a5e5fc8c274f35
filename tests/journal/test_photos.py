"""Photos on entries (issue 10): processing, hostile files, storage, serving and every action.

Every image is made by Pillow here, small wherever the behaviour allows it."""

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pillow_heif
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import Client
from django.utils.html import escape
from PIL import Image, ImageCms, ImageDraw
from pytest_django.asserts import assertContains

from journal import imaging
from journal.models import Entry, Photo
from tests.conftest import HTMX

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


# Images


def quadrants(width: int = 40, height: int = 20) -> Image.Image:
    """Upright: red top left, green top right, blue bottom left, white bottom right."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    half_w, half_h = width // 2, height // 2
    draw.rectangle((0, 0, half_w - 1, half_h - 1), fill=RED)
    draw.rectangle((half_w, 0, width - 1, half_h - 1), fill=GREEN)
    draw.rectangle((0, half_h, half_w - 1, height - 1), fill=BLUE)
    draw.rectangle((half_w, half_h, width - 1, height - 1), fill=WHITE)
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(color=(200, 120, 40), size=(32, 24), **options) -> bytes:
    return encode(Image.new("RGB", size, color), "JPEG", **options)


def noisy_jpeg(size=(96, 64)) -> bytes:
    return encode(Image.effect_noise(size, 60).convert("RGB"), "JPEG", quality=90)


# What exif_transpose does for each orientation; its inverse makes the stored (raw) pixels.
TO_RAW = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def oriented_jpeg(orientation: int, upright: Image.Image) -> bytes:
    raw = upright.transpose(TO_RAW[orientation]) if TO_RAW[orientation] is not None else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(raw, "JPEG", quality=95, exif=exif)


def assert_upright(image: Image.Image) -> None:
    width, height = image.size
    rgb = image.convert("RGB")

    def near(point, color):
        pixel = rgb.getpixel(point)
        return all(abs(a - b) < 60 for a, b in zip(pixel, color, strict=True))

    assert near((width // 4, height // 4), RED)
    assert near((3 * width // 4, height // 4), GREEN)
    assert near((width // 4, 3 * height // 4), BLUE)
    assert near((3 * width // 4, 3 * height // 4), WHITE)


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny PNG whose header declares width×height pixels (the data is never reached)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def multipart(parts: list[tuple[str, bytes, str]], boundary: str = "tsuzuri-boundary") -> bytes:
    """A multipart body with the file names exactly as given (the test client would clean them)."""
    body = b""
    for name, data, content_type in parts:
        body += (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="image"; filename="{name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode("utf-8", "surrogatepass")
            + data
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode()


def post_raw(client, url: str, parts, **headers):
    body = multipart(parts)
    return client.generic(
        "POST",
        url,
        body,
        content_type="multipart/form-data; boundary=tsuzuri-boundary",
        headers=headers,
    )


def upload(client, entry: Entry, *files: tuple[str, bytes], htmx: bool = True):
    images = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(
        f"/entries/{entry.uuid}/photos/", {"image": images}, headers=HTMX if htmx else {}
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def everything_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.fixture
def photo(client, entry) -> Photo:
    upload(client, entry, ("a.jpg", jpeg()))
    return Photo.objects.get(entry=entry)


@pytest.fixture
def other_photo(other_user, other_entry) -> Photo:
    return Photo.attach(other_user, SimpleUploadedFile("b.jpg", jpeg(BLUE)), entry=other_entry)


# Processing


@pytest.mark.parametrize("orientation", range(1, 9))
def test_each_exif_orientation_comes_out_upright(orientation):
    made = imaging.process(BytesIO(oriented_jpeg(orientation, quadrants())))
    assert (made.width, made.height) == (40, 20)
    for data in made.files.values():
        with Image.open(BytesIO(data)) as image:
            assert image.size == (40, 20)
            assert_upright(image)


def test_a_big_rotated_jpeg_decoded_at_reduced_scale_is_upright_and_1600_high_at_most():
    made = imaging.process(BytesIO(oriented_jpeg(6, quadrants(400, 8000))))
    assert (made.width, made.height) == (400, 8000)
    with Image.open(BytesIO(made.files[1600])) as large:
        assert large.size == (160, 3200)  # never more than twice as tall as the size is wide
        assert_upright(large)
    with Image.open(BytesIO(made.files[480])) as small:
        assert small.size == imaging.scaled(400, 8000, 480)


def test_gps_exif_xmp_and_icc_in_the_upload_are_in_no_stored_file(client, entry):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (35.0, 39.0, 29.0), 3: "E", 4: (139.0, 44.0, 28.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>GPSLatitude 35</rdf:RDF></x:xmpmeta>'
    raw = quadrants().transpose(TO_RAW[6])
    data = encode(raw, "JPEG", exif=exif, icc_profile=icc, xmp=xmp)
    with Image.open(BytesIO(data)) as original:  # the upload does carry all of it
        assert original.getexif().get_ifd(0x8825)
        assert original.info.get("icc_profile")
        assert original.info.get("xmp")

    upload(client, entry, ("gps.jpg", data))

    files = stored_files()
    assert len(files) == 2
    for path in files:
        raw = path.read_bytes()
        for marker in (b"EXIF", b"Exif", b"XMP", b"ICCP", b"GPS", b"PhoneMaker", b"xmpmeta"):
            assert marker not in raw
        with Image.open(path) as stored:
            assert stored.format == "WEBP"
            assert not stored.getexif()
            assert not {"exif", "icc_profile", "xmp"} & set(stored.info)
            assert_upright(stored)


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB profile whose red is sRGB's blue and whose blue is sRGB's red (linear
    curves): a pixel stored as pure red *means* pure blue, so only a real conversion to sRGB
    shows it blue."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    description = b"swapped\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(description)) + description + bytes(79)
    linear = b"curv" + bytes(8)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.1431, 0.0606, 0.7141)),  # sRGB's blue (D50)
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red
        (b"rTRC", linear),
        (b"gTRC", linear),
        (b"bTRC", linear),
        (b"cprt", b"text" + bytes(4) + b"none\0\0\0\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + bytes(12) + b"acsp" + bytes(24) + struct.pack(">I", 0)
        + s15(0.9642) + s15(1.0) + s15(0.8249) + bytes(48)
    )  # fmt: skip
    assert len(header) == 128
    return header + table + data


def test_colours_are_converted_to_srgb_from_the_embedded_profile():
    data = encode(Image.new("RGB", (16, 16), RED), "JPEG", icc_profile=swapped_primaries_profile())
    with Image.open(BytesIO(imaging.process(BytesIO(data)).files[480])) as image:
        red, green, blue = image.convert("RGB").getpixel((8, 8))
    assert blue > 200
    assert red < 60
    assert "icc_profile" not in image.info


def test_heic_from_a_phone_becomes_webp():
    heif = pillow_heif.from_pillow(quadrants(64, 32))
    out = BytesIO()
    heif.save(out, quality=90)
    made = imaging.process(BytesIO(out.getvalue()))
    assert (made.width, made.height) == (64, 32)
    with Image.open(BytesIO(made.files[480])) as image:
        assert image.format == "WEBP"


def test_png_transparency_is_kept_and_an_animated_gif_gives_its_first_frame():
    made = imaging.process(BytesIO(encode(Image.new("RGBA", (20, 10), (0, 0, 0, 0)), "PNG")))
    with Image.open(BytesIO(made.files[480])) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((5, 5))[3] == 0
    frames = [Image.new("RGB", (20, 10), color) for color in (RED, BLUE)]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    with Image.open(BytesIO(imaging.process(BytesIO(gif)).files[480])) as image:
        assert image.convert("RGB").getpixel((5, 5))[0] > 200


def test_a_small_image_is_not_enlarged():
    assert imaging.scaled(32, 24, 480) == (32, 24)
    assert imaging.scaled(4000, 3000, 480) == (480, 360)


# Bad input: each refused with a message in the user's language; nothing written; text kept.


def assert_refused(response, entry: Entry, words: str) -> None:
    assert response.status_code == 200
    assert "photo-errors" in response.content.decode()
    assert words in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files() == []
    saved = Entry.objects.get(pk=entry.pk)
    assert (saved.title, saved.body, saved.revision) == (entry.title, entry.body, entry.revision)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
NOT_A_PHOTO = "読み込める写真ではありません"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("drawing.svg", SVG),
        ("page.jpg", HTML),
        ("polyglot.png", HTML + encode(Image.new("RGB", (8, 8)), "PNG")),
        ("script.js", b"alert(1)"),
        ("empty.jpg", b""),
    ],
)
def test_what_is_not_a_photo_is_refused(client, entry, name, data):
    assert_refused(upload(client, entry, (name, data)), entry, NOT_A_PHOTO)


def test_an_image_with_html_appended_is_stored_as_pixels_only(client, entry):
    upload(client, entry, ("gifar.gif", encode(Image.new("RGB", (8, 8)), "GIF") + HTML))
    assert len(stored_files()) == 2
    assert all(b"<script" not in path.read_bytes() for path in stored_files())


def test_a_jpeg_carrying_html_in_a_comment_is_stored_as_pixels_only(client, entry):
    data = encode(Image.new("RGB", (8, 8)), "JPEG", comment=HTML)
    assert b"<script>" in data  # a JPEG/HTML polyglot: a valid image and a page at once
    upload(client, entry, ("polyglot.jpg", data))
    assert len(stored_files()) == 2
    assert all(b"<script" not in path.read_bytes() for path in stored_files())


def test_a_truncated_jpeg_is_refused(client, entry):
    data = noisy_jpeg()
    response = upload(client, entry, ("cut.jpg", data[: len(data) // 2]))
    assert_refused(response, entry, "壊れているか途中で切れています")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, entry):
    data = bomb_png()
    assert len(data) < 2000
    assert_refused(upload(client, entry, ("bomb.png", data)), entry, "画素数が多すぎます")


def test_a_picture_over_the_pixel_cap_but_under_pillows_own_error_is_refused():
    # 70 MP: Pillow only warns here (its error starts at twice the cap); we refuse.
    with pytest.raises(imaging.PhotoRefused):
        imaging.process(BytesIO(bomb_png(10000, 7000)))


def test_a_60_mb_file_is_refused_without_being_read_to_its_end(
    client, entry, monkeypatch, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = spool = tmp_path / "data" / "tmp"
    spool.mkdir(parents=True)
    received = []
    original = MemoryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        received.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", counting)
    huge = b"\0" * (60 * 1024 * 1024)
    response = upload(client, entry, ("huge.jpg", huge))
    assert_refused(response, entry, "ファイルが大きすぎます")
    assert sum(received) <= imaging.MAX_BYTES
    assert list(spool.iterdir()) == []  # the spooled part is gone with the request


def test_the_size_cap_is_checked_before_pillow_opens_anything():
    with pytest.raises(imaging.PhotoRefused):
        imaging.process(BytesIO(b"\xff\xd8"), size=imaging.MAX_BYTES + 1)


@pytest.mark.parametrize("name", ["a／b.jpg", "a∕b.jpg", "a⁄b.jpg", "..／..／x.jpg"])
def test_a_file_name_with_a_slash_lookalike_is_refused(client, entry, name):
    response = post_raw(
        client, f"/entries/{entry.uuid}/photos/", [(name, jpeg(), "image/jpeg")], **HTMX
    )
    assert_refused(response, entry, "ファイル名がパスのようです")


@pytest.mark.parametrize(
    "name", ["../../x.jpg", "..\\x.jpg", "x\x00.jpg", "/etc/passwd", "..", "../"]
)
def test_a_path_in_the_file_name_never_reaches_the_disk(client, entry, tmp_path, name):
    before = everything_under(tmp_path)
    response = post_raw(
        client,
        f"/entries/{entry.uuid}/photos/",
        [(name, jpeg(), "image/jpeg")],
        **HTMX,
    )
    assert response.status_code == 200
    new = everything_under(tmp_path) - before
    photos_root = Path(settings.MEDIA_ROOT) / "photos"
    for path in new:
        assert path in (photos_root.parent, photos_root) or photos_root in path.parents
    for path in (p for p in new if p.is_file()):
        relative = path.relative_to(photos_root).parts
        assert relative[0] == str(entry.user_id)
        assert relative[2] in ("480.webp", "1600.webp")
    for place in (tmp_path, Path(settings.BASE_DIR), Path(settings.BASE_DIR).parent, Path("/etc")):
        assert not (place / "x.jpg").exists()
        assert not (place / "x").exists()
    saved = Entry.objects.get(pk=entry.pk)
    assert (saved.body, saved.revision) == (entry.body, entry.revision)
    assert not Photo.objects.exists()  # refused, though Django would keep "x.jpg" of it
    shown = "".join(char for char in name if char.isprintable())
    assert f"{escape(shown)}: ファイル名がパスのようです" in response.content.decode()


def test_a_sanitised_name_refuses_only_its_own_file(client, entry):
    response = post_raw(
        client,
        f"/entries/{entry.uuid}/photos/",
        [("../x.jpg", jpeg(), "image/jpeg"), ("good.jpg", jpeg(color=(10, 200, 90)), "image/jpeg")],
        **HTMX,
    )
    assert Photo.objects.count() == 1
    assertContains(response, "../x.jpg: ファイル名がパスのようです")


# Storage: the same image is stored once


def test_the_same_photo_twice_on_an_entry_is_one_photo(client, entry):
    upload(client, entry, ("a.jpg", jpeg()))
    upload(client, entry, ("copy.jpg", jpeg()))
    assert Photo.objects.count() == 1
    assert len(stored_files()) == 2


def test_the_same_photo_on_two_entries_is_stored_once(client, entry, make_entry):
    second = make_entry(title="別の日記")
    upload(client, entry, ("a.jpg", jpeg()))
    upload(client, second, ("a.jpg", jpeg()))
    first_photo, second_photo = Photo.objects.order_by("id")
    assert first_photo.uuid != second_photo.uuid
    assert first_photo.file_key == second_photo.file_key
    assert len(stored_files()) == 2


def test_another_users_identical_photo_is_stored_apart(client, entry, other_photo):
    upload(client, entry, ("b.jpg", jpeg(BLUE)))
    mine = Photo.objects.get(entry=entry)
    assert mine.file_key != other_photo.file_key
    assert len(stored_files()) == 4


# POST /entries/<uuid>/photos/


def test_upload_answers_htmx_with_the_entrys_photos(client, entry):
    r = upload(client, entry, ("a.jpg", jpeg()), ("b.png", encode(quadrants(), "PNG")))
    html = r.content.decode()
    assert r.status_code == 200
    assert f'id="photos-{entry.uuid}"' in html
    assert "<html" not in html
    first, second = Photo.objects.filter(entry=entry)
    assert (first.width, first.height, second.width, second.height) == (32, 24, 40, 20)
    assert f'src="/photos/{second.uuid}/480.webp" width="40" height="20" loading="lazy"' in html
    assert f'href="/photos/{second.uuid}/1600.webp"' in html


def test_upload_without_htmx_redirects_to_the_entrys_photos(client, entry):
    r = upload(client, entry, ("a.jpg", jpeg()), htmx=False)
    assert r.status_code == 302
    assert r["Location"] == f"/days/2026-11-23/#photos-{entry.uuid}"


def test_a_refused_upload_without_htmx_shows_the_day_with_the_reason(client, entry):
    r = upload(client, entry, ("page.jpg", HTML), htmx=False)
    assert r.status_code == 200
    assert "<html" in r.content.decode()
    assert NOT_A_PHOTO in r.content.decode()


def test_upload_with_no_file_says_to_choose_one(client, entry):
    r = client.post(f"/entries/{entry.uuid}/photos/", {}, headers=HTMX)
    assert "写真を選んでください" in r.content.decode()


def test_one_bad_file_does_not_stop_the_good_ones(client, entry):
    r = upload(client, entry, ("page.jpg", HTML), ("a.jpg", jpeg()))
    assert Photo.objects.count() == 1
    assert "page.jpg" in r.content.decode()


def test_upload_refuses_get(client, entry):
    assert client.get(f"/entries/{entry.uuid}/photos/").status_code == 405


def test_upload_to_another_users_entry_is_404(client, other_entry):
    assert upload(client, other_entry, ("a.jpg", jpeg())).status_code == 404
    assert not Photo.objects.exists()


def test_upload_to_a_missing_or_deleted_entry_is_404(client, entry):
    assert client.post("/entries/00000000-0000-0000-0000-000000000000/photos/").status_code == 404
    entry.delete_softly()
    assert upload(client, entry, ("a.jpg", jpeg())).status_code == 404


def test_upload_needs_the_csrf_token(user, entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    r = client.post(
        f"/entries/{entry.uuid}/photos/", {"image": SimpleUploadedFile("a.jpg", jpeg())}
    )
    assert r.status_code == 403
    assert not Photo.objects.exists()


# GET /photos/<uuid>/<size>.webp


@pytest.mark.parametrize("size", [480, 1600])
def test_the_file_is_served_with_our_type_nosniff_a_sandbox_and_long_caching(client, photo, size):
    r = client.get(f"/photos/{photo.uuid}/{size}.webp")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/webp"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert r["Cache-Control"] == "private, max-age=31536000, immutable"
    assert r["Content-Disposition"].startswith("inline")
    with Image.open(BytesIO(b"".join(r.streaming_content))) as image:
        assert image.format == "WEBP"


def test_another_users_photo_is_404(client, other_photo):
    assert client.get(f"/photos/{other_photo.uuid}/480.webp").status_code == 404


def test_an_unknown_size_or_photo_is_404(client, photo):
    assert client.get(f"/photos/{photo.uuid}/800.webp").status_code == 404
    assert client.get("/photos/00000000-0000-0000-0000-000000000000/480.webp").status_code == 404


def test_a_photo_whose_files_are_gone_is_404(client, photo):
    for path in stored_files():
        path.unlink()
    assert client.get(f"/photos/{photo.uuid}/480.webp").status_code == 404


def test_the_file_is_not_served_to_anyone_logged_out(anonymous_client, photo):
    r = anonymous_client.get(f"/photos/{photo.uuid}/480.webp")
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_the_file_refuses_post(client, photo):
    assert client.post(f"/photos/{photo.uuid}/480.webp").status_code == 405


# POST /photos/<uuid>/alt/


def test_alt_text_is_saved_and_shown(client, photo):
    r = client.post(
        f"/photos/{photo.uuid}/alt/", {"alt": " 研究室の\nホワイトボード "}, headers=HTMX
    )
    assert r.status_code == 200
    assert "<html" not in r.content.decode()
    assert 'alt="研究室の ホワイトボード"' in r.content.decode()
    assert Photo.objects.get(pk=photo.pk).alt == "研究室の ホワイトボード"


def test_alt_text_without_htmx_redirects(client, photo):
    r = client.post(f"/photos/{photo.uuid}/alt/", {"alt": "本の表紙"})
    assert r.status_code == 302
    assert r["Location"].endswith(f"#photos-{photo.entry.uuid}")


def test_alt_text_too_long_is_refused_with_the_reason(client, photo):
    r = client.post(f"/photos/{photo.uuid}/alt/", {"alt": "あ" * 501}, headers=HTMX)
    assert r.status_code == 200
    assert "photo-errors" in r.content.decode()
    assert Photo.objects.get(pk=photo.pk).alt == ""


def test_alt_text_refuses_get(client, photo):
    assert client.get(f"/photos/{photo.uuid}/alt/").status_code == 405


def test_alt_text_of_another_users_photo_is_404(client, other_photo):
    assert client.post(f"/photos/{other_photo.uuid}/alt/", {"alt": "x"}).status_code == 404
    assert Photo.objects.get(pk=other_photo.pk).alt == ""


# POST /photos/<uuid>/move/


@pytest.fixture
def three_photos(client, entry) -> list[Photo]:
    upload(client, entry, *[(f"{n}.jpg", jpeg((n * 80, 0, 0))) for n in range(3)])
    return list(Photo.objects.filter(entry=entry))


def test_move_changes_the_order(client, three_photos):
    first, second, third = three_photos
    r = client.post(f"/photos/{third.uuid}/move/", {"direction": "earlier"}, headers=HTMX)
    assert r.status_code == 200
    assert list(Photo.objects.filter(entry=first.entry)) == [first, third, second]
    client.post(f"/photos/{first.uuid}/move/", {"direction": "later"})
    assert list(Photo.objects.filter(entry=first.entry)) == [third, first, second]


def test_move_past_the_end_changes_nothing(client, three_photos):
    client.post(f"/photos/{three_photos[0].uuid}/move/", {"direction": "earlier"}, headers=HTMX)
    assert list(Photo.objects.filter(entry=three_photos[0].entry)) == three_photos


def test_move_without_htmx_redirects(client, three_photos):
    r = client.post(f"/photos/{three_photos[1].uuid}/move/", {"direction": "later"})
    assert r.status_code == 302


def test_move_in_no_direction_says_so(client, photo):
    r = client.post(f"/photos/{photo.uuid}/move/", {"direction": "sideways"}, headers=HTMX)
    assert r.status_code == 200
    assert "photo-errors" in r.content.decode()


def test_move_refuses_get_and_other_users_photos(client, photo, other_photo):
    assert client.get(f"/photos/{photo.uuid}/move/").status_code == 405
    r = client.post(f"/photos/{other_photo.uuid}/move/", {"direction": "later"})
    assert r.status_code == 404


# POST /photos/<uuid>/delete/ and …/restore/


def test_delete_shows_undo_and_restore_brings_it_back(client, photo):
    r = client.post(f"/photos/{photo.uuid}/delete/", headers=HTMX)
    html = r.content.decode()
    assert f"/photos/{photo.uuid}/restore/" in html
    assert f"/photos/{photo.uuid}/480.webp" not in html
    assert Photo.objects.get(pk=photo.pk).deleted_at is not None
    assert stored_files()  # the files stay for Undo
    r = client.post(f"/photos/{photo.uuid}/restore/", headers=HTMX)
    assert f"/photos/{photo.uuid}/480.webp" in r.content.decode()
    assert Photo.objects.get(pk=photo.pk).deleted_at is None


def test_delete_and_restore_without_htmx_redirect(client, photo):
    assert client.post(f"/photos/{photo.uuid}/delete/").status_code == 302
    assert "restore" in client.get("/days/2026-11-23/").content.decode()
    assert client.post(f"/photos/{photo.uuid}/restore/").status_code == 302


def test_delete_and_restore_refuse_get_and_other_users_photos(client, photo, other_photo):
    assert client.get(f"/photos/{photo.uuid}/delete/").status_code == 405
    assert client.get(f"/photos/{photo.uuid}/restore/").status_code == 405
    assert client.post(f"/photos/{other_photo.uuid}/delete/").status_code == 404
    assert client.post(f"/photos/{other_photo.uuid}/restore/").status_code == 404
    assert Photo.objects.get(pk=other_photo.pk).deleted_at is None


def test_uploading_a_deleted_photo_again_brings_it_back(client, entry, photo):
    client.post(f"/photos/{photo.uuid}/delete/")
    upload(client, entry, ("again.jpg", jpeg()))
    assert Photo.objects.get().deleted_at is None


# The day page


def test_the_day_page_shows_thumbnails_with_their_size_and_the_upload_form(client, photo):
    html = client.get("/days/2026-11-23/").content.decode()
    assert f'src="/photos/{photo.uuid}/480.webp" width="32" height="24" loading="lazy"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "data-photo-upload" in html
    assert 'id="lightbox-template"' in html


def test_the_day_page_takes_the_same_queries_with_1_and_12_photos(
    client, entry, make_entry, django_assert_max_num_queries
):
    make_entry(title="二つ目")

    def add_photos(count: int) -> None:
        for n in range(count):
            Photo.objects.create(
                user=entry.user, entry=entry, sha256=f"{count}-{n}", width=10, height=10
            )

    add_photos(1)
    with django_assert_max_num_queries(100) as one:
        client.get("/days/2026-11-23/")
    add_photos(11)
    with django_assert_max_num_queries(len(one.captured_queries)):
        r = client.get("/days/2026-11-23/")
    assert r.content.decode().count("480.webp") == 12


# POST /weeks/<start>/reading/<uuid>/cover/


def cover_url(note) -> str:
    return f"/weeks/{note.week.start_date}/reading/{note.uuid}/cover/"


def test_a_cover_is_set_and_shown_on_the_note(client, make_note):
    note = make_note()
    r = client.post(cover_url(note), {"image": SimpleUploadedFile("c.jpg", jpeg())}, headers=HTMX)
    cover = Photo.objects.get(reading_note=note)
    html = r.content.decode()
    assert f'id="note-{note.uuid}"' in html
    assert "<html" not in html
    assert f'src="/photos/{cover.uuid}/480.webp" width="32" height="24"' in html
    week_page = client.get(f"/weeks/{note.week.start_date}/").content.decode()
    assert f"/photos/{cover.uuid}/480.webp" in week_page


def test_a_new_cover_replaces_the_old_one(client, make_note):
    note = make_note()
    client.post(cover_url(note), {"image": SimpleUploadedFile("c.jpg", jpeg())})
    client.post(cover_url(note), {"image": SimpleUploadedFile("d.jpg", jpeg(BLUE))})
    assert Photo.objects.filter(reading_note=note).alive().count() == 1
    assert Photo.objects.filter(reading_note=note).count() == 2


def test_a_refused_cover_keeps_the_old_one_and_says_why(client, make_note):
    note = make_note()
    client.post(cover_url(note), {"image": SimpleUploadedFile("c.jpg", jpeg())})
    r = client.post(cover_url(note), {"image": SimpleUploadedFile("x.jpg", HTML)}, headers=HTMX)
    assert r.status_code == 200
    assert NOT_A_PHOTO in r.content.decode()
    assert Photo.objects.filter(reading_note=note).alive().count() == 1


def test_the_cover_can_be_removed_and_plain_posts_redirect(client, make_note):
    note = make_note()
    r = client.post(cover_url(note), {"image": SimpleUploadedFile("c.jpg", jpeg())})
    assert r.status_code == 302
    assert r["Location"].endswith(f"#note-{note.uuid}")
    client.post(cover_url(note), {"remove": "1"}, headers=HTMX)
    assert not Photo.objects.filter(reading_note=note).alive().exists()


def test_the_cover_refuses_get_and_other_users_notes(client, make_note, other_user, make_week):
    note = make_note()
    assert client.get(cover_url(note)).status_code == 405
    theirs = make_note(user=other_user, week=make_week(user=other_user))
    image = SimpleUploadedFile("c.jpg", jpeg())
    assert client.post(cover_url(theirs), {"image": image}).status_code == 404
    assert not Photo.objects.exists()


# The timeline's cards


def test_a_timeline_card_shows_the_weeks_photos(client, entry, photo):
    html = client.get("/weeks/").content.decode()
    assert 'class="card-photos" data-gallery' in html
    assert f'<img src="/photos/{photo.uuid}/480.webp" width="32" height="24"' in html


@pytest.mark.parametrize("photos", [1, 9])
def test_the_timeline_takes_the_same_queries_with_or_without_many_photos(
    client, user, make_entry, django_assert_max_num_queries, photos
):
    from datetime import date, timedelta

    def fill(weeks: int, offset: int) -> None:
        for week in range(weeks):
            entry = make_entry(date=date(2026, 11, 23) - timedelta(weeks=week + offset))
            for n in range(photos):
                Photo.objects.create(
                    user=user, entry=entry, sha256=f"{week}-{n}", width=40, height=30
                )

    fill(1, 0)
    with django_assert_max_num_queries(100) as one:
        client.get("/weeks/")
    fill(20, 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        r = client.get("/weeks/")
    from weekly.timeline import CARD_PHOTOS, PAGE_SIZE

    shown = r.content.decode().count("480.webp")
    assert shown == PAGE_SIZE * min(photos, CARD_PHOTOS)


def test_the_same_photo_again_on_the_first_of_two_entries_is_still_one_photo_there(
    client, entry, make_entry
):
    second = make_entry(title="別の日記")
    upload(client, entry, ("a.jpg", jpeg()))
    upload(client, second, ("a.jpg", jpeg()))
    upload(client, entry, ("a.jpg", jpeg()))
    assert Photo.objects.filter(entry=entry).count() == 1


def test_the_move_buttons_that_lead_nowhere_are_disabled_around_a_deleted_photo(
    client, three_photos
):
    first, second, third = three_photos
    client.post(f"/photos/{third.uuid}/delete/")
    html = client.get("/days/2026-11-23/").content.decode()
    disabled = html.count('value="later" aria-label="後ろへ移動" disabled')
    assert disabled == 1  # the second photo is now the last one shown
    assert html.count('value="earlier" aria-label="前へ移動" disabled') == 1
