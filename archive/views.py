import logging
import tempfile
import uuid
from html import escape

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.http import AuthedRequest
from journal.templatetags.journal import weekday_short

from .export import export_name, write_export
from .forms import ImportForm, SearchForm
from .import_jobs import ImportJob
from .importing import ACTION_LABELS, CREATE, DUPLICATE, REFUSE, UPDATE
from .search import MAX_QUERY_LENGTH, Hit, search
from .sources import MB, SourceRefused, max_bytes

RESULTS_SHOWN = 20
logger = logging.getLogger(__name__)


@require_safe
def search_page(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": False, "hits": [], "more": False}
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        hits = search(
            request.user,
            data["q"],
            kinds=[data["kind"]] if data["kind"] else None,
            since=data["from"],
            until=data["to"],
            limit=RESULTS_SHOWN + 1,  # one more tells whether there are more
        )
        context |= {
            "searched": True,
            "hits": hits[:RESULTS_SHOWN],
            "hit_rows": hit_rows(hits[:RESULTS_SHOWN]),
            "more": len(hits) > RESULTS_SHOWN,
        }
    template = "archive/search.html"
    if request.htmx:
        template += "#results"
    else:
        context["form_html"] = search_form_html(form)
    return render(request, template, context)


def search_form_html(form: SearchForm) -> SafeString:
    """The search form. Through the template language its fields took half a millisecond of
    every search; here each value is read once from the query and every text escaped. The box
    asks for results only once the IME has committed the text (static/app.js sends
    search-typed)."""
    url = escape(reverse("archive:search"))
    fields, errors = form.fields, form.errors if form.is_bound else {}

    def given(name: str) -> str | None:  # as BoundField.value() has it: the query's text
        return form.data.get(name) if form.is_bound else None

    def invalid(name: str) -> str:
        return ' aria-invalid="true"' if name in errors else ""

    def label(name: str) -> str:
        return escape(str(fields[name].label))

    query = (given("q") or "")[:MAX_QUERY_LENGTH]
    chosen = given("kind") or ""
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(str(text))}</option>"
        for value, text in fields["kind"].choices
    )
    dates = "".join(
        f"""
      <div class="field">
        <label for="id_{name}">{label(name)}</label>
        <input type="date" name="{name}"{value} id="id_{name}"{invalid(name)}>
      </div>"""
        for name in ("from", "to")
        for value in [f' value="{escape(given(name))}"' if given(name) else ""]
    )
    hint = gettext(
        "Entries, KPT items and reading notes that contain every word. Words of one or two "
        "characters, such as 英語, work too."
    )
    return mark_safe(  # noqa: S308 — every value escaped above
        f"""<form class="search-form" role="search" method="get" action="{url}"
        hx-get="{url}" hx-target="#results" hx-push-url="true" hx-sync="this:replace"
        hx-trigger="submit, change from:find .search-filters">
    <label class="search-label" for="search-q">{label("q")}</label>
    <div class="search-box">
      <input type="search" id="search-q" name="q" value="{escape(query)}"
             maxlength="{fields["q"].max_length}" autocomplete="off" enterkeyhint="search"
             aria-describedby="search-hint"{"" if given("q") else " autofocus"} data-live-search
             hx-get="{url}" hx-trigger="search-typed changed delay:300ms, search"
             hx-include="closest form" hx-target="#results" hx-push-url="true"
             hx-sync="closest form:replace">
      <button class="primary">{escape(gettext("Search"))}</button>
    </div>
    <p id="search-hint" class="hint">{escape(hint)}</p>
    <fieldset class="search-filters">
      <legend class="visually-hidden">{escape(gettext("Narrow the search"))}</legend>
      <div class="field">
        <label for="id_kind">{label("kind")}</label>
        <select name="kind" id="id_kind"{invalid("kind")}>
          {options}
        </select>
      </div>{dates}
    </fieldset>
  </form>"""
    )


def hit_rows(hits: list[Hit]) -> SafeString:
    """The <li> of each hit. Through the template language twenty of them took a third of the
    page's time; here each word is translated once and every text escaped (a hit's title and
    snippet come escaped, with their <mark>s)."""
    diary, note, untitled = (
        escape(gettext(text)) for text in ("Diary", "Reading note", "(untitled)")
    )
    week_of = escape(gettext("Week of %(day)s"))
    weekdays = [weekday_short(n) for n in range(7)]
    rows = []
    for hit in hits:
        day = f"{hit.date:%Y/%m/%d}({weekdays[hit.date.weekday()]})"
        label = escape(hit.label)
        if hit.kind == "entry":
            badge, when = diary, f'<time datetime="{hit.date.isoformat()}">{day}</time>'
        else:
            badge = label if hit.kind == "item" else note
            when = f"<span>{week_of % {'day': day}}</span>"
        if hit.kind == "note":
            when += f" <span>{label}</span>"
        snippet = f'<p class="search-snippet">{hit.snippet}</p>' if hit.snippet else ""
        rows.append(
            f'<li class="search-hit"><p class="search-hit-meta">'
            f'<span class="badge kind-{hit.kind}">{badge}</span> {when}</p>'
            f'<h2 class="search-hit-title"><a href="{escape(hit.url)}">{hit.title or untitled}</a>'
            f"</h2>{snippet}</li>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every part escaped above


# /archive/: export and import

ARCHIVE_PAGE = "archive/archive.html"
LINES_SHOWN = 200  # of those not refused, in the collapsed list
REFUSED_SHOWN = 1000
LINKS_SHOWN = 60


@require_safe
def archive_page(request: AuthedRequest) -> HttpResponse:
    return render(request, ARCHIVE_PAGE, form_context(ImportForm()))


@require_safe
@never_cache
def export_zip(request: AuthedRequest) -> FileResponse:
    """The whole journal as one zip, written to a temporary file in the data folder first (a
    photo-heavy journal is too big to hold in memory) and streamed from there."""
    out = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115 — FileResponse closes it
    write_export(request.user, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=export_name(request.user))


@require_POST
def import_upload(request: AuthedRequest) -> HttpResponse:
    """A plain multipart POST (the outbox queues hx-post forms, and an upload needs the network
    now): stores the file and its dry run, then shows it at the import's own address."""
    form = ImportForm(request.POST, request.FILES)
    if refused := getattr(request, "refused_import", None):  # archive/uploads.py
        form.is_valid()
        form.errors.clear()  # the fields after the file were never read: only say why
        form.add_error("file", refused)
    elif form.is_valid():
        data = form.cleaned_data
        try:
            job = ImportJob.create(request.user, data["file"], data["format"], form.options())
        except SourceRefused as error:
            form.add_error("file", str(error))
        except Exception:  # a reader's bug on a file nobody foresaw: a message, not a 500
            logger.exception("Reading an upload as %s failed", data["format"])
            form.add_error("file", gettext("The file could not be read in this format."))
        else:
            return redirect("archive:import", job.id)
    return render(request, ARCHIVE_PAGE, form_context(form))


@require_http_methods(["GET", "HEAD", "POST"])
def import_job(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    """GET: the dry run, the progress or the outcome (for htmx, polling: the status only);
    POST: run the import, then show its progress."""
    job = ImportJob.get(request.user, job_id)
    if request.method == "POST":
        job.start(request.user)
        return redirect("archive:import", job.id)
    template = ARCHIVE_PAGE
    if request.htmx:
        template += "#import-status"
    return render(request, template, {"job": job, **job_context(job)})


def form_context(form: ImportForm) -> dict:
    return {"form": form, "max_mb": max_bytes() // MB}


def job_url(job: ImportJob) -> str:
    return reverse("archive:import", args=[job.id])


def job_context(job: ImportJob) -> dict:
    state = job.state()
    context = {"state": state, "job_url": job_url(job)}
    if state["state"] == "planned":
        lines = job.lines()
        refused = [line for line in lines if line.action == REFUSE]
        others = [line for line in lines if line.action != REFUSE]
        counts = dict.fromkeys((CREATE, UPDATE, DUPLICATE, REFUSE), 0)
        for line in lines:
            counts[line.action] += 1
        context |= {
            "counts": [(ACTION_LABELS[a], n, a) for a, n in counts.items() if n or a != UPDATE],
            "refused": refused[:REFUSED_SHOWN],
            "refused_hidden": max(0, len(refused) - REFUSED_SHOWN),
            "others": others[:LINES_SHOWN],
            "others_total": len(others),
            "others_hidden": max(0, len(others) - LINES_SHOWN),
        }
    elif state["state"] == "done":
        context |= {
            "days": state.get("days", [])[:LINKS_SHOWN],
            "days_total": len(state.get("days", [])),
            "weeks": state.get("weeks", [])[:LINKS_SHOWN],
            "weeks_total": len(state.get("weeks", [])),
            "counts": [(ACTION_LABELS[a], n, a) for a, n in state.get("counts", {}).items() if n],
        }
    return context
