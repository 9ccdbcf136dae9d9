"""Template helpers of the chart partial (monitoring/partials/chart.html): the data table and the scripts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from monitoring.charts import STACKED, Chart
from monitoring.svg import BAR_STYLE, ESTIMATE, format_number

register = template.Library()


@dataclass
class Cell:
    text: str  # the number in the active language, or "–"
    estimated: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)


@register.simple_tag
def chart_table(chart: Chart) -> Table:
    """The chart's values as a table: a row per label, a column per series (and the total of stacked bars).

    An "estimate" series gets no column of its own: it marks the cells of the measured series before it.
    """
    columns: list[tuple[int, int | None]] = []  # (series index, index of the estimate series marking it)
    for index, series in enumerate(chart.series):
        if series.style == ESTIMATE:
            if columns and columns[-1][1] is None:
                columns[-1] = (columns[-1][0], index)
            continue
        columns.append((index, None))
    headers = [chart.series[index].label for index, _estimate in columns]
    bars = [s for s in chart.series if s.style == BAR_STYLE]
    with_total = chart.kind == STACKED and len(bars) > 1
    if with_total:
        from django.utils.translation import gettext

        headers.append(gettext("Total"))
    table = Table(headers)
    for i, label in enumerate(chart.labels):
        cells = []
        for index, estimate in columns:
            value = chart.series[index].values[i]
            estimated = estimate is not None and chart.series[estimate].values[i] is not None
            cells.append(Cell(format_number(value), estimated and value is not None))
        if with_total:
            present = [s.values[i] for s in bars if s.values[i] is not None]
            cells.append(Cell(format_number(sum(present)) if present else "–"))
        table.rows.append((label, cells))
    return table


@register.filter
def chart_number(value) -> str:
    return format_number(value)


@register.simple_tag(takes_context=True)
def chart_scripts(context) -> SafeString:
    """Chart.js and charts.js, once per page however many charts it shows (both deferred, from this host)."""
    request = context.get("request")
    if request is not None:
        if getattr(request, "_chart_scripts", False):
            return SafeString("")
        request._chart_scripts = True
    return format_html(
        '<script src="{}" defer></script><script src="{}" defer></script>',
        static("vendor/chartjs/chart.umd.min.js"),
        static("js/charts.js"),
    )
