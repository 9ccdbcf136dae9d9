"""Open data of a roadmap's measures (issue 16 §4) and the measure list's filters and search.

The CSV is read here as German Excel reads it by a double click: UTF-8 with BOM, ";" between the fields, a
decimal comma, dots grouping thousands, dates as 31.12.2026.
"""

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from measures.models import Measure, Sector
from measures.public import OPEN_DATA_FIELDS
from tests.helpers import assert_flat
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.networks.factories import OrganisationFactory

ALL = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
FORMATS = ["open-data-csv", "open-data-xlsx", "open-data-json", "datapackage"]


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


def _url(name, roadmap):
    return reverse(f"measures:{name}", args=[roadmap.slug])


def german_excel(content: bytes) -> list[dict]:
    """The rows as German Excel reads a double-clicked CSV: BOM → UTF-8, ";" separates, "," is the decimal mark."""
    assert content.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would read the umlauts as Windows-1252"
    reader = csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";")
    header, *rows = list(reader)
    return [dict(zip(header, row, strict=True)) for row in rows]


def excel_number(text: str) -> Decimal | None:
    """A cell German Excel takes as a number: dots group thousands, a comma is the decimal mark."""
    return Decimal(text.replace(".", "").replace(",", ".")) if text else None


def excel_date(text: str) -> date:
    return datetime.strptime(text, "%d.%m.%Y").date()


@pytest.fixture
def measures(roadmap):
    county = OrganisationFactory(name="Kreisverwaltung Düren", kind="county")
    town = OrganisationFactory(name="Gemeinde Kreuzau", kind="municipality")
    first = MeasureFactory(
        roadmap=roadmap,
        code="EV-01",
        title="Kommunale Wärmeplanung",
        summary="Wärmeplan für alle Gemeinden; Fernwärme prüfen",
        sector=Sector.BUILDINGS_HEAT,
        status=Measure.Status.IN_PROGRESS,
        lead_organisation=county,
        start=date(2025, 1, 15),
        end=date(2028, 12, 31),
        cost_estimate=Decimal("1234567.5"),
        effect_expected=Decimal("-2.5"),
        how_to_take_part="Kommen Sie zur Bürgerwerkstatt.",
    )
    MeasureUpdateFactory(measure=first, percent=45)
    second = MeasureFactory(
        roadmap=roadmap,
        code="EV-02",
        title="=Photovoltaik auf Schulen",
        summary="Dächer der Schulen",
        sector=Sector.ENERGY_SUPPLY,
        status=Measure.Status.COMPLETED,
        lead_organisation=town,
        effect_expected=Decimal("12"),
        how_to_take_part="",
    )
    third = MeasureFactory(
        roadmap=roadmap,
        code="MO-01",
        title="Radwege",
        summary="",
        sector=Sector.MOBILITY,
        status=Measure.Status.PLANNED,
        lead_organisation=county,
    )
    third.partners.add(town)
    Measure.objects.filter(pk=third.pk).update(is_late=True)
    MeasureFactory(roadmap=roadmap, code="ZZ-99", title="Unveröffentlicht", published=False)
    return {"first": first, "second": second, "third": third, "town": town, "county": county}


# --- Who may download --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", FORMATS)
def test_open_data_of_a_published_roadmap_is_for_everyone(client, personas, roadmap, persona, name):
    personas.login(client, persona)
    assert client.get(_url(name, roadmap)).status_code == 200


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", FORMATS)
def test_open_data_of_an_unpublished_roadmap_is_a_404_except_for_its_editors(client, personas, roadmap, persona, name):
    roadmap.published = False
    roadmap.save()
    personas.login(client, persona)
    expected = 200 if persona in ("editor", "staff") else 404
    assert client.get(_url(name, roadmap)).status_code == expected


@pytest.mark.parametrize("name", FORMATS)
def test_open_data_answers_only_get_and_head(client, roadmap, name):
    assert client.post(_url(name, roadmap)).status_code == 405
    assert client.head(_url(name, roadmap)).status_code == 200


# --- CSV as German Excel reads it -------------------------------------------------------------------


def test_csv_opens_in_german_excel_into_the_right_columns(client, roadmap, measures):
    response = client.get(_url("open-data-csv", roadmap))
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="massnahmen-kreis-dueren-{today}.csv"'
    assert response["X-License"] == "dl-de/by-2-0"
    assert '<https://www.govdata.de/dl-de/by-2-0>; rel="license"' in response["Link"]
    assert '/klima-roadmaps/kreis-dueren/datapackage.json>; rel="describedby"' in response["Link"]
    rows = german_excel(response.content)
    assert [row["Kennung"] for row in rows] == ["EV-01", "EV-02", "MO-01"]  # the unpublished one is not there
    first, second, third = rows
    assert first["Titel"] == "Kommunale Wärmeplanung"
    assert first["Handlungsfeld"] == "Gebäude und Wärme" and first["Handlungsfeld-Code"] == "buildings_heat"
    assert first["Status"] == "In Umsetzung" and first["Status-Code"] == "in_progress"
    assert first["Kurzbeschreibung"] == "Wärmeplan für alle Gemeinden; Fernwärme prüfen"  # the ";" is quoted
    assert excel_number(first["Kostenschätzung (EUR)"]) == Decimal("1234567.5")
    assert first["Kostenschätzung (EUR)"] == "1.234.567,5"
    assert excel_number(first["Erwartete Wirkung (t CO2e/a)"]) == Decimal("-2.5")  # a number, no apostrophe
    assert excel_number(first["Fortschritt (%)"]) == 45
    assert excel_date(first["Beginn"]) == date(2025, 1, 15) and excel_date(first["Ende"]) == date(2028, 12, 31)
    assert first["Verzögert"] == "nein" and third["Verzögert"] == "ja"
    assert first["Mitmachen möglich"] == "ja" and second["Mitmachen möglich"] == "nein"
    assert first["Federführung"] == "Kreisverwaltung Düren"
    assert (
        first["Adresse"].endswith("/klima-roadmaps/kreis-dueren/massnahmen/ev-01/") and "/en/" not in first["Adresse"]
    )
    assert second["Titel"] == "'=Photovoltaik auf Schulen"  # never run as a formula
    assert excel_number(second["Erwartete Wirkung (t CO2e/a)"]) == 12
    assert first["Lizenz"].startswith("Datenlizenz Deutschland – Namensnennung – 2.0 (dl-de/by-2-0)")
    assert first["Quelle"].startswith(roadmap.organisation.name + ": Klima-Roadmap Kreis Düren, http")
    assert "in_progress" not in set(first.values()) - {first["Status-Code"]}


def test_csv_is_german_on_english_pages_too(client, roadmap, measures):
    with translation.override("en"):
        url = _url("open-data-csv", roadmap)
    assert url.startswith("/en/")
    rows = german_excel(client.get(url).content)
    assert rows[0]["Status"] == "In Umsetzung"


def test_open_data_leaves_internal_fields_empty_in_every_format(client, roadmap, measures):
    measure = measures["first"]
    measure.internal_fields = ["cost_estimate", "effect"]
    measure.save()
    rows = german_excel(client.get(_url("open-data-csv", roadmap)).content)
    assert rows[0]["Kostenschätzung (EUR)"] == "" and rows[0]["Erwartete Wirkung (t CO2e/a)"] == ""
    assert "1.234.567" not in client.get(_url("open-data-csv", roadmap)).content.decode("utf-8-sig")
    row = json.loads(client.get(_url("open-data-json", roadmap)).content)["measures"][0]
    assert row["cost_estimate_eur"] is None and row["effect_expected_t_co2e_per_year"] is None
    sheet = load_workbook(io.BytesIO(client.get(_url("open-data-xlsx", roadmap)).content))["Maßnahmen"]
    values = [cell.value for cell in sheet[2]]
    assert Decimal("1234567.5") not in values and 1234567.5 not in values


# --- XLSX, JSON, datapackage.json --------------------------------------------------------------------


def test_xlsx_has_the_same_columns_typed_cells_and_a_metadata_sheet(client, roadmap, measures):
    response = client.get(_url("open-data-xlsx", roadmap))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Maßnahmen", "Metadaten"]
    sheet = workbook["Maßnahmen"]
    header = [cell.value for cell in sheet[1]]
    csv_header = list(german_excel(client.get(_url("open-data-csv", roadmap)).content)[0])
    assert header == csv_header
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert first["Kostenschätzung (EUR)"] == 1234567.5 and first["Fortschritt (%)"] == 45
    assert first["Ende"] == datetime(2028, 12, 31) and first["Status"] == "In Umsetzung"
    assert first["Verzögert"] == "nein"
    meta = {row[0].value: row[1].value for row in workbook["Metadaten"].iter_rows(min_row=2)}
    assert meta["Lizenz"].startswith("Datenlizenz Deutschland") and meta["Datensatz"] == "Maßnahmen"
    assert meta["Beschreibung der Spalten"].endswith("/klima-roadmaps/kreis-dueren/datapackage.json")


def test_json_keeps_the_machine_codes(client, roadmap, measures):
    response = client.get(_url("open-data-json", roadmap))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["roadmap"]["licence"] == "dl-de/by-2-0" and data["roadmap"]["target_year"] == 2035
    assert data["roadmap"]["datapackage"].endswith("/klima-roadmaps/kreis-dueren/datapackage.json")
    assert data["fields"] == OPEN_DATA_FIELDS
    first = data["measures"][0]
    assert first["status"] == "in_progress" and first["sector"] == "buildings_heat" and first["late"] is False
    assert first["percent_complete"] == 45 and first["cost_estimate_eur"] == 1234567.5
    assert set(first) == set(OPEN_DATA_FIELDS)
    assert data["filters"] == "" and data["notes"] == []


def test_datapackage_describes_every_column_of_the_csv(client, roadmap, measures):
    response = client.get(_url("datapackage", roadmap))
    package = json.loads(response.content)
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "dl-de/by-2-0"
    resource = next(r for r in package["resources"] if r["name"] == "massnahmen")
    assert resource["path"].endswith("/klima-roadmaps/kreis-dueren/massnahmen.csv")
    assert resource["dialect"]["delimiter"] == ";" and resource["encoding"] == "utf-8-sig"
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    csv_header = list(german_excel(client.get(resource["path"].split("testserver")[-1]).content)[0])
    assert list(fields) == csv_header
    assert fields["Kostenschätzung (EUR)"]["type"] == "number"
    assert fields["Kostenschätzung (EUR)"]["decimalChar"] == "," and fields["Kostenschätzung (EUR)"]["groupChar"] == "."
    assert fields["Ende"] == {**fields["Ende"], "type": "date", "format": "%d.%m.%Y"}
    assert fields["Verzögert"]["trueValues"] == ["ja"]
    assert all(f["description"] for f in fields.values())


def test_the_measure_list_and_the_roadmap_link_every_format(client, roadmap, measures):
    for page_name in ("measure-list", "roadmap"):
        page = client.get(_url(page_name, roadmap)).content.decode()
        for name in FORMATS:
            assert _url(name, roadmap) in page, (page_name, name)


# --- Download what I see ---------------------------------------------------------------------------


def test_export_links_carry_the_lists_filters(client, roadmap, measures):
    page = client.get(_url("measure-list", roadmap), {"status": ["completed", "planned"], "page": "1"})
    text = page.content.decode()
    assert _url("open-data-csv", roadmap) + "?status=completed&amp;status=planned" in text
    assert "page=1" not in text.split("download-links")[1]


def test_exports_apply_the_lists_filters_and_order(client, roadmap, measures):
    query = {"status": ["completed", "planned"], "sortierung": "-code"}
    rows = german_excel(client.get(_url("open-data-csv", roadmap), query).content)
    assert [row["Kennung"] for row in rows] == ["MO-01", "EV-02"]
    response = client.get(_url("open-data-csv", roadmap), query)
    assert "-gefiltert-" in response["Content-Disposition"]
    data = json.loads(client.get(_url("open-data-json", roadmap), query).content)
    assert [m["code"] for m in data["measures"]] == ["MO-01", "EV-02"]
    assert data["filters"] == "status=completed&status=planned&sortierung=-code"
    sheet = load_workbook(io.BytesIO(client.get(_url("open-data-xlsx", roadmap), query).content))["Maßnahmen"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["MO-01", "EV-02"]


def test_exports_ignore_an_unknown_value_with_the_same_note_as_the_list(client, roadmap, measures):
    query = {"status": ["completed", "fertig"]}
    page = client.get(_url("measure-list", roadmap), query).content.decode()
    assert "Unbekannter Filterwert ignoriert: Status „fertig“" in page
    response = client.get(_url("open-data-csv", roadmap), query)
    assert response.status_code == 200
    assert [row["Kennung"] for row in german_excel(response.content)] == ["EV-02"]
    assert "fertig" in response["X-Filter-Notes"]
    data = json.loads(client.get(_url("open-data-json", roadmap), query).content)
    assert data["notes"] == ["Unbekannter Filterwert ignoriert: Status „fertig“"]
    assert [m["code"] for m in data["measures"]] == ["EV-02"]


def test_exports_refuse_a_search_that_is_too_long(client, roadmap, measures):
    response = client.get(_url("open-data-csv", roadmap), {"suche": "x" * 500})
    assert response.status_code == 400


# --- The list's filters and search ---------------------------------------------------------------------


def _codes(client, roadmap, **query) -> list[str]:
    response = client.get(_url("open-data-json", roadmap), query)
    assert response.status_code == 200
    return [m["code"] for m in json.loads(response.content)["measures"]]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Waerme", ["EV-01"]),  # a transcribed umlaut finds Wärme
        ("wärmeplan", ["EV-01"]),
        ("fernwaerme", ["EV-01"]),
        ("PV", ["EV-02"]),  # the abbreviation finds Photovoltaik
        ("photovoltaik", ["EV-02"]),
        ("Schulen Dächer", ["EV-02"]),
        ('"kommunale wärmeplanung"', ["EV-01"]),
        ("mo-01", ["MO-01"]),
        ("Zeppelin", []),
    ],
)
def test_search_folds_umlauts_and_knows_abbreviations(client, roadmap, measures, search, expected):
    assert _codes(client, roadmap, suche=search) == expected


def test_filters_take_several_values(client, roadmap, measures):
    assert _codes(client, roadmap, handlungsfeld=["mobility", "energy_supply"]) == ["EV-02", "MO-01"]
    assert _codes(client, roadmap, status=["in_progress", "planned"]) == ["EV-01", "MO-01"]
    county, town = measures["county"], measures["town"]
    assert _codes(client, roadmap, federfuehrung=[county.pk, town.pk]) == ["EV-01", "EV-02", "MO-01"]


def test_municipality_filter_finds_lead_and_partner_measures(client, roadmap, measures):
    assert _codes(client, roadmap, kommune=measures["town"].pk) == ["EV-02", "MO-01"]
    page = client.get(_url("measure-list", roadmap)).content.decode()
    assert "Gemeinde Kreuzau" in page.split('name="kommune"')[1].split("</fieldset>")[0]


def test_delayed_and_open_to_citizens_filters(client, roadmap, measures):
    assert _codes(client, roadmap, verzoegert="true") == ["MO-01"]
    assert _codes(client, roadmap, mitmachen="true") == ["EV-01"]
    Measure.objects.filter(code="MO-01").update(late_override_reason="Genehmigung liegt vor")
    assert _codes(client, roadmap, verzoegert="true") == []


def test_list_caption_speaks_of_column_headers_only_where_there_are_any(client, roadmap, measures):
    page = client.get(_url("measure-list", roadmap)).content.decode()
    assert 'class="caption-wide">Maßnahmen; die Spaltenüberschriften sortieren die Liste' in page
    assert 'class="caption-narrow">Maßnahmen; „Sortieren nach“ über der Liste sortiert sie' in page


def test_events_list_ignores_an_unknown_value_the_same_way(client, db):
    response = client.get(reverse("events:event-list"), {"art": "raumfahrt"})
    assert response.status_code == 200
    assert "Unbekannter Filterwert ignoriert: Art „raumfahrt“" in response.content.decode()


# --- Queries stay flat -----------------------------------------------------------------------------


def _grow(roadmap, n):
    for i in range(n):
        measure = MeasureFactory(roadmap=roadmap, sector=list(Sector)[i % len(Sector)], lead_organisation=None)
        measure.partners.add(OrganisationFactory(kind="municipality"))
        MeasureUpdateFactory(measure=measure)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("open-data-csv", 2),  # roadmap, measures with their lead organisation and latest percent
        ("open-data-xlsx", 2),
        ("open-data-json", 2),
        ("datapackage", 1),  # roadmap
    ],
)
def test_open_data_queries_are_flat(client, roadmap, django_assert_num_queries, name, expected):
    assert_flat(client, _url(name, roadmap), lambda n: _grow(roadmap, n), django_assert_num_queries, expected)


def test_filtered_open_data_queries_are_flat(client, roadmap, django_assert_num_queries):
    town = OrganisationFactory(kind="municipality")
    MeasureFactory(roadmap=roadmap, lead_organisation=town)
    url = _url("open-data-csv", roadmap) + f"?kommune={town.pk}&suche=solar&status=in_progress"
    # roadmap, the municipality checked (networks.filtering) and validated by the form, the search's texts, measures
    assert_flat(client, url, lambda n: _grow(roadmap, n), django_assert_num_queries, 5)


def test_municipality_filter_keeps_internal_partners_internal(client, roadmap, measures):
    """A partner the editors marked internal is neither offered nor matched (it would betray the partnership)."""
    third = measures["third"]
    third.internal_fields = ["partners"]
    third.save()
    town = measures["town"]
    assert _codes(client, roadmap, kommune=town.pk) == ["EV-02"]  # its own lead measure only
    secret = OrganisationFactory(name="Gemeinde Geheimhausen", kind="municipality")
    third.partners.add(secret)
    page = client.get(_url("measure-list", roadmap)).content.decode()
    assert "Gemeinde Geheimhausen" not in page
    response = client.get(_url("open-data-json", roadmap), {"kommune": secret.pk})
    assert json.loads(response.content)["notes"] == [f"Unbekannter Filterwert ignoriert: Kommune „{secret.pk}“"]


@pytest.mark.parametrize(
    ("url", "query", "note"),
    [
        (lambda p: reverse("networks:member-list", args=[p.network.slug]), {"level": "7"}, "„7“"),
        (lambda p: reverse("networks:expertise-search"), {"topic": "999999"}, "„999999“"),
    ],
)
def test_network_lists_ignore_unknown_values_the_same_way(client, personas, url, query, note):
    """networks.filtering is the one behaviour of every filtered list: the member directory and the expertise
    search too."""
    personas.login(client, "coordinator")
    response = client.get(url(personas), query)
    assert response.status_code == 200
    assert "Unbekannter Filterwert ignoriert" in response.content.decode() and note in response.content.decode()
