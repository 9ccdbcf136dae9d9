"""Factories of the comparison: organisations with figures and their opt-in."""

from __future__ import annotations

import factory

from monitoring.comparison import refresh
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent
from monitoring.models import BiskoSector, EmissionBalance
from tests.networks.factories import OrganisationFactory


class ComparisonConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparisonConsent

    organisation = factory.SubFactory(OrganisationFactory)
    audience = Audience.PUBLIC


def consent(organisation, audience=Audience.PUBLIC, figures=("ghg-total",), figure_audience=None) -> None:
    """Opt the organisation in: overall and for ``figures`` (with ``figure_audience``, default the same)."""
    ComparisonConsent.objects.update_or_create(organisation=organisation, defaults={"audience": audience})
    for figure in figures:
        FigureConsent.objects.update_or_create(
            organisation=organisation, figure=figure, defaults={"audience": figure_audience or audience}
        )


def municipality(emissions=100_000, *, population=70_000, year=2022, audience=Audience.PUBLIC, **fields):
    """A town of the size class 50,000–99,999 in NRW with a balance (households only) and its opt-in."""
    organisation = OrganisationFactory(kind="city", population=population, state="NW", **fields)
    EmissionBalance.objects.create(
        organisation=organisation, year=year, sector=BiskoSector.HOUSEHOLDS, emissions=emissions
    )
    if audience is not None:
        consent(organisation, audience, figures=("ghg-total", "ghg-households"))
    return organisation


def derive(*organisations) -> None:
    """Derive the stored figures now (the signals do it once a transaction commits; tests run inside one)."""
    refresh.refresh([organisation.pk for organisation in organisations])
