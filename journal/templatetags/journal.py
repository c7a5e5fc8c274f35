from datetime import date

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

WEEKDAY_SHORT = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]


@register.filter
def weekday_short(value: date | int) -> str:
    index = value if isinstance(value, int) else value.weekday()
    return str(WEEKDAY_SHORT[index])


@register.filter
def jdate(value: date) -> str:
    """2021/01/18(月): the way Japanese diaries write a date."""
    return f"{value:%Y/%m/%d}({weekday_short(value)})"


@register.filter
def jmonth(value: date) -> str:
    return str(_("%(month)s/%(year)s")) % {"year": value.year, "month": value.month}


@register.filter
def dots(progress: dict) -> str:
    """●●○ for 2 of 3 worked days; days beyond the target keep adding ●."""
    worked, target = progress["worked"], progress["target"]
    return "●" * worked + "○" * max(target - worked, 0)


@register.filter
def cover(note):
    """A reading note's live cover photo or None; the week page prefetches them
    (Photo.covers_prefetch), a single note's fragment asks the database."""
    from journal.models import Photo

    covers = getattr(note, "prefetched_covers", None)
    if covers is None:
        covers = note.prefetched_covers = list(Photo.objects.filter(reading_note=note).alive())
    return covers[0] if covers else None
