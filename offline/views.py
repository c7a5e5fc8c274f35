import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from config.http import AuthedRequest, HtmxHttpRequest
from journal.models import Entry
from weekly.models import ReadingNote

# The app shell: what every page needs, cached when the service worker installs.
SHELL_STATIC = [
    "app.css",
    "app.js",
    "outbox.js",
    "offline.js",
    "django_htmx/htmx-2.min.js",
    "icon.svg",
    "icons/icon-192.png",
]
WARM_DAYS = 14
WARM_WEEKS = 8


def _shell() -> list[str]:
    return [staticfiles_storage.url(name) for name in SHELL_STATIC] + [reverse("offline:page")]


def _version(shell: list[str]) -> str:
    # Hashed static names change with their content, so the list itself versions the caches.
    sw_source = (settings.BASE_DIR / "templates" / "offline" / "sw.js").read_bytes()
    return hashlib.sha256(("\n".join(shell)).encode() + sw_source).hexdigest()[:12]


@login_not_required
@require_safe
def service_worker(request: HtmxHttpRequest) -> HttpResponse:
    shell = _shell()
    context = {
        "version": _version(shell),
        "shell": json.dumps(shell),
        "static_url": settings.STATIC_URL,
    }
    response = render(request, "offline/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def manifest(request: HtmxHttpRequest) -> JsonResponse:
    icon = staticfiles_storage.url
    data = {
        "id": "/",
        "name": "綴り Tsuzuri",
        "short_name": "綴り",
        "description": "日記と週次振り返り",
        "lang": "ja",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#faf8f4",
        "theme_color": "#2f4f8f",
        "icons": [
            {"src": icon("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": icon("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": icon("icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@login_not_required
@require_safe
def offline_page(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "offline/offline.html")


class ClearingLogoutView(LogoutView):
    """Logging out also clears what this browser kept for offline use (caches, storage, the
    worker). static/offline.js asks first when changes are still waiting to be sent."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@require_safe
def warm_list(request: AuthedRequest) -> JsonResponse:
    """The pages to keep offline: today, the last 14 days and 8 weeks, and the edit forms of their
    entries, week heads and reading notes (an edit opened offline loads the kept form)."""
    prefs = request.journal_settings
    today = prefs.today()
    days = [today - timedelta(days=n) for n in range(WARM_DAYS)]
    this_week = prefs.week_of(today)[0]
    weeks = [this_week - timedelta(weeks=n) for n in range(WARM_WEEKS)]
    recent = Entry.objects.for_user(request.user).alive().between(days[-1], today)
    urls = [reverse("journal:today")]
    urls += [reverse("journal:day", args=[day]) for day in days]
    urls += [reverse("weekly:week", args=[start]) for start in weeks]
    uuids = recent.values_list("uuid", flat=True)
    urls += [reverse("journal:entry-edit", args=[uuid]) for uuid in uuids]
    urls += [reverse("weekly:week-edit", args=[start]) for start in weeks]
    notes = ReadingNote.objects.for_user(request.user).alive().filter(week__start_date__in=weeks)
    for start, uuid in notes.values_list("week__start_date", "uuid"):
        urls.append(reverse("weekly:reading-edit", args=[start, uuid]))
    return JsonResponse({"urls": urls})
