"""An import, shown before it is done: a Plan says, line by line, what will be created, what is
skipped as a duplicate and what is refused (with its file and line or entry); then `apply` does
it all in one transaction, or nothing when anything was refused.

Readers (one per format, `READERS`) turn a Source (archive/sources.py) into a Plan. Imports from
other tools become `ImportedEntry` rows and share `EntryPlan`; the own zip (format "tsuzuri")
and weekly reports have plans of their own with the same interface.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .sources import Source

CREATE, UPDATE, DUPLICATE, REFUSE = "create", "update", "duplicate", "refuse"
ACTION_LABELS = {
    CREATE: gettext_lazy("create"),
    UPDATE: gettext_lazy("update"),
    DUPLICATE: gettext_lazy("skip (already here)"),
    REFUSE: gettext_lazy("refused"),
}
# The diary's dates: the calendar views work one year inside Python's range.
FIRST_DAY, LAST_DAY = date(1000, 1, 1), date(2999, 12, 31)

Progress = Callable[[int, int], None]  # (done, total)


class ImportRefused(ValueError):
    """Raised by apply() when the plan refuses something: nothing was written."""


@dataclass
class Line:
    """One line of the dry run."""

    action: str  # CREATE, UPDATE, DUPLICATE or REFUSE
    where: str  # "Journal.json: entry 12", "2021-01-04.md:3"
    what: str = ""  # "2021-01-04「題名」"
    reason: str = ""  # why refused or skipped, in the user's language

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportedPhoto:
    name: str  # its path in the source, for messages
    data: bytes
    alt: str = ""


@dataclass
class ImportedEntry:
    """A diary entry read from another tool, before it is stored."""

    where: str
    date: date
    title: str
    body: str
    # Stable across re-imports of the same export ("dayone:<uuid>", "jrnl:<sha1 of the entry>",
    # "obsidian:<sha1 of the note>"): an entry whose key is already stored is a duplicate.
    source_key: str
    worked: bool = False
    starred: bool = False
    photos: list[ImportedPhoto] = field(default_factory=list)
    # What the dry run should say about an entry that is imported all the same ("2 photos are
    # not in this export"), in the user's language.
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.date.isoformat()}「{self.title or _('(no title)')}」"


class Plan:
    """What an import will do. Subclasses fill `lines` when made and implement `_apply`."""

    format: str = ""

    def __init__(self, source_name: str):
        self.source_name = source_name
        self.lines: list[Line] = []

    def refuse(self, where: str, reason: str, what: str = "") -> None:
        self.lines.append(Line(REFUSE, where, what, reason))

    def counts(self) -> Counter:
        return Counter(line.action for line in self.lines)

    @property
    def refused(self) -> list[Line]:
        return [line for line in self.lines if line.action == REFUSE]

    @property
    def total(self) -> int:
        """Units of work apply() reports progress in (at least 1)."""
        return max(1, sum(line.action in (CREATE, UPDATE) for line in self.lines))

    def apply(self, user, progress: Progress | None = None) -> Counter:
        """Do it all in one transaction; refuse to start when any line is refused."""
        if self.refused:
            raise ImportRefused(
                _("%(count)s problems were found, so nothing was imported.")
                % {"count": len(self.refused)}
            )
        with transaction.atomic():
            self._apply(user, progress or (lambda done, total: None))
        return self.counts()

    def _apply(self, user, progress: Progress) -> None:
        raise NotImplementedError


class EntryPlan(Plan):
    """Diary entries from another tool: new ones are created, ones already imported skipped.

    `entries` may hold the reader's own refusals (REFUSE lines) among the entries, so the dry
    run lists everything in the order of the source."""

    def __init__(self, format: str, source_name: str, user, entries: list[ImportedEntry | Line]):
        super().__init__(source_name)
        from journal.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Entry

        self.format = format
        keys = [e.source_key for e in entries if isinstance(e, ImportedEntry)]
        known: set[str] = set()
        for start in range(0, len(keys), 500):  # SQLite limits a query's parameters
            known.update(
                Entry.objects.filter(user=user, source__in=keys[start : start + 500]).values_list(
                    "source", flat=True
                )
            )
        self.entries: list[ImportedEntry] = []
        seen: set[str] = set()
        for entry in entries:
            if isinstance(entry, Line):
                self.lines.append(entry)
                continue
            what = entry.describe()
            if not FIRST_DAY <= entry.date <= LAST_DAY:
                self.refuse(
                    entry.where,
                    _("The date %(date)s is out of range.") % {"date": entry.date},
                    what,
                )
            elif len(entry.title) > TITLE_MAX_LENGTH:
                self.refuse(entry.where, _("The title is too long."), what)
            elif len(entry.body) > BODY_MAX_LENGTH:
                self.refuse(
                    entry.where,
                    _("The text has %(count)s characters; an entry holds at most %(limit)s.")
                    % {"count": len(entry.body), "limit": BODY_MAX_LENGTH},
                    what,
                )
            elif entry.source_key in known or entry.source_key in seen:
                self.lines.append(Line(DUPLICATE, entry.where, what, _("already imported")))
            else:
                seen.add(entry.source_key)
                self.entries.append(entry)
                self.lines.append(Line(CREATE, entry.where, what, " ".join(entry.notes)))

    def _apply(self, user, progress: Progress) -> None:
        from django.db.models import Max

        from journal.models import Entry

        # Each new entry goes last on its day. The last positions are read once, not once an
        # entry (a query per entry was a third of an 8,000-entry import).
        days = sorted({imported.date for imported in self.entries})
        last: dict[date, int] = {}
        for start in range(0, len(days), 500):
            last.update(
                Entry.objects.filter(user=user, date__in=days[start : start + 500])
                .order_by()  # no default ordering in the GROUP BY
                .values("date")
                .annotate(last=Max("position"))
                .values_list("date", "last")
            )
        for done, imported in enumerate(self.entries, 1):
            last[imported.date] = position = (last.get(imported.date) or 0) + 1
            entry = Entry.objects.create(
                user=user,
                date=imported.date,
                title=imported.title,
                body=imported.body,
                worked=imported.worked,
                starred=imported.starred,
                source=imported.source_key,
                position=position,
            )
            attach_photos(user, entry, imported.photos)
            progress(done, self.total)


def attach_photos(user, entry, photos: list[ImportedPhoto]) -> None:
    """Process and attach imported photos; a photo that cannot be read refuses the import."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from journal.imaging import PhotoRefused
    from journal.models import Photo

    for photo in photos:
        try:
            stored = Photo.attach(user, SimpleUploadedFile(photo.name, photo.data), entry=entry)
        except PhotoRefused as error:
            raise ImportRefused(f"{photo.name}: {error}") from error
        if photo.alt and not stored.alt:
            stored.bump(alt=photo.alt)


Reader = Callable[..., Plan]  # reader(user, source, **options) -> Plan
READERS: dict[str, Reader] = {}


def reader(format: str):
    """Register a reader: @reader("dayone") def read_dayone(user, source, **options) -> Plan."""

    def register(function: Reader) -> Reader:
        READERS[format] = function
        return function

    return register


def plan_import(format: str, user, source: Source, **options) -> Plan:
    from . import readers  # noqa: F401  (registers every format)

    return READERS[format](user, source, **options)
