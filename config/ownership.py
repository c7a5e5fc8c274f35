"""The one way to load a user's rows.

Every model holding user data gets its manager from `OwnedQuerySet`, and every view loads through
`for_user()` (or `owned_or_404`), so another user's object is simply not found: 404, never 403,
so that its existence does not leak. tests/test_ownership.py checks the views keep to this.
"""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

T = TypeVar("T", bound=models.Model)


class OwnedQuerySet(models.QuerySet[T]):
    def for_user(self, user) -> "OwnedQuerySet[T]":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


def owned_or_404(queryset: OwnedQuerySet[T], user, **lookup) -> T:
    try:
        return queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def replayed_or_404(queryset: OwnedQuerySet[T], user, uuid) -> T | None:
    """The user's row made with this client-made uuid (a create sent again by the outbox), or
    None when the uuid is new. Another user's uuid is 404: nothing of theirs is touched or told."""
    if uuid is None:
        return None
    mine = queryset.for_user(user).filter(uuid=uuid).first()
    if mine is None and queryset.filter(uuid=uuid).exists():
        raise Http404
    return mine
