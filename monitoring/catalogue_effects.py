"""The measure library's adoption table (measures.catalogue.effects): for public copies of an entry, the public
indicators linked to them with their latest measured value. Two queries for any number of measures."""

from __future__ import annotations

from django.db.models import Prefetch
from django.template.defaultfilters import floatformat

from monitoring.models import Indicator, IndicatorValue

PER_MEASURE = 3


def latest_values(measure_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    through = Indicator.measures.through
    links = list(
        through.objects.filter(measure_id__in=measure_ids, indicator__in=Indicator.objects.public())
        .select_related("indicator")
        .prefetch_related(
            Prefetch(
                "indicator__values",
                queryset=IndicatorValue.objects.measured().order_by("-year", "-date", "-pk"),
                to_attr="latest",
            )
        )
        .order_by("indicator__order", "indicator__name", "pk")
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for link in links:
        indicator = link.indicator
        if not indicator.latest or len(found.get(link.measure_id, [])) >= PER_MEASURE:
            continue
        value = indicator.latest[0]
        text = f"{floatformat(value.value, '-3g')} {indicator.unit} ({value.year})"
        found.setdefault(link.measure_id, []).append((indicator.name, text))
    return found
