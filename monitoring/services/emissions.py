"""Writes of the GHG balance (BISKO) and the target path.

A sector of a year is either one total line (no energy carrier) or split into lines per carrier, never
both: the selectors add up every line of a sector, so both would count twice.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from monitoring.models import EmissionBalance, EmissionPath, EmissionPathPoint, EnergyCarrier
from networks.models import Organisation, Person


class Line(NamedTuple):
    year: int
    sector: str
    energy_carrier: str
    emissions: Decimal
    source: str = ""
    note: str = ""


def year_lines(organisation: Organisation, year: int) -> dict[str, list[EmissionBalance]]:
    """The lines of a year's balance by sector."""
    lines = defaultdict(list)
    for line in EmissionBalance.objects.filter(organisation=organisation, year=year):
        lines[line.sector].append(line)
    return dict(lines)


@transaction.atomic
def balance_year_save(
    *, organisation: Organisation, year: int, sectors: dict[str, dict], by: Person | None
) -> dict[str, int]:
    """A year's balance by sector total: ``sectors`` maps a sector to {emissions, source, note}.

    An empty total deletes the sector's lines; a sector split into energy carriers keeps its lines while the
    total entered equals their sum (untouched), and becomes one total line otherwise."""
    stored = defaultdict(list)
    for line in EmissionBalance.objects.select_for_update().filter(organisation=organisation, year=year):
        stored[line.sector].append(line)
    counts = {"created": 0, "changed": 0, "deleted": 0}
    for sector, data in sectors.items():
        lines, emissions = stored.get(sector, []), data["emissions"]
        if emissions is None:
            if lines:
                EmissionBalance.objects.filter(pk__in=[line.pk for line in lines]).delete()
                counts["deleted"] += 1
            continue
        total = sum((line.emissions for line in lines), Decimal(0))
        if lines and total == emissions and any(line.energy_carrier for line in lines):
            continue
        single = lines[0] if len(lines) == 1 and not lines[0].energy_carrier else None
        if single is not None:
            if (single.emissions, single.source, single.note) != (emissions, data["source"], data["note"]):
                single.emissions, single.source, single.note, single.entered_by = (
                    emissions,
                    data["source"],
                    data["note"],
                    by,
                )
                single.save(update_fields=["emissions", "source", "note", "entered_by", "updated_at"])
                counts["changed"] += 1
            continue
        if lines:
            EmissionBalance.objects.filter(pk__in=[line.pk for line in lines]).delete()
        EmissionBalance.objects.create(
            organisation=organisation,
            year=year,
            sector=sector,
            energy_carrier=EnergyCarrier.ALL,
            emissions=emissions,
            source=data["source"],
            note=data["note"],
            entered_by=by,
        )
        counts["changed" if lines else "created"] += 1
    return counts


@transaction.atomic
def balance_replace(*, organisation: Organisation, lines: list[Line], by: Person | None) -> int:
    """Replace the lines of every (year, sector) in ``lines`` by these lines (an import); other sectors stay."""
    pairs = {(line.year, line.sector) for line in lines}
    stored = EmissionBalance.objects.select_for_update().filter(
        organisation=organisation, year__in={year for year, _sector in pairs}
    )
    stale = [row.pk for row in stored if (row.year, row.sector) in pairs]
    EmissionBalance.objects.filter(pk__in=stale).delete()
    bulk_create_with_history(  # the history rows too (bulk_create sends no signals)
        [EmissionBalance(organisation=organisation, entered_by=by, **line._asdict()) for line in lines],
        EmissionBalance,
        default_user=by.user if by else None,
    )
    return len(lines)


@transaction.atomic
def path_save(*, path: EmissionPath, points: dict[int, Decimal]) -> EmissionPath:
    """The target path and its values by year (kept also for a linear path, so switching back loses nothing)."""
    path.save()
    stored = {point.year: point for point in path.points.select_for_update()}
    for year, emissions in points.items():
        point = stored.get(year)
        if point is None:
            EmissionPathPoint.objects.create(path=path, year=year, emissions=emissions)
        elif point.emissions != emissions:
            point.emissions = emissions
            point.save(update_fields=["emissions"])
    gone = [point.pk for year, point in stored.items() if year not in points]
    if gone:
        EmissionPathPoint.objects.filter(pk__in=gone).delete()
    return path
