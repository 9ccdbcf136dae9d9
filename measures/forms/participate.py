"""The filters of the "Mitmachen" pages (measures.views.participate)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import Measure, Sector


class ParticipateFilterForm(forms.Form):
    """German parameter names, as the measure list's (measures.filters). Every field is a choice: a value no choice
    knows is taken out by networks.filtering.ignore_unknown before validation and shown as a note, so the form has
    no errors of its own to show."""

    handlungsfeld = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("All sectors")), *Sector.choices],
    )
    kommune = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("All municipalities"),
    )
    kosten = forms.ChoiceField(
        label=_("Cost for me at most"),
        required=False,
        choices=[("", _("Any cost"))] + [c for c in Measure.CitizenCost.choices if c[0]],
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = municipalities

    def values(self) -> dict:
        """The filters (unknown values were taken out by ignore_unknown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "sector": data.get("handlungsfeld") or "",
            "municipality": data.get("kommune"),
            "cost": data.get("kosten") or "",
        }
