from html import escape

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from config.http import AuthedRequest
from journal.templatetags.journal import weekday_short

from .forms import SearchForm
from .search import Hit, search

RESULTS_SHOWN = 20


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
    return render(request, template, context)


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
