import calendar
import uuid as uuid_lib
from copy import copy
from datetime import MAXYEAR, MINYEAR, date, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from config.http import AuthedRequest, HtmxHttpRequest, parse_uuid
from config.ownership import owned_or_404, replayed_or_404
from config.sync import resolve_conflict

from . import day_page
from .forms import EntryCreateForm, EntryEditForm, SettingsForm, WorkedForm
from .heatmap import year_context
from .models import ConflictCopy, Entry, JournalSettings
from .month_rows import MonthCells
from .summaries import day_summaries, weeks_meeting

DAY_PAGE = "journal/day_detail.html"
NEW_ENTRY_ID = "new-entry-%s"


# Accounts and settings


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HtmxHttpRequest) -> HttpResponse:
    if get_user_model().objects.exists():
        raise Http404
    form = UserCreationForm(request.POST or None)
    if form.is_valid():
        # SQLite takes the write lock at BEGIN (IMMEDIATE): a second racing setup finds the owner.
        with transaction.atomic():
            if get_user_model().objects.exists():
                raise Http404
            owner = form.save(commit=False)
            owner.is_staff = owner.is_superuser = True
            owner.save()
            JournalSettings.objects.create(user=owner)
        login(request, owner, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("journal:settings")
    return render(request, "registration/setup.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def journal_settings(request: AuthedRequest) -> HttpResponse:
    # A copy: an invalid form fills its instance, and the header must keep showing saved values.
    form = SettingsForm(request.POST or None, instance=copy(request.journal_settings))
    if form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("journal:settings")
    return render(request, "journal/settings_form.html", {"form": form})


@require_safe
def week_progress(request: AuthedRequest) -> HttpResponse:
    if not request.htmx:
        return redirect("journal:today")
    return render(request, "base.html#week-progress")


# Days and months


def _render_day(
    request: AuthedRequest, day: date, form=None, status: int = 200, on_this_day: bool = False
) -> HttpResponse:
    deleted = None
    if undo := request.GET.get("deleted"):
        deleted = (
            Entry.objects.for_user(request.user)
            .filter(uuid=parse_uuid(undo), deleted_at__isnull=False)
            .first()
        )
    context = {
        "day": day,
        "entries": day_page.day_entries(request.user, day),
        "deleted": deleted,
        "form": form or EntryCreateForm(initial={"date": day}, auto_id=NEW_ENTRY_ID),
        "is_today": day == request.journal_settings.today(),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }
    if on_this_day:
        context["on_this_day"] = day_page.on_this_day(request.user, day)
        # Conflicts wait on their entries' days and weeks; today lists them all so none is
        # forgotten.
        context["open_conflicts"] = day_page.open_conflicts(request.user)
    return render(request, DAY_PAGE, context, status=status)


@require_safe
def today(request: AuthedRequest) -> HttpResponse:
    return _render_day(request, request.journal_settings.today(), on_this_day=True)


@require_safe
def day(request: AuthedRequest, day: date) -> HttpResponse:
    return _render_day(request, day)


@require_safe
def month(request: AuthedRequest, month: date) -> HttpResponse:
    prefs = request.journal_settings
    weeks = calendar.Calendar(firstweekday=prefs.week_start).monthdatescalendar(
        month.year, month.month
    )
    summaries = day_summaries(request.user, weeks[0][0], weeks[-1][-1])
    days = MonthCells(month, prefs.today())
    rows = []
    for week in weeks:
        cells = [{"date": d, **summaries.get(d, {"entries": 0, "worked": False})} for d in week]
        worked = sum(cell["worked"] for cell in cells)
        rows.append({"html": days.row(cells), "worked": worked})
    context = {
        "month": month,
        "rows": rows,
        "weekday_heads": [(prefs.week_start + i) % 7 for i in range(7)],
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": (month + timedelta(days=31)).replace(day=1),
        "today": prefs.today(),
        "written_days": sum(1 for s in summaries.values() if s["entries"]),
    }
    return render(request, "journal/month_detail.html", context)


@require_safe
def year(request: AuthedRequest, year: int) -> HttpResponse:
    if not MINYEAR < year < MAXYEAR:  # the first and last weeks reach into the years around it
        raise Http404
    prefs = request.journal_settings
    first, last = prefs.week_of(date(year, 1, 1))[0], prefs.week_of(date(year, 12, 31))[1]
    summaries = day_summaries(request.user, first, last)
    met_weeks = weeks_meeting(request.user, prefs.week_start, prefs.weekly_target_days)
    context = year_context(prefs, year, summaries, met_weeks)
    return render(request, "journal/year_detail.html", context)


# Entries


def _render_entry(request: AuthedRequest, entry: Entry, status: int = 200) -> HttpResponse:
    entry.open_conflicts = list(entry.conflicts.filter(resolved_at__isnull=True))
    entry.ensure_rendered()
    partial = "#entry-deleted" if entry.deleted_at and not entry.open_conflicts else "#entry"
    return render(request, DAY_PAGE + partial, {"entry": entry}, status=status)


def _saved(
    request: AuthedRequest, entry: Entry, status: int = 200, progress: bool = True
) -> HttpResponse:
    """After a change: the entry's fragment for htmx, with an event that has the header's dots
    asked for again when the change may have moved them (`progress`)."""
    if not request.htmx:
        if status == 409:
            response = _render_day(request, entry.date, status=409)
            response["X-Conflict-Location"] = entry.get_absolute_url()
            return response
        return redirect(entry)
    response = _render_entry(request, entry, status=status)
    if status == 409:  # where the conflict waits, for a change the outbox sent from elsewhere
        response["X-Conflict-Location"] = entry.get_absolute_url()
    return trigger_client_event(response, "entry-saved") if progress else response


@require_POST
def entry_create(request: AuthedRequest) -> HttpResponse:
    form = EntryCreateForm(request.POST, auto_id=NEW_ENTRY_ID)
    if not form.is_valid():
        if request.htmx:
            return render(request, DAY_PAGE + "#new-entry", {"form": form})
        return _render_day(request, form.cleaned_data.get("date") or _today(request), form)
    data = form.cleaned_data
    entry = replayed_or_404(Entry.objects, request.user, data["uuid"])
    if entry is None:
        entry = Entry.objects.create(
            user=request.user,
            uuid=data["uuid"] or uuid_lib.uuid4(),
            **{key: data[key] for key in ("date", "title", "body", "worked")},
        )
    if not request.htmx:
        return redirect(entry)
    fresh_form = EntryCreateForm(initial={"date": entry.date}, auto_id=NEW_ENTRY_ID)
    response = render(request, DAY_PAGE + "#entry-created", {"entry": entry, "form": fresh_form})
    return trigger_client_event(response, "entry-saved")


def _today(request: AuthedRequest) -> date:
    return request.journal_settings.today()


@require_safe
def entry_detail(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    entry = owned_or_404(Entry.objects, request.user, uuid=uuid)
    if not request.htmx:
        return redirect(entry)
    return _render_entry(request, entry)


@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    entry = owned_or_404(Entry.objects, request.user, uuid=uuid)
    merging = _conflict_to_merge(request, entry)
    form = EntryEditForm(
        request.POST or None,
        initial=_edit_initial(entry, merging),
        auto_id=f"entry-{entry.uuid}-%s",  # several forms share a page: ids must not clash
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {key: data[key] for key in ("title", "body", "worked", "starred")}
        worked_before = entry.worked
        if entry.edit_or_conflict(data["base_revision"], **changes):
            return _saved(request, entry, status=409)
        if merging:
            merging.mark_resolved()
        # A new title or body moves no dot: the header is not asked for again.
        return _saved(request, entry, progress=entry.worked != worked_before)
    template = "journal/entry_form.html"
    if request.htmx:
        template += "#entry-form"
    return render(request, template, {"entry": entry, "form": form, "merging": merging})


def _conflict_to_merge(request: AuthedRequest, entry: Entry) -> ConflictCopy | None:
    wanted = parse_uuid(request.POST.get("merge") or request.GET.get("merge") or "")
    if wanted is None:
        return None
    return entry.conflicts.filter(uuid=wanted, resolved_at__isnull=True).first()


def _edit_initial(entry: Entry, merging: ConflictCopy | None) -> dict:
    initial = {
        "title": entry.title,
        "body": entry.body,
        "worked": entry.worked,
        "starred": entry.starred,
        "base_revision": entry.revision,
    }
    if merging:  # both texts in one box, to be merged by hand
        initial["body"] = f"{entry.body}\n\n---\n\n{merging.body}".strip()
        initial["worked"] = entry.worked or merging.worked
        initial["starred"] = entry.starred or merging.starred
    return initial


@require_POST
def entry_worked(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    entry = owned_or_404(Entry.objects, request.user, uuid=uuid)
    form = WorkedForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The request was incomplete. Reload the page."))
    conflict = entry.edit_or_conflict(
        form.cleaned_data["base_revision"], worked=form.cleaned_data["worked"]
    )
    return _saved(request, entry, status=409 if conflict else 200)


@require_POST
def entry_delete(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    entry = owned_or_404(Entry.objects, request.user, uuid=uuid)
    if not entry.deleted_at:
        entry.delete_softly()
    if not request.htmx:
        return redirect(f"{entry.get_absolute_url().split('#')[0]}?deleted={entry.uuid}")
    return _saved(request, entry)


@require_POST
def entry_restore(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    entry = owned_or_404(Entry.objects, request.user, uuid=uuid)
    if entry.deleted_at:
        entry.restore()
    return _saved(request, entry)


@require_POST
def conflict_resolve(request: AuthedRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    copy = owned_or_404(ConflictCopy.objects.unresolved(), request.user, uuid=uuid)
    if not resolve_conflict(copy, request.POST.get("choice")):
        return HttpResponseBadRequest(_("Choose which text to keep."))
    copy.entry.refresh_from_db()
    return _saved(request, copy.entry)
