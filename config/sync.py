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


def resolve_conflict(copy, choice: str | None) -> bool:
    """The owner's choice for a conflict copy (journal.ConflictCopy, weekly.WeeklyConflictCopy):
    "mine" makes the copy's text the object's, "theirs" sets the copy aside. False for anything
    else, which the views answer with 400."""
    if choice == "mine":
        copy.keep_mine()
    elif choice == "theirs":
        copy.mark_resolved()
    else:
        return False
    return True
