"""config/widgets.py writes the same HTML as Django's widget templates, every value escaped."""

import pytest
from django import forms

from config.widgets import PlainCheckboxInput, PlainHiddenInput, PlainTextarea, PlainTextInput
from tests.security.xss_corpus import PAYLOADS

HOSTILE = ['" onfocus="alert(1)', "<script>alert(1)</script>", "a & b", "'single'", *PAYLOADS[:5]]
VALUES = [None, "", "本文", "\n先頭の改行", 0, 12, *HOSTILE]
ATTRS = [None, {"id": "new-entry-title"}, {"id": "x", "maxlength": 200, "aria-invalid": "true"},
         {"id": "x", "required": True, "disabled": False, "data-x": '"<>'}]  # fmt: skip
PAIRS = [
    (PlainTextInput, forms.TextInput),
    (PlainHiddenInput, forms.HiddenInput),
    (PlainCheckboxInput, forms.CheckboxInput),
    (PlainTextarea, forms.Textarea),
]


@pytest.mark.parametrize(("plain", "django"), PAIRS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_it_writes_what_djangos_template_writes(plain, django, value, attrs):
    own = {"rows": 8, "class": "<wide>"}
    assert plain(attrs=own).render("body", value, attrs) == django(attrs=own).render(
        "body", value, attrs
    )


@pytest.mark.parametrize("value", [True, False, "on", "", None, "false"])
def test_a_checkbox_is_checked_as_djangos_is(value):
    assert PlainCheckboxInput().render(
        "worked", value, {"id": "w"}
    ) == forms.CheckboxInput().render("worked", value, {"id": "w"})


def test_a_form_field_with_errors_gets_the_same_aria_attributes():
    class Plain(forms.Form):
        title = forms.CharField(max_length=5, widget=PlainTextInput)
        body = forms.CharField(widget=PlainTextarea)

    class Django(forms.Form):
        title = forms.CharField(max_length=5)
        body = forms.CharField(widget=forms.Textarea)

    data = {"title": '<b>"長すぎる題名"</b>', "body": ""}
    plain, django = Plain(data), Django(data)
    assert not plain.is_valid()
    assert not django.is_valid()
    for name in ("title", "body"):
        assert str(plain[name]) == str(django[name])
        assert 'aria-invalid="true"' in str(plain[name])
