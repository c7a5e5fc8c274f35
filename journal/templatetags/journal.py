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


# {% kept "name" var… %}…{% endkept %}: what Django's {% cache None "name" var… %} does with a
# per-process memory cache, without its costs. Each {% cache %} made an md5 key and unpickled
# the fragment from LocMemCache: some 15-20 µs, and base.html has nine of them on every page.
# Here the key is the name and the values, the fragment a plain dict entry. Only for fragments
# that depend on nothing but those values (links, words, static URLs) and never expire.
KEPT: dict[tuple, str] = {}
KEPT_MAX = 2000  # entries; past that the dict starts afresh (a day's change of `today`…)


class KeptNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context) -> str:
        key = (self.name, *(variable.resolve(context) for variable in self.vary_on))
        try:
            return KEPT[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key: rendered each time
            return self.nodelist.render(context)
        if len(KEPT) >= KEPT_MAX:
            KEPT.clear()
        KEPT[key] = value = self.nodelist.render(context)
        return value


@register.tag("kept")
def kept(parser, token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% kept "name" [value …] %}: the name in quotes')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
