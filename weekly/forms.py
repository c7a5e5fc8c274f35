from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from journal.forms import MAX_REVISION

from .models import ITEM_MAX_LENGTH, MAX_DEPTH, ReadingKind, Section


class ItemTextField(forms.CharField):
    """One line of a KPT list: newlines become spaces, stars stay text."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Item"),
            max_length=ITEM_MAX_LENGTH,
            error_messages={
                "required": _("Write the item first."),
                "max_length": _(
                    "An item can hold at most %(limit_value)s characters; this one has "
                    "%(show_value)s. Put the details in the week's summary or a diary entry."
                ),
            },
            **kwargs,
        )

    def to_python(self, value):
        return " ".join((super().to_python(value) or "").split())


class ItemCreateForm(forms.Form):
    text = ItemTextField()
    section = forms.ChoiceField(choices=Section.choices)
    depth = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        choices=[(0, _("top level")), (1, _("one level in")), (2, _("two levels in"))],
        initial=0,
        required=False,
        empty_value=0,
    )
    is_try = forms.BooleanField(label=_("★ Try"), required=False)
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_depth(self) -> int:
        return min(max(self.cleaned_data["depth"], 0), MAX_DEPTH - 1)


class ItemEditForm(forms.Form):
    text = ItemTextField()
    base_revision = forms.IntegerField(
        min_value=1, max_value=MAX_REVISION, widget=forms.HiddenInput
    )


MOVES = ["up", "down", "indent", "outdent"]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(move, move) for move in MOVES])


class WeekForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    base_revision = forms.IntegerField(
        min_value=1, max_value=MAX_REVISION, required=False, widget=forms.HiddenInput
    )


class ReadingNoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Enter a link that starts with http:// or https://.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ReadingKind.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    impressions = forms.CharField(
        label=_("Impressions (感想)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    base_revision = forms.IntegerField(
        min_value=1, max_value=MAX_REVISION, required=False, widget=forms.HiddenInput
    )
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if url and url.split(":", 1)[0].lower() not in {"http", "https"}:
            raise forms.ValidationError(self.fields["url"].error_messages["invalid"])
        return url


class ReviewForm(forms.Form):
    state = forms.ChoiceField(
        required=False,
        choices=[
            ("done", "done"),
            ("not_done", "not_done"),
            ("dropped", "dropped"),
            ("open", "open"),
        ],
    )
    follow_up = forms.ChoiceField(required=False, choices=[("carry", "carry"), ("keep", "keep")])
