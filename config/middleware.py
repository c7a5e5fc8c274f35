from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from journal.models import JournalSettings


class ContentSecurityPolicyMiddleware:
    """Sends settings.SECURE_CSP as the Content-Security-Policy of every response, static files
    included, unless a view set its own.

    Our own rather than django-csp: the policy is one constant header with no nonces (nothing
    inline to allow), and Django 6.0's ContentSecurityPolicyMiddleware reads the same SECURE_CSP
    shape, so upgrading is one line in MIDDLEWARE and no dependency to drop."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.SECURE_CSP.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class CompressionMiddleware(GZipMiddleware):
    """Gzips the app's own text answers to a GET without a query string: pages, htmx fragments,
    /sw.js, the offline warm-up list, the manifest, a week's Markdown. Static files never get
    here (WhiteNoise, above, sends its own compressed copies).

    BREACH guesses a secret in a page from the compressed size of answers that also echo text
    the attacker chose. So what can echo such text stays uncompressed: an answer to a query
    string (search's ?q=, the login's ?next=, an edit form's ?merge=), to a POST (an invalid
    form is sent back with what was typed) and anything but a 200. What is compressed holds
    the user's own writing and the CSRF token (masked afresh for each response by Django), and
    Django pads each gzip answer with up to 100 random bytes. docs/decisions.md, issue 8."""

    TYPES = {
        "text/html",
        "text/javascript",
        "application/json",
        "application/manifest+json",
        "text/markdown",
    }

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if (
            request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and response.status_code == 200
            and content_type in self.TYPES
        ):
            return super().process_response(request, response)
        return response


class SetupRequiredMiddleware:
    """While no user exists, every page leads to /setup/, where the owner account is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setup_url = reverse("journal:setup")
        if (
            not request.user.is_authenticated
            and request.path != setup_url
            and not get_user_model().objects.exists()
        ):
            return redirect(setup_url)
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, except that an htmx request whose session ended reloads the whole page to the
    login form instead of swapping the login page into a fragment."""

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            # Back to the page the user was on (not the fragment's URL) after logging in.
            page = urlsplit(request.htmx.current_url or "/")
            next_url = page.path + (f"?{page.query}" if page.query else "")
            login_url = resolve_url(self.get_login_url(view_func))  # LOGIN_URL may be a name
            return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': next_url})}")
        return super().handle_no_permission(request, view_func)


class UserPreferencesMiddleware:
    """Loads the owner's journal settings once and speaks their language in their time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language, zone = settings.LANGUAGE_CODE, None
        if request.user.is_authenticated:
            try:
                prefs = request.user.journal_settings  # loaded with the user (config/auth.py)
            except JournalSettings.DoesNotExist:
                prefs, _ = JournalSettings.objects.get_or_create(user=request.user)
            request.journal_settings = prefs
            language, zone = prefs.language, prefs.zone
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if zone:
            timezone.activate(zone)
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class VaryOnHtmxMiddleware:
    """One URL serves a page or its fragment, so caches must key on HX-Request (DESIGN.md §4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        return response
