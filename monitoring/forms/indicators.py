"""Forms of the indicator pages: the indicator with its target path, and the values of a year."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.forms.events import DateInput
from measures.models import Measure, Roadmap
from monitoring.forms import YearLinesField
from monitoring.models import Indicator, IndicatorValue
from networks.models import Organisation, Person
from networks.numbers import GermanDecimalField, check_number


class IndicatorForm(forms.ModelForm):
    """Everything an editor sets on an indicator, and its target path by year (``targets``)."""

    targets = YearLinesField(
        label=_("Target path"),
        max_digits=18,
        decimal_places=3,
        help_text=_("One target per line: year, colon, value, for example “2030: 45,5”. Empty lines are ignored."),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "scope",
            "roadmap",
            "measures",
            "code",
            "description",
            "direction",
            "kind",
            "per_inhabitant",
            "baseline_year",
            "baseline_value",
            "source",
            "source_licence",
            "update_interval",
            "next_due",
            "responsible",
            "public",
            "order",
        ]
        field_classes = {"baseline_value": GermanDecimalField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "next_due": DateInput(),
            "measures": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "scope": _("What the indicator measures: a roadmap as a whole, single measures, or the organisation."),
            "roadmap": _("Needed for indicators of a roadmap."),
            "measures": _("Needed for indicators of measures; optional otherwise."),
            "next_due": _("The responsible person is reminded when new values are due."),
            "order": _("Indicators are listed by this number, then by name."),
        }

    def __init__(self, *args, organisation: Organisation, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation
        roadmaps = Roadmap.objects.filter(organisation=organisation).order_by("title")
        self.fields["roadmap"].queryset = roadmaps
        self.fields["measures"].queryset = (
            Measure.objects.filter(roadmap__organisation=organisation).select_related("roadmap").order_by("code")
        )
        self.fields["measures"].label_from_instance = lambda m: f"{m.code} {m.title}"
        people = Q(organisation=organisation) | Q(organisation_roles__organisation=organisation)
        if self.instance.responsible_id:
            people |= Q(pk=self.instance.responsible_id)
        self.fields["responsible"].queryset = (
            Person.objects.filter(people, anonymised_at__isnull=True).distinct().order_by("name")
        )
        if targets is not None and not self.is_bound:
            self.initial["targets"] = targets
        if self.instance.pk and self.instance.values.measured().exists():
            self.fields["next_due"].disabled = True  # monitoring.services.indicators.next_due_refresh sets it
            self.fields["next_due"].help_text = _(
                "Follows from the latest measured value: the values of the period after it are due three months "
                "after that period ends."
            )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Indicator.objects.filter(organisation=self.organisation, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                _("The organisation already has an indicator called “%(name)s”."), params={"name": name}
            )
        return name

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Indicator.Scope.ROADMAP and not data.get("roadmap") and "roadmap" not in self.errors:
            self.add_error("roadmap", _("An indicator of a roadmap needs the roadmap."))
        if scope == Indicator.Scope.MEASURE and not data.get("measures") and "measures" not in self.errors:
            self.add_error("measures", _("Choose the measures this indicator measures."))
        baseline_year, baseline_value = data.get("baseline_year"), data.get("baseline_value")
        if (baseline_year is None) != (baseline_value is None) and not self.has_error("baseline_value"):
            self.add_error("baseline_value", _("Give the baseline year and the baseline value together."))
        self._plausible_for_unit(data)
        return data

    def _plausible_for_unit(self, data: dict) -> None:
        """The baseline and the targets fit the unit (networks.numbers: a share 0 to 100, an amount not negative)."""
        unit = data.get("unit") or ""
        if data.get("baseline_value") is not None and not self.has_error("baseline_value"):
            try:
                check_number(data["baseline_value"], unit=unit)
            except ValidationError as error:
                self.add_error("baseline_value", error)
        for year, value in sorted((data.get("targets") or {}).items()):
            try:
                check_number(value, unit=unit)
            except ValidationError as error:
                self.add_error("targets", f"{year}: {' '.join(error.messages)}")


class ValueRowForm(forms.Form):
    """The value of one indicator for the year of the entry page."""

    KINDS = [(IndicatorValue.Kind.MEASURED, _("measured")), (IndicatorValue.Kind.ESTIMATE, _("estimate"))]

    value = GermanDecimalField(label=_("Value"), required=False, max_digits=18, decimal_places=3)
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, initial=IndicatorValue.Kind.MEASURED)
    source = forms.CharField(
        label=_("Source"), max_length=300, required=False, widget=forms.TextInput(attrs={"placeholder": _("Source")})
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.TextInput(attrs={"placeholder": _("Note")})
    )
    checked = forms.BooleanField(label=_("checked"), required=False)

    def __init__(self, *args, indicator: Indicator, current: IndicatorValue | None, previous=None, **kwargs):
        self.indicator, self.current, self.previous = indicator, current, previous
        if current is not None:
            kwargs["initial"] = {
                "value": current.value,
                "kind": current.kind,
                "source": current.source,
                "note": current.note,
                "checked": current.checked,
            }
        else:
            kwargs["initial"] = {"source": indicator.source}
        super().__init__(*args, prefix=f"i{indicator.pk}", **kwargs)
        self.fields["value"].unit = indicator.unit  # a share 0 to 100, an amount not negative


class ValuesEntryForm:
    """One form of rows, one per indicator: valid only when every row is."""

    def __init__(self, data, *, indicators: list[Indicator], current: dict, previous: dict):
        self.rows = [
            ValueRowForm(data, indicator=i, current=current.get(i.pk), previous=previous.get(i.pk)) for i in indicators
        ]

    def is_valid(self) -> bool:
        valid = [row.is_valid() for row in self.rows]  # every row, so each gets its errors
        return all(valid)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def entries(self) -> list[tuple[Indicator, dict]]:
        return [(row.indicator, row.cleaned_data) for row in self.rows]
