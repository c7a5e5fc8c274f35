from django import forms
from django.utils.translation import gettext_lazy as _

from .search import MAX_QUERY_LENGTH, MAX_TERMS, search_terms


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)s characters; this search has %(show_value)s."
            )
        },
    )
    kind = forms.ChoiceField(
        label=_("In"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("entry", _("Diary entries")),
            ("item", _("KPT items")),
            ("note", _("Reading notes")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The URL says ?from=…&to=… (DESIGN.md §3), and `from` cannot be a class attribute.
        for name, label in (("from", _("From")), ("to", _("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                error_messages={"invalid": _("Give the date as YYYY-MM-DD, e.g. 2026-11-23.")},
            )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(search_terms(query)) > MAX_TERMS:
            raise forms.ValidationError(
                _("Search for at most %(limit)s words at a time."), params={"limit": MAX_TERMS}
            )
        return query

    def clean(self) -> dict:
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise forms.ValidationError(_("The first date comes after the last one."))
        return data
