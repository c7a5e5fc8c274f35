"""django-axes hooks: the page a locked-out login gets, and the client address behind a proxy."""

from axes.helpers import get_client_username, get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """Our page, 429, for every lockout: axes' own answer to an XMLHttpRequest would carry
    Access-Control-Allow-Origin, and the app sends no CORS headers at all."""
    context = {
        "username": get_client_username(request, credentials) or "",
        "minutes": int(get_cool_off(request).total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def client_ip(request: HttpRequest) -> str | None:
    """With DJANGO_SECURE the app sits behind one reverse proxy, which appends the address it
    saw to X-Forwarded-For; earlier entries are the client's to forge, so only the last counts."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.META.get("REMOTE_ADDR")
