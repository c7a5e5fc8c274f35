import uuid
from datetime import date

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from journal.models import JournalSettings


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    """A request that passed the login check, with the user's journal settings loaded."""

    user: User
    journal_settings: JournalSettings


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a query string, or None for anything else (never an error page)."""
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def url_format(name: str) -> str:
    """The URL of a view taking one date, as a format string ("/days/{}/"): a page of many
    such links reverses the route once."""
    sample = date(2000, 1, 1)
    return reverse(name, args=[sample]).replace(sample.isoformat(), "{}")
