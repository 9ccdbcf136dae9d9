from datetime import date

import factory

from monitoring.models import (
    BiskoSector,
    ClimateStrategy,
    EmissionBalance,
    EmissionPath,
    HeatPlanning,
    HeatPlanningStep,
    Indicator,
    IndicatorValue,
    Report,
    Stage,
)
from tests.measures.factories import RoadmapFactory
from tests.networks.factories import OrganisationFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    roadmap = factory.SubFactory(RoadmapFactory)
    organisation = factory.LazyAttribute(lambda o: o.roadmap.organisation)
    scope = Indicator.Scope.ROADMAP
    name = factory.Sequence(lambda n: f"Installierte PV-Leistung {n}")
    unit = "MWp"
    direction = Indicator.Direction.HIGHER
    kind = Indicator.Kind.IMPACT
    source = "Marktstammdatenregister"
    next_due = date(2027, 3, 31)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2024
    kind = IndicatorValue.Kind.MEASURED
    value = 12.5


class EmissionBalanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmissionBalance

    organisation = factory.SubFactory(OrganisationFactory, kind="city")
    year = 2022
    sector = BiskoSector.HOUSEHOLDS
    emissions = 1000


class EmissionPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmissionPath

    organisation = factory.SubFactory(OrganisationFactory, kind="city")
    baseline_year = 2020
    baseline_emissions = 1000
    target_year = 2030


class HeatPlanningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeatPlanning

    organisation = factory.SubFactory(OrganisationFactory, kind="city", population=60_000)
    stage = Stage.POTENTIAL


class HeatPlanningStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeatPlanningStep

    planning = factory.SubFactory(HeatPlanningFactory)
    stage = Stage.DECIDED
    reached_on = date(2024, 3, 1)


class ClimateStrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClimateStrategy

    organisation = factory.SubFactory(OrganisationFactory, kind="city")
    neutrality_year = 2040
    neutrality_decided_on = date(2021, 6, 1)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    scope = Report.Scope.ROADMAP
    roadmap = factory.SubFactory(RoadmapFactory)
    title = "Monitoringbericht 2025"
    period_start = date(2025, 1, 1)
    period_end = date(2025, 12, 31)
