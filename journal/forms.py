from html import escape

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from config.widgets import PlainCheckboxInput, PlainHiddenInput, PlainTextarea, PlainTextInput

from .converters import FIRST_DAY, LAST_DAY
from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, JournalSettings, time_zone_choices


class EntryForm(forms.Form):
    # The widgets write their HTML in Python (config/widgets.py): this form is on every day page.
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_LENGTH, required=False, widget=PlainTextInput
    )
    # Leading spaces mean something in Markdown (code, nested lists): only trailing ones go.
    body = forms.CharField(
        label=_("Body"),
        required=False,
        strip=False,
        max_length=BODY_MAX_LENGTH,
        widget=PlainTextarea(attrs={"rows": 8}),
        error_messages={
            "max_length": _(
                "The body can hold at most %(limit_value)s characters; this one has "
                "%(show_value)s. Split it into two entries."
            )
        },
    )
    worked = forms.BooleanField(label=_("Worked (稼働)"), required=False, widget=PlainCheckboxInput)

    def clean_body(self) -> str:
        return self.cleaned_data["body"].rstrip()

    def clean(self) -> dict:
        data = super().clean()
        if (
            not self.errors
            and not data.get("title", "").strip()
            and not data.get("body", "").strip()
        ):
            raise forms.ValidationError(_("Write a title or a body."), code="empty")
        return data


# A revision is a PositiveIntegerField: a larger number is no revision (and no database error).
MAX_REVISION = 2**31 - 1


class EntryEditForm(EntryForm):
    # Day One's and jrnl's favourites arrive starred; here the star can be set or taken off.
    starred = forms.BooleanField(label=_("Starred ★"), required=False, widget=PlainCheckboxInput)
    base_revision = forms.IntegerField(min_value=1, max_value=MAX_REVISION, widget=PlainHiddenInput)


class EntryCreateForm(EntryForm):
    date = forms.DateField(
        widget=PlainHiddenInput,
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )
    # Made by the client when it writes offline, so a replayed create finds its entry again.
    uuid = forms.UUIDField(required=False, widget=PlainHiddenInput)


class WorkedForm(forms.Form):
    worked = forms.BooleanField(required=False)
    base_revision = forms.IntegerField(min_value=1, max_value=MAX_REVISION)


class PlainSelect(forms.Select):
    """A select whose options are made as escaped strings: the settings' 600 time zones through
    Django's widget templates took some 30 ms a page."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs({"name": name, **self.attrs}, attrs)
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # all escaped above


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, widget=PlainSelect
    )

    class Meta:
        model = JournalSettings
        fields = [
            "title",
            "goal",
            "weekly_target_days",
            "week_start",
            "day_boundary_hour",
            "time_zone",
            "language",
        ]
        widgets = {
            "weekly_target_days": forms.NumberInput(attrs={"min": 0, "max": 7}),
            "day_boundary_hour": forms.NumberInput(attrs={"min": 0, "max": 23}),
        }
