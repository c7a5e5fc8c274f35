"""The byte cap on photo uploads, applied while the request body is read.

Django parses a multipart body before any view runs (the CSRF check reads request.POST), writing
each file part to memory or a temporary file, and DATA_UPLOAD_MAX_MEMORY_SIZE does not cover file
parts. This handler comes first in FILE_UPLOAD_HANDLERS: a part of the `image` field that grows
past imaging.MAX_BYTES stops the parsing there, so a 60 MB upload is neither read to its end nor
stored. The view finds the refusal in `request.refused_uploads`.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

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
