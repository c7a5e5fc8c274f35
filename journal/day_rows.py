"""The day page's repeated parts, an entry and its photos, as HTML.

Through the template language each entry cost most of a millisecond: six `{% url %}`s, three
forms with their CSRF field, the photo list and its upload form included, the words translated
again. Here they are f-strings, as the timeline's CardRows and the week's WeekRows: every text is
escaped (html.escape) before it goes in, the words are translated and the URLs reversed once a
request. The page and the fragments the actions answer with (`#entry`, the photo list) go through
the tags of templatetags/day_rows.py, so an entry is the same HTML wherever it is shown. An entry
with an open conflict copy (rare) adds journal/entry_conflict.html, rendered by the template
language.
"""

import uuid
from html import escape

from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, gettext_noop

from .imaging import scaled
from .models import PHOTO_ALT_MAX_LENGTH, Entry, Photo

SAMPLE = str(uuid.UUID(int=0))
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"


class EntryRows:
    """An entry's <article> and its photos' <section> for one request: make it with
    `of(context)`."""

    def __init__(self, csrf_token: str = ""):
        def url(name: str) -> tuple[str, str]:
            before, after = reverse(name, args=[SAMPLE]).split(SAMPLE)
            return escape(before), escape(after)

        self.urls = {
            name: url(f"journal:{name}")
            for name in ("entry-worked", "entry-edit", "entry-delete", "photo-upload",
                         "photo-restore", "photo-move", "photo-delete", "photo-alt")
        }  # fmt: skip
        self.photo_file = reverse("journal:photo-file", args=[SAMPLE, 480]).replace(
            f"{SAMPLE}/480", "{}/{}"
        )
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(csrf_token))}">'
            if csrf_token and str(csrf_token) != "NOTPROVIDED"
            else ""
        )
        # Marked with gettext_noop so that makemessages finds them; translated here.
        words = {
            "untitled": gettext_noop("(untitled)"),
            "deleted": gettext_noop("This entry was deleted on another device."),
            "worked": gettext_noop("Worked"),
            "edit": gettext_noop("Edit"),
            "delete": gettext_noop("Delete"),
            "photos": gettext_noop("Photos"),
            "photo_deleted": gettext_noop("Photo deleted."),
            "undo": gettext_noop("Undo"),
            "earlier": gettext_noop("Move earlier"),
            "later": gettext_noop("Move later"),
            "delete_photo": gettext_noop("Delete this photo"),
            "no_alt": gettext_noop("Photo without a description"),
            "description": gettext_noop("Description"),
            "add_description": gettext_noop("Add a description"),
            "alt_label": gettext_noop("Description (alt text)"),
            "save": gettext_noop("Save"),
            "add_photos": gettext_noop("Add photos"),
            "upload": gettext_noop("Upload"),
            "drop": gettext_noop("or drop or paste them here"),
        }
        self.words = {key: escape(gettext(message)) for key, message in words.items()}
        self.star = (
            '<span class="entry-star" aria-hidden="true">★</span>'
            f'<span class="visually-hidden">{escape(gettext("Starred:"))} </span>'
        )
        self._photo_texts = None

    @classmethod
    def of(cls, context: Context) -> "EntryRows":
        """The rows for the template's request, made once a request and language."""
        request = context.get("request")
        key = get_language()
        made = getattr(request, "entry_rows", None) if request is not None else None
        if made is None or made[0] != key:
            made = (key, cls(context.get("csrf_token", "")))
            if request is not None:
                request.entry_rows = made
        return made[1]

    def article(self, entry: Entry, context: Context) -> SafeString:
        """An entry: its title, body, photos and actions, and its open conflict copies."""
        words, uuid_ = self.words, entry.uuid
        title = escape(entry.title) or f'<span class="untitled">{words["untitled"]}</span>'
        if entry.starred:
            title = self.star + title
        html = [
            f'<article id="entry-{uuid_}" class="entry{" is-worked" if entry.worked else ""}" '
            f'hx-target="this" hx-swap="outerHTML" aria-labelledby="title-{uuid_}"> '
            f'<header class="entry-head"> <h2 id="title-{uuid_}" class="entry-title">{title}</h2> '
            "</header> "
        ]
        if entry.deleted_at:
            html.append(f'<p class="notice">{words["deleted"]}</p> ')
        else:
            # body_html is the Markdown renderer's output, cleaned by nh3 (journal/markdown.py).
            html.append(f'<div class="prose">{entry.body_html}</div> ')
            html.append(f"{self.photos(entry, context)} {self._actions(entry)}")
        conflicts = getattr(entry, "open_conflicts", None) or []
        for conflict in conflicts:
            html.append(self._conflict(entry, conflict, context))
        html.append("</article>")
        return mark_safe("".join(html))

    def _actions(self, entry: Entry) -> str:
        words = self.words
        worked = self._url("entry-worked", entry.uuid)
        edit = self._url("entry-edit", entry.uuid)
        delete = self._url("entry-delete", entry.uuid)
        on = entry.worked
        return (
            '<footer class="entry-actions"> '
            f'<form method="post" action="{worked}" hx-post="{worked}"> {self.csrf} '
            f'<input type="hidden" name="base_revision" value="{entry.revision}"> '
            f'<input type="hidden" name="worked" value="{"" if on else "on"}"> '
            f'<button class="toggle" aria-pressed="{"true" if on else "false"}"> '
            f'<span aria-hidden="true">{"●" if on else "○"}</span> {words["worked"]} </button> '
            "</form> "
            f'<a class="button" href="{edit}" hx-get="{edit}">{words["edit"]}</a> '
            f'<form method="post" action="{delete}" hx-post="{delete}"> {self.csrf} '
            f'<button class="quiet">{words["delete"]}</button> </form> </footer> '
        )

    def photos(self, entry: Entry, context: Context) -> SafeString:
        """The entry's photos (each opens the lightbox), their actions, and the upload form;
        `photo_errors` in the context are listed, `focus_photo` gets the focus."""
        words, uuid_ = self.words, entry.uuid
        # Named by the title, or an untitled entry by its first words: landmarks are told apart.
        name = entry.title or " ".join(entry.body[:100].split()) or str(entry.date)
        name = escape(Truncator(name).chars(30))
        label = f"{words['photos']}: {name}"
        html = [f'<section id="photos-{uuid_}" class="photos" aria-label="{label}"> ']
        if errors := context.get("photo_errors"):
            items = "".join(f"<li>{escape(str(error))}</li>" for error in errors)
            html.append(f'<ul class="photo-errors" role="alert">{items}</ul> ')
        if photos := entry.shown_photos:
            focus = context.get("focus_photo")
            target = f' hx-target="#photos-{uuid_}" hx-swap="outerHTML"'
            items = [self._photo(photo, target, photo.uuid == focus) for photo in photos]
            html.append(f'<ul class="photo-list" data-gallery> {" ".join(items)} </ul> ')
        upload = self._url("photo-upload", uuid_)
        # No hx-post: the outbox queues text, and a photo needs the network now. static/photos.js
        # sends it with a progress bar and says so when offline.
        html.append(
            '<form class="photo-upload" method="post" enctype="multipart/form-data" '
            f'action="{upload}" data-photo-upload data-target="#photos-{uuid_}" '
            f"{self.photo_texts()}> {self.csrf} "
            f'<label class="button photo-pick"> <span>{words["add_photos"]}</span> '
            f'<input type="file" name="image" accept="{PHOTO_TYPES}" multiple> </label> '
            f'<button class="photo-send">{words["upload"]}</button> '
            f'<span class="hint photo-hint">{words["drop"]}</span> '
            '<progress class="photo-progress" max="100" value="0" hidden></progress> '
            '<span class="photo-status" role="status"></span> </form> </section>'
        )
        return mark_safe("".join(html))

    def _photo(self, photo: Photo, target: str, focus: bool) -> str:
        words, uuid_ = self.words, photo.uuid
        if photo.deleted_at:
            restore = self._url("photo-restore", uuid_)
            return (
                f'<li id="photo-{uuid_}" class="photo is-deleted"> '
                f"<span>{words['photo_deleted']}</span> "
                f'<form method="post" action="{restore}" hx-post="{restore}"{target}> '
                f"{self.csrf}<button>{words['undo']}</button> </form> </li>"
            )
        thumb = scaled(photo.width, photo.height, 480)
        full = scaled(photo.width, photo.height, 1600)
        alt = escape(photo.alt)
        move, delete = self._url("photo-move", uuid_), self._url("photo-delete", uuid_)
        describe = self._url("photo-alt", uuid_)
        first = " disabled" if getattr(photo, "is_first", False) else ""
        last = " disabled" if getattr(photo, "is_last", False) else ""
        return (
            f'<li id="photo-{uuid_}" class="photo"> '
            f'<a class="photo-link" href="{self.photo_file.format(uuid_, 1600)}"'
            f'{" data-focus" if focus else ""} data-lightbox data-width="{full[0]}" '
            f'data-height="{full[1]}"> <img src="{self.photo_file.format(uuid_, 480)}" '
            f'width="{thumb[0]}" height="{thumb[1]}" loading="lazy" decoding="async" '
            f'alt="{alt or words["no_alt"]}"> </a> '
            '<div class="photo-actions"> '
            f'<form method="post" action="{move}" hx-post="{move}"{target}> {self.csrf} '
            f'<button name="direction" value="earlier" aria-label="{words["earlier"]}"{first}>←'
            "</button> "
            f'<button name="direction" value="later" aria-label="{words["later"]}"{last}>→'
            "</button> </form> "
            f'<form method="post" action="{delete}" hx-post="{delete}"{target}> {self.csrf}'
            f'<button class="quiet" aria-label="{words["delete_photo"]}">{words["delete"]}'
            "</button> </form> </div> "
            '<details class="photo-alt"> '
            f"<summary>{words['description'] if alt else words['add_description']}</summary> "
            f'<form method="post" action="{describe}" hx-post="{describe}"{target}> {self.csrf} '
            f'<label class="visually-hidden" for="alt-{uuid_}">{words["alt_label"]}</label> '
            f'<textarea id="alt-{uuid_}" name="alt" rows="2" maxlength="{PHOTO_ALT_MAX_LENGTH}">'
            f"{alt}</textarea> <button>{words['save']}</button> </form> </details> </li>"
        )

    def photo_texts(self) -> str:
        """The upload form's messages (journal/photo_form_texts.html, shared with the week)."""
        if self._photo_texts is None:
            self._photo_texts = get_template("journal/photo_form_texts.html").render().strip()
        return self._photo_texts

    def _url(self, name: str, uuid_) -> str:
        before, after = self.urls[name]
        return f"{before}{uuid_}{after}"

    @staticmethod
    def _conflict(entry: Entry, conflict, context: Context) -> str:
        template = get_template("journal/entry_conflict.html").template
        with context.push(entry=entry, conflict=conflict):
            return template.render(context) + " "
