import functools
import unicodedata
import uuid
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.ownership import OwnedQuerySet
from config.sync import Tombstoned

from .markdown import RENDER_VERSION, render_markdown

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 100_000
PHOTO_ALT_MAX_LENGTH = 500
ON_THIS_DAY_YEARS = 100  # how far back "on this day" looks


def normalize_for_search(*texts: str) -> str:
    """NFKC + casefold, so ＡＢＣ finds abc and ｶﾀｶﾅ finds カタカナ (DESIGN.md §6)."""
    return unicodedata.normalize("NFKC", "\n".join(texts)).casefold()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Language(models.TextChoices):
    JAPANESE = "ja", "日本語"
    ENGLISH = "en", "English"


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Some 600 zones; reading them off the tz database takes milliseconds, so once a process."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class JournalSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_settings"
    )
    title = models.CharField(_("journal title"), max_length=100, default="日記")
    goal = models.CharField(_("goal"), max_length=200, blank=True)
    weekly_target_days = models.PositiveSmallIntegerField(
        _("weekly target of worked days"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(7)],
    )
    week_start = models.PositiveSmallIntegerField(
        _("week starts on"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    day_boundary_hour = models.PositiveSmallIntegerField(
        _("day boundary hour"),
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text=_("Writing before this hour counts for the previous day."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.JAPANESE
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal settings")
        verbose_name_plural = _("journal settings")

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self, now: datetime | None = None) -> date:
        """The diary date of `now`: local time, less the day-boundary hour (01:30 → yesterday)."""
        local = (now or timezone.now()).astimezone(self.zone)
        return (local - timedelta(hours=self.day_boundary_hour)).date()

    def week_of(self, day: date) -> tuple[date, date]:
        start = day - timedelta(days=(day.weekday() - self.week_start) % 7)
        return start, start + timedelta(days=6)


class EntryQuerySet(OwnedQuerySet["Entry"]):
    def alive(self) -> "EntryQuerySet":
        return self.filter(deleted_at__isnull=True)

    def between(self, first: date, last: date) -> "EntryQuerySet":
        return self.filter(date__range=(first, last))


class Entry(Tombstoned):
    id = models.BigAutoField(primary_key=True)  # also the full-text search rowid
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("body"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    render_version = models.PositiveSmallIntegerField(editable=False, default=0)
    worked = models.BooleanField(_("worked"), default=False)
    position = models.PositiveIntegerField(default=0)
    search_text = models.TextField(editable=False, blank=True)
    starred = models.BooleanField(_("starred"), default=False)
    # Where an imported entry came from ("dayone:<uuid>", "jrnl:<hash>"…): importing the same
    # export again finds it and skips it. Empty for entries written here.
    source = models.CharField(max_length=200, blank=True, default="", editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["date", "position", "id"]
        indexes = [
            models.Index(fields=["user", "date"]),
            # The timeline, the year page and its streaks read one row a day over all history:
            # with `worked` in the index and deleted rows left out, they never open the table.
            models.Index(
                fields=["user", "date", "worked"],
                condition=Q(deleted_at__isnull=True),
                name="journal_entry_alive_days",
            ),
            # The worked days alone, in order: the year's streaks read every one of them since
            # the first (journal.summaries.weeks_meeting), the header this week's.
            models.Index(
                fields=["user", "date"],
                condition=Q(deleted_at__isnull=True, worked=True),
                name="journal_entry_worked_days",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source"],
                condition=~Q(source=""),
                name="journal_entry_one_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.body_html, self.render_version = render_markdown(self.body), RENDER_VERSION
        self.search_text = normalize_for_search(self.title, self.body)
        if self._state.adding and not self.position:
            self.position = self.next_position(self.user_id, self.date)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("journal:day", args=[self.date]) + f"#entry-{self.uuid}"

    @property
    def shown_photos(self) -> list["Photo"]:
        """Its photos, with those deleted recently (for Undo): prefetched by the day page."""
        if not hasattr(self, "prefetched_photos"):
            self.prefetched_photos = list(Photo.objects.filter(entry=self).shown())
        live = [photo for photo in self.prefetched_photos if not photo.deleted_at]
        for photo in live:  # which move buttons lead nowhere
            photo.is_first, photo.is_last = photo is live[0], photo is live[-1]
        return self.prefetched_photos

    @staticmethod
    def next_position(user_id: int, day: date) -> int:
        last = Entry.objects.filter(user_id=user_id, date=day).aggregate(m=models.Max("position"))
        return (last["m"] or 0) + 1

    def ensure_rendered(self) -> None:
        """Re-render a body stored by an older renderer (kept lazy: rows are many)."""
        if self.render_version != RENDER_VERSION:
            self.body_html, self.render_version = render_markdown(self.body), RENDER_VERSION
            Entry.objects.filter(pk=self.pk).update(
                body_html=self.body_html, render_version=RENDER_VERSION
            )

    def save_revision(self, base_revision: int, **changes) -> bool:
        """Compare-and-swap: apply `changes` only if nobody saved since `base_revision`.

        One UPDATE … WHERE revision = base, so two racing saves cannot both win. On a lost race
        (or an entry deleted meanwhile) nothing is written and the caller keeps the losing text.
        """
        fields = dict(changes)
        if "title" in changes or "body" in changes:
            title, body = changes.get("title", self.title), changes.get("body", self.body)
            fields |= {
                "body_html": render_markdown(body),
                "render_version": RENDER_VERSION,
                "search_text": normalize_for_search(title, body),
            }
        fields |= {"revision": F("revision") + 1, "updated_at": timezone.now()}
        won = Entry.objects.filter(
            pk=self.pk, revision=base_revision, deleted_at__isnull=True
        ).update(**fields)
        self.refresh_from_db()
        return bool(won)

    def edit_or_conflict(self, base_revision: int, **changes) -> "ConflictCopy | None":
        """Save `changes`, or keep them as a conflict copy when the save lost a race."""
        with transaction.atomic():
            if self.save_revision(base_revision, **changes):
                return None
            return ConflictCopy.objects.create(
                user_id=self.user_id,
                entry=self,
                base_revision=base_revision,
                title=changes.get("title", self.title),
                body=changes.get("body", self.body),
                worked=changes.get("worked", self.worked),
                starred=changes.get("starred", self.starred),
            )

    def delete_softly(self) -> None:
        """Tombstone: the row stays (offline clients and undo need it); the revision moves on."""
        Entry.objects.filter(pk=self.pk).update(
            deleted_at=timezone.now(), revision=F("revision") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db()

    def restore(self) -> None:
        Entry.objects.filter(pk=self.pk).update(
            deleted_at=None, revision=F("revision") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db()


class ConflictCopyQuerySet(OwnedQuerySet["ConflictCopy"]):
    def unresolved(self) -> "ConflictCopyQuerySet":
        return self.filter(resolved_at__isnull=True)


class ConflictCopy(models.Model):
    """The text of a save that lost a race, kept until the user decides what to do with it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    base_revision = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True)
    worked = models.BooleanField(default=False)
    starred = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ConflictCopyQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict copy")
        verbose_name_plural = _("conflict copies")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.entry} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def body_html(self) -> str:
        return render_markdown(self.body)

    def keep_mine(self) -> bool:
        """Make the copy's text the entry's text (restoring the entry if it was deleted)."""
        entry = self.entry
        with transaction.atomic():
            if entry.deleted_at:
                entry.restore()
            won = entry.save_revision(
                entry.revision,
                title=self.title,
                body=self.body,
                worked=self.worked,
                starred=self.starred,
            )
            if won:
                self.mark_resolved()
        return won

    def mark_resolved(self) -> None:
        self.resolved_at = timezone.now()
        self.save(update_fields=["resolved_at"])


PHOTO_UNDO_WINDOW = timedelta(minutes=30)  # a deleted photo keeps its Undo button this long


class PhotoQuerySet(OwnedQuerySet["Photo"]):
    def alive(self) -> "PhotoQuerySet":
        return self.filter(deleted_at__isnull=True)

    def shown(self) -> "PhotoQuerySet":
        """Live photos and those deleted recently enough to offer Undo, in order."""
        recent = timezone.now() - PHOTO_UNDO_WINDOW
        return self.filter(Q(deleted_at__isnull=True) | Q(deleted_at__gte=recent))


class Photo(Tombstoned):
    """A photo on a diary entry, or the cover of a reading note (journal/imaging.py makes it).

    Its files are made once and never change: a new image is a new Photo with a new uuid, so
    /photos/<uuid>/<size>.webp can be cached for good. Copies of one image (same sha256, same
    user) share one `file_key` folder: the same photo uploaded twice is stored once."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    reading_note = models.ForeignKey(
        "weekly.ReadingNote",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="covers",
    )
    sha256 = models.CharField(max_length=64, editable=False)
    file_key = models.UUIDField(default=uuid.uuid4, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt = models.CharField(_("description (alt text)"), max_length=PHOTO_ALT_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["user", "sha256"], name="journal_photo_user_sha")]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=True) ^ Q(reading_note__isnull=True),
                name="journal_photo_on_entry_or_note",
            ),
            models.UniqueConstraint(
                fields=["reading_note"],
                condition=Q(deleted_at__isnull=True, reading_note__isnull=False),
                name="journal_photo_one_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.alt or str(self.uuid)

    def url(self, size: int) -> str:
        return reverse("journal:photo-file", args=[self.uuid, size])

    def size_at(self, size: int) -> tuple[int, int]:
        from .imaging import scaled

        return scaled(self.width, self.height, size)

    @property
    def thumb(self) -> dict:
        """What an <img> of the small size needs: its URL and its width and height."""
        width, height = self.size_at(480)
        return {"url": self.url(480), "width": width, "height": height}

    @property
    def full(self) -> dict:
        width, height = self.size_at(1600)
        return {"url": self.url(1600), "width": width, "height": height}

    @classmethod
    def attach(cls, user, upload, entry: Entry | None = None, reading_note=None) -> "Photo":
        """A new photo from an uploaded file, or PhotoRefused. An image this user already has
        is not processed or stored again; on the same entry it is the photo already there."""
        from . import imaging

        imaging.check_size(upload.size)
        sha = imaging.sha256_of(upload)
        copies = cls.objects.filter(user=user, sha256=sha)
        if entry and (here := copies.filter(entry=entry).first()):
            if here.deleted_at:
                here.bump(deleted_at=None)
            return here
        same = copies.order_by("-id").first()
        if same and imaging.folder(user.pk, same.file_key).is_dir():
            key, width, height = same.file_key, same.width, same.height
        else:
            made = imaging.process(upload, upload.size)
            key, width, height = uuid.uuid4(), made.width, made.height
            imaging.store(user.pk, key, made.files)
        siblings = cls.objects.filter(entry=entry) if entry else cls.objects.none()
        last = siblings.aggregate(m=models.Max("position"))["m"] or 0
        return cls.objects.create(
            user=user,
            entry=entry,
            reading_note=reading_note,
            sha256=sha,
            file_key=key,
            width=width,
            height=height,
            position=last + 1,
        )

    @staticmethod
    def covers_prefetch() -> Prefetch:
        """For a list of reading notes: their live cover, read by the `cover` template filter."""
        return Prefetch("covers", Photo.objects.alive(), to_attr="prefetched_covers")

    def bump(self, **changes) -> None:
        Photo.objects.filter(pk=self.pk).update(
            **changes, revision=F("revision") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db()
