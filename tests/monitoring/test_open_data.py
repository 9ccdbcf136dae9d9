"""Open data of a public roadmap's monitoring (issue 16 §4): indicator values and the greenhouse-gas balance as
CSV for German Excel, XLSX and JSON, described in the roadmap's datapackage.json and linked from its page."""

import csv
import io
import itertools
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import BiskoSector, IndicatorValue
from tests.helpers import assert_flat
from tests.measures.factories import RoadmapFactory
from tests.monitoring.factories import (
    EmissionBalanceFactory,
    EmissionPathFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)

ALL = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
NAMES = ["monitoring:indicator-data", "monitoring:balance-data"]


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


@pytest.fixture
def data(roadmap):
    pv = IndicatorFactory(roadmap=roadmap, name="PV-Leistung", code="pv-leistung", unit="MWp", baseline_year=2018)
    pv.baseline_value = Decimal("10.5")
    pv.save()
    IndicatorValueFactory(indicator=pv, year=2022, value=Decimal("1234.5"))
    IndicatorValueFactory(indicator=pv, year=2023, value=Decimal("1300"), kind=IndicatorValue.Kind.ESTIMATE)
    IndicatorValueFactory(indicator=pv, year=2030, value=Decimal("2000"), kind=IndicatorValue.Kind.TARGET)
    hidden = IndicatorFactory(roadmap=roadmap, name="Intern", public=False)
    IndicatorValueFactory(indicator=hidden, year=2022, value=Decimal("99"))
    organisation = roadmap.organisation
    EmissionBalanceFactory(organisation=organisation, year=2020, sector=BiskoSector.HOUSEHOLDS, emissions=500000)
    EmissionBalanceFactory(organisation=organisation, year=2020, sector=BiskoSector.TRANSPORT, emissions=Decimal("0.5"))
    EmissionPathFactory(organisation=organisation, baseline_year=2020, baseline_emissions=500000, target_year=2022)
    return pv


def _url(name, roadmap, fmt):
    return reverse(name, args=[roadmap.slug, fmt])


def german_excel(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";"))
    return [dict(zip(header, row, strict=True)) for row in rows]


def excel_number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_monitoring_open_data_follows_the_roadmap(client, personas, roadmap, persona, name, fmt):
    personas.login(client, persona)
    assert client.get(_url(name, roadmap, fmt)).status_code == 200
    roadmap.published = False
    roadmap.save()
    expected = 200 if persona in ("editor", "staff") else 404
    assert client.get(_url(name, roadmap, fmt)).status_code == expected


@pytest.mark.parametrize("name", NAMES)
def test_unknown_format_is_a_404_and_only_get(client, roadmap, name):
    assert client.get(_url(name, roadmap, "pdf")).status_code == 404
    assert client.post(_url(name, roadmap, "csv")).status_code == 405


def test_indicator_values_open_in_german_excel(client, roadmap, data):
    response = client.get(_url("monitoring:indicator-data", roadmap, "csv"))
    rows = german_excel(response.content)
    assert [(r["Jahr"], r["Art-Code"]) for r in rows] == [
        ("2018", "baseline"),
        ("2022", "measured"),
        ("2023", "estimate"),
        ("2030", "target"),
    ]
    measured = rows[1]
    assert measured["Indikator"] == "PV-Leistung" and measured["Einheit"] == "MWp"
    assert measured["Art"] == "Messwert" and measured["Wert"] == "1.234,5"
    assert excel_number(measured["Wert"]) == Decimal("1234.5")
    assert excel_number(rows[0]["Wert"]) == Decimal("10.5")
    assert measured["Lizenz"].startswith("Datenlizenz Deutschland") and measured["Quelle"]
    assert "Intern" not in response.content.decode("utf-8-sig")  # a non-public indicator is not open data
    assert 'datapackage.json>; rel="describedby"' in response["Link"]


def test_indicator_values_as_xlsx_and_json(client, roadmap, data):
    book = load_workbook(io.BytesIO(client.get(_url("monitoring:indicator-data", roadmap, "xlsx")).content))
    sheet = book["Indikatoren"]
    header = [c.value for c in sheet[1]]
    second = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert second["Wert"] == 1234.5 and second["Jahr"] == 2022
    payload = json.loads(client.get(_url("monitoring:indicator-data", roadmap, "json")).content)
    [indicator] = payload["indicators"]
    assert indicator["code"] == "pv-leistung"
    assert {"year": 2023, "kind": "estimate", "value": 1300.0} in indicator["values"]


def test_balance_and_target_path(client, roadmap, data):
    rows = german_excel(client.get(_url("monitoring:balance-data", roadmap, "csv")).content)
    balance = [r for r in rows if r["Reihe-Code"] == "balance"]
    assert [(r["Jahr"], r["Sektor-Code"]) for r in balance] == [("2020", "households"), ("2020", "transport")]
    assert balance[0]["Sektor"] == "Private Haushalte" and balance[0]["Emissionen (t CO2e)"] == "500.000"
    assert excel_number(balance[1]["Emissionen (t CO2e)"]) == Decimal("0.5")
    path = [r for r in rows if r["Reihe-Code"] == "target_path"]
    assert [r["Jahr"] for r in path] == ["2020", "2021", "2022"] and path[0]["Reihe"] == "Zielpfad"
    payload = json.loads(client.get(_url("monitoring:balance-data", roadmap, "json")).content)
    assert payload["balance"][0] == {"year": 2020, "sector": "households", "emissions": 500000.0}
    assert payload["target_path"][0]["year"] == 2020


def test_datapackage_lists_the_monitoring_tables(client, roadmap, data):
    package = json.loads(client.get(reverse("measures:datapackage", args=[roadmap.slug])).content)
    names = [r["name"] for r in package["resources"]]
    assert names == ["massnahmen", "indikatoren", "treibhausgasbilanz"]
    for resource in package["resources"][1:]:
        path = resource["path"].split("testserver")[-1]
        header = list(german_excel(client.get(path).content)[0])
        assert [f["name"] for f in resource["schema"]["fields"]] == header


def test_roadmap_page_links_the_monitoring_open_data(client, roadmap, data):
    page = client.get(roadmap.get_absolute_url()).content.decode()
    assert _url("monitoring:indicator-data", roadmap, "csv") in page
    assert _url("monitoring:balance-data", roadmap, "xlsx") in page


_years = itertools.count(1990)


def _grow(roadmap, n):
    for _i in range(n):
        year = next(_years)
        indicator = IndicatorFactory(roadmap=roadmap)
        IndicatorValueFactory(indicator=indicator, year=year)
        EmissionBalanceFactory(organisation=roadmap.organisation, year=year)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("monitoring:indicator-data", 3),  # roadmap, indicators, their values
        ("monitoring:balance-data", 3),  # roadmap, balance lines, the path (none here: no points query)
    ],
)
def test_monitoring_open_data_queries_are_flat(client, roadmap, django_assert_num_queries, name, expected):
    url = _url(name, roadmap, "csv")
    assert_flat(client, url, lambda n: _grow(roadmap, n), django_assert_num_queries, expected)
