"""The filters of the "Mitmachen" pages (measures.views.participate)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from measures.models import Measure, Sector

PLACE_CHARACTERS = 100


class ParticipateFilterForm(forms.Form):
    """German parameter names, as the measure list's (measures.filters). Every choice field: a value no choice
    knows is taken out by networks.filtering.ignore_unknown before validation and shown as a note; the place is
    free text (cut to PLACE_CHARACTERS), so the form has no errors of its own to show.

    The place is typed, not chosen: a national portal's offers concern thousands of municipalities, and a list of
    them all made every page 600 KB and took 1.4 s to render. ``kommune`` (a municipality's address, as links to
    the page carry it) still filters and is kept through the form as a hidden field."""

    handlungsfeld = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("All sectors")), *Sector.choices],
    )
    ort = forms.CharField(
        label=pgettext_lazy("location", "Place"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "address-level2", "placeholder": _("Municipality, town or county")}
        ),
    )
    kommune = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=None,
        to_field_name="slug",
        widget=forms.HiddenInput,
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
            "place": (data.get("ort") or "")[:PLACE_CHARACTERS],
            "municipality": data.get("kommune"),
            "cost": data.get("kosten") or "",
        }
