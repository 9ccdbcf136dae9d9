"""Chart x-axes proportional to time (issue 16 §5): 1990, 2018–2022 and 2030 are not evenly spaced, in line
charts and (stacked) bar charts alike; category charts keep even bands."""

import re

import pytest

from monitoring import svg
from monitoring.charts import BAR, LINE, STACKED, Chart, Series

UNEVEN = [1990, 2018, 2019, 2020, 2021, 2022, 2030]


def _chart(kind, years=UNEVEN, style="bar"):
    labels = [str(y) for y in years]
    series = [Series("Haushalte", [100.0 + i for i in range(len(years))], style)]
    if kind == STACKED:
        series.append(Series("Verkehr", [50.0] * len(years), "bar"))
        series.append(Series("Zielpfad", [120.0] * len(years), "target"))
    return Chart(key="t", title="THG", kind=kind, labels=labels, series=series, unit="t CO2e", x_label="Jahr")


def _bar_centres(markup: str) -> list[float]:
    """Centres of the first series' bars, left to right (not its swatch in the legend)."""
    rects = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="([\d.]+)" fill="#0072B2"', markup)
    return sorted(float(x) + float(w) / 2 for x, w, h in rects if (w, h) != ("22", "14"))


def _line_points(markup: str) -> list[float]:
    path = re.search(r'<path d="(M[^"]+)" fill="none"', markup).group(1)
    return [float(x) for x in re.findall(r"[ML]([\d.]+),", path)]


def _assert_proportional(xs: list[float], years=UNEVEN):
    assert len(xs) == len(years)
    per_year = (xs[-1] - xs[0]) / (years[-1] - years[0])
    for x, year in zip(xs, years, strict=True):
        assert x == pytest.approx(xs[0] + (year - years[0]) * per_year, abs=0.2)
    assert (xs[1] - xs[0]) > 20 * (xs[2] - xs[1])  # 28 years against one


def test_time_axis_is_the_rule_of_the_spec():
    assert _chart(LINE, style="measured").time_axis == UNEVEN
    assert _chart(STACKED).time_axis == UNEVEN
    assert Chart(key="c", title="", kind=BAR, labels=["Bedarf", "Geplant"]).time_axis is None
    assert Chart(key="c", title="", kind=LINE, labels=["2020"]).time_axis is None  # one year: no axis to scale
    assert Chart(key="c", title="", kind=LINE, labels=["2030", "2020"]).time_axis is None


def test_line_chart_places_years_in_time():
    _assert_proportional(_line_points(svg.render(_chart(LINE, style="measured"))))


@pytest.mark.parametrize("kind", [BAR, STACKED])
def test_bar_charts_place_years_in_time(kind):
    markup = svg.render(_chart(kind))
    _assert_proportional(_bar_centres(markup))


def test_target_path_on_a_stacked_chart_follows_the_same_axis():
    markup = svg.render(_chart(STACKED))
    path = re.search(r'<path d="(M[^"]+)" fill="none" stroke="#333333"', markup).group(1)
    xs = [float(x) for x in re.findall(r"[ML]([\d.]+),", path)]
    assert xs == pytest.approx(_bar_centres(markup), abs=0.2)


def test_axis_labels_are_years_on_the_time_scale():
    markup = svg.render(_chart(STACKED))
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+">(\d{4})</text>', markup)
    assert labels[0] == "1990" and labels[-1] == "2030"
    assert "2010" in labels and "2025" not in labels[:2]  # ticks by time, not one per bar


def test_category_bars_keep_even_bands():
    chart = Chart(
        key="g",
        title="Lücke",
        kind=BAR,
        labels=["A", "B", "C"],
        series=[Series("Erwartet", [3.0, 2.0, 1.0], "bar")],
    )
    xs = _bar_centres(svg.render(chart))
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)


def test_the_builders_charts_by_year_get_a_time_axis():
    """All charts checked: the indicator and emissions charts (by year) are drawn on a time axis, the gap chart
    (categories) is not."""
    from decimal import Decimal
    from types import SimpleNamespace

    from monitoring import builders
    from monitoring.models import Indicator
    from monitoring.selectors import EmissionsOverview, IndicatorSeries

    indicator = Indicator(name="PV", unit="MWp", baseline_year=1990, baseline_value=Decimal(1))
    series = IndicatorSeries(indicator, measured={2018: Decimal(2), 2022: Decimal(3)}, target={2030: Decimal(9)})
    assert builders.indicator_chart(series, "i").time_axis == [1990, 2018, 2022, 2030]
    overview = EmissionsOverview(
        SimpleNamespace(name="Kreis"), by_year={1990: {"households": Decimal(5)}, 2020: {"households": Decimal(4)}}
    )
    overview.path_values = {2030: Decimal(1)}
    chart = builders.emissions_chart(overview, "e")
    assert chart.time_axis == [1990, 2020, 2030]
    planned = SimpleNamespace(expected=Decimal(5), has_range=False)
    gap = SimpleNamespace(needed=Decimal(10), planned=planned, missing=Decimal(5), baseline_year=1990)
    assert builders.gap_chart(gap, "g").time_axis is None
