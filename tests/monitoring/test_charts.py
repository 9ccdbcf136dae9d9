"""Charts: the builders, the server's SVG, the partial (SVG + canvas + JSON + table), a PDF with WeasyPrint."""

import io
import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from monitoring import svg
from monitoring.builders import emissions_chart, indicator_chart, stages_chart, target_years_chart
from monitoring.charts import BAR, LINE, STACKED, Chart, Series
from monitoring.models import BiskoSector, Indicator, IndicatorValue, Stage
from monitoring.selectors import emissions_overview, indicator_series
from tests.monitoring.factories import (
    EmissionBalanceFactory,
    EmissionPathFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)

Kind = IndicatorValue.Kind


@pytest.fixture
def pv(db):
    indicator = IndicatorFactory(name="PV-Leistung", unit="MWp", baseline_year=2018, baseline_value=Decimal("100"))
    IndicatorValueFactory(indicator=indicator, year=2022, value=Decimal("1234.5"))
    IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("1300"), kind=Kind.ESTIMATE)
    IndicatorValueFactory(indicator=indicator, year=2030, value=Decimal("3000"), kind=Kind.TARGET)
    return indicator


def _chart(indicator):
    [series] = indicator_series([indicator])
    return indicator_chart(series, f"indicator-{indicator.pk}")


def test_indicator_chart_has_actual_values_estimates_and_target(pv):
    with translation.override("en"):
        chart = _chart(pv)
    assert chart.kind == LINE and chart.unit == "MWp" and chart.title == "PV-Leistung"
    assert chart.labels == ["2018", "2022", "2023", "2030"]  # the baseline year included
    measured, estimate, target = chart.series
    assert (measured.style, measured.values) == ("measured", [100.0, 1234.5, 1300.0, None])
    assert (estimate.style, estimate.values) == ("estimate", [None, None, 1300.0, None])
    assert (target.style, target.values) == ("target", [None, None, None, 3000.0])
    assert "Higher values are better." in chart.caption
    assert chart.x_label == "Year"


def test_indicator_chart_says_lower_is_better(pv):
    pv.direction = Indicator.Direction.LOWER
    with translation.override("en"):
        assert "Lower values are better." in _chart(pv).caption


def test_indicator_without_values_is_empty(db):
    chart = _chart(IndicatorFactory())
    assert chart.is_empty and chart.labels == []


def test_emissions_chart_stacks_sectors_against_the_path(db):
    balance = EmissionBalanceFactory(year=2020, sector=BiskoSector.HOUSEHOLDS, emissions=600)
    organisation = balance.organisation
    EmissionBalanceFactory(organisation=organisation, year=2020, sector=BiskoSector.TRANSPORT, emissions=400)
    EmissionBalanceFactory(organisation=organisation, year=2022, sector=BiskoSector.TRANSPORT, emissions=300)
    EmissionPathFactory(organisation=organisation, baseline_year=2020, baseline_emissions=None, target_year=2025)

    chart = emissions_chart(emissions_overview(organisation), "emissions")

    assert chart.kind == STACKED and chart.unit == "t CO2e"
    assert chart.labels == [str(y) for y in range(2020, 2026)]  # the path runs to the target year
    households, transport, path = chart.series
    assert households.style == transport.style == "bar"
    assert households.values[:3] == [600.0, None, None] and transport.values[2] == 300.0
    assert path.style == "target" and path.values[0] == 1000.0 and path.values[-1] == 0.0


def test_stages_chart_counts_every_stage_in_order():
    rows = [SimpleNamespace(stage=s) for s in (Stage.POTENTIAL, Stage.POTENTIAL, Stage.ADOPTED)]
    chart = stages_chart(rows, "stages")
    assert chart.kind == BAR
    assert chart.labels == [str(label) for _value, label in Stage.choices]
    assert chart.series[0].values == [0, 0, 0, 0, 2, 0, 0, 0, 1]


def test_target_years_chart_fills_every_year_and_skips_unknown():
    rows = [SimpleNamespace(neutrality_year=y) for y in (2045, 2035, 2035, None)]
    chart = target_years_chart(rows, "years")
    assert chart.labels == [str(y) for y in range(2035, 2046)]
    assert chart.series[0].values[0] == 2 and chart.series[0].values[-1] == 1 and sum(chart.series[0].values) == 3
    assert target_years_chart([SimpleNamespace(neutrality_year=None)], "none").is_empty


@pytest.mark.parametrize(
    ("low", "high", "integers", "expected"),
    [
        (0, 30.5, False, [0, 10, 20, 30, 40]),
        (0, 1234.5, False, [0, 250, 500, 750, 1000, 1250]),
        (0, 3, True, [0, 1, 2, 3]),
        (0, 0, False, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (-5, 12, False, [-5, 0, 5, 10, 15]),
    ],
)
def test_nice_ticks(low, high, integers, expected):
    assert svg.nice_ticks(low, high, integers=integers) == expected


def test_numbers_follow_the_language():
    with translation.override("de"):
        assert svg.format_number(1234.5) == "1.234,5"
        assert svg.format_number(2_000_000) == "2.000.000"
        assert svg.format_number(None) == "–"
    with translation.override("en"):
        assert svg.format_number(1234.5) == "1,234.5"
        assert svg.format_number(0.1 + 0.2) == "0.3"


def test_svg_is_accessible_and_escapes_text():
    chart = Chart(
        key="x<1>",
        title='<script>alert("x")</script>',
        kind=LINE,
        labels=["2020", "2021"],
        series=[Series("A & B", [1, 2])],
        unit="%",
        caption="Caption <b>",
    )
    out = str(svg.render(chart))
    assert out.startswith("<svg") and 'role="img"' in out and "<title>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out and "Caption &lt;b&gt;" in out
    assert 'aria-label="&lt;script&gt;' in out
    assert re.search(r'id="chart-x-1--svg"', out)
    assert "http" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing from elsewhere


def test_svg_draws_estimates_hollow_target_dashed_and_german_ticks(pv):
    with translation.override("de"):
        out = str(_chart(pv).svg())
    assert "stroke-dasharray" in out  # the target path
    assert 'fill="#ffffff" stroke="#0072B2" stroke-width="2"' in out  # the estimated point, hollow
    assert ">1.000<" in out or ">1.500<" in out  # German grouping on the axis
    with translation.override("en"):
        assert ">1,000<" in str(_chart(pv).svg()) or ">1,500<" in str(_chart(pv).svg())


def test_svg_stacked_bars_have_a_pattern_per_series_and_a_legend():
    labels = ["2020", "2021"]
    chart = Chart(
        "e",
        "Emissionen",
        STACKED,
        labels,
        [Series(f"Sektor {i}", [10, 20], "bar") for i in range(3)] + [Series("Zielpfad", [30, 25], "target")],
        "t CO2e",
    )
    out = str(svg.render(chart))
    assert out.count("<pattern ") == 2  # the first series solid, the others patterned
    assert all(f">Sektor {i}<" in out for i in range(3)) and ">Zielpfad<" in out


def test_svg_thins_year_labels_and_lays_long_categories_on_their_side():
    years = [str(y) for y in range(1990, 2046)]
    chart = Chart("long", "Lang", STACKED, years, [Series("A", [1.0] * len(years), "bar")])
    out = str(svg.render(chart))
    shown = [y for y in years if f">{y}<" in out]
    assert 5 < len(shown) < 20  # every few years, not 56 overlapping labels
    stages = stages_chart([SimpleNamespace(stage=1)], "stages")
    assert svg.is_horizontal(stages)
    assert not svg.is_horizontal(target_years_chart([SimpleNamespace(neutrality_year=2040)], "y"))


def test_empty_chart_says_so():
    with translation.override("en"):
        out = str(svg.render(Chart("e", "Leer", LINE, [], [])))
    assert "No values yet." in out


def test_partial_has_svg_canvas_json_and_table(pv, rf):
    request = rf.get("/")
    with translation.override("de"):
        chart = _chart(pv)
        html = render_to_string("monitoring/partials/chart.html", {"chart": chart, "request": request})
    key = f"indicator-{pv.pk}"
    assert f'<figure class="chart" id="chart-{key}" data-chart="chart-{key}-data">' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<canvas" in html and "hidden" in html
    data = re.search(rf'<script id="chart-{key}-data" type="application/json">(.*?)</script>', html).group(1)
    assert Chart.from_dict(json.loads(data)) == chart
    assert '<th scope="col"' in html and '<th scope="row">2022</th>' in html
    assert "1.234,5" in html  # German in the table
    assert "–" in html  # empty cells
    assert html.count("(Schätzung)") + html.count("(estimate)") == 1  # 2023 only
    assert html.count("vendor/chartjs/chart.umd.min.js") == 1 and html.count("js/charts.js") == 1
    assert "style=" not in html and "<script>" not in html  # CSP: no inline script or style


def test_scripts_once_per_page_however_many_charts(pv):
    request = RequestFactory().get("/")
    chart = _chart(pv)
    template = "{% for c in charts %}{% include 'monitoring/partials/chart.html' with chart=c %}{% endfor %}"
    html = Template(template).render(Context({"charts": [chart, chart], "request": request}))
    assert html.count("chart.umd.min.js") == 1 and html.count("charts.js") == 1


def test_print_partial_has_no_canvas_and_no_script(pv):
    html = render_to_string("monitoring/partials/chart.html", {"chart": _chart(pv), "print": True})
    assert "<canvas" not in html and "<script" not in html and "<details" not in html
    assert "<svg" in html and "<table" in html


def test_weasyprint_draws_the_svg_into_a_pdf(pv):
    from pypdf import PdfReader
    from weasyprint import HTML

    with translation.override("de"):
        body = render_to_string("monitoring/partials/chart.html", {"chart": _chart(pv), "print": True})
    pdf = HTML(string=f"<html lang='de'><body>{body}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "PV-Leistung" in text
    assert "1.234,5" in text  # the table
    assert "2030" in text  # an axis label of the drawing
