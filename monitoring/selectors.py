"""Reads shared by the monitoring pages, the public roadmap panel and the reports.

The rules of the numbers live here once: an indicator's series by year (measured, estimate,
target), the balance totals by year and sector, the target path and the gap to it, per-inhabitant
figures. Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from monitoring.models import BiskoSector, EmissionBalance, EmissionPath, EnergyCarrier, Indicator, IndicatorValue
from networks.models import Organisation

Kind = IndicatorValue.Kind


@dataclass
class IndicatorSeries:
    """An indicator's values by year: measured (or estimated when nothing was measured) and the target path."""

    indicator: Indicator
    measured: dict[int, Decimal] = field(default_factory=dict)
    estimated: set[int] = field(default_factory=set)  # years whose "measured" value is an estimate
    target: dict[int, Decimal] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        years = set(self.measured) | set(self.target)
        if self.indicator.baseline_year and self.indicator.baseline_value is not None:
            years.add(self.indicator.baseline_year)
        return sorted(years)

    @property
    def latest(self) -> tuple[int, Decimal] | None:
        """The last actual (measured or estimated) value."""
        if not self.measured:
            return None
        year = max(self.measured)
        return year, self.measured[year]

    def actual(self, year: int) -> Decimal | None:
        value = self.measured.get(year)
        if value is None and year == self.indicator.baseline_year:
            return self.indicator.baseline_value
        return value

    def on_track(self) -> bool | None:
        """Whether the latest value reaches the target of its year (None without both)."""
        latest = self.latest
        if latest is None or latest[0] not in self.target:
            return None
        year, value = latest
        if self.indicator.direction == Indicator.Direction.HIGHER:
            return value >= self.target[year]
        return value <= self.target[year]


def indicator_series(indicators: QuerySet[Indicator] | list[Indicator]) -> list[IndicatorSeries]:
    """Series of the indicators in their order; one query for all values.

    Per year, a measured value beats an estimate; of several dated values in a year, the last date
    counts (a yearly value without a date beats dated ones).
    """
    indicators = list(indicators)
    by_pk = {i.pk: IndicatorSeries(i) for i in indicators}
    # By year within each indicator (the series' dicts keep that order). "indicator_id", not "indicator": that
    # joined the indicator and its organisation to sort by their Meta.ordering (11 of 12 ms for 2,500 values).
    values = (
        IndicatorValue.objects.filter(indicator__in=by_pk)
        .order_by("indicator_id", "year", "date")
        .values_list("indicator_id", "year", "date", "kind", "value")
    )
    chosen: dict[tuple[int, int, str], tuple] = {}
    for indicator_id, year, day, kind, value in values:
        key = (indicator_id, year, "target" if kind == Kind.TARGET else "actual")
        rank = (kind == Kind.MEASURED, day is None, day.toordinal() if day else 0)
        current = chosen.get(key)
        if current is None or rank > current[0]:
            chosen[key] = (rank, kind, value)
    for (indicator_id, year, part), (_rank, kind, value) in chosen.items():
        series = by_pk[indicator_id]
        if part == "target":
            series.target[year] = value
        else:
            series.measured[year] = value
            if kind == Kind.ESTIMATE:
                series.estimated.add(year)
    return [by_pk[i.pk] for i in indicators]


@dataclass
class EmissionsOverview:
    """An organisation's balances by year and sector, its target path and the gap."""

    organisation: Organisation
    by_year: dict[int, dict[str, Decimal]] = field(default_factory=dict)  # year -> sector -> t CO2e
    path: EmissionPath | None = None
    path_values: dict[int, Decimal] = field(default_factory=dict)  # year -> target t CO2e

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)

    def total(self, year: int) -> Decimal | None:
        sectors = self.by_year.get(year)
        return sum(sectors.values(), Decimal(0)) if sectors else None

    @property
    def latest_year(self) -> int | None:
        return max(self.by_year) if self.by_year else None

    @property
    def gap(self) -> Decimal | None:
        """Latest total minus the path's value of that year: above 0 means behind the path."""
        year = self.latest_year
        if year is None or year not in self.path_values:
            return None
        return self.total(year) - self.path_values[year]

    @property
    def sectors(self) -> list[tuple[str, str]]:
        present = {s for sectors in self.by_year.values() for s in sectors}
        return [(value, label) for value, label in BiskoSector.choices if value in present]


def path_values(path: EmissionPath | None, by_year: dict[int, dict[str, Decimal]]) -> dict[int, Decimal]:
    """The target path by year: linear from the baseline to the residual in the target year, or as entered."""
    if path is None:
        return {}
    if path.method == EmissionPath.Method.BY_YEAR:
        return {p.year: p.emissions for p in path.points.all()}
    baseline = path.baseline_emissions
    if baseline is None and path.baseline_year in by_year:
        baseline = sum(by_year[path.baseline_year].values(), Decimal(0))
    if baseline is None:
        return {}
    residual = baseline * Decimal(path.residual_percent) / 100
    span = path.target_year - path.baseline_year
    step = (baseline - residual) / span
    return {path.baseline_year + i: (baseline - step * i).quantize(Decimal("0.1")) for i in range(span + 1)}


def balances_by_year(organisations) -> dict[int, dict[int, dict[str, Decimal]]]:
    """organisation pk -> year -> BISKO sector -> t CO2e, in one query.

    A sector's figure is its "all energy carriers" line when there is one, otherwise the sum of its
    lines per energy carrier: a balance entered both ways is never counted twice.
    """
    rows = EmissionBalance.objects.filter(organisation__in=organisations).values_list(
        "organisation_id", "year", "sector", "energy_carrier", "emissions"
    )
    totals: dict = defaultdict(lambda: defaultdict(dict))
    carriers: dict = defaultdict(Decimal)
    for organisation_id, year, sector, carrier, emissions in rows:
        if carrier == EnergyCarrier.ALL:
            totals[organisation_id][year][sector] = emissions
        else:
            carriers[(organisation_id, year, sector)] += emissions
    for (organisation_id, year, sector), emissions in carriers.items():
        totals[organisation_id][year].setdefault(sector, emissions)
    return {
        organisation_id: {year: by_year[year] for year in sorted(by_year)}
        for organisation_id, by_year in totals.items()
    }


def emissions_overview(organisation: Organisation) -> EmissionsOverview:
    """Three queries: the balance lines, the path, its points."""
    overview = EmissionsOverview(organisation)
    overview.by_year = balances_by_year([organisation]).get(organisation.pk, {})
    overview.path = EmissionPath.objects.filter(organisation=organisation).prefetch_related("points").first()
    overview.path_values = path_values(overview.path, overview.by_year)
    return overview


def per_inhabitant(value: Decimal | None, population: int | None, per: int = 1) -> Decimal | None:
    """A value per inhabitant (or per ``per`` inhabitants, e.g. 1,000), None without a population."""
    if value is None or not population:
        return None
    return Decimal(value) * per / population


@dataclass
class TargetGap:
    """What a roadmap's target needs against what its published measures are expected to save, per year.

    ``needed``: the baseline emissions minus what the target still allows in its year (the path's residual, or
    nothing for climate neutrality without a path). ``planned``: measures.selectors.EffectTotals. What is missing
    is never below 0 (measures that save more than needed leave nothing missing)."""

    baseline_year: int
    baseline: Decimal
    target_year: int
    residual: Decimal
    planned: object

    @property
    def needed(self) -> Decimal:
        return max(self.baseline - self.residual, Decimal(0))

    @property
    def missing(self) -> Decimal:
        return max(self.needed - self.planned.expected, Decimal(0))

    @property
    def missing_low(self) -> Decimal:
        return max(self.needed - self.planned.high, Decimal(0))

    @property
    def missing_high(self) -> Decimal:
        return max(self.needed - self.planned.low, Decimal(0))

    @property
    def share(self) -> int:
        """The expected effect as a whole percentage of the needed reduction."""
        return round(self.planned.expected * 100 / self.needed) if self.needed else 0


def target_gap(roadmap, overview: EmissionsOverview, planned) -> TargetGap | None:
    """The gap of ``roadmap`` (no query): from the organisation's target path when it has one (its baseline and its
    value in the neutrality year), else from the roadmap's own baseline to zero in its target year; None without a
    baseline."""
    path = overview.path
    if path is not None:
        baseline = overview.path_values.get(path.baseline_year)
        if baseline is None:
            baseline = path.baseline_emissions
        if baseline is None:
            baseline = overview.total(path.baseline_year)
        if baseline is not None:
            residual = overview.path_values.get(path.target_year)
            if residual is None:
                residual = Decimal(baseline) * Decimal(path.residual_percent) / 100
            return TargetGap(path.baseline_year, Decimal(baseline), path.target_year, Decimal(residual), planned)
    if roadmap.baseline_emissions is None or not roadmap.baseline_year:
        return None
    return TargetGap(
        roadmap.baseline_year, Decimal(roadmap.baseline_emissions), roadmap.target_year, Decimal(0), planned
    )
