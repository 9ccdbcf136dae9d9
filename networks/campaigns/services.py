"""Writes of a campaign's figures: define a figure, enter values, link items (each one transaction)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.campaigns import links
from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure
from networks.models import Campaign, Organisation, Person


@transaction.atomic
def values_set(
    *, figure: KeyFigure, organisation: Organisation, values: dict[date, Decimal | None], by: Person | None
) -> int:
    """Set ``organisation``'s values of ``figure`` per period start; None clears one. Returns how many changed."""
    if not figure.campaign.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("This organisation does not take part in the campaign."), code="not_participating")
    existing = {
        v.period_start: v
        for v in FigureValue.objects.select_for_update().filter(figure=figure, organisation=organisation)
    }
    changed = 0
    for start, value in values.items():
        row = existing.get(start)
        if value is None:
            if row is not None:
                row.delete()
                changed += 1
            continue
        if value < 0:
            raise ValidationError(_("Figures cannot be negative."), code="negative")
        if row is None:
            FigureValue.objects.create(
                figure=figure, organisation=organisation, period_start=start, value=value, entered_by=by
            )
            changed += 1
        elif row.value != value:
            row.value, row.entered_by = value, by
            row.save(update_fields=["value", "entered_by", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def links_set(*, campaign: Campaign, key: str, ids: list[int]) -> None:
    """The campaign's links to ``key``'s objects become ``ids`` (the caller offered only allowed choices)."""
    if links.source(key) is None:
        raise ValidationError(_("Unknown kind of link."), code="unknown")
    CampaignLink.objects.filter(campaign=campaign, source=key).exclude(object_id__in=ids).delete()
    have = set(CampaignLink.objects.filter(campaign=campaign, source=key).values_list("object_id", flat=True))
    CampaignLink.objects.bulk_create(
        [CampaignLink(campaign=campaign, source=key, object_id=i) for i in ids if i not in have]
    )


def figure_delete(*, figure: KeyFigure) -> None:
    figure.delete()
