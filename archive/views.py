from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.http import AuthedRequest

from .forms import SearchForm
from .search import search

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
            "more": len(hits) > RESULTS_SHOWN,
        }
    template = "archive/search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)
