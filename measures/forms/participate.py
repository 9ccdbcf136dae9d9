"""The filters of the "Mitmachen" pages (measures.views.participate)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import Measure, Sector

INVALID = _("Please choose one of the offered values.")  # never echoes what was sent


class ParticipateFilterForm(forms.Form):
    """German parameter names, as the measure list's (measures.filters)."""

    handlungsfeld = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("All sectors")), *Sector.choices],
        error_messages={"invalid_choice": INVALID},
    )
    kommune = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("All municipalities"),
        error_messages={"invalid_choice": INVALID},
    )
    kosten = forms.ChoiceField(
        label=_("Cost for me at most"),
        required=False,
        choices=[("", _("Any cost"))] + [c for c in Measure.CitizenCost.choices if c[0]],
        error_messages={"invalid_choice": INVALID},
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = municipalities

    def values(self) -> dict:
        """The valid filters (an invalid one filters nothing and shows its error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "sector": data.get("handlungsfeld") or "",
            "municipality": data.get("kommune"),
            "cost": data.get("kosten") or "",
        }
