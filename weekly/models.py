import uuid as uuid_lib
from datetime import date, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.ownership import OwnedQuerySet
from config.sync import Revisioned, Tombstoned
from journal.markdown import RENDER_VERSION, render_markdown
from journal.models import normalize_for_search

ITEM_MAX_LENGTH = 2_000
MAX_DEPTH = 3  # a Keep, a child and a grandchild; a Try under a Problem under a Problem


def default_week_title(start: date, end: date) -> str:
    """Weekly Report 2021/01/18-01/24 (the year once, as the reports people publish write it)."""
    return f"Weekly Report {start:%Y/%m/%d}-{end:%m/%d}"


class WeekQuerySet(OwnedQuerySet["Week"]):
    def for_start(self, user, start: date) -> "Week | None":
        return self.for_user(user).filter(start_date=start).first()


class Week(Revisioned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Stored, not derived from week numbers: a later change of week start keeps old weeks whole.
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    summary_html = models.TextField(editable=False, blank=True)
    render_version = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = WeekQuerySet.as_manager()

    class Meta:
        verbose_name = _("week")
        verbose_name_plural = _("weeks")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "start_date"], name="one_week_per_start")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.title:
            self.title = default_week_title(self.start_date, self.end_date)
        self.summary_html, self.render_version = render_markdown(self.summary), RENDER_VERSION
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("weekly:week", args=[self.start_date])

    @classmethod
    def get_or_create_for(cls, user, start: date) -> "Week":
        """Weeks are made on their first write, not by visiting them."""
        week = cls.objects.for_start(user, start)
        if week is None:
            end = start + timedelta(days=6)
            week, _ = cls.objects.for_user(user).get_or_create(
                user=user, start_date=start, defaults={"end_date": end}
            )
        return week

    def save_revision(self, base_revision: int, **changes) -> bool:
        if "summary" in changes:
            changes["summary_html"] = render_markdown(changes["summary"])
            changes["render_version"] = RENDER_VERSION
        won = Week.objects.filter(pk=self.pk, revision=base_revision).update(
            **changes, revision=F("revision") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db()
        return bool(won)

    @property
    def previous_start(self) -> date:
        return self.start_date - timedelta(days=7)


class ItemKind(models.TextChoices):
    KEEP = "keep", "Keep"
    PROBLEM = "problem", "Problem"
    TRY = "try", "Try"


class Review(models.TextChoices):
    OPEN = "open", _("not reviewed")
    DONE = "done", _("done")
    NOT_DONE = "not_done", _("not done")
    DROPPED = "dropped", _("dropped")


class Section(models.TextChoices):
    """Where an item is listed: Keep, or Problem & Try (a ★ moves an item within it)."""

    KEEP = "keep", "Keep"
    PROBLEM = "problem", "Problem & Try"


class ItemQuerySet(OwnedQuerySet["Item"]):
    def alive(self) -> "ItemQuerySet":
        return self.filter(deleted_at__isnull=True)

    def in_section(self, section: str) -> "ItemQuerySet":
        if section == Section.KEEP:
            return self.filter(kind=ItemKind.KEEP)
        return self.filter(kind__in=[ItemKind.PROBLEM, ItemKind.TRY])

    def tries(self) -> "ItemQuerySet":
        return self.filter(kind=ItemKind.TRY)


class Item(Tombstoned):
    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    text = models.CharField(_("text"), max_length=ITEM_MAX_LENGTH)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    review = models.CharField(
        _("review"), max_length=8, choices=Review.choices, default=Review.OPEN
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPT item")
        verbose_name_plural = _("KPT items")
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["week", "kind"]),
            # The timeline loads a page of weeks' items with for_user(): (user, week) lets
            # SQLite go straight to them rather than through all of the user's items.
            models.Index(fields=["user", "week"], name="weekly_item_user_week"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.search_text = normalize_for_search(self.text)
        if self._state.adding and not self.position:
            self.position = self.next_position()
        super().save(*args, **kwargs)

    @property
    def section(self) -> str:
        return Section.KEEP if self.kind == ItemKind.KEEP else Section.PROBLEM

    @property
    def is_try(self) -> bool:
        return self.kind == ItemKind.TRY

    def siblings(self) -> ItemQuerySet:
        return (
            Item.objects.filter(week_id=self.week_id, parent_id=self.parent_id)
            .alive()
            .in_section(self.section)
        )

    def next_position(self) -> int:
        last = self.siblings().aggregate(m=Max("position"))["m"]
        return (last or 0) + 1

    def depth(self) -> int:
        depth, node = 0, self
        while node.parent_id:
            depth, node = depth + 1, node.parent
        return depth

    def subtree_height(self) -> int:
        """1 for a leaf, 2 with children, 3 with grandchildren."""
        children = list(self.children.filter(deleted_at__isnull=True))
        return 1 + max((child.subtree_height() for child in children), default=0)

    def bump(self, **changes) -> None:
        Item.objects.filter(pk=self.pk).update(
            **changes, revision=F("revision") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db()

    def save_revision(self, base_revision: int, **changes) -> bool:
        if "text" in changes:
            changes["search_text"] = normalize_for_search(changes["text"])
        won = Item.objects.filter(
            pk=self.pk, revision=base_revision, deleted_at__isnull=True
        ).update(**changes, revision=F("revision") + 1, updated_at=timezone.now())
        self.refresh_from_db()
        return bool(won)

    def toggle_star(self) -> None:
        """★ makes a Problem a Try and back; Keep items have no star."""
        if self.kind == ItemKind.KEEP:
            return
        self.bump(kind=ItemKind.PROBLEM if self.is_try else ItemKind.TRY)

    # Moves within the tree. Each returns False when the move is not possible (a no-op), so the
    # view can say why instead of failing.

    def move_up(self) -> bool:
        return self._swap_with(self._above())

    def move_down(self) -> bool:
        below = Q(position__gt=self.position) | Q(position=self.position, id__gt=self.id)
        return self._swap_with(self.siblings().filter(below).first())

    def _above(self) -> "Item | None":
        """The sibling listed just above (equal positions, left by concurrent adds, go by id)."""
        above = Q(position__lt=self.position) | Q(position=self.position, id__lt=self.id)
        return self.siblings().filter(above).last()

    def _swap_with(self, other: "Item | None") -> bool:
        if other is None:
            return False
        with transaction.atomic():
            mine, theirs = self.position, other.position
            if mine == theirs:  # repair equal positions left by concurrent adds
                theirs = mine - 1 if other.id < self.id else mine + 1
            other.bump(position=mine)
            self.bump(position=theirs)
        return True

    def indent(self) -> bool:
        """Become the last child of the sibling just above (depth ≤ MAX_DEPTH)."""
        above = self._above()
        if above is None or above.depth() + 1 + self.subtree_height() > MAX_DEPTH:
            return False
        self.bump(parent=above, position=above_children_end(above))
        return True

    def outdent(self) -> bool:
        """Become the sibling just after the parent."""
        if self.parent_id is None:
            return False
        parent = self.parent
        with transaction.atomic():
            later = parent.siblings().filter(position__gt=parent.position)
            later.update(position=F("position") + 1)
            self.bump(parent=parent.parent, position=parent.position + 1)
        return True

    def delete_softly(self) -> None:
        self.bump(deleted_at=timezone.now())

    def restore(self) -> None:
        self.bump(deleted_at=None)


def above_children_end(item: Item) -> int:
    last = item.children.filter(deleted_at__isnull=True).aggregate(m=Max("position"))["m"]
    return (last or 0) + 1


class ReadingKind(models.TextChoices):
    BOOK = "book", _("book")
    ARTICLE = "article", _("article")
    PAPER = "paper", _("paper")
    VIDEO = "video", _("video")
    OTHER = "other", _("other")


class ReadingNoteQuerySet(OwnedQuerySet["ReadingNote"]):
    def alive(self) -> "ReadingNoteQuerySet":
        return self.filter(deleted_at__isnull=True)


class ReadingNote(Tombstoned):
    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="reading_notes")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=ReadingKind.choices, default=ReadingKind.ARTICLE
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_html = models.TextField(editable=False, blank=True)
    impressions = models.TextField(_("impressions (感想)"), blank=True)
    impressions_html = models.TextField(editable=False, blank=True)
    render_version = models.PositiveSmallIntegerField(editable=False, default=0)
    position = models.PositiveIntegerField(default=0)
    search_text = models.TextField(editable=False, blank=True)

    objects = ReadingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading note")
        verbose_name_plural = _("reading notes")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["user", "week"], name="weekly_note_user_week")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render()
        if self._state.adding and not self.position:
            last = ReadingNote.objects.filter(week_id=self.week_id).aggregate(m=Max("position"))
            self.position = (last["m"] or 0) + 1
        super().save(*args, **kwargs)

    def render(self) -> None:
        self.notes_html = render_markdown(self.notes)
        self.impressions_html = render_markdown(self.impressions)
        self.render_version = RENDER_VERSION
        self.search_text = normalize_for_search(self.title, self.url, self.notes, self.impressions)

    def save_revision(self, base_revision: int, **changes) -> bool:
        for field, value in changes.items():
            setattr(self, field, value)
        self.render()
        rendered = {
            field: getattr(self, field)
            for field in ("notes_html", "impressions_html", "render_version", "search_text")
        }
        won = ReadingNote.objects.filter(
            pk=self.pk, revision=base_revision, deleted_at__isnull=True
        ).update(**changes, **rendered, revision=F("revision") + 1, updated_at=timezone.now())
        self.refresh_from_db()
        return bool(won)

    def bump(self, **changes) -> None:
        ReadingNote.objects.filter(pk=self.pk).update(
            **changes, revision=F("revision") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db()


class ConflictKind(models.TextChoices):
    ITEM = "item", _("KPT item")
    NOTE = "note", _("reading note")
    WEEK = "week", _("week")


# The fields a conflict copy keeps, by kind: what the edit form of that kind saves.
CONFLICT_FIELDS = {
    ConflictKind.ITEM: ("text",),
    ConflictKind.NOTE: ("title", "url", "kind", "notes", "impressions"),
    ConflictKind.WEEK: ("title", "summary"),
}


class WeeklyConflictQuerySet(OwnedQuerySet["WeeklyConflictCopy"]):
    def unresolved(self) -> "WeeklyConflictQuerySet":
        return self.filter(resolved_at__isnull=True)


class WeeklyConflictCopy(models.Model):
    """A save to a KPT item, a reading note or the week's title and summary that lost a race
    (compare-and-swap), kept until the user decides: the weekly twin of journal.ConflictCopy.

    One table for the three kinds: `kind` says which, `week` is always set (the page that shows
    the conflict), `item` or `note` points at the object, and `fields` holds the losing save's
    fields by name (CONFLICT_FIELDS), so a kind that gains a field needs no migration here.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=ConflictKind.choices)
    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="conflicts")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    note = models.ForeignKey(
        ReadingNote, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    base_revision = models.PositiveIntegerField()
    fields = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = WeeklyConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly conflict copy")
        verbose_name_plural = _("weekly conflict copies")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=ConflictKind.ITEM, item__isnull=False, note__isnull=True)
                    | Q(kind=ConflictKind.NOTE, note__isnull=False, item__isnull=True)
                    | Q(kind=ConflictKind.WEEK, item__isnull=True, note__isnull=True)
                ),
                name="weekly_conflict_points_at_its_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        anchor = {
            ConflictKind.ITEM: f"#item-{self.item.uuid}" if self.item_id else "",
            ConflictKind.NOTE: f"#note-{self.note.uuid}" if self.note_id else "",
            ConflictKind.WEEK: "#week-head",
        }[self.kind]
        return reverse("weekly:week", args=[self.week.start_date]) + anchor

    @property
    def target(self) -> "Week | Item | ReadingNote":
        return self.item or self.note or self.week

    @property
    def label(self) -> str:
        """What the object is called now (the list of open conflicts shows it)."""
        if self.kind == ConflictKind.ITEM:
            return self.item.text
        if self.kind == ConflictKind.NOTE:
            return self.note.title
        return self.week.title

    @property
    def merge_url(self) -> str:
        """The object's edit form holding both versions, or "" when it was deleted meanwhile."""
        target = self.target
        if getattr(target, "deleted_at", None):
            return ""
        start = self.week.start_date
        if self.kind == ConflictKind.ITEM:
            url = reverse("weekly:item-edit", args=[start, target.uuid])
        elif self.kind == ConflictKind.NOTE:
            url = reverse("weekly:reading-edit", args=[start, target.uuid])
        else:
            url = reverse("weekly:week-edit", args=[start])
        return f"{url}?merge={self.uuid}"

    @property
    def section(self) -> str:
        return self.item.section if self.item_id else ""

    # What the conflict panel shows of "your version".

    @property
    def mine_text(self) -> str:
        return self.fields.get("text", "")

    @property
    def mine_title(self) -> str:
        return self.fields.get("title", "")

    @property
    def mine_html(self) -> str:
        """The week's summary or the note's notes, rendered."""
        return render_markdown(self.fields.get("summary") or self.fields.get("notes") or "")

    @property
    def mine_impressions_html(self) -> str:
        return render_markdown(self.fields.get("impressions") or "")

    def keep_mine(self) -> bool:
        """Make the copy's fields the object's (bringing back an item or note deleted since)."""
        target = self.target
        with transaction.atomic():
            if getattr(target, "deleted_at", None):
                target.bump(deleted_at=None)
            won = target.save_revision(target.revision, **self.fields)
            if won:
                self.mark_resolved()
        return won

    def mark_resolved(self) -> None:
        self.resolved_at = timezone.now()
        self.save(update_fields=["resolved_at"])


def save_or_conflict(target: "Week | Item | ReadingNote", base_revision: int, **changes):
    """Save `changes` with compare-and-swap, or keep them as a conflict copy when the save lost a
    race (or the item or note was deleted meanwhile). Returns the copy, or None when saved."""
    kind = {Week: ConflictKind.WEEK, Item: ConflictKind.ITEM, ReadingNote: ConflictKind.NOTE}[
        type(target)
    ]
    with transaction.atomic():
        if target.save_revision(base_revision, **changes):
            return None
        return WeeklyConflictCopy.objects.create(
            user_id=target.user_id,
            kind=kind,
            week_id=target.pk if kind == ConflictKind.WEEK else target.week_id,
            item=target if kind == ConflictKind.ITEM else None,
            note=target if kind == ConflictKind.NOTE else None,
            base_revision=base_revision,
            fields={name: changes[name] for name in CONFLICT_FIELDS[kind] if name in changes},
        )
