"""What the management commands share: whose journal they act on, and dates as arguments."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def resolve_user(username: str | None):
    """The named user, or the only one: a journal usually has exactly one owner."""
    users = get_user_model().objects.order_by("pk")
    if username:
        try:
            return users.get(**{get_user_model().USERNAME_FIELD: username})
        except get_user_model().DoesNotExist:
            raise CommandError(_("There is no user %(name)s.") % {"name": username}) from None
    found = list(users[:2])
    if not found:
        raise CommandError(_("There is no user yet. Create one at /setup/ first."))
    if len(found) > 1:
        raise CommandError(_("There are several users. Name one with --user."))
    return found[0]


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Write the date as YYYY-MM-DD: %(value)s") % {"value": value}
        ) from None
