"""Charts as data: one spec drawn twice, by Chart.js in the browser and as SVG on the server (PDF).

A chart is always shown with its data table (``Chart.table``), so nothing is only in a picture.
Builders turn the selectors' results into charts; ``to_dict``/``from_dict`` let a report freeze them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString

LINE = "line"
BAR = "bar"
STACKED = "stacked"  # stacked bars, e.g. emissions by sector


@dataclass
class Series:
    label: str
    values: list[float | None]  # one per label of the chart, None where there is no value
    style: str = "measured"  # measured | estimate | target | bar


@dataclass
class Chart:
    key: str  # unique on the page; the HTML ids derive from it
    title: str
    kind: str  # LINE | BAR | STACKED
    labels: list[str]  # x axis: years or categories
    series: list[Series] = field(default_factory=list)
    unit: str = ""
    caption: str = ""  # one sentence saying what the chart shows
    x_label: str = ""  # what the labels are ("Year", "Stage"): the axis title and the table's first column heading

    @property
    def time_axis(self) -> list[int] | None:
        """The years of a chart whose labels are all years (at least two different ones), else None.

        Such a chart has a time axis: every year sits at its place in time, so 1990, 2018–2022 and 2030 are not
        evenly spaced (a journalist would rightly call that misleading). Lines and bars alike; the SVG
        (monitoring.svg) and static/js/charts.js (``yearsOf``) follow this one rule."""
        if not self.labels or not all(re.fullmatch(r"\d{4}", label) for label in self.labels):
            return None
        years = [int(label) for label in self.labels]
        return years if years[-1] > years[0] and years == sorted(years) else None

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(v is None for s in self.series for v in s.values)

    def table(self) -> list[tuple[str, list[float | None]]]:
        """Rows of the data table: (label, value per series)."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chart:
        data = dict(data)
        data["series"] = [Series(**s) for s in data.get("series", [])]
        return cls(**data)

    def svg(self) -> SafeString:
        """The chart drawn on the server (for PDFs and browsers without scripts)."""
        from monitoring.svg import render

        return render(self)


def number(value: Decimal | int | float | None) -> float | None:
    return None if value is None else float(value)
