"""The week page's rows (weekly/week_rows.py) in its templates: {% load week_rows %}."""

from django import template
from django.utils.safestring import SafeString

from weekly import week_rows
from weekly.week_rows import WeekRows, form_html

register = template.Library()


@register.simple_tag(takes_context=True)
def kpt_tree(context, nodes) -> SafeString:
    """The <li>s of a nested KPT list (`moved` in the context gets the focus)."""
    return WeekRows.of(context).tree(nodes, context)


@register.simple_tag(takes_context=True)
def kpt_row(context, item) -> SafeString:
    return WeekRows.of(context).item(item, context)


@register.simple_tag(takes_context=True)
def reading_note(context, note) -> SafeString:
    """A reading note (`cover_errors` in the context are shown at its cover form)."""
    return WeekRows.of(context).note(note, context)


@register.simple_tag(takes_context=True)
def review_rows(context, rows) -> SafeString:
    """Last week's Tries (`reviewed` in the context gets the focus)."""
    return WeekRows.of(context).review_rows(rows, context)


@register.simple_tag(takes_context=True)
def diary_days(context, entries) -> SafeString:
    return WeekRows.of(context).diary(entries)


@register.simple_tag
def form_fields(template_name, form, **extra) -> SafeString:
    """A form's fields through `template_name`; a blank form's HTML is made once a process."""
    return form_html(template_name, form, **extra)


@register.simple_tag
def week_url(name, start) -> str:
    """`{% url name start %}` for the week's own pages, without reversing it each time."""
    return week_rows.week_url(name, start)
