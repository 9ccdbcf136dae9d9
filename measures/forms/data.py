"""Forms of the import: the upload, and the check of one row of the measure sheet."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from networks.numbers import number_formfield

# The measure fields an import row sets through this form (types, lengths, choices, digits, minimums come
# from the model). Organisations, partners and the internal field groups are resolved by measures.importing.
ROW_FIELDS = (
    "code",
    "title",
    "sector",
    "status",
    "start",
    "end",
    "continuous",
    "priority",
    "summary",
    "description",
    "objectives",
    "target_groups",
    "responsible_body",
    "cost_estimate",
    "funding_programme",
    "funding_amount",
    "funding_status",
    "funding_deadline",
    "participation_level",
    "effect_expected",
    "effect_low",
    "effect_high",
    "effect_method",
    "effect_source",
    "qualitative_effect",
    "how_to_take_part",
    "plain_language_summary",
    "published",
    "late_override_reason",
    "internal_note",
)


class MeasureRowForm(forms.Form):
    """One row of an import, checked like the measure sheet: only the columns the file has (``names``).

    The fields are shared by all rows instead of deep-copied per form as Django does (which costs half
    of checking a row): nothing here changes a field, so there is nothing a copy would protect."""

    def __init__(self, data, *, names: list[str]):
        shared = type(self).base_fields
        self.base_fields = {}
        super().__init__(data)
        self.fields = {name: shared[name] for name in names if name in shared}


MeasureRowForm.base_fields = fields_for_model(Measure, fields=ROW_FIELDS, formfield_callback=number_formfield)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8, separated by semicolons or commas) or Excel (.xlsx); 5 MB and 5,000 measures at most."
        ),
    )

    def clean_file(self):
        from measures import importing

        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB. Please split it."))
        try:
            table = importing.read_table(upload.name, upload.read())
            importing.map_headers(table.headers)
        except importing.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        self.table = table
        return upload


class ImportConfirmForm(forms.Form):
    """The confirmation of a preview: the checked file the server kept (measures.services.imports.import_draft)."""

    draft = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
