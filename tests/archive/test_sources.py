"""archive/sources.py: what an import may read, and what it refuses before reading anything."""

import io
import os
import zipfile

import pytest

from archive.sources import (
    MB,
    FileSource,
    FolderSource,
    Source,
    SourceRefused,
    ZipSource,
    _clean,
    bytes_source,
    limit_mb,
)


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2021/01/04.md", "2021/01/04.md"),
        ("./a//b.md", "a/b.md"),
        ("a\\b.md", "a/b.md"),
        ("日記/2021-01-04.md", "日記/2021-01-04.md"),
        ("../x.md", None),
        ("a/../../x.md", None),
        ("..\\x.md", None),
        ("/etc/passwd", None),
        ("\\\\server\\share\\x", None),
        ("C:\\Windows\\x", None),
        ("C:x", None),
        ("", None),
        (".", None),
    ],
)
def test_member_paths_stay_inside_the_archive(name, expected):
    assert _clean(name) == expected


@pytest.mark.parametrize("name", ["../notes/2021-01-04.md", "/abs.md", "C:\\evil.md"])
def test_a_zip_with_a_path_outside_itself_is_refused_whole(name):
    data = zipped({"2021-01-03.md": b"ok", name: b"evil"})

    with pytest.raises(SourceRefused, match="zip の外"):
        bytes_source(data, "notes.zip")


def test_a_zip_bomb_is_refused_before_any_member_is_read():
    data = zipped({"a.txt": b"0" * (20 * MB)})  # about 20 KB compressed: a ratio of ~1,000

    with pytest.raises(SourceRefused, match="zip 爆弾"):
        bytes_source(data, "bomb.zip")


def test_members_adding_up_past_the_unpacked_cap_are_refused(settings):
    settings.TSUZURI_IMPORT_MAX_MB = 1  # the zip may be 1 MB, its members 4 MB in all
    just_under_a_megabyte = b"a" * (MB - 1)  # not checked for its ratio on its own
    data = zipped({f"{n}.md": just_under_a_megabyte for n in range(5)})

    assert len(data) < MB
    with pytest.raises(SourceRefused, match="zip 爆弾"):
        bytes_source(data, "many.zip")
    assert len(bytes_source(zipped({"0.md": just_under_a_megabyte}), "one.zip").paths()) == 1


def test_an_archive_over_the_limit_is_refused_with_both_sizes(settings):
    settings.TSUZURI_IMPORT_MAX_MB = 1

    with pytest.raises(SourceRefused, match="1 MB までです"):
        bytes_source(os.urandom(2 * MB), "big.zip")


def test_a_compressible_member_under_a_megabyte_is_not_taken_for_a_bomb():
    data = zipped({"2021-01-04.md": b"# \xe6\x97\xa5\n" + b"a" * (MB - 100)})

    source = bytes_source(data, "notes.zip")

    assert source.read("2021-01-04.md").startswith("# 日".encode())


def test_an_encrypted_zip_is_refused_with_what_to_do():
    data = bytearray(zipped({"Journal.json": b"{}"}, zipfile.ZIP_STORED))
    # Set the "encrypted" flag in the local and the central header, as a password-protected
    # export has it (zipfile cannot write encrypted archives).
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1

    with pytest.raises(SourceRefused, match="暗号化"):
        bytes_source(bytes(data), "dayone.zip")


def test_a_file_that_is_not_a_zip_is_one_file():
    source = bytes_source("# 2021/01/18 の週報".encode(), "週報.md")

    assert isinstance(source, FileSource)
    assert source.paths() == ["週報.md"]
    assert source.read("週報.md").decode() == "# 2021/01/18 の週報"
    with pytest.raises(KeyError):
        source.read("other.md")


def test_an_uploaded_name_never_becomes_a_path():
    source = bytes_source(b"text", "../../etc/passwd")

    assert source.paths() == ["passwd"]


def test_a_200_mb_archive_is_refused_without_being_read(tmp_path):
    big = tmp_path / "export.zip"
    with big.open("wb") as file:
        file.truncate(200 * MB)  # sparse: nothing is written, nothing will be read

    with pytest.raises(SourceRefused, match="200 MB"):
        Source.open(big)


def test_a_folder_lists_its_files_but_not_hidden_ones_or_links(tmp_path):
    (tmp_path / "2021" / "01").mkdir(parents=True)
    (tmp_path / "2021" / "01" / "04.txt").write_text("[2021-01-04 09:00] 朝。")
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "daily-notes.json").write_text("{}")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._04.txt").write_bytes(b"\0")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    outside.write_text("secret")
    (tmp_path / "link.txt").symlink_to(outside)

    source = Source.open(tmp_path)

    assert isinstance(source, FolderSource)
    assert "link.txt" not in source.paths()
    assert list(source.text_paths((".txt", ".json"))) == ["2021/01/04.txt"]
    with pytest.raises(KeyError):
        source.read("../" + outside.name)


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(SourceRefused):
        Source.open(tmp_path / "nowhere.zip")


def test_a_zip_on_disk_reads_its_members(tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(zipped({"b.md": b"B", "a/c.md": b"C", "dir/": b""}))

    with Source.open(path) as source:
        assert isinstance(source, ZipSource)
        assert source.paths() == ["a/c.md", "b.md"]
        assert source.read("a/c.md") == b"C"


def test_a_zip_whose_member_is_damaged_is_refused_when_read():
    data = bytearray(zipped({"a.md": os.urandom(1000)}, zipfile.ZIP_STORED))
    data[data.index(b"a.md") + 4 + 10] ^= 0xFF  # a byte of the member's data: its CRC fails
    source = bytes_source(bytes(data), "damaged.zip")

    with pytest.raises(SourceRefused, match="damaged.zip"):
        source.read("a.md")


def test_bytes_that_only_look_like_a_zip_are_refused_with_the_name():
    data = zipped({"a.md": b"x" * 1000})
    broken = b"PK\x03\x04" + b"\0" * 200 + data[-22:]  # an end record pointing at nothing

    with pytest.raises(SourceRefused, match="broken.zip"):
        bytes_source(broken, "broken.zip")


def test_the_command_line_may_read_more_than_an_upload(settings):
    settings.TSUZURI_IMPORT_MAX_MB = 1
    data = os.urandom(2 * MB)

    with limit_mb(3):
        assert bytes_source(data, "big.txt").paths() == ["big.txt"]
    with pytest.raises(SourceRefused, match="--max-mb"):
        bytes_source(data, "big.txt")
