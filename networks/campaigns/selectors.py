"""Reads of a campaign's figures: the periods of a figure, and the whole table (sums and bars) in a few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from networks.campaigns.models import FigureValue, KeyFigure, period_label
from networks.models import Campaign

MAX_PERIODS = 60
CHART_WIDTH, CHART_GAP, CHART_HEIGHT = 640, 4, 160
LABEL_WIDTH = 48  # what a period's label ("Q4/2026", "10/2026") takes below its bar


def period_start(kind: str, day: date) -> date:
    if kind == KeyFigure.Period.MONTH:
        return day.replace(day=1)
    if kind == KeyFigure.Period.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def _next(kind: str, start: date) -> date:
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def periods(campaign: Campaign, kind: str, *, today: date | None = None) -> list[date]:
    """The periods figures of ``kind`` are entered for: from the campaign's start to its end, at most to the current
    period (nothing is counted in advance); the latest ``MAX_PERIODS``. A campaign without a start: this year."""
    today = today or timezone.localdate()
    first = period_start(kind, campaign.start or date(today.year, 1, 1))
    last = period_start(kind, min(campaign.end, today) if campaign.end else today)
    if last < first:
        last = first
    out, current = [], first
    while current <= last:
        out.append(current)
        current = _next(kind, current)
    return out[-MAX_PERIODS:]


@dataclass
class FigureTable:
    figure: KeyFigure
    periods: list[dict]  # {start, label, total, height}
    rows: list[dict]  # {organisation, cells: [value or None], total}
    total: Decimal
    bars: list[dict] = field(default_factory=list)  # per organisation: {name, total, width}
    chart_height: int = CHART_HEIGHT


def _scale(value: Decimal, top: Decimal, size: int) -> int:
    return int(round(float(value) / float(top) * size)) if top else 0


def figure_tables(campaign: Campaign, *, today: date | None = None) -> list[FigureTable]:
    """Every figure of the campaign with its values per organisation and period, the sums and the bars' sizes
    (three queries, whatever the number of figures, organisations and periods)."""
    figures = list(campaign.key_figures.all())
    organisations = list(campaign.organisations.order_by("name"))
    values: dict[tuple[int, int, date], Decimal] = {}
    for figure_id, organisation_id, start, value in FigureValue.objects.filter(figure__campaign=campaign).values_list(
        "figure_id", "organisation_id", "period_start", "value"
    ):
        values[(figure_id, organisation_id, start)] = value
    tables = []
    for figure in figures:
        starts = periods(campaign, figure.period, today=today)
        known = sorted({key[2] for key in values if key[0] == figure.pk} - set(starts))
        starts = sorted(set(starts) | set(known))  # a value entered before the campaign's dates moved stays visible
        column_totals: dict[date, Decimal] = defaultdict(Decimal)
        rows = []
        for organisation in organisations:
            cells = [values.get((figure.pk, organisation.pk, start)) for start in starts]
            for start, cell in zip(starts, cells, strict=True):
                if cell is not None:
                    column_totals[start] += cell
            rows.append(
                {"organisation": organisation, "cells": cells, "total": sum((c for c in cells if c), Decimal(0))}
            )
        total = sum(column_totals.values(), Decimal(0))
        top_period = max(column_totals.values(), default=Decimal(0))
        top_row = max((r["total"] for r in rows), default=Decimal(0))
        width = max(8, min(48, CHART_WIDTH // max(len(starts), 1) - CHART_GAP))
        every = -(-LABEL_WIDTH // (width + CHART_GAP))  # label every n-th bar so that labels never overlap
        period_rows = []
        for index, start in enumerate(starts):
            height = _scale(column_totals[start], top_period, CHART_HEIGHT)
            period_rows.append(
                {
                    "start": start,
                    "label": period_label(figure.period, start),
                    "total": column_totals[start],
                    "height": height,
                    "x": index * (width + CHART_GAP),
                    "y": CHART_HEIGHT - height,
                    "width": width,
                    "labelled": index % every == 0,
                }
            )
        bars = [
            {"name": r["organisation"].name, "total": r["total"], "width": _scale(r["total"], top_row, 100)}
            for r in rows
        ]
        tables.append(FigureTable(figure, period_rows, rows, total, bars))
    return tables


def chart_width(table: FigureTable) -> int:
    if not table.periods:
        return CHART_WIDTH
    last = table.periods[-1]
    return last["x"] + max(last["width"], LABEL_WIDTH)  # room for the last label
