"""Writes of the planning-status trackers: municipal heat planning and the climate strategy."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from monitoring.models import ClimateStrategy, HeatPlanning, HeatPlanningStep
from networks.models import Organisation


@transaction.atomic
def heat_planning_save(*, planning: HeatPlanning, reached: dict[int, date], convoy: list[Organisation]) -> HeatPlanning:
    """The planning, the dates its stages were reached (stages left out lose their date) and its convoy.

    The form has checked that dates are given only up to the current stage and do not go backwards."""
    planning.is_demo = False  # an editor's values replace the demo's
    planning.save()
    planning.convoy.set([org for org in convoy if org.pk != planning.organisation_id])
    stored = {step.stage: step for step in planning.steps.select_for_update()}
    for stage, day in reached.items():
        step = stored.get(stage)
        if step is None:
            HeatPlanningStep.objects.create(planning=planning, stage=stage, reached_on=day)
        elif step.reached_on != day:
            step.reached_on = day
            step.save(update_fields=["reached_on"])
    gone = [step.pk for stage, step in stored.items() if stage not in reached]
    if gone:
        HeatPlanningStep.objects.filter(pk__in=gone).delete()
    return planning


@transaction.atomic
def strategy_save(*, strategy: ClimateStrategy) -> ClimateStrategy:
    strategy.full_clean(exclude=["organisation"])
    strategy.is_demo = False
    strategy.save()
    return strategy
