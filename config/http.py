import uuid

from django.contrib.auth.models import User
from django.http import HttpRequest
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
