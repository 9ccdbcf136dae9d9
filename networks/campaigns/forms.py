from django import forms
from django.utils.translation import gettext_lazy as _

from networks.campaigns import links
from networks.campaigns.models import KeyFigure, period_label
from networks.numbers import GermanDecimalField


class KeyFigureForm(forms.ModelForm):
    class Meta:
        model = KeyFigure
        fields = ["name", "unit", "period", "description"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign

    def clean_period(self):
        period = self.cleaned_data["period"]
        changed = self.instance.pk and period != KeyFigure.objects.get(pk=self.instance.pk).period
        if changed and self.instance.values.exists():
            raise forms.ValidationError(
                _("Figures have been entered per %(period)s already; the period can no longer change.")
                % {"period": self.instance.get_period_display()}
            )
        return period

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = KeyFigure.objects.filter(campaign=self.campaign, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The campaign already has a figure of this name."))
        return name


class ValuesForm(forms.Form):
    """One German number field per period of the figure (empty clears it)."""

    def __init__(self, *args, figure: KeyFigure, starts: list, initial_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.starts = starts
        for start in starts:
            self.fields[self.key(start)] = GermanDecimalField(
                label=f"{period_label(figure.period, start)} ({figure.unit})",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=initial_values.get(start),
            )

    @staticmethod
    def key(start) -> str:
        return f"p{start.isoformat()}"

    def values(self) -> dict:
        return {start: self.cleaned_data.get(self.key(start)) for start in self.starts}


class LinksForm(forms.Form):
    """One checkbox list per link source, of what the coordination may link."""

    def __init__(self, *args, campaign, user, chosen: dict[str, list[int]], **kwargs):
        super().__init__(*args, **kwargs)
        for source in links.sources():
            choices = source.choices(campaign, user)
            self.fields[source.key] = forms.TypedMultipleChoiceField(
                label=source.label,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=chosen.get(source.key, []),
            )
