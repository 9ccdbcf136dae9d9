"""Reads of the catalogue: every public roadmap with what its three data sets need, in one query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery

from measures.models import Measure, Roadmap
from monitoring.models import EmissionBalance, EmissionPath, Indicator, IndicatorValue


def _last_change(queryset) -> Subquery:
    return Subquery(queryset.order_by("-updated_at").values("updated_at")[:1])


def catalogue_roadmaps():
    """Published roadmaps with their organisation and, per data set, whether it has data and when it last changed.

    One query: the last change of the public measures, of the public indicators and their values, and of the
    organisation's balance and target path are subqueries of the roadmap row."""
    indicators = Indicator.objects.public().filter(roadmap=OuterRef("pk"))
    public_of_roadmap = Indicator.objects.public().filter(roadmap=OuterRef(OuterRef("pk")))
    balances = EmissionBalance.objects.filter(organisation=OuterRef("organisation_id"))
    return (
        Roadmap.objects.published()
        .select_related("organisation")
        .annotate(
            measures_modified=_last_change(Measure.objects.public().filter(roadmap=OuterRef("pk"))),
            indicators_modified=_last_change(indicators),
            values_modified=_last_change(IndicatorValue.objects.filter(indicator__in=public_of_roadmap)),
            has_indicators=Exists(indicators),
            has_balance=Exists(balances),
            balance_modified=_last_change(balances),
            path_modified=_last_change(EmissionPath.objects.filter(organisation=OuterRef("organisation_id"))),
        )
        .order_by("organisation__name", "title")
    )
