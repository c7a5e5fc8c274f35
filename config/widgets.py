"""Form widgets that write their HTML in Python, the same HTML as Django's widget templates.

Each of Django's widgets renders a template (and includes another for its attributes): the day
page's new-entry form took most of a millisecond for five fields, on every day page and every
edit form. These build the same tag from the same context (`get_context`, so `checked`, `id`,
`maxlength` and `aria-invalid` come as Django makes them), attributes in the same order, every
value escaped. tests/test_widgets.py compares them with Django's own rendering.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order, False left out, True bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainInputMixin:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_attr = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(  # every value escaped above
            f'<input type="{widget["type"]}" name="{conditional_escape(widget["name"])}"'
            f"{value_attr}{attributes(widget['attrs'])}>"
        )


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainHiddenInput(PlainInputMixin, forms.HiddenInput):
    pass


class PlainCheckboxInput(PlainInputMixin, forms.CheckboxInput):
    pass


class PlainTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        # The newline after the tag, as Django's template has it: a browser drops the first
        # newline of a textarea, so a body starting with one keeps it.
        text = conditional_escape(widget["value"]) if widget["value"] else ""
        return mark_safe(  # every value escaped above
            f'<textarea name="{conditional_escape(widget["name"])}"'
            f"{attributes(widget['attrs'])}>\n{text}</textarea>"
        )
