"""Photos on entries and reading-note covers (issue 10; DESIGN.md §3, §7).

Every action answers htmx (and static/photos.js, which sends HX-Request) with the fragment it
changed, and a plain form POST with a redirect; a refusal is re-rendered with status 200 and says
why. The files are served only by `photo_file`, after the ownership check.
"""

import unicodedata
import uuid as uuid_lib
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.http import AuthedRequest
from config.ownership import owned_or_404
from weekly.models import ReadingNote

from . import imaging
from .models import PHOTO_ALT_MAX_LENGTH, Entry, Photo
from .uploads import RENAMED_UPLOADS

PHOTO_LIST = "journal/photo_list.html"
WEEK_PAGE = "weekly/week_detail.html"
# Characters that draw a slash or a backslash: a file name holding one is made to look like a
# path. A name with a real / or \ or a control character (NUL) Django sanitises before we see it;
# journal/uploads.py notes those names and they are refused too. The name is never stored or used
# either way.
PATH_LOOKALIKES = set("/\\／＼∕∖⁄⧸⧹")


def _path_message() -> str:
    return _("The file name looks like a path. Rename the file and add it again.")


def _name_refusal(name: str) -> str | None:
    if name in ("", ".", "..") or any(
        char in PATH_LOOKALIKES or unicodedata.category(char).startswith("C") for char in name
    ):
        return _path_message()
    return None


def _shown_name(name: str) -> str:
    printable = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    return printable[:80] or _("(no name)")


def _attach_all(
    request: AuthedRequest, limit: int | None = None, **owner
) -> tuple[list[Photo], list[str]]:
    """Attach the uploaded `image` files to the entry or note; the refusals as messages."""
    uploads = request.FILES.getlist("image")[:limit]  # reads the body: refusals come after
    refused = getattr(request, "refused_uploads", [])
    errors = [f"{_shown_name(name)}: {why}" for name, why in refused]
    renamed = request.META.get(RENAMED_UPLOADS, [])  # "../x.jpg" sent, "x.jpg" kept: refused
    for sent, _kept in renamed:
        errors.append(f"{_shown_name(sent)}: {_path_message()}")
    kept_names = {kept for _sent, kept in renamed}
    uploads = [upload for upload in uploads if upload.name not in kept_names]
    if not uploads and not errors:
        errors.append(_("Choose a photo to add."))
    added = []
    for upload in uploads:
        if refusal := _name_refusal(upload.name or ""):
            errors.append(f"{_shown_name(upload.name or '')}: {refusal}")
            continue
        try:
            added.append(Photo.attach(request.user, upload, **owner))
        except imaging.PhotoRefused as refused:
            errors.append(f"{_shown_name(upload.name)}: {refused}")
    return added, errors


def _photo_list(request: AuthedRequest, entry: Entry, errors=(), focus=None) -> HttpResponse:
    context = {"entry": entry, "photo_errors": errors, "focus_photo": focus}
    return render(request, PHOTO_LIST, context)


def _done(request: AuthedRequest, entry: Entry, errors=(), focus=None) -> HttpResponse:
    """The entry's photos for htmx; for a plain form, the day page (with the refusals) or a
    redirect to it."""
    if request.htmx:
        return _photo_list(request, entry, errors, focus)
    from .views import _render_day

    for error in errors:
        messages.error(request, error)
    if errors:
        return _render_day(request, entry.date)
    return redirect(reverse_photos(entry))


def reverse_photos(entry: Entry) -> str:
    return entry.get_absolute_url().replace("#entry-", "#photos-")


@require_POST
def photo_upload(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    entry = owned_or_404(Entry.objects.alive(), request.user, uuid=uuid)
    added, errors = _attach_all(request, entry=entry)
    return _done(request, entry, errors, focus=added[-1].uuid if added else None)


def _photo(request: AuthedRequest, uuid: uuid_lib.UUID) -> Photo:
    """The user's photo on one of their live entries (covers have their own views)."""
    return owned_or_404(
        Photo.objects.select_related("entry").filter(entry__deleted_at__isnull=True),
        request.user,
        uuid=uuid,
    )


@require_POST
def photo_alt(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    photo = _photo(request, uuid)
    alt = " ".join(request.POST.get("alt", "").split())
    if len(alt) > PHOTO_ALT_MAX_LENGTH:
        message = _("A description may be at most %(n)d characters.") % {"n": PHOTO_ALT_MAX_LENGTH}
        return _done(request, photo.entry, [message])
    photo.bump(alt=alt)
    return _done(request, photo.entry, focus=photo.uuid)


@require_POST
def photo_move(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    photo = _photo(request, uuid)
    direction = request.POST.get("direction")
    if direction not in ("earlier", "later"):
        return _done(request, photo.entry, [_("Choose earlier or later.")])
    photos = list(Photo.objects.for_user(request.user).filter(entry=photo.entry).alive())
    index = next((i for i, other in enumerate(photos) if other.pk == photo.pk), None)
    swap = None if index is None else index + (-1 if direction == "earlier" else 1)
    if swap is not None and 0 <= swap < len(photos):
        photos[index], photos[swap] = photos[swap], photos[index]
        for position, each in enumerate(photos, start=1):
            if each.position != position:
                each.bump(position=position)
    return _done(request, photo.entry, focus=photo.uuid)


@require_POST
def photo_delete(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    photo = _photo(request, uuid)
    if not photo.deleted_at:
        photo.bump(deleted_at=timezone.now())
    return _done(request, photo.entry)


@require_POST
def photo_restore(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    photo = _photo(request, uuid)
    if photo.deleted_at:
        photo.bump(deleted_at=None)
    return _done(request, photo.entry, focus=photo.uuid)


@require_safe
def photo_file(request: AuthedRequest, uuid: uuid_lib.UUID, size: int) -> FileResponse:
    if size not in imaging.SIZES:
        raise Http404
    photo = owned_or_404(Photo.objects, request.user, uuid=uuid)
    try:
        handle = (imaging.folder(photo.user_id, photo.file_key) / f"{size}.webp").open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type="image/webp")
    # The files behind a uuid never change (a new image is a new uuid): cache them for good,
    # in this browser only. Logout's Clear-Site-Data empties that cache too.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = f'inline; filename="{photo.uuid}-{size}.webp"'
    return response


# Reading-note covers


@require_POST
def reading_cover(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    """Set (file field `image`) or, with `remove`, take away a reading note's cover image."""
    note = owned_or_404(
        ReadingNote.objects.alive().select_related("week"),
        request.user,
        uuid=uuid,
        week__start_date=start,
    )
    errors = []
    covers = Photo.objects.for_user(request.user).filter(reading_note=note).alive()
    if "remove" in request.POST:
        covers.update(deleted_at=timezone.now())
    else:
        with transaction.atomic():  # a note has one live cover: the old one steps aside first
            old = list(covers.values_list("pk", flat=True))
            covers.update(deleted_at=timezone.now())
            added, errors = _attach_all(request, limit=1, reading_note=note)
            if not added:
                Photo.objects.for_user(request.user).filter(pk__in=old).update(deleted_at=None)
    if request.htmx:
        context = {"note": note, "week": note.week, "cover_errors": errors}
        return render(request, WEEK_PAGE + "#reading-note", context)
    for error in errors:
        messages.error(request, error)
    return redirect(f"{note.week.get_absolute_url()}#note-{note.uuid}")
