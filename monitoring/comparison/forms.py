"""Forms of the comparison: the peer-group picker (GET), the opt-in, the key data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.comparison.figures import Figure
from monitoring.comparison.models import Audience
from monitoring.comparison.statistics import PeerGroup
from networks import municipal
from networks.models import Organisation


class PeerGroupForm(forms.Form):
    """The peer group the viewer chooses; an unknown value is ignored with a note (networks.filtering)."""

    gruppe = forms.ChoiceField(label=_("Compare with"), required=False)

    def __init__(self, *args, groups: list[PeerGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gruppe"].choices = [(group.choice, group.label) for group in groups]

    def chosen(self) -> str:
        return (self.cleaned_data.get("gruppe") or "") if self.is_valid() else ""


def figure_field_name(key: str) -> str:
    return "figure-" + key.replace(":", "--")


class ConsentForm(forms.Form):
    audience = forms.TypedChoiceField(
        label=_("Share our figures for the comparison with"),
        choices=Audience.choices,
        coerce=int,
        help_text=_(
            "The most any figure below is shared with. Members of our networks: people with a role in a network "
            "our organisation belongs to. Statistics are only shown for groups of at least five organisations."
        ),
    )

    def __init__(self, *args, figures: list[Figure], current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = figures
        for figure in figures:
            self.fields[figure_field_name(figure.key)] = forms.TypedChoiceField(
                label=figure.label,
                choices=Audience.choices,
                coerce=int,
                required=False,  # not sent: the figure keeps its choice
                empty_value=None,
                initial=current.get(figure.key, Audience.NOBODY),
                help_text=figure.unit,
            )

    def figure_fields(self):
        return [self[figure_field_name(figure.key)] for figure in self.figures]

    def chosen_figures(self) -> dict[str, int]:
        chosen = {figure.key: self.cleaned_data.get(figure_field_name(figure.key)) for figure in self.figures}
        return {key: audience for key, audience in chosen.items() if audience is not None}


class KeyDataForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["ags", "population", "area"]
        help_texts = {
            "ags": _(
                "Eight digits, e.g. 05382068 for Troisdorf (Destatis Gemeindeverzeichnis). The federal state "
                "follows from its first two digits."
            ),
            "population": _(
                "The official population (Destatis or the state statistical office), e.g. of 31 December "
                "of the latest year published."
            ),
        }

    def clean_ags(self) -> str:
        ags = self.cleaned_data.get("ags") or ""
        if ags and not municipal.land_of_ags(ags):
            raise forms.ValidationError(_("An AGS begins with the key of a federal state, 01 to 16."))
        return ags

    def _post_clean(self):
        land = municipal.land_of_ags(self.cleaned_data.get("ags"))
        if land:  # one truth: the state follows the AGS before the model checks both
            self.instance.state = land
        super()._post_clean()
