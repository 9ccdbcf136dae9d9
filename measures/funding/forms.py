"""Forms of the funding radar: a programme, a call, the kinds of a measure, the programme filter, the import."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from measures.funding.models import FundingCall, FundingProgramme, MeasureKind
from measures.models import Sector
from networks import tabular
from networks.models import Organisation, State
from networks.numbers import number_formfield


def _checkboxes(label, choices, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=capfirst(label), choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class ProgrammeForm(forms.ModelForm):
    sectors = _checkboxes(_("sectors"), Sector.choices, _("None ticked: all sectors."))
    measure_kinds = _checkboxes(_("kinds of measure"), MeasureKind.choices, _("None ticked: every kind."))
    applicant_kinds = _checkboxes(_("who may apply"), Organisation.Kind.choices, _("None ticked: everyone."))
    states = _checkboxes(_("federal states"), State.choices, _("None ticked: all of Germany."))

    class Meta:
        model = FundingProgramme
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = [
            "name",
            "funder",
            "legal_basis",
            "summary",
            "sectors",
            "measure_kinds",
            "applicant_kinds",
            "population_min",
            "population_max",
            "states",
            "rate",
            "amount_min",
            "amount_max",
            "rolling",
            "url",
            "last_checked",
            "status",
            "is_demo",
            "notes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "last_checked": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CallForm(forms.ModelForm):
    class Meta:
        model = FundingCall
        fields = ["title", "opens", "deadline", "note"]
        widgets = {
            "opens": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class MeasureKindsForm(forms.Form):
    kinds = _checkboxes(
        _("What kind of measure is it?"),
        MeasureKind.choices,
        _("Programmes that fund other kinds only are then left out. None ticked: every kind fits."),
    )


class ProgrammeFilter(forms.Form):
    """The list's filters; unknown values are ignored (a bookmarked URL never breaks the page)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("sector"), choices=[("", _("all"))] + Sector.choices, required=False)
    applicant = forms.ChoiceField(
        label=_("Who may apply"), choices=[("", _("all"))] + Organisation.Kind.choices, required=False
    )
    state = forms.ChoiceField(label=_("federal state"), choices=[("", _("all"))] + State.choices, required=False)

    def values(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return {name: self.cleaned_data.get(name, "") for name in self.fields if name not in self.errors}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, separated by semicolons or commas) or Excel (.xlsx); one programme per row."),
    )

    def clean_file(self):
        from measures.funding import importing

        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(tabular.too_large(importing.MAX_BYTES))
        try:
            self.table = importing.read_table(upload.name, upload.read())
        except tabular.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ImportConfirmForm(forms.Form):
    """Step 2: the checked rows, signed by the server; checked again on writing."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_payload(self) -> str:
        from measures.funding import importing

        payload = self.cleaned_data["payload"]
        try:
            self.table = importing.unsign(payload, user=self.user)
        except tabular.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return payload
