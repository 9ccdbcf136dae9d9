"""Forms of the balance pages: a year's balance by BISKO sector, and the target path."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.forms import YearLinesField
from monitoring.models import BiskoSector, EmissionBalance, EmissionPath
from networks.numbers import GermanDecimalField


class SectorRowForm(forms.Form):
    """The total of one sector in the year of the balance page."""

    emissions = GermanDecimalField(label=_("t CO2e"), required=False, max_digits=14, decimal_places=1, min_value=0)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, sector: str, lines: list[EmissionBalance], **kwargs):
        self.sector, self.lines = sector, lines
        self.label = BiskoSector(sector).label
        self.carriers = [line for line in lines if line.energy_carrier]
        if lines:
            kwargs["initial"] = {
                "emissions": sum(line.emissions for line in lines),
                "source": lines[0].source,
                "note": lines[0].note if len(lines) == 1 else "",
            }
        super().__init__(*args, prefix=sector, **kwargs)


class BalanceYearForm:
    """One row per BISKO sector; valid only when every row is."""

    def __init__(self, data, *, lines: dict[str, list[EmissionBalance]]):
        self.rows = [SectorRowForm(data, sector=s, lines=lines.get(s, [])) for s in BiskoSector.values]

    def is_valid(self) -> bool:
        valid = [row.is_valid() for row in self.rows]  # every row, so each gets its errors
        return all(valid)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def sectors(self) -> dict[str, dict]:
        return {
            row.sector: {
                "emissions": row.cleaned_data["emissions"],
                "source": row.cleaned_data["source"].strip(),
                "note": row.cleaned_data["note"].strip(),
            }
            for row in self.rows
        }


class PathForm(forms.ModelForm):
    points = YearLinesField(
        label=_("Target values by year"),
        max_digits=14,
        decimal_places=1,
        help_text=_(
            "Only for the path “entered by year”: one line per year, for example “2030: 450.000” (t CO2e). "
            "Years between two lines are not interpolated."
        ),
    )

    class Meta:
        model = EmissionPath
        fields = ["baseline_year", "baseline_emissions", "target_year", "residual_percent", "method"]
        field_classes = {"baseline_emissions": GermanDecimalField}
        widgets = {"method": forms.RadioSelect}

    def __init__(self, *args, organisation, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        if points is not None and not self.is_bound:
            self.initial["points"] = points

    def clean(self):
        data = super().clean()
        if data.get("method") == EmissionPath.Method.BY_YEAR and not data.get("points") and "points" not in self.errors:
            self.add_error("points", _("A path entered by year needs at least one value."))
        return data
