"""The byte cap on import uploads, applied while the request body is read.

Django writes a multipart file part to a temporary file as it reads it, and no setting caps file
parts, so a 2 GB upload to /archive/ filled the data folder's tmp/ before the form refused it.
This handler (FILE_UPLOAD_HANDLERS, after the photos' one) stops storing the import form's
`file` once it grows past the import limit (sources.max_bytes()): the rest of the body is read and
dropped, never stored, so the browser still gets the page with the reason. The view finds the
refusal in `request.refused_import`.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.urls import reverse
from django.utils.translation import gettext as _

from .sources import MB, max_bytes

IMPORT_FIELD = "file"


def over_the_limit() -> str:
    return _(
        "The file is larger than %(max)s MB, the most an import takes. For a bigger archive use "
        "manage.py import_journal --max-mb, or split it."
    ) % {"max": max_bytes() // MB}


class ImportSizeCapHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.capped = field_name == IMPORT_FIELD and (
            self.request.path == reverse("archive:import-upload")
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.capped and start + len(raw_data) > max_bytes():
            self.request.refused_import = over_the_limit()
            # Not a connection reset: the rest is read and dropped, so the answer reaches the
            # browser, which is still sending (a reset shows it an error page instead).
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers make the file
