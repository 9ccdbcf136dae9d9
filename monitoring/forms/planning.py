"""Forms of the planning-status trackers: municipal heat planning and the climate strategy."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.forms.events import DateInput
from monitoring.models import ClimateStrategy, HeatPlanning, Stage
from networks.models import Membership, Network, Organisation


def stage_field(stage: int) -> str:
    return f"reached_{stage}"


REACHABLE = [stage for stage in Stage.values if stage != Stage.NOT_STARTED]


class HeatPlanningForm(forms.ModelForm):
    """Stage, the date each stage up to it was reached (in order, not in the future), convoy, office, council."""

    class Meta:
        model = HeatPlanning
        fields = ["stage", "office", "council_decision_on", "convoy", "note"]
        widgets = {
            "council_decision_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 4}),
            "convoy": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "office": _("The planning office commissioned with the heat plan, if any."),
            "convoy": _(
                "Municipalities, cities and counties of your networks that plan together in a convoy (Konvoi)."
            ),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["convoy"].queryset = self._neighbours(organisation)
        reached = {step.stage: step.reached_on for step in self.instance.steps.all()} if self.instance.pk else {}
        for stage in REACHABLE:
            name = stage_field(stage)
            self.fields[name] = forms.DateField(
                label=Stage(stage).label, required=False, widget=DateInput(), initial=reached.get(stage)
            )

    def _neighbours(self, organisation: Organisation):
        """Whom a convoy is planned with: the municipalities, cities and counties of the organisation's networks
        (current members and hosts), not every one of the portal; plus those chosen before."""
        current = Membership.objects.current()
        networks = Network.objects.filter(
            Q(pk__in=current.filter(organisation=organisation).values("network")) | Q(host=organisation)
        ).values("pk")
        shared = Q(pk__in=current.filter(network__in=networks).values("organisation")) | Q(
            pk__in=Network.objects.filter(pk__in=networks).values("host")
        )
        if self.instance.pk:
            shared |= Q(pk__in=self.instance.convoy.values("pk"))
        return (
            Organisation.objects.filter(shared, kind__in=Organisation.PUBLIC_BODIES)
            .exclude(pk=organisation.pk)
            .order_by("name")
        )

    @property
    def stage_fields(self):
        return [self[stage_field(stage)] for stage in REACHABLE]

    def clean(self):
        data = super().clean()
        stage = data.get("stage")
        today = timezone.localdate()
        previous = None
        for value in REACHABLE:
            name = stage_field(value)
            day = data.get(name)
            if day is None:
                continue
            names = {"field": Stage(value).label}
            if stage is not None and value > stage:
                self.add_error(name, _("“%(field)s” comes after the current stage: leave its date empty.") % names)
            elif day > today:
                self.add_error(name, _("“%(field)s” cannot be reached in the future.") % names)
            elif previous is not None and day < previous[1]:
                self.add_error(
                    name,
                    _("“%(field)s” lies before “%(stage)s”: the stages are reached in order.")
                    % {**names, "stage": Stage(previous[0]).label},
                )
            # Each date is compared with the one before it, also a wrong one: one wrong date is one error.
            previous = (value, day)
        council = data.get("council_decision_on")
        if council and council > today:
            self.add_error("council_decision_on", _("The council decision cannot lie in the future."))
        return data

    def reached(self) -> dict[int, object]:
        return {
            stage: self.cleaned_data[stage_field(stage)]
            for stage in REACHABLE
            if self.cleaned_data.get(stage_field(stage))
        }


class StrategyForm(forms.ModelForm):
    class Meta:
        model = ClimateStrategy
        fields = ["concept_adopted_on", "concept_share_implemented", "neutrality_year", "neutrality_decided_on", "note"]
        widgets = {
            "concept_adopted_on": DateInput(),
            "neutrality_decided_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("concept_adopted_on", "neutrality_decided_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date cannot lie in the future."))
        return data
