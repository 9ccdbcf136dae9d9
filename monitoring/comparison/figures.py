"""The comparable figures: what they are, which way is better, and how they are derived from the monitoring data.

One rule per number, kept where it lives: the balance of a year from ``monitoring.selectors.balances_by_year``
(lines per energy carrier never counted twice), per inhabitant from ``monitoring.selectors.per_inhabitant``,
indicators compared per 1,000 inhabitants as on the network board (``monitoring.network.PER_INHABITANTS``), the
latest measured value of an indicator without estimates. Figures that depend on the size of a territory are per
inhabitant; the total balance also per km² (the area is official and stable; sector lines per km² say little).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from measures.models import Sector
from monitoring.models import BiskoSector, ClimateStrategy, HeatPlanning, Indicator
from monitoring.network import PER_INHABITANTS
from monitoring.selectors import balances_by_year, indicator_series, per_inhabitant
from networks.models import Organisation

CURRENT = 0  # the year of figures that are a state, not a yearly value (heat planning, target year)
INDICATOR_PREFIX = "ind:"

# The measures' sectors (Handlungsfelder) that act on each BISKO sector: "which measures did better peers run".
MEASURE_SECTORS = {
    BiskoSector.HOUSEHOLDS: (Sector.HOUSEHOLDS, Sector.BUILDINGS_HEAT),
    BiskoSector.COMMERCE: (Sector.INDUSTRY, Sector.BUILDINGS_HEAT),
    BiskoSector.INDUSTRY: (Sector.INDUSTRY, Sector.ENERGY_SUPPLY),
    BiskoSector.TRANSPORT: (Sector.MOBILITY,),
    BiskoSector.MUNICIPAL: (Sector.ADMINISTRATION,),
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    lower_is_better: bool
    sectors: tuple[str, ...] = ()  # the measures' sectors that act on it; () = all
    group: str = "emissions"  # emissions | indicators | planning
    fmt: str = "2g"  # floatformat of its numbers ("0" for a year: no thousands separator)
    unit_after_value: bool = True  # "7,44 t CO2e je Einwohner*in"; a year stands alone ("2040", not "2040 Jahr")

    @property
    def is_current(self) -> bool:
        return self.group == "planning"


def _static_figures() -> list[Figure]:
    per_inh = _("t CO2e per inhabitant")
    figures = [
        Figure("ghg-total", _("Greenhouse-gas emissions in total"), per_inh, True),
        Figure("ghg-total-area", _("Greenhouse-gas emissions per km²"), _("t CO2e per km²"), True, fmt="0g"),
    ]
    for sector in BiskoSector:
        label = _("Emissions: %(sector)s") % {"sector": sector.label}
        figures.append(Figure(f"ghg-{sector.value}", label, per_inh, True, tuple(MEASURE_SECTORS[sector])))
    figures += [
        Figure(
            "heat-stage",
            _("Stage of the municipal heat planning"),
            _("of 8 stages"),
            False,
            (Sector.BUILDINGS_HEAT, Sector.ENERGY_SUPPLY),
            "planning",
            "0",
        ),
        Figure(
            "neutrality-year",
            _("Climate-neutrality target year"),
            _("year"),
            True,
            (),
            "planning",
            "0",
            unit_after_value=False,
        ),
    ]
    return figures


def static_figures() -> dict[str, Figure]:
    """The figures every municipality can have, by key (labels in the active language)."""
    return {figure.key: figure for figure in _static_figures()}


def indicator_figure(indicator: Indicator, sectors: tuple[str, ...] = ()) -> Figure:
    unit = indicator.unit
    if indicator.per_inhabitant:
        per = formats.number_format(PER_INHABITANTS, force_grouping=True)
        unit = _("%(unit)s per %(per)s inhabitants") % {"unit": indicator.unit, "per": per}
    return Figure(
        INDICATOR_PREFIX + indicator.code,
        indicator.name,
        str(unit),
        indicator.direction == Indicator.Direction.LOWER,
        sectors,
        "indicators",
    )


def _emission_figures(organisation: Organisation, by_year: dict, out: dict) -> None:
    for year, by_sector in by_year.items():
        total = sum(by_sector.values(), Decimal(0))
        value = per_inhabitant(total, organisation.population)
        if value is not None:
            out[("ghg-total", year)] = float(value)
            for sector, emissions in by_sector.items():
                out[(f"ghg-{sector}", year)] = float(per_inhabitant(emissions, organisation.population))
        if organisation.area:
            out[("ghg-total-area", year)] = float(total / organisation.area)


def _indicator_figures(organisations: list[Organisation], out: dict[int, dict]) -> None:
    """Two queries: the indicators with a comparison key (the first per key and organisation), their values."""
    chosen: dict[tuple[int, str], Indicator] = {}
    for indicator in (
        Indicator.objects.filter(organisation__in=organisations)
        .exclude(code="")
        .order_by("organisation", "code", "order", "name")
    ):
        chosen.setdefault((indicator.organisation_id, indicator.code), indicator)
    populations = {o.pk: o.population for o in organisations}
    for series in indicator_series(list(chosen.values())):
        indicator = series.indicator
        for year, value in series.measured.items():
            if year in series.estimated:
                continue
            if indicator.per_inhabitant:
                value = per_inhabitant(value, populations[indicator.organisation_id], PER_INHABITANTS)
            if value is not None:
                out[indicator.organisation_id][(INDICATOR_PREFIX + indicator.code, year)] = float(value)


def compute(organisations: list[Organisation]) -> dict[int, dict[tuple[str, int], float]]:
    """Every comparable figure of the organisations: {organisation id: {(figure, year): value}}. Five queries."""
    out: dict[int, dict] = defaultdict(dict)
    balances = balances_by_year(organisations)
    for organisation in organisations:
        _emission_figures(organisation, balances.get(organisation.pk, {}), out[organisation.pk])
    _indicator_figures(organisations, out)
    for organisation_id, stage in HeatPlanning.objects.filter(organisation__in=organisations).values_list(
        "organisation_id", "stage"
    ):
        out[organisation_id][("heat-stage", CURRENT)] = float(stage)
    for organisation_id, year in ClimateStrategy.objects.filter(
        organisation__in=organisations, neutrality_year__isnull=False
    ).values_list("organisation_id", "neutrality_year"):
        out[organisation_id][("neutrality-year", CURRENT)] = float(year)
    return out
