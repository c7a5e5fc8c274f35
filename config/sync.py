"""The fields offline sync needs on every row a user writes (DESIGN.md §5)."""

import uuid

from django.db import models


class Revisioned(models.Model):
    # Made by the client when it writes offline, so a replayed create finds its row again.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moves on with every save; a save names the revision it started from (compare-and-swap).
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Admin, scripts and tests save this way; the views write with compare-and-swap UPDATEs.
        if not self._state.adding:
            self.revision += 1
        super().save(*args, **kwargs)


class Tombstoned(Revisioned):
    """Deleting keeps the row, so undo works and an offline edit of it becomes a conflict."""

    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
