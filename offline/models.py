from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.ownership import OwnedQuerySet

# Ops older than this are forgotten; an outbox must not hold an op longer (docs/decisions.md).
LEDGER_DAYS = 90


class AppliedOpQuerySet(OwnedQuerySet["AppliedOp"]):
    def expired(self) -> "AppliedOpQuerySet":
        return self.filter(created_at__lt=timezone.now() - timedelta(days=LEDGER_DAYS))


class AppliedOp(models.Model):
    """One write sent with an Idempotency-Key, and the answer it got.

    A replay of the same key (the outbox retrying after a lost answer) gets the first answer
    again instead of writing twice. Keys are scoped to their user: one user can never replay or
    read another's result.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.UUIDField(_("idempotency key"))
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path and form fields
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    done = models.BooleanField(default=False)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppliedOpQuerySet.as_manager()

    class Meta:
        verbose_name = _("applied operation")
        verbose_name_plural = _("applied operations")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_op_per_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
