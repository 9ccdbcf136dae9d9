"""The one matching rule (measures.funding.matching): sector, kind, applicant kind, size and Land; open funding
only; the next deadline; programmes without a call that is still to come do not fit unless rolling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from measures.funding import services
from measures.funding.matching import ProgrammeIndex, candidates, count_all
from measures.models import Measure
from tests.funding.factories import CallFactory, ProgrammeFactory, programme_with_call
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def fits(measure: Measure) -> list[str]:
    measure = candidates(Measure.objects.filter(pk=measure.pk)).get()
    return [fit.programme.name for fit in ProgrammeIndex.build(timezone.localdate()).fits_for(measure)]


@pytest.fixture
def measure():
    county = OrganisationFactory(kind="county", population=260_000, state="NW")
    return MeasureFactory(roadmap=RoadmapFactory(organisation=county), sector="mobility", funding_status="")


def test_sector_kind_applicant_size_and_land(measure):
    programme_with_call(name="Für alle")
    programme_with_call(name="Mobilität NRW", sectors=["mobility"], states=["NW"], applicant_kinds=["county"])
    programme_with_call(name="Nur Gebäude", sectors=["buildings_heat"])
    programme_with_call(name="Nur Bayern", states=["BY"])
    programme_with_call(name="Nur Unternehmen", applicant_kinds=["company"])
    programme_with_call(name="Kleine Gemeinden", population_max=20_000)
    programme_with_call(name="Große Kreise", population_min=100_000, population_max=300_000)
    programme_with_call(name="Nur Konzepte", measure_kinds=["concept"])
    assert sorted(fits(measure)) == ["Für alle", "Große Kreise", "Mobilität NRW", "Nur Konzepte"]
    services.measure_kinds_set(measure=measure, kinds=["investment"], by=None)
    assert "Nur Konzepte" not in fits(measure)
    services.measure_kinds_set(measure=measure, kinds=["investment", "concept"], by=None)
    assert "Nur Konzepte" in fits(measure)


def test_the_lead_organisation_applies_when_there_is_one(measure):
    programme_with_call(name="Nur Stadtwerke", applicant_kinds=["utility"])
    assert fits(measure) == []
    measure.lead_organisation = OrganisationFactory(kind="utility")
    measure.save(update_fields=["lead_organisation"])
    assert fits(measure) == ["Nur Stadtwerke"]


def test_unknown_size_and_land_do_not_exclude():
    county = OrganisationFactory(kind="county", state="", population=None)
    measure = MeasureFactory(roadmap=RoadmapFactory(organisation=county))
    programme_with_call(name="Ab 50.000", population_min=50_000, states=["RP"])
    assert fits(measure) == ["Ab 50.000"]


@pytest.mark.parametrize(
    ("funding_status", "status", "fits_any"),
    [
        ("", "planned", True),
        ("planned", "in_progress", True),
        ("applied", "planned", False),
        ("granted", "planned", False),
        ("", "completed", False),
        ("", "dropped", False),
    ],
)
def test_only_open_funding_of_measures_still_to_do(measure, funding_status, status, fits_any):
    programme_with_call(name="Für alle")
    Measure.objects.filter(pk=measure.pk).update(funding_status=funding_status, status=status)
    assert bool(candidates().filter(pk=measure.pk).exists()) is fits_any


def test_next_deadline_order_past_calls_paused_and_rolling(measure):
    today = timezone.localdate()
    late = programme_with_call(90, name="Später")
    soon = programme_with_call(10, name="Bald")
    CallFactory(programme=soon, deadline=today + timedelta(days=200))
    past = ProgrammeFactory(name="Vorbei")
    CallFactory(programme=past, deadline=today - timedelta(days=1))
    ProgrammeFactory(name="Jederzeit", rolling=True)
    programme_with_call(5, name="Pausiert", status="paused")
    found = ProgrammeIndex.build(today).fits_for(candidates().get(pk=measure.pk))
    assert [(f.programme.name, f.deadline) for f in found] == [
        ("Bald", today + timedelta(days=10)),
        ("Später", today + timedelta(days=90)),
        ("Jederzeit", None),
    ]
    assert late.pk != soon.pk


def test_count_all_agrees_with_the_index(measure):
    programme_with_call(name="Für alle")
    programme_with_call(name="Mobilität", sectors=["mobility"])
    programme_with_call(name="Gebäude", sectors=["buildings_heat"])
    MeasureFactory(roadmap=measure.roadmap, sector="buildings_heat", funding_status="granted")
    MeasureFactory(roadmap=measure.roadmap, sector="adaptation", funding_status="planned")
    assert count_all(today=timezone.localdate()) == (2, 2, 3)
