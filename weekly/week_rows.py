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

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from itertools import groupby
from typing import TYPE_CHECKING, ClassVar

from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from journal.templatetags.journal import cover as cover_of
from journal.templatetags.journal import jdate

from .models import Item, ItemKind, ReadingKind, ReadingNote, Review
from .tree import Node

if TYPE_CHECKING:
    from .week_page import DiaryLine

SAMPLE = str(uuid.UUID(int=0))
SAMPLE_DAY = date(2000, 1, 3)
COVER_TYPES = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"
ITEM_ROUTES = ("weekly:item-edit", "weekly:item-star", "weekly:item-move", "weekly:item-delete",
               "weekly:review")  # fmt: skip
NOTE_ROUTES = ("weekly:reading-edit", "weekly:reading-move", "weekly:reading-delete",
               "journal:reading-cover")  # fmt: skip


def short(text: str) -> str:
    """`text|truncatechars:30`, escaped: how a row's buttons name it for screen readers."""
    if len(text) <= 30:  # what Truncator gives a text this short, without its cost
        return escape(unicodedata.normalize("NFC", text))
    return escape(Truncator(text).chars(30))


@cache
def _routes(script_prefix: str) -> dict[str, str]:
    """The rows' URLs for a sample week and object, reversed once a process."""
    return {name: reverse(name, args=[SAMPLE_DAY, SAMPLE]) for name in ITEM_ROUTES + NOTE_ROUTES}


@cache
def _day_route(name: str, script_prefix: str) -> str:
    return reverse(name, args=[SAMPLE_DAY])


def week_url(name: str, start: date) -> str:
    """`reverse(name, args=[start])` for the week's own pages, from the route reversed once a
    process (a reverse costs the page some hundredths of a millisecond each time)."""
    return _day_route(name, get_script_prefix()).replace(SAMPLE_DAY.isoformat(), start.isoformat())


@cache
def _words(language: str) -> dict[str, str]:
    """The rows' words in the active language (`language`), translated and escaped once."""
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
        "review_of": gettext("Review of"),
        "done": gettext("Done"),
        "not_done": gettext("Not done"),
        "dropped": gettext("Dropped"),
        "carried_in": gettext("Carried into this week"),
        "carry": gettext("Carry into this week"),
        "kept": gettext("Recorded as a Keep"),
        "keep": gettext("Record as a Keep"),
        "starred": gettext("Starred:"),
        "worked": gettext("worked"),
        "untitled": gettext("(untitled)"),
    }
    words = {key: escape(message) for key, message in words.items()}
    words |= {f"review-{value}": escape(str(label)) for value, label in Review.choices}
    words |= {f"kind-{value}": escape(str(label)) for value, label in ReadingKind.choices}
    words["photo_texts"] = get_template("journal/photo_form_texts.html").render().strip()
    return words


class WeekRows:
    """The rows of one week's page for one request: make it with `of(context)`."""

    def __init__(self, start: date, csrf_token: str = ""):
        def split(url: str) -> tuple[str, str]:
            before, after = url.replace(SAMPLE_DAY.isoformat(), start.isoformat()).split(SAMPLE)
            return escape(before), escape(after)

        routes = _routes(get_script_prefix())
        self.urls = {name.split(":")[1]: split(routes[name]) for name in routes}
        self.day_url = escape(_day_route("journal:day", get_script_prefix()))
        self.words = _words(get_language())
        self.cover_alt = gettext("Cover of “%(title)s”")
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(csrf_token))}">'
            if csrf_token and str(csrf_token) != "NOTPROVIDED"
            else ""
        )

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
        text, uuid_ = escape(item.text), str(item.uuid)  # a UUID is made a string once a row
        html = [f'<div id="item-row-{uuid_}" class="{classes}" hx-target="this" '
                'hx-swap="outerHTML"> ']  # fmt: skip
        if item.deleted_at:
            html.append(
                f'<span class="item-text">{text}</span> '
                f'<span class="badge deleted">{self.words["deleted_item"]}</span> '
            )
        else:
            html.append(self._item_body(item, text, uuid_, context))
        for conflict in conflicts:
            html.append(self._conflict(conflict, f"#section-{item.section}", context))
        html.append("</div>")
        return mark_safe("".join(html))

    def _item_body(self, item: Item, text: str, uuid_: str, context: Context) -> str:
        words, name = self.words, short(item.text)
        target = f' hx-target="#section-{item.section}" hx-swap="outerHTML"'
        html = []
        if item.kind != ItemKind.KEEP:
            star = self._url(self.urls["item-star"], uuid_)
            is_try = item.kind == ItemKind.TRY
            html.append(
                f'<form class="star-form" method="post" action="{star}" hx-post="{star}" '
                f'hx-target="#section-problem" hx-swap="outerHTML"> {self.csrf} '
                f'<button class="star" aria-pressed="{"true" if is_try else "false"}" '
                f'aria-label="{words["try"]}: {name}">{"★" if is_try else "☆"}'
                "</button> </form> "
            )
        edit = self._url(self.urls["item-edit"], uuid_)
        moved = context.get("moved")
        focus = " data-focus" if getattr(moved, "uuid", None) == item.uuid else ""
        html.append(f'<a class="item-text" href="{edit}" hx-get="{edit}"{focus}>{text}</a> ')
        if item.carried_from_id:
            html.append(
                f'<span class="badge carried" title="{words["carried_title"]}">↪ '
                f"{words['carried']}</span> "
            )
        if item.kind == ItemKind.TRY and item.review != Review.OPEN:
            html.append(
                f'<span class="badge review-{escape(item.review)}">'
                f"{self.words.get('review-' + item.review, escape(item.review))}</span> "
            )
        move = self._url(self.urls["item-move"], uuid_)
        delete = self._url(self.urls["item-delete"], uuid_)
        html.append(
            '<details class="item-menu"> <summary><span aria-hidden="true">⋯</span>'
            f'<span class="visually-hidden">{words["actions"]} {name}</span></summary> '
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

    # Last week's Tries, to review

    def review_rows(self, rows: list[dict], context: Context) -> SafeString:
        """Last week's Tries, each with its review buttons and what was done with it."""
        reviewed = context.get("reviewed")
        return mark_safe(" ".join(self._review(row, reviewed) for row in rows))

    def _review(self, row: dict, reviewed) -> str:
        words, item = self.words, row["item"]
        text = escape(item.text)
        parent = f'<span class="hint">← {escape(item.parent.text)}</span>' if item.parent_id else ""
        review = self._url(self.urls["review"], item.uuid)
        focus = " data-focus" if reviewed == item.uuid else ""
        states = " ".join(
            f'<button name="state" value="{state}" '
            f'aria-pressed="{"true" if item.review == state else "false"}">{words[state]}</button>'
            for state in ("done", "not_done", "dropped")
        )
        html = [
            f'<div class="review-row state-{escape(item.review)}"> '
            f'<p class="review-text"><span class="star-mark" aria-hidden="true">★</span> {text} '
            f"{parent}</p> "
            f'<form class="review-actions" method="post" action="{review}" hx-post="{review}" '
            f'hx-target="#review-list" hx-swap="outerHTML"> {self.csrf} '
            f'<span class="segmented" role="group" aria-label="{words["review_of"]} {text}"> '
            f"{states} </span> "
        ]
        if row["carried"]:
            html.append(f'<span class="badge carried">{words["carried_in"]}</span> ')
        elif item.review == Review.NOT_DONE:
            html.append(
                f'<button name="follow_up" value="carry" class="primary-quiet"{focus}>'
                f"{words['carry']}</button> "
            )
        if row["kept"]:
            html.append(f'<span class="badge kept">{words["kept"]}</span> ')
        elif item.review == Review.DONE:
            html.append(
                f'<button name="follow_up" value="keep" class="primary-quiet"{focus}>'
                f"{words['keep']}</button> "
            )
        html.append("</form> </div>")
        return "".join(html)

    # The week's diary

    def diary(self, entries: list["DiaryLine"]) -> SafeString:
        """The <li>s of the week's diary: each day (a link to it) with its entries' titles."""
        days = []
        for day, shown in groupby(entries, key=lambda entry: entry.date):
            url = self.day_url.replace(SAMPLE_DAY.isoformat(), day.isoformat())
            titles = " ".join(self._diary_entry(entry, url) for entry in shown)
            days.append(
                f'<li> <a class="week-diary-date" href="{url}">{jdate(day)}</a> '
                f"<ul> {titles} </ul> </li>"
            )
        return mark_safe(f" {' '.join(days)} ")

    def _diary_entry(self, entry: "DiaryLine", url: str) -> str:
        words = self.words
        star = (
            '<span class="entry-star" aria-hidden="true">★</span>'
            f'<span class="visually-hidden">{words["starred"]} </span>'
            if entry.starred
            else ""
        )
        worked = (
            ' <span class="mark worked" aria-hidden="true"></span>'
            f'<span class="visually-hidden">{words["worked"]}</span>'
            if entry.worked
            else ""
        )
        title = escape(entry.title) if entry.title else words["untitled"]
        return f'<li><a href="{url}#entry-{entry.uuid}">{star}{title}</a>{worked}</li>'

    # Reading notes

    def note(self, note: ReadingNote, context: Context) -> SafeString:
        """A reading note: title and kind, cover, link, notes and impressions, its actions."""
        words, uuid_ = self.words, str(note.uuid)
        title = escape(note.title)
        cover = cover_of(note)
        html = [
            f'<article id="note-{uuid_}" class="reading-note" hx-target="this" '
            f'hx-swap="outerHTML" aria-labelledby="note-title-{uuid_}"> '
            f'<h3 id="note-title-{uuid_}">{title} <span class="badge kind">'
            f"{self.words.get('kind-' + note.kind, escape(note.kind))}</span></h3> "
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
        words, uuid_, short_title = self.words, str(note.uuid), short(note.title)
        edit = self._url(self.urls["reading-edit"], uuid_)
        move = self._url(self.urls["reading-move"], uuid_)
        delete = self._url(self.urls["reading-delete"], uuid_)
        cover_url = self._url(self.urls["reading-cover"], uuid_)
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
            f"{self.words['photo_texts']}> {self.csrf} "
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

    # All of them

    @staticmethod
    def _url(parts: tuple[str, str], uuid_) -> str:
        return f"{parts[0]}{uuid_}{parts[1]}"

    @staticmethod
    def _conflict(conflict, target: str, context: Context) -> str:
        template = get_template("weekly/conflict.html").template
        with context.push(conflict=conflict, target=target):
            return template.render(context) + " "


# The add forms

_BLANK_FORMS: dict[tuple, SafeString] = {}


@dataclass(frozen=True)
class BlankForm:
    """An add form not filled in yet, as the page shows it but after an invalid post: its
    class and how it is made. form_html renders it once a language, and only then is the form
    made (copying its fields cost a tenth of a millisecond a form); the templates read no
    more of it than that it has no errors."""

    form_class: type
    auto_id: str
    initial: dict

    errors: ClassVar[dict] = {}


def form_html(template_name: str, form, **extra) -> SafeString:
    """`template_name` rendered with `form` (and `extra`).

    Each widget of a form goes through the template language (a select through one template
    an option), a third of a millisecond a field. A blank form with the same ids and initial
    values is the same HTML every time in a language: the week page's add forms, of which there
    are a dozen variants, are rendered once a process. A bound form (with the user's input or
    errors) is rendered each time."""
    if not isinstance(form, BlankForm):
        return mark_safe(get_template(template_name).render({"form": form, **extra}))
    key = (template_name, form.form_class, form.auto_id, get_language(),
           repr(sorted(form.initial.items())), repr(sorted(extra.items())))  # fmt: skip
    if key not in _BLANK_FORMS:
        made = form.form_class(initial=form.initial, auto_id=form.auto_id)
        html = mark_safe(get_template(template_name).render({"form": made, **extra}))
        if len(_BLANK_FORMS) > 100:  # never expected; a bound on memory all the same
            _BLANK_FORMS.clear()
        _BLANK_FORMS[key] = html
    return _BLANK_FORMS[key]
