"""Writes of the comparison: an organisation's key data and its opt-in (both refresh its stored figures)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from monitoring.comparison import refresh
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent
from networks import municipal
from networks.models import Organisation, Person


@transaction.atomic
def consent_save(
    *, organisation: Organisation, audience: int, figures: dict[str, int], by: Person | None
) -> ComparisonConsent:
    """The organisation's audience and each figure's; figures not named keep theirs. Safe to call twice."""
    consent, _created = ComparisonConsent.objects.update_or_create(
        organisation=organisation, defaults={"audience": Audience(audience), "updated_by": by}
    )
    current = dict(FigureConsent.objects.filter(organisation=organisation).values_list("figure", "audience"))
    for figure, value in figures.items():
        if current.get(figure) == value:
            continue
        FigureConsent.objects.update_or_create(
            organisation=organisation, figure=figure, defaults={"audience": Audience(value)}
        )
    refresh.schedule([organisation.pk])
    return consent


@transaction.atomic
def key_data_save(
    *, organisation: Organisation, ags: str, population: int | None, area: Decimal | None
) -> Organisation:
    """AGS, population and area; the federal state follows the AGS (one truth: networks.municipal)."""
    organisation.ags, organisation.population, organisation.area = ags, population, area
    fields = ["ags", "population", "area"]
    land = municipal.land_of_ags(ags)
    if land:  # the form may have set it on this instance already: save it in any case
        organisation.state = land
        fields.append("state")
    organisation.save(update_fields=fields)  # its post_save schedules the refresh of its figures
    return organisation
