"""The app's URLs plus `/__floor__/`, the benchmark's floor (scripts/bench.py): a short template
rendered with the request, through the same middleware stack as every page, so that a page's
time over the floor's is what the page itself costs."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as app_patterns

FLOOR = engines["django"].from_string(
    "<!doctype html><title>floor</title><p>{{ user.get_username }}</p>"
)


def floor(request) -> HttpResponse:
    return HttpResponse(FLOOR.render({}, request))


urlpatterns = [path("__floor__/", floor, name="bench-floor"), *app_patterns]
