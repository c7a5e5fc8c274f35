"""The day page's entries and photos (journal/day_rows.py) in its templates: {% load day_rows %}."""

from django import template
from django.utils.safestring import SafeString

from journal.day_rows import EntryRows

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_article(context, entry) -> SafeString:
    """An entry's <article>: title, body, photos, actions and open conflict copies."""
    return EntryRows.of(context).article(entry, context)


@register.simple_tag(takes_context=True)
def entry_photos(context, entry) -> SafeString:
    """An entry's photos and upload form (`photo_errors` and `focus_photo` in the context)."""
    return EntryRows.of(context).photos(entry, context)
