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
