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


# Import formats, in the order the form offers them; only those with a reader are offered.
IMPORT_FORMATS = {
    "tsuzuri": _("Tsuzuri export (.zip)"),
    "dayone": _("Day One (JSON export, .zip or .json)"),
    "jrnl": _("jrnl (JSON export or plain-text journal)"),
    "obsidian": _("Obsidian daily notes (.zip or .md)"),
    "weekly": _("Weekly reports (.zip, .md or .txt)"),
}
IMPORT_SUFFIXES = (".zip", ".json", ".md", ".txt")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=False,
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("The file is empty."),
            "invalid": _("Send the file as a file upload."),
            "missing": _("No file arrived; choose it again."),
        },
    )
    format = forms.ChoiceField(
        label=_("Made by"), error_messages={"invalid_choice": _("Choose one of the formats.")}
    )
    replace = forms.BooleanField(
        label=_("Replace weeks that already have a retrospective (weekly reports only)"),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from . import readers  # noqa: F401  (registers every format)
        from .importing import READERS

        self.fields["format"].choices = [
            (name, label) for name, label in IMPORT_FORMATS.items() if name in READERS
        ]

    def clean_file(self):
        from .sources import max_bytes, too_big

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError(
                _("Import a .zip, .json, .md or .txt file; %(name)s is none of these."),
                params={"name": upload.name},
            )
        if upload.size > max_bytes():
            raise forms.ValidationError(too_big(upload.size))
        return upload

    def options(self) -> dict:
        if self.cleaned_data["format"] == "weekly":
            return {"replace": self.cleaned_data["replace"]}
        return {}
