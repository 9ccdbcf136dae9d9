"""Factories of the funding radar (measures.funding)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from measures.funding.models import FundingCall, FundingProgramme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingProgramme

    name = factory.Sequence(lambda n: f"Förderprogramm {n}")
    slug = factory.Sequence(lambda n: f"foerderprogramm-{n}")
    funder = "BMWK / ZUG"
    legal_basis = "Kommunalrichtlinie 4.1.8"
    sectors = factory.LazyFunction(list)
    measure_kinds = factory.LazyFunction(list)
    applicant_kinds = factory.LazyFunction(list)
    states = factory.LazyFunction(list)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingCall

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Förderfenster {n}")
    opens = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


def programme_with_call(days: int = 30, **kwargs) -> FundingProgramme:
    """A programme with one call whose deadline is ``days`` from today."""
    programme = ProgrammeFactory(**kwargs)
    CallFactory(programme=programme, deadline=timezone.localdate() + timedelta(days=days))
    return programme
