import uuid as uuid_lib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from config.http import AuthedRequest, parse_uuid
from config.ownership import owned_or_404, replayed_or_404
from config.sync import resolve_conflict

from . import week_page
from .forms import ItemCreateForm, ItemEditForm, MoveForm, ReadingNoteForm, ReviewForm, WeekForm
from .models import (
    ConflictKind,
    Item,
    ItemKind,
    ReadingKind,
    ReadingNote,
    Review,
    Section,
    Week,
    WeeklyConflictCopy,
    default_week_title,
    save_or_conflict,
)
from .timeline import FILTERS, timeline_page
from .tree import Node, flatten, split_sections
from .week_rows import BlankForm

WEEK_PAGE = "weekly/week_detail.html"
TIMELINE_PAGE = "weekly/week_timeline.html"
TIMELINE_FILTERS = [
    ("", gettext_lazy("All weeks")),
    ("open-tries", gettext_lazy("Open Tries")),
    ("missed", gettext_lazy("Below the target")),
    ("reading", gettext_lazy("Reading notes")),
]
BOARD_PAGE = "weekly/week_board.html"
MOVE_REFUSED = {
    "up": gettext_lazy("It is already the first one there."),
    "down": gettext_lazy("It is already the last one there."),
    "indent": gettext_lazy(
        "It cannot go further in: it needs an item above it, and lists nest three deep."
    ),
    "outdent": gettext_lazy("It is already at the top level."),
}


# Loading


def _week_for(request: AuthedRequest, start: date) -> Week:
    """The stored week, or an unsaved one: weeks are created on their first write. It knows
    whether it holds open conflicts, so a page without any asks no more."""
    week = week_page.stored_week(request.user, start)
    if week is None:
        end = start + timedelta(days=6)
        week = Week(user=request.user, start_date=start, end_date=end)
        week.title = default_week_title(start, end)
    return week


def _check_start(request: AuthedRequest, start: date) -> None:
    if request.journal_settings.week_of(start)[0] != start:
        raise Http404


def _item(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> Item:
    items = Item.objects.select_related("week").filter(week__start_date=start)
    return owned_or_404(items, request.user, uuid=uuid)


def _note(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> ReadingNote:
    notes = ReadingNote.objects.select_related("week").filter(week__start_date=start)
    return owned_or_404(notes, request.user, uuid=uuid)


@dataclass
class OpenConflicts:
    """A week's unresolved conflict copies, sorted to where the page shows them: at their item,
    note or the week's head; an item or note no longer on the page (deleted elsewhere, or under
    a deleted parent) is listed at the end of its section with its conflicts."""

    by_item: dict[int, list[WeeklyConflictCopy]] = field(default_factory=dict)
    by_note: dict[int, list[WeeklyConflictCopy]] = field(default_factory=dict)
    week: list[WeeklyConflictCopy] = field(default_factory=list)
    items: dict[int, Item] = field(default_factory=dict)
    notes: dict[int, ReadingNote] = field(default_factory=dict)

    def attach_to_items(self, shown: list[Item], section: str) -> list[Item]:
        """Give each shown item its conflicts; return the conflicted items not shown."""
        for item in shown:
            item.open_conflicts = self.by_item.get(item.id, [])
        shown_ids = {item.id for item in shown}
        hidden = [
            item for item_id, item in self.items.items()
            if item_id not in shown_ids and item.section == section
        ]  # fmt: skip
        for item in hidden:
            item.open_conflicts = self.by_item[item.id]
        return hidden

    def attach_to_notes(self, shown: list[ReadingNote]) -> list[ReadingNote]:
        for note in shown:
            note.open_conflicts = self.by_note.get(note.id, [])
        hidden = [note for note_id, note in self.notes.items() if note not in shown]
        for note in hidden:
            note.open_conflicts = self.by_note[note.id]
        return hidden


def _open_conflicts(request: AuthedRequest, week: Week) -> OpenConflicts:
    found = OpenConflicts()
    week.open_conflicts = found.week  # the page reads it: a missing attribute costs there
    if week.pk is None or getattr(week, "has_open_conflicts", True) is False:
        return found
    copies = (
        WeeklyConflictCopy.objects.for_user(request.user)
        .unresolved()
        .filter(week=week)
        .select_related("item", "note")
    )
    for copy in copies:
        copy.week = week
        if copy.kind == ConflictKind.ITEM:
            found.by_item.setdefault(copy.item_id, []).append(copy)
            found.items.setdefault(copy.item_id, copy.item)
        elif copy.kind == ConflictKind.NOTE:
            found.by_note.setdefault(copy.note_id, []).append(copy)
            found.notes.setdefault(copy.note_id, copy.note)
        else:
            found.week.append(copy)
    week.open_conflicts = found.week
    return found


def _live_items(request: AuthedRequest, week: Week) -> list[Item]:
    return week_page.live_items(request.user, week)


def _section_context(
    request: AuthedRequest,
    week: Week,
    section: str,
    items: list[Item] | None = None,
    conflicts: OpenConflicts | None = None,
    **extra,
) -> dict:
    keep, problem = split_sections(_live_items(request, week) if items is None else items)
    nodes = keep if section == Section.KEEP else problem
    conflicts = conflicts or _open_conflicts(request, week)
    unlisted = conflicts.attach_to_items([node.item for node in flatten(nodes)], section)
    depth = extra.pop("depth", 0)
    form = extra.pop("form", None)
    if form is None:
        initial = {"section": section, "depth": depth}
        form = BlankForm(ItemCreateForm, f"add-{section}-%s", initial)
    else:
        depth = form["depth"].value()
    last_depth = flatten(nodes)[-1].depth if nodes else -1
    # notice, deleted and moved are named even when empty: a name missing from the context
    # costs the template a chain of failed lookups each time it is read.
    return {"week": week, "section": section, "nodes": nodes, "form": form, "level": depth or 0,
            "last_depth": last_depth, "unlisted": unlisted, "notice": None, "deleted": None,
            "moved": None, **extra}  # fmt: skip


# The timeline


@require_safe
def timeline(request: AuthedRequest) -> HttpResponse:
    only = request.GET.get("filter", "")
    only = only if only in FILTERS else ""
    context = {"only": only, "filters": TIMELINE_FILTERS, "months": MONTHS.items(),
               "shown_year": _today(request).year}  # fmt: skip
    try:
        before = _timeline_before(request.GET)
    except ValueError as error:
        return render(request, TIMELINE_PAGE, {**context, "error": error}, status=400)
    page = timeline_page(request.user, request.journal_settings, before, only)
    if before:
        context["shown_year"] = (page.cards[0].start if page.cards else before).year
    if page.next_before:
        query = {"before": page.next_before.isoformat()} | ({"filter": only} if only else {})
        context["more_url"] = f"{reverse('weekly:timeline')}?{urlencode(query)}"
    template = TIMELINE_PAGE
    if request.htmx:
        template += "#timeline-page"
    return render(request, template, {**context, "cards": page.cards, "before": before})


def _timeline_before(query) -> date | None:
    """?year=2021&month=3 jumps to a month (the weeks starting before April), ?year=2021 to a
    year; ?before=2021-01-18 pages on. Anything else is a ValueError saying what to write."""
    if year := query.get("year", "").strip():
        try:
            year, month = int(year), int(query.get("month", "").strip() or 12)
        except ValueError:
            raise ValueError(_("Write the year and month as numbers, like 2021 and 3.")) from None
        if not (1 <= year <= 9998 and 1 <= month <= 12):
            raise ValueError(_("Choose a year from 1 to 9998 and a month from 1 to 12."))
        return date(year + month // 12, month % 12 + 1, 1)
    if before := query.get("before", "").strip():
        try:
            return date.fromisoformat(before)
        except ValueError:
            message = _("“%(value)s” is not a date. Write it as YYYY-MM-DD, like 2021-01-18.")
            raise ValueError(message % {"value": before[:40]}) from None
    return None


def _today(request: AuthedRequest) -> date:
    return request.journal_settings.today()


# The week page


@require_safe
def week(request: AuthedRequest, day: date) -> HttpResponse:
    start = request.journal_settings.week_of(day)[0]
    if start != day:
        return redirect("weekly:week", start)
    context = _week_context(request, _week_for(request, start))
    _show_undo(request, context)
    return render(request, WEEK_PAGE, context)


def _show_undo(request: AuthedRequest, context: dict) -> None:
    """Without JavaScript a delete comes back here with ?deleted_item= to offer its undo."""
    start = context["week"].start_date
    if item_uuid := parse_uuid(request.GET.get("deleted_item")):
        items = Item.objects.for_user(request.user).filter(week__start_date=start)
        if item := items.filter(uuid=item_uuid, deleted_at__isnull=False).first():
            context[item.section]["deleted"] = item
    if note_uuid := parse_uuid(request.GET.get("deleted_note")):
        notes = ReadingNote.objects.for_user(request.user).filter(week__start_date=start)
        if note := notes.filter(uuid=note_uuid, deleted_at__isnull=False).first():
            context["reading"]["deleted"] = note


def _week_context(request: AuthedRequest, week: Week) -> dict:
    items = _live_items(request, week)
    conflicts = _open_conflicts(request, week)
    entries = week_page.diary_entries(request.user, week)
    return {
        "week": week,
        "keep": _section_context(request, week, Section.KEEP, items, conflicts),
        "problem": _section_context(request, week, Section.PROBLEM, items, conflicts),
        "entries": entries,
        "progress": {
            "worked": len({entry.date for entry in entries if entry.worked}),
            "target": request.journal_settings.weekly_target_days,
        },
        "reading": _reading_context(request, week, conflicts=conflicts),
        "reviews": _review_rows(request, week, items),
        "previous_week": week.start_date - timedelta(days=7),
        "next_week": week.start_date + timedelta(days=7),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def week_edit(request: AuthedRequest, start: date) -> HttpResponse:
    _check_start(request, start)
    week = _week_for(request, start)
    merging = _conflict_to_merge(request, week)
    initial = {"title": week.title, "summary": week.summary, "base_revision": week.revision}
    if merging:
        initial["summary"] = _merged(week.summary, merging.fields.get("summary", ""))
    form = WeekForm(request.POST or None, initial=initial, auto_id="week-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stored = Week.get_or_create_for(request.user, start)
        base = data["base_revision"] or stored.revision
        if save_or_conflict(stored, base, title=data["title"], summary=data["summary"]):
            return _conflicted(request, stored)
        if merging:
            merging.mark_resolved()
        if not request.htmx:
            return redirect(stored)
        _open_conflicts(request, stored)
        return render(request, WEEK_PAGE + "#week-head", {"week": stored})
    template = "weekly/week_form.html"
    if request.htmx:
        template += "#week-form"
    return render(request, template, {"week": week, "form": form, "merging": merging})


def _merged(current: str, mine: str) -> str:
    """Both texts in one box, to be merged by hand (the same text once)."""
    if not mine or mine == current:
        return current
    return f"{current}\n\n---\n\n{mine}".strip()


@require_safe
def week_head(request: AuthedRequest, start: date) -> HttpResponse:
    _check_start(request, start)
    week = _week_for(request, start)
    if not request.htmx:
        return redirect("weekly:week", start)
    _open_conflicts(request, week)
    return render(request, WEEK_PAGE + "#week-head", {"week": week})


# KPT items


def _section_response(request: AuthedRequest, week: Week, section: str, **extra) -> HttpResponse:
    """After an item action: the section (or the board) again, for htmx; else back to the page."""
    notice = extra.get("notice")
    on_board = request.POST.get("view") == "board"
    if not request.htmx:
        if notice:
            messages.info(request, notice)
        target = reverse("weekly:board" if on_board else "weekly:week", args=[week.start_date])
        deleted = extra.get("deleted")
        query = f"?deleted_item={deleted.uuid}" if deleted else ""
        return redirect(f"{target}{query}#{section}")
    if on_board:
        return render(request, BOARD_PAGE + "#board", _board_context(request, week, **extra))
    context = _section_context(request, week, section, **extra)
    return render(request, WEEK_PAGE + "#kpt-section", context)


@require_http_methods(["GET", "HEAD", "POST"])
def items(request: AuthedRequest, start: date) -> HttpResponse:
    """GET: one section's fragment (htmx). POST: add an item at the end, at the chosen level."""
    _check_start(request, start)
    if request.method in {"GET", "HEAD"}:
        section = request.GET.get("section", Section.KEEP)
        if not request.htmx or section not in Section.values:
            return redirect("weekly:week", start)
        context = _section_context(request, _week_for(request, start), section)
        return render(request, WEEK_PAGE + "#kpt-section", context)
    # The ids name the section's form; a posted section that is none (or holds a "%") must not
    # become part of them.
    section = request.POST.get("section")
    section = section if section in Section.values else Section.KEEP
    form = ItemCreateForm(request.POST, auto_id=f"add-{section}-%s")
    if not form.is_valid():
        return _invalid_item(request, start, form)
    data = form.cleaned_data
    week = Week.get_or_create_for(request.user, start)
    _add_item(request, week, data)
    return _section_response(request, week, data["section"], depth=data["depth"])


def _invalid_item(request: AuthedRequest, start: date, form: ItemCreateForm) -> HttpResponse:
    week = _week_for(request, start)
    section = form.cleaned_data.get("section") or Section.KEEP
    if request.POST.get("view") == "board":  # answer the board that asked, not a list section
        notice = " ".join(error for errors in form.errors.values() for error in errors)
        context = _board_context(request, week, notice=notice)
        return render(request, BOARD_PAGE + "#board" if request.htmx else BOARD_PAGE, context)
    if request.htmx:
        context = _section_context(request, week, section, form=form)
        return render(request, WEEK_PAGE + "#kpt-section", context)
    context = _week_context(request, week)
    context[section] = _section_context(request, week, section, form=form)
    return render(request, WEEK_PAGE, context)


def _add_item(request: AuthedRequest, week: Week, data: dict) -> Item:
    if existing := replayed_or_404(Item.objects, request.user, data["uuid"]):
        return existing
    keep, problem = split_sections(_live_items(request, week))
    nodes = keep if data["section"] == Section.KEEP else problem
    if data["section"] == Section.KEEP:
        kind = ItemKind.KEEP
    else:
        kind = ItemKind.TRY if data["is_try"] else ItemKind.PROBLEM
    return Item.objects.create(
        user=request.user,
        week=week,
        uuid=data["uuid"] or uuid_lib.uuid4(),
        kind=kind,
        text=data["text"],
        parent=_parent_for_depth(nodes, data["depth"]),
    )


def _parent_for_depth(nodes: list[Node], depth: int) -> Item | None:
    """The item a new last item at `depth` nests under (clamped to one below the last item)."""
    flat = flatten(nodes)
    if not flat or depth <= 0:
        return None
    depth = min(depth, flat[-1].depth + 1)
    return next(node.item for node in reversed(flat) if node.depth == depth - 1)


@require_safe
def item_detail(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    item = _item(request, start, uuid)
    if not request.htmx:
        return redirect(f"{item.week.get_absolute_url()}#item-{item.uuid}")
    return render(request, WEEK_PAGE + "#item-row", {"item": item, "week": item.week})


@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    item = _item(request, start, uuid)
    merging = _conflict_to_merge(request, item)
    initial = {"text": item.text, "base_revision": item.revision}
    if merging:  # both texts in one line, to be merged by hand
        initial["text"] = f"{item.text} / {merging.mine_text}"
    form = ItemEditForm(request.POST or None, initial=initial, auto_id=f"item-{item.uuid}-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if save_or_conflict(item, data["base_revision"], text=data["text"]):
            return _conflicted(request, item.week, item=item)
        if merging:
            merging.mark_resolved()
        return _after_edit(request, item, request.POST.get("then"))
    template = "weekly/item_form.html"
    if request.htmx:
        template += "#item-form"
    context = {"item": item, "week": item.week, "form": form, "merging": merging}
    return render(request, template, context)


def _conflict_to_merge(request: AuthedRequest, target) -> WeeklyConflictCopy | None:
    """The open conflict copy named by ?merge= (or a posted `merge`), to edit both texts at once."""
    wanted = parse_uuid(request.POST.get("merge") or request.GET.get("merge") or "")
    if wanted is None or target.pk is None:
        return None
    return target.conflicts.filter(uuid=wanted, resolved_at__isnull=True).first()


def _conflicted(request: AuthedRequest, week: Week, item=None, note=None) -> HttpResponse:
    """409 after a lost race: the object as it is now, with the conflict copy just stored under
    it (for htmx), or the whole week page showing it. X-Conflict-Location says where it waits,
    for a change the outbox sends from another page."""
    if not request.htmx:
        response = render(request, WEEK_PAGE, _week_context(request, week), status=409)
    else:
        conflicts = _open_conflicts(request, week)
        if item is not None:
            item.open_conflicts = conflicts.by_item.get(item.id, [])
            context = {"item": item, "week": week}
            response = render(request, WEEK_PAGE + "#item-row", context, status=409)
        elif note is not None:
            note.open_conflicts = conflicts.by_note.get(note.id, [])
            context = {"note": note, "week": week}
            response = render(request, WEEK_PAGE + "#reading-note", context, status=409)
        else:
            response = render(request, WEEK_PAGE + "#week-head", {"week": week}, status=409)
    anchor = f"#item-{item.uuid}" if item else f"#note-{note.uuid}" if note else "#week-head"
    response["X-Conflict-Location"] = week.get_absolute_url() + anchor
    return response


def _after_edit(request: AuthedRequest, item: Item, then: str | None) -> HttpResponse:
    """Saved. Tab / Shift+Tab / Alt+arrows in the editor also move the item once saved."""
    if then in MOVE_REFUSED:
        response = _move(request, item, then)
        if request.htmx:  # the form asked to replace itself; the move redraws its section
            response = reswap(retarget(response, f"#section-{item.section}"), "outerHTML")
        return response
    if not request.htmx:
        return redirect(f"{item.week.get_absolute_url()}#item-{item.uuid}")
    return render(request, WEEK_PAGE + "#item-row", {"item": item, "week": item.week})


@require_POST
def item_star(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    item = _item(request, start, uuid)
    notice = None
    if item.kind == ItemKind.KEEP:
        notice = _("Only items under Problem & Try can be starred as a Try.")
    else:
        item.toggle_star()
    return _section_response(request, item.week, item.section, notice=notice)


@require_POST
def item_move(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    item = _item(request, start, uuid)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose up, down, indent or outdent."))
    return _move(request, item, form.cleaned_data["direction"])


def _move(request: AuthedRequest, item: Item, direction: str) -> HttpResponse:
    moved = getattr(item, {"up": "move_up", "down": "move_down"}.get(direction, direction))()
    notice = None if moved else MOVE_REFUSED[direction]
    return _section_response(request, item.week, item.section, notice=notice, moved=item)


@require_POST
def item_delete(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    item = _item(request, start, uuid)
    if not item.deleted_at:
        item.delete_softly()
    return _section_response(request, item.week, item.section, deleted=item)


@require_POST
def item_restore(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    item = _item(request, start, uuid)
    if item.deleted_at:
        item.restore()
    return _section_response(request, item.week, item.section, moved=item)


# Last week's Tries


def _review_rows(request: AuthedRequest, week: Week, this_weeks_items: list[Item]) -> list[dict]:
    previous = week_page.previous_tries(request.user, week.start_date)
    followed = {(item.carried_from_id, item.kind) for item in this_weeks_items}
    return [
        {
            "item": try_,
            "carried": (try_.id, ItemKind.TRY) in followed,
            "kept": (try_.id, ItemKind.KEEP) in followed,
        }
        for try_ in previous
    ]


@require_POST
def review(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    _check_start(request, start)
    try_ = _item(request, start - timedelta(days=7), uuid)
    form = ReviewForm(request.POST)
    if try_.kind != ItemKind.TRY or not form.is_valid():
        return HttpResponseBadRequest(_("Choose done, not done or dropped."))
    if state := form.cleaned_data["state"]:
        try_.bump(review=state)
    if follow_up := form.cleaned_data["follow_up"]:
        _follow_up(request, start, try_, follow_up)
    if not request.htmx:
        return redirect(reverse("weekly:week", args=[start]) + "#review")
    week = _week_for(request, start)
    rows = _review_rows(request, week, _live_items(request, week))
    context = {"week": week, "reviews": rows, "reviewed": try_.uuid}
    response = render(request, WEEK_PAGE + "#review", context)
    return trigger_client_event(response, "kpt-changed")


def _follow_up(request: AuthedRequest, start: date, try_: Item, follow_up: str) -> None:
    """Carry a Try not done into this week as a new Try, or record a Try done as a Keep."""
    kind = ItemKind.TRY if follow_up == "carry" else ItemKind.KEEP
    week = Week.get_or_create_for(request.user, start)
    mine = Item.objects.for_user(request.user).alive().filter(week=week)
    if not mine.filter(carried_from=try_, kind=kind).exists():
        Item.objects.create(
            user=request.user, week=week, kind=kind, text=try_.text, carried_from=try_
        )
    if follow_up == "carry" and try_.review == Review.OPEN:
        try_.bump(review=Review.NOT_DONE)


# Reading notes


def _reading_context(
    request: AuthedRequest, week: Week, conflicts: OpenConflicts | None = None, **extra
) -> dict:
    notes = week_page.live_notes(request.user, week)
    conflicts = conflicts or _open_conflicts(request, week)
    extra["unlisted"] = conflicts.attach_to_notes(notes)
    form = extra.pop("form", None) or BlankForm(
        ReadingNoteForm, "reading-new-%s", {"kind": ReadingKind.ARTICLE}
    )
    return {"week": week, "notes": notes, "reading_form": form, "notice": None, "deleted": None,
            "added": False, **extra}  # fmt: skip


def _reading_response(request: AuthedRequest, week: Week, **extra) -> HttpResponse:
    if not request.htmx:
        deleted = extra.get("deleted")
        query = f"?deleted_note={deleted.uuid}" if deleted else ""
        return redirect(f"{week.get_absolute_url()}{query}#reading")
    context = {"reading": _reading_context(request, week, **extra), "week": week}
    return render(request, WEEK_PAGE + "#reading-section", context)


@require_POST
def reading_create(request: AuthedRequest, start: date) -> HttpResponse:
    _check_start(request, start)
    form = ReadingNoteForm(request.POST, auto_id="reading-new-%s")
    if not form.is_valid():
        week = _week_for(request, start)
        if request.htmx:
            context = {"reading": _reading_context(request, week, form=form), "week": week}
            return render(request, WEEK_PAGE + "#reading-section", context)
        context = _week_context(request, week)
        context["reading"]["reading_form"] = form
        return render(request, WEEK_PAGE, context)
    data = form.cleaned_data
    week = Week.get_or_create_for(request.user, start)
    if not replayed_or_404(ReadingNote.objects, request.user, data["uuid"]):
        fields = {key: data[key] for key in ("title", "url", "kind", "notes", "impressions")}
        ReadingNote.objects.create(
            user=request.user, week=week, uuid=data["uuid"] or uuid_lib.uuid4(), **fields
        )
    return _reading_response(request, week, added=True)


@require_safe
def reading_detail(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    note = _note(request, start, uuid)
    if not request.htmx:
        return redirect(f"{note.week.get_absolute_url()}#note-{note.uuid}")
    return render(request, WEEK_PAGE + "#reading-note", {"note": note, "week": note.week})


@require_http_methods(["GET", "HEAD", "POST"])
def reading_edit(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    note = _note(request, start, uuid)
    merging = _conflict_to_merge(request, note)
    fields = ("title", "url", "kind", "notes", "impressions")
    initial = {key: getattr(note, key) for key in fields} | {"base_revision": note.revision}
    if merging:
        for key in ("notes", "impressions"):
            initial[key] = _merged(initial[key], merging.fields.get(key, ""))
        initial["url"] = note.url or merging.fields.get("url", "")
    form = ReadingNoteForm(request.POST or None, initial=initial, auto_id=f"note-{note.uuid}-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base = data["base_revision"] or note.revision
        if save_or_conflict(note, base, **{key: data[key] for key in fields}):
            return _conflicted(request, note.week, note=note)
        if merging:
            merging.mark_resolved()
        if not request.htmx:
            return redirect(f"{note.week.get_absolute_url()}#note-{note.uuid}")
        return render(request, WEEK_PAGE + "#reading-note", {"note": note, "week": note.week})
    template = "weekly/reading_form.html"
    if request.htmx:
        template += "#reading-form"
    context = {"note": note, "week": note.week, "form": form, "merging": merging}
    return render(request, template, context)


@require_POST
def reading_delete(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    note = _note(request, start, uuid)
    if not note.deleted_at:
        note.bump(deleted_at=timezone.now())
    return _reading_response(request, note.week, deleted=note)


@require_POST
def reading_restore(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    note = _note(request, start, uuid)
    if note.deleted_at:
        note.bump(deleted_at=None)
    return _reading_response(request, note.week)


@require_POST
def reading_move(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    note = _note(request, start, uuid)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest(_("Choose up or down."))
    notes = list(ReadingNote.objects.for_user(request.user).alive().filter(week=note.week))
    index = next((i for i, other in enumerate(notes) if other.pk == note.pk), None)
    if index is None:  # deleted meanwhile (a stale page, a replayed op): nothing to move
        return _reading_response(request, note.week)
    swap = index - 1 if direction == "up" else index + 1
    if not 0 <= swap < len(notes):
        return _reading_response(request, note.week, notice=MOVE_REFUSED[direction])
    order = [n.pk for n in notes]
    order[index], order[swap] = order[swap], order[index]
    for position, pk in enumerate(order, start=1):
        next(n for n in notes if n.pk == pk).bump(position=position)
    return _reading_response(request, note.week)


# Other views of the same week


def _board_context(request: AuthedRequest, week: Week, **extra) -> dict:
    keep, problem = split_sections(_live_items(request, week))
    problem_flat = flatten(problem)
    return {
        "week": week,
        "keep": flatten(keep),
        "problems": [node for node in problem_flat if node.item.kind == ItemKind.PROBLEM],
        "tries": [node for node in problem_flat if node.item.kind == ItemKind.TRY],
        **extra,
    }


@require_safe
def board(request: AuthedRequest, start: date) -> HttpResponse:
    _check_start(request, start)
    return render(request, BOARD_PAGE, _board_context(request, _week_for(request, start)))


@require_safe
def report(request: AuthedRequest, start: date) -> HttpResponse:
    _check_start(request, start)
    context = _week_context(request, _week_for(request, start))
    return render(request, "weekly/week_report.html", context)


@require_safe
def week_markdown(request: AuthedRequest, start: date) -> HttpResponse:
    from .report_format import week_to_markdown

    _check_start(request, start)
    week = _week_for(request, start)
    response = HttpResponse(week_to_markdown(week), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="weekly-{start.isoformat()}.md"'
    return response


# Conflicts


@require_POST
def conflict_resolve(request: AuthedRequest, start: date, uuid: uuid_lib.UUID) -> HttpResponse:
    """Keep mine (the copy's fields become the object's) or keep the current one (the copy is
    set aside). Editing both together goes through the object's edit form with ?merge=."""
    copies = (
        WeeklyConflictCopy.objects.unresolved()
        .filter(week__start_date=start)
        .select_related("week", "item", "note")
    )
    copy = owned_or_404(copies, request.user, uuid=uuid)
    if not resolve_conflict(copy, request.POST.get("choice")):
        return HttpResponseBadRequest(_("Choose which text to keep."))
    week = copy.week
    if not request.htmx:
        return redirect(copy.get_absolute_url())
    if copy.kind == ConflictKind.ITEM:
        copy.item.refresh_from_db()
        return _section_response(request, week, copy.item.section, moved=copy.item)
    if copy.kind == ConflictKind.NOTE:
        return _reading_response(request, week)
    week.refresh_from_db()
    _open_conflicts(request, week)
    return render(request, WEEK_PAGE + "#week-head", {"week": week})
