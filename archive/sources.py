"""What an import reads: a file, a folder or a zip, seen as a list of relative paths.

Every importer reads through a Source, so the limits are kept in one place: a zip is refused
before anything is read when it holds `../` or absolute paths, too many members, more bytes than
the cap once unpacked, or members that unpack far beyond their compressed size (a zip bomb); a
member is never read past its declared size. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

MAX_MEMBERS = 100_000
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
MB = 1024 * 1024


_limit_mb: ContextVar[int | None] = ContextVar("import_limit_mb", default=None)


def max_bytes() -> int:
    """The largest archive or file an import accepts: TSUZURI_IMPORT_MAX_MB (100 by default)
    for an upload; the command's --max-mb for an import from the command line."""
    limit = _limit_mb.get()
    return (limit if limit is not None else getattr(settings, "TSUZURI_IMPORT_MAX_MB", 100)) * MB


@contextmanager
def limit_mb(megabytes: int) -> Iterator[None]:
    """Read with another limit (manage.py import_journal --max-mb)."""
    token = _limit_mb.set(megabytes)
    try:
        yield
    finally:
        _limit_mb.reset(token)


def max_unpacked_bytes() -> int:
    return 4 * max_bytes()


class SourceRefused(ValueError):
    """The whole file cannot be read; its message is for the user, in their language."""


def _clean(name: str) -> str | None:
    """A member's path as a safe relative POSIX path, or None for one that climbs out."""
    name = name.replace("\\", "/")
    if not name or name.startswith("/") or name[1:2] == ":":  # absolute, or C:\…
        return None
    parts = PurePosixPath(name).parts  # drops "." and empty parts
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts).as_posix()


class Source:
    """Files by relative path. `name` is what the user gave (a file name), for messages."""

    name: str

    def paths(self) -> list[str]:
        raise NotImplementedError

    def read(self, path: str) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def text_paths(self, suffixes: tuple[str, ...]) -> Iterator[str]:
        """Paths ending in one of `suffixes` (case-insensitive), skipping hidden and macOS
        resource-fork files."""
        for path in self.paths():
            parts = PurePosixPath(path).parts
            if any(part.startswith(".") or part == "__MACOSX" for part in parts):
                continue
            if path.lower().endswith(suffixes):
                yield path

    @staticmethod
    def open(path: Path) -> Source:
        """A file, a folder or a zip on disk (the management commands)."""
        if path.is_dir():
            return FolderSource(path)
        if not path.is_file():
            raise SourceRefused(_("%(name)s is not there.") % {"name": path})
        if zipfile.is_zipfile(path):
            return ZipSource(path.open("rb"), path.name)
        _fits(path.stat().st_size)
        return FileSource(path.read_bytes(), path.name)

    @staticmethod
    def from_upload(upload) -> Source:
        """An uploaded file (Django's UploadedFile): a zip or one file."""
        if not _fits(upload.size):
            raise SourceRefused(too_big(upload.size))
        upload.seek(0)
        if zipfile.is_zipfile(upload):
            upload.seek(0)
            return ZipSource(upload, upload.name)
        upload.seek(0)
        return FileSource(upload.read(), upload.name)


def too_big(size: int) -> str:
    return _(
        "The file is %(size)s MB; an import takes at most %(max)s MB. For a bigger archive "
        "use manage.py import_journal --max-mb, or split it."
    ) % {"size": round(size / MB), "max": max_bytes() // MB}


def _fits(size: int) -> bool:
    if size > max_bytes():
        raise SourceRefused(too_big(size))
    return True


class FileSource(Source):
    def __init__(self, data: bytes, name: str):
        self.data, self.name = data, PurePosixPath(name.replace("\\", "/")).name or "upload"

    def paths(self) -> list[str]:
        return [self.name]

    def read(self, path: str) -> bytes:
        if path != self.name:
            raise KeyError(path)
        return self.data


class FolderSource(Source):
    def __init__(self, root: Path):
        self.root, self.name = root.resolve(), root.name
        self._paths = []
        total = 0
        for file in sorted(self.root.rglob("*")):
            if file.is_file() and not file.is_symlink():
                total += file.stat().st_size
                if total > max_unpacked_bytes():
                    raise SourceRefused(too_big(total))
                self._paths.append(file.relative_to(self.root).as_posix())

    def paths(self) -> list[str]:
        return self._paths

    def read(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return (self.root / path).read_bytes()


class ZipSource(Source):
    def __init__(self, file, name: str):
        self.name = PurePosixPath(name.replace("\\", "/")).name or "upload.zip"
        try:
            self.zip = zipfile.ZipFile(file)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise SourceRefused(
                _("%(name)s is not a readable zip file.") % {"name": self.name}
            ) from error
        if len(infos) > MAX_MEMBERS:
            raise SourceRefused(_("The zip holds too many files."))
        self.infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            path = _clean(info.filename)
            if path is None:
                raise SourceRefused(
                    _("The zip holds a path outside itself (%(path)s); nothing was read.")
                    % {"path": info.filename}
                )
            if info.flag_bits & 0x1:
                raise SourceRefused(_("The zip is encrypted; export it again without a password."))
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > max_unpacked_bytes() or (info.file_size > MB and ratio > MAX_RATIO):
                raise SourceRefused(
                    _("The zip unpacks to far more than its size (a zip bomb?); nothing was read.")
                )
            self.infos[path] = info
        self._paths = sorted(self.infos)

    def paths(self) -> list[str]:
        return self._paths

    def read(self, path: str) -> bytes:
        info = self.infos[path]
        try:
            with self.zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
            raise SourceRefused(
                _("%(path)s in %(name)s is damaged and cannot be read.")
                % {"path": path, "name": self.name}
            ) from error
        if len(data) > info.file_size:  # a header that lies about the size
            raise SourceRefused(
                _("The zip unpacks to far more than its size (a zip bomb?); nothing was read.")
            )
        return data

    def close(self) -> None:
        self.zip.close()


def bytes_source(data: bytes, name: str) -> Source:
    """A Source from bytes in memory (tests, and an upload already read)."""
    _fits(len(data))
    if zipfile.is_zipfile(io.BytesIO(data)):
        return ZipSource(io.BytesIO(data), name)
    return FileSource(data, name)
