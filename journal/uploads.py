"""The byte cap on photo uploads, applied while the request body is read.

Django parses a multipart body before any view runs (the CSRF check reads request.POST), writing
each file part to memory or a temporary file, and DATA_UPLOAD_MAX_MEMORY_SIZE does not cover file
parts. This handler comes first in FILE_UPLOAD_HANDLERS: a part of the `image` field that grows
past imaging.MAX_BYTES stops the parsing there, so a 60 MB upload is neither read to its end nor
stored. The view finds the refusal in `request.refused_uploads`.
"""

import html

import django.http.request
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParser

from .imaging import MAX_BYTES, too_large_message

PHOTO_FIELDS = {"image"}


class PhotoSizeCapHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.capped = field_name in PHOTO_FIELDS

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.capped and start + len(raw_data) > MAX_BYTES:
            refused = getattr(self.request, "refused_uploads", [])
            refused.append((self.file_name, too_large_message()))
            self.request.refused_uploads = refused
            # connection_reset: the rest of the body is not read at all, only dropped.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers make the file


# File names. Django's multipart parser keeps only what follows a name's last / or \ and drops
# its control characters (NUL) before any handler or view sees it, so a photo named
# "../../x.jpg" would arrive as an innocent "x.jpg", and one named ".." not at all. Neither name
# is ever used (photos are stored under uuids), but such a name is a sign of a hostile client,
# and the photos issue asks for it to be refused with a message. This parser notes, in the
# request's META, each name the sanitising changed; the photo views refuse those uploads.

RENAMED_UPLOADS = "tsuzuri.renamed_uploads"  # [(name as sent, name after sanitising or None)]


class NameNotingParser(MultiPartParser):
    def __init__(self, META, *args, **kwargs):  # noqa: N803 — Django's name for it
        super().__init__(META, *args, **kwargs)
        self.request_meta = META

    def sanitize_file_name(self, file_name):
        clean = super().sanitize_file_name(file_name)
        if clean != html.unescape(file_name):
            self.request_meta.setdefault(RENAMED_UPLOADS, []).append((file_name, clean))
        return clean


def install_name_noting_parser() -> None:
    """Make every multipart body go through NameNotingParser (JournalConfig.ready). It changes
    nothing else: the names Django keeps, and the files, are the same."""
    django.http.request.MultiPartParser = NameNotingParser
