"""Builders: the selectors' results turned into charts (monitoring.charts.Chart).

Pages, the public roadmap panel and the reports use these, so a chart looks the same wherever it is
shown. Texts are translated when the chart is built (a report freezes them in its language).

An indicator's estimated years stay in the "measured" series (the line runs through them); a second
series of style "estimate" repeats just those values, so the drawing shows them hollow and the data
table marks them, instead of a column of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils.translation import gettext

from monitoring.charts import BAR, LINE, STACKED, Chart, Series, number
from monitoring.models import Indicator, Stage
from monitoring.selectors import EmissionsOverview, IndicatorSeries

MEASURED = "measured"
ESTIMATE = "estimate"
TARGET = "target"
BARS = "bar"

T_CO2E = "t CO2e"


def _span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def indicator_chart(series: IndicatorSeries, key: str) -> Chart:
    """The indicator's actual values (baseline included) and its target path, by year."""
    indicator = series.indicator
    years = series.years
    actual = [number(series.actual(year)) for year in years]
    targets = [number(series.target.get(year)) for year in years]
    chart_series = [Series(gettext("Measured value"), actual, MEASURED)]
    if series.estimated:
        estimates = [number(series.measured[year]) if year in series.estimated else None for year in years]
        chart_series.append(Series(gettext("Estimate"), estimates, ESTIMATE))
    if any(v is not None for v in targets):
        chart_series.append(Series(gettext("Target path"), targets, TARGET))
    if indicator.direction == Indicator.Direction.LOWER:
        direction = gettext("Lower values are better.")
    else:
        direction = gettext("Higher values are better.")
    caption = gettext("In %(unit)s by year: measured values and the target path, %(span)s.") % {
        "unit": indicator.unit,
        "span": _span(years),
    }
    return Chart(
        key=key,
        title=indicator.name,
        kind=LINE,
        labels=[str(year) for year in years],
        series=chart_series,
        unit=indicator.unit,
        caption=f"{caption} {direction}" if years else direction,
        x_label=gettext("Year"),
    )


def emissions_chart(overview: EmissionsOverview, key: str) -> Chart:
    """Greenhouse-gas emissions by BISKO sector per year (stacked bars) against the target path."""
    years = sorted(set(overview.by_year) | set(overview.path_values))
    chart_series = []
    for sector, label in overview.sectors:
        values = [number(overview.by_year.get(year, {}).get(sector)) for year in years]
        chart_series.append(Series(str(label), values, BARS))
    if overview.path_values:
        chart_series.append(
            Series(gettext("Target path"), [number(overview.path_values.get(year)) for year in years], TARGET)
        )
    caption = gettext(
        "Greenhouse-gas emissions of %(organisation)s in t CO2e by BISKO sector and year, against the target path "
        "to climate neutrality."
    ) % {"organisation": overview.organisation.name}
    return Chart(
        key=key,
        title=gettext("Greenhouse-gas emissions by sector"),
        kind=STACKED,
        labels=[str(year) for year in years],
        series=chart_series,
        unit=T_CO2E,
        caption=caption,
        x_label=gettext("Year"),
    )


def stages_chart(rows: Iterable, key: str) -> Chart:
    """How many municipalities are at each stage of heat planning (every stage shown, in order).

    Only the organisations the law obliges count (rows with ``obliged`` False, i.e. counties, are left out).
    """
    counts = Counter(row.stage for row in rows if getattr(row, "obliged", True))
    return Chart(
        key=key,
        title=gettext("Municipal heat planning by stage"),
        kind=BAR,
        labels=[str(label) for _value, label in Stage.choices],
        series=[Series(gettext("Municipalities"), [counts.get(value, 0) for value, _label in Stage.choices], BARS)],
        unit=gettext("municipalities"),
        caption=gettext("Number of municipalities at each stage of municipal heat planning."),
        x_label=gettext("Stage"),
    )


def target_years_chart(rows: Iterable, key: str) -> Chart:
    """How many municipalities aim at each climate-neutrality target year (every year from the first to the last)."""
    counts = Counter(row.neutrality_year for row in rows if getattr(row, "neutrality_year", None))
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    return Chart(
        key=key,
        title=gettext("Climate-neutrality target years"),
        kind=BAR,
        labels=[str(year) for year in years],
        series=[Series(gettext("Municipalities"), [counts.get(year, 0) for year in years], BARS)],
        unit=gettext("municipalities"),
        caption=gettext("Number of municipalities by the year they aim to be climate-neutral."),
        x_label=gettext("Target year"),
    )


def gap_chart(gap, key: str) -> Chart:
    """The reduction a roadmap's target needs against what its measures are expected to save (bars, t CO2e/a).

    ``gap`` is monitoring.panels.TargetGap: the needed reduction, the measures' expected effect with its range
    and what is missing (never below 0). The range shows as two more series (lower and upper estimate)."""
    labels = [gettext("Needed by the target"), gettext("Planned measures"), gettext("Still missing")]
    planned = gap.planned
    chart_series = [
        Series(gettext("Expected"), [number(gap.needed), number(planned.expected), number(gap.missing)], BARS)
    ]
    if planned.has_range:
        low = [None, number(planned.low), number(gap.missing_low)]
        high = [None, number(planned.high), number(gap.missing_high)]
        chart_series += [Series(gettext("Lower estimate"), low, BARS), Series(gettext("Upper estimate"), high, BARS)]
    caption = gettext(
        "Yearly reduction in t CO2e: what the target needs against %(year)s, what the published measures are "
        "expected to save together and what is still missing."
    ) % {"year": gap.baseline_year}
    return Chart(
        key=key,
        title=gettext("Gap to the target"),
        kind=BAR,
        labels=labels,
        series=chart_series,
        unit=gettext("t CO2e per year"),
        caption=caption,
        x_label=gettext("Part"),
    )
