"""The week page's repeated rows, a KPT item (with its nested list) and a reading note, as HTML.

A week holds some tens of items and notes. Through the template language each row cost most of
a millisecond: a dozen `{% url %}`s, two or three forms with their CSRF field, the words
translated again, an include per row. Here they are f-strings, as the timeline's CardRows: every
text is escaped (html.escape) before it goes in, the words are translated and the URLs reversed
once a request. The page's lists and the fragments the actions answer with (`#item-row`,
`#reading-note`, the sections) go through the tags of templatetags/week_rows.py, so a row is the
same HTML wherever it is shown. A row with an open conflict copy (rare) adds weekly/conflict.html,
rendered by the template language.
"""

import uuid
from html import escape

from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from journal.templatetags.journal import cover as cover_of

from .models import Item, ItemKind, ReadingKind, ReadingNote, Review
from .tree import Node

SAMPLE = str(uuid.UUID(int=0))
COVER_TYPES = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"


def short(text: str) -> str:
    """`text|truncatechars:30`, escaped: how a row's buttons name it for screen readers."""
    return escape(Truncator(text).chars(30))


class WeekRows:
    """The rows of one week's page for one request: make it with `of(context)`."""

    def __init__(self, start, csrf_token: str = ""):
        def url(name: str) -> tuple[str, str]:
            before, after = reverse(f"weekly:{name}", args=[start, SAMPLE]).split(SAMPLE)
            return escape(before), escape(after)

        self.item_urls = {name: url(name) for name in ("item-edit", "item-star", "item-move",
                                                       "item-delete")}  # fmt: skip
        self.note_urls = {name: url(name) for name in ("reading-edit", "reading-move",
                                                       "reading-delete")}  # fmt: skip
        before, after = reverse("journal:reading-cover", args=[start, SAMPLE]).split(SAMPLE)
        self.note_urls["cover"] = escape(before), escape(after)
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(csrf_token))}">'
            if csrf_token and str(csrf_token) != "NOTPROVIDED"
            else ""
        )
        words = {
            "try": gettext("Try (★)"),
            "actions": gettext("Actions for"),
            "up": gettext("Up"),
            "down": gettext("Down"),
            "outdent": gettext("Outdent"),
            "indent": gettext("Indent"),
            "delete": gettext("Delete"),
            "edit": gettext("Edit"),
            "carried_title": gettext("Carried over from last week"),
            "carried": gettext("carried"),
            "deleted_item": gettext("Deleted on another device"),
            "deleted_note": gettext("This reading note was deleted on another device."),
            "impressions": gettext("Impressions (感想)"),
            "change_cover": gettext("Change the cover"),
            "add_cover": gettext("Add a cover image"),
            "upload": gettext("Upload"),
            "remove_cover": gettext("Remove the cover"),
        }
        self.words = {key: escape(message) for key, message in words.items()}
        self.cover_alt = gettext("Cover of “%(title)s”")
        self.reviews = {value: escape(str(label)) for value, label in Review.choices}
        self.kinds = {value: escape(str(label)) for value, label in ReadingKind.choices}
        self._photo_texts = None

    @classmethod
    def of(cls, context: Context) -> "WeekRows":
        """The rows of the week in the template's context, made once a request and language."""
        start = context["week"].start_date
        request = context.get("request")
        key = (start, get_language())
        made = getattr(request, "week_rows", None) if request is not None else None
        if made is None or made[0] != key:
            made = (key, cls(start, context.get("csrf_token", "")))
            if request is not None:
                request.week_rows = made
        return made[1]

    # KPT items

    def tree(self, nodes: list[Node], context: Context) -> SafeString:
        """The <li>s of a nested KPT list, each with its row and its children's list."""
        return mark_safe(f" {' '.join(self._node(node, context) for node in nodes)} ")

    def _node(self, node: Node, context: Context) -> str:
        item = node.item
        children = f" <ul>{self.tree(node.children, context)}</ul>" if node.children else ""
        return (
            f'<li id="item-{item.uuid}" class="kpt-item kind-{escape(item.kind)}"> '
            f"{self.item(item, context)}{children} </li>"
        )

    def item(self, item: Item, context: Context) -> SafeString:
        """One item's row: its text (a link to edit it), the ★ of Problem & Try, the ⋯ menu."""
        conflicts = getattr(item, "open_conflicts", None) or []
        classes = "item-row"
        classes += " is-try" if item.kind == ItemKind.TRY else ""
        classes += " has-conflict" if conflicts else ""
        text = escape(item.text)
        html = [f'<div id="item-row-{item.uuid}" class="{classes}" hx-target="this" '
                'hx-swap="outerHTML"> ']  # fmt: skip
        if item.deleted_at:
            html.append(
                f'<span class="item-text">{text}</span> '
                f'<span class="badge deleted">{self.words["deleted_item"]}</span> '
            )
        else:
            html.append(self._item_body(item, text, context))
        for conflict in conflicts:
            html.append(self._conflict(conflict, f"#section-{item.section}", context))
        html.append("</div>")
        return mark_safe("".join(html))

    def _item_body(self, item: Item, text: str, context: Context) -> str:
        words, uuid_ = self.words, item.uuid
        target = f' hx-target="#section-{item.section}" hx-swap="outerHTML"'
        html = []
        if item.kind != ItemKind.KEEP:
            star = self._url(self.item_urls["item-star"], uuid_)
            is_try = item.kind == ItemKind.TRY
            html.append(
                f'<form class="star-form" method="post" action="{star}" hx-post="{star}" '
                f'hx-target="#section-problem" hx-swap="outerHTML"> {self.csrf} '
                f'<button class="star" aria-pressed="{"true" if is_try else "false"}" '
                f'aria-label="{words["try"]}: {short(item.text)}">{"★" if is_try else "☆"}'
                "</button> </form> "
            )
        edit = self._url(self.item_urls["item-edit"], uuid_)
        moved = context.get("moved")
        focus = " data-focus" if getattr(moved, "uuid", None) == uuid_ else ""
        html.append(f'<a class="item-text" href="{edit}" hx-get="{edit}"{focus}>{text}</a> ')
        if item.carried_from_id:
            html.append(
                f'<span class="badge carried" title="{words["carried_title"]}">↪ '
                f"{words['carried']}</span> "
            )
        if item.kind == ItemKind.TRY and item.review != Review.OPEN:
            html.append(
                f'<span class="badge review-{escape(item.review)}">'
                f"{self.reviews.get(item.review, escape(item.review))}</span> "
            )
        move = self._url(self.item_urls["item-move"], uuid_)
        delete = self._url(self.item_urls["item-delete"], uuid_)
        html.append(
            '<details class="item-menu"> <summary><span aria-hidden="true">⋯</span>'
            f'<span class="visually-hidden">{words["actions"]} {short(item.text)}</span></summary> '
            '<div class="item-menu-actions"> '
            f'<form method="post" action="{move}" hx-post="{move}"{target}> {self.csrf} '
            f'<button name="direction" value="up">↑ {words["up"]}</button> '
            f'<button name="direction" value="down">↓ {words["down"]}</button> '
            f'<button name="direction" value="outdent">← {words["outdent"]}</button> '
            f'<button name="direction" value="indent">→ {words["indent"]}</button> </form> '
            f'<form method="post" action="{delete}" hx-post="{delete}"{target}> '
            f'{self.csrf}<button class="quiet">{words["delete"]}</button> </form> '
            "</div> </details> "
        )
        return "".join(html)

    # Reading notes

    def note(self, note: ReadingNote, context: Context) -> SafeString:
        """A reading note: title and kind, cover, link, notes and impressions, its actions."""
        words, uuid_ = self.words, note.uuid
        title = escape(note.title)
        cover = cover_of(note)
        html = [
            f'<article id="note-{uuid_}" class="reading-note" hx-target="this" '
            f'hx-swap="outerHTML" aria-labelledby="note-title-{uuid_}"> '
            f'<h3 id="note-title-{uuid_}">{title} <span class="badge kind">'
            f"{self.kinds.get(note.kind, escape(note.kind))}</span></h3> "
        ]
        if cover:
            thumb, full = cover.thumb, cover.full
            alt = escape(self.cover_alt % {"title": note.title})
            html.append(
                f'<a class="note-cover" href="{escape(full["url"])}" data-lightbox '
                f'data-width="{full["width"]}" data-height="{full["height"]}"> '
                f'<img src="{escape(thumb["url"])}" width="{thumb["width"]}" '
                f'height="{thumb["height"]}" loading="lazy" decoding="async" alt="{alt}"> </a> '
            )
        if note.url:
            url = escape(note.url)
            html.append(
                f'<p class="note-link"><a href="{url}" rel="noopener noreferrer nofollow">'
                f"{url}</a></p> "
            )
        if note.notes:
            html.append(f'<div class="prose">{note.notes_html}</div> ')
        if note.impressions:
            html.append(
                f'<h4 class="impressions-title">{words["impressions"]}</h4> '
                f'<div class="prose">{note.impressions_html}</div> '
            )
        if note.deleted_at:
            html.append(f'<p class="notice">{words["deleted_note"]}</p> ')
        else:
            html.append(self._note_actions(note, cover, context))
        for conflict in getattr(note, "open_conflicts", None) or []:
            html.append(self._conflict(conflict, "#reading-section", context))
        html.append("</article>")
        return mark_safe("".join(html))

    def _note_actions(self, note: ReadingNote, cover, context: Context) -> str:
        words, uuid_, short_title = self.words, note.uuid, short(note.title)
        edit = self._url(self.note_urls["reading-edit"], uuid_)
        move = self._url(self.note_urls["reading-move"], uuid_)
        delete = self._url(self.note_urls["reading-delete"], uuid_)
        cover_url = self._url(self.note_urls["cover"], uuid_)
        target = ' hx-target="#reading-section" hx-swap="outerHTML"'
        html = [
            '<footer class="entry-actions"> '
            f'<a class="button" href="{edit}" hx-get="{edit}">{words["edit"]}</a> '
            f'<form method="post" action="{move}" hx-post="{move}"{target}> {self.csrf} '
            f'<button name="direction" value="up" aria-label="{words["up"]}: {short_title}">↑'
            "</button> "
            f'<button name="direction" value="down" aria-label="{words["down"]}: {short_title}">'
            "↓</button> </form> "
            f'<form method="post" action="{delete}" hx-post="{delete}"{target}> '
            f'{self.csrf}<button class="quiet">{words["delete"]}</button> </form> </footer> '
            '<div class="note-cover-actions"> '
        ]
        if errors := context.get("cover_errors"):
            items = "".join(f"<li>{escape(str(error))}</li>" for error in errors)
            html.append(f'<ul class="photo-errors" role="alert">{items}</ul> ')
        pick = words["change_cover"] if cover else words["add_cover"]
        html.append(
            '<form class="photo-upload cover-form" method="post" enctype="multipart/form-data" '
            f'action="{cover_url}" data-photo-upload data-target="#note-{uuid_}" '
            f"{self.photo_texts()}> {self.csrf} "
            f'<label class="button photo-pick"> <span>{pick}</span> '
            f'<input type="file" name="image" accept="{COVER_TYPES}"> </label> '
            f'<button class="photo-send">{words["upload"]}</button> '
            '<progress class="photo-progress" max="100" value="0" hidden></progress> '
            '<span class="photo-status" role="status"></span> </form> '
        )
        if cover:
            html.append(
                f'<form class="cover-form" method="post" action="{cover_url}" '
                f'hx-post="{cover_url}" hx-target="#note-{uuid_}" hx-swap="outerHTML"> '
                f'{self.csrf}<input type="hidden" name="remove" value="1"> '
                f'<button class="quiet">{words["remove_cover"]}</button> </form> '
            )
        html.append("</div> ")
        return "".join(html)

    def photo_texts(self) -> str:
        """The upload form's messages (journal/photo_form_texts.html, shared with the day page)."""
        if self._photo_texts is None:
            self._photo_texts = get_template("journal/photo_form_texts.html").render().strip()
        return self._photo_texts

    # Both

    @staticmethod
    def _url(parts: tuple[str, str], uuid_) -> str:
        return f"{parts[0]}{uuid_}{parts[1]}"

    @staticmethod
    def _conflict(conflict, target: str, context: Context) -> str:
        template = get_template("weekly/conflict.html").template
        with context.push(conflict=conflict, target=target):
            return template.render(context) + " "
