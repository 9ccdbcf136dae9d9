"""Imports of indicator values and of a GHG balance: preview, bad rows listed, all or nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from monitoring import importing
from monitoring.models import EmissionBalance, IndicatorValue
from tests.monitoring.factories import EmissionBalanceFactory, IndicatorFactory, IndicatorValueFactory
from tests.monitoring.test_entry_views import MATRIX, login, org, roadmap  # noqa: F401 (fixtures)
from tests.networks.test_tabular import broken_workbooks, sheet_xml, text_row, with_sheet, workbook_bytes

pytestmark = pytest.mark.django_db
THIS_YEAR = date.today().year


@pytest.fixture
def pv(roadmap):  # noqa: F811
    return IndicatorFactory(roadmap=roadmap, name="Installierte PV-Leistung", code="pv-leistung", unit="MWp")


@pytest.fixture
def charging(roadmap):  # noqa: F811
    return IndicatorFactory(roadmap=roadmap, name="Öffentliche Ladepunkte", unit="Stück")


def csv_file(text: str, name: str = "werte.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for cells in rows:
        book.active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("werte.xlsx", buffer.getvalue())


def post(client, page, org, upload, **extra):  # noqa: F811
    return client.post(reverse(f"monitoring:{page}", args=[org.slug]), {"file": upload, **extra})


def confirm(client, page, org, text, name="werte.csv"):  # noqa: F811
    checked = post(client, page, org, csv_file(text, name))
    digest = checked.context["confirm_form"].initial["digest"]
    return post(client, page, org, csv_file(text, name), action="import", digest=digest)


@pytest.mark.parametrize("page", ["values-import", "balance-import"])
@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_import_posts_permission_matrix(client, personas, org, page, persona, status):  # noqa: F811
    login(client, personas, persona)
    response = post(client, page, org, csv_file("Jahr;Wert\n2020;1\n"))
    assert response.status_code == (400 if status == 200 else status)  # the editor gets the form error


# --- Values -----------------------------------------------------------------------------------------

GOOD = (
    "Indikator;Jahr;Wert;Art;Quelle;Notiz\n"
    "pv-leistung;2023;1.234,5;gemessen;MaStR;\n"
    "Öffentliche Ladepunkte;2023;88;Schätzung;;erste Zählung\n"
    "Installierte PV-Leistung;2030;2000;Ziel;;\n"
)


def test_values_import_preview_writes_nothing_then_confirm_writes(client, personas, org, pv, charging):  # noqa: F811
    IndicatorValueFactory(indicator=pv, year=2023, value=1000)
    login(client, personas, "editor")
    response = post(client, "values-import", org, csv_file(GOOD))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok
    assert [row.action for row in preview.rows] == ["update", "create", "create"]
    assert IndicatorValue.objects.get(indicator=pv, year=2023).value == 1000  # nothing written yet
    assert IndicatorValue.objects.count() == 1
    response = confirm(client, "values-import", org, GOOD)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=pv, year=2023, kind="measured").value == Decimal("1234.5")
    estimate = IndicatorValue.objects.get(indicator=charging, year=2023)
    assert (estimate.kind, estimate.note, estimate.entered_by) == (
        "estimate",
        "erste Zählung",
        personas.people["editor"],
    )
    assert IndicatorValue.objects.get(indicator=pv, year=2030).kind == "target"


def test_values_import_with_bad_rows_lists_them_and_writes_nothing(client, personas, org, pv):  # noqa: F811
    text = (
        "Indikator,Jahr,Wert,Art\n"
        'pv-leistung,2023,"12,5",gemessen\n'  # fine
        "Unbekannt,2023,5,\n"  # unknown indicator
        "pv-leistung,1800,5,\n"  # year out of range
        "pv-leistung,2022,zwölf,\n"  # not a number
        "pv-leistung,2021,5,vielleicht\n"  # unknown kind
        f"pv-leistung,{THIS_YEAR + 2},5,gemessen\n"  # measured in the future
        "pv-leistung,2023,13,\n"  # duplicate of row 2
    )
    login(client, personas, "editor")
    response = post(client, "values-import", org, csv_file(text))
    assert response.status_code == 400
    bad = {row.number: row.errors for row in response.context["bad_rows"]}
    assert set(bad) == {2, 3, 4, 5, 6, 7, 8}
    assert "Unbekannt" in bad[3][0]
    assert response.context["confirm_form"] is None
    # confirming anyway writes nothing
    response = post(client, "values-import", org, csv_file(text), action="import", digest="x")
    assert not IndicatorValue.objects.exists()
    assert "row" in response.content.decode().lower() or "zeile" in response.content.decode().lower()


def test_values_import_reads_xlsx(client, personas, org, pv):  # noqa: F811
    login(client, personas, "editor")
    upload = xlsx_file([["Indikator", "Jahr", "Wert"], ["pv-leistung", 2022, 17.25]])
    response = post(client, "values-import", org, upload)
    assert response.status_code == 200
    assert response.context["preview"].rows[0].change.value == Decimal("17.25")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("werte.pdf", b"%PDF-1.4"),
        ("werte.xlsx", b"kein zip"),
        ("werte.csv", b"Indikator;Jahr;Wert\n"),
        ("werte.csv", "Indikator;Jahr;Wert\npv;2023;5\n".encode("utf-16")),
        ("werte.csv", b"Kennung;Jahr\nx;2023\n"),
        ("werte.csv", b"Indikator;Jahr;Wert;Farbe\npv-leistung;2023;5;rot\n"),
    ],
)
def test_broken_or_wrong_files_are_form_errors(client, personas, org, pv, name, content):  # noqa: F811
    login(client, personas, "editor")
    response = post(client, "values-import", org, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not IndicatorValue.objects.exists()


def test_too_large_file_is_refused(client, personas, org, settings):  # noqa: F811
    login(client, personas, "editor")
    big = SimpleUploadedFile("werte.csv", b"Indikator;Jahr;Wert\n" + b"x;2020;1\n" * 700_000)
    response = post(client, "values-import", org, big)
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_a_changed_file_at_confirm_is_checked_not_written(client, personas, org, pv):  # noqa: F811
    login(client, personas, "editor")
    text = "Indikator;Jahr;Wert\npv-leistung;2023;5\n"
    response = post(client, "values-import", org, csv_file(text), action="import", digest="0" * 64)
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()


def test_template_download(client, personas, org):  # noqa: F811
    login(client, personas, "editor")
    response = client.get(reverse("monitoring:values-import", args=[org.slug]) + "?vorlage=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "Indikator;Jahr;Wert" in response.content.decode("utf-8-sig")
    response = client.get(reverse("monitoring:balance-import", args=[org.slug]) + "?vorlage=csv")
    assert "Jahr;Sektor;Energieträger;t CO2e;Quelle" in response.content.decode("utf-8-sig")


def test_template_imports_cleanly(org, roadmap):  # noqa: F811
    IndicatorFactory(roadmap=roadmap, name="Installierte PV-Leistung")
    table = importing.read_table("v.csv", importing.VALUES_TEMPLATE.encode())
    assert importing.check_values(organisation=org, table=table).ok
    table = importing.read_table("b.csv", importing.BALANCE_TEMPLATE.encode())
    assert importing.check_balance(organisation=org, table=table).ok


# --- Balance ----------------------------------------------------------------------------------------

BALANCE = (
    "Jahr;Sektor;Energieträger;t CO2e;Quelle\n"
    "2022;Private Haushalte;Erdgas;120.500,0;Klimaschutz-Planer\n"
    "2022;households;Strom;60.250,5;Klimaschutz-Planer\n"
    "2022;Verkehr;;210.000;Klimaschutz-Planer\n"
    "2022;GHD;;1234,5;\n"
)


def test_balance_import_replaces_the_sectors_it_contains(client, personas, org):  # noqa: F811
    EmissionBalanceFactory(organisation=org, year=2022, sector="households", emissions=999)  # replaced
    EmissionBalanceFactory(organisation=org, year=2022, sector="industry", emissions=500)  # stays
    login(client, personas, "editor")
    response = post(client, "balance-import", org, csv_file(BALANCE, "bilanz.csv"))
    assert response.status_code == 200
    changes = {change.sector: change.action for change in response.context["preview"].changes}
    assert changes == {"households": "update", "transport": "create", "commerce": "create"}
    assert EmissionBalance.objects.count() == 2
    assert confirm(client, "balance-import", org, BALANCE, "bilanz.csv").status_code == 302
    lines = {(b.sector, b.energy_carrier): b.emissions for b in EmissionBalance.objects.filter(organisation=org)}
    assert lines == {
        ("households", "natural_gas"): Decimal("120500.0"),
        ("households", "electricity"): Decimal("60250.5"),
        ("transport", ""): Decimal("210000"),
        ("commerce", ""): Decimal("1234.5"),
        ("industry", ""): Decimal("500"),
    }


def test_balance_import_with_bad_rows_writes_nothing(client, personas, org):  # noqa: F811
    text = (
        "Jahr;Sektor;Energieträger;t CO2e\n"
        "2022;Verkehr;;100\n"  # fine
        "2022;Landwirtschaft;;100\n"  # unknown sector
        "2022;Industrie;Uran;100\n"  # unknown carrier
        "2022;Industrie;;-5\n"  # negative
        "2022;Haushalte;;100\n2022;Haushalte;Strom;50\n"  # total and carrier mixed
        "2022;Verkehr;;120\n"  # duplicate of row 2
        f"{THIS_YEAR + 1};Verkehr;;100\n"  # future
    )
    login(client, personas, "editor")
    response = post(client, "balance-import", org, csv_file(text, "bilanz.csv"))
    assert response.status_code == 400
    assert {row.number for row in response.context["bad_rows"]} == {2, 3, 4, 5, 6, 7, 8, 9}
    assert not EmissionBalance.objects.exists()


@pytest.mark.parametrize("kind", list(broken_workbooks(["Jahr"], ["2022"])))
@pytest.mark.parametrize(
    ("page", "header", "row"),
    [
        ("values-import", ["Indikator", "Jahr", "Wert"], ["pv-leistung", "2022", "5"]),
        ("balance-import", ["Jahr", "Sektor", "t CO2e"], ["2022", "Verkehr", "5"]),
    ],
)
def test_a_broken_or_hostile_workbook_is_a_form_error(client, personas, org, pv, page, header, row, kind):  # noqa: F811
    login(client, personas, "editor")
    with translation.override("en"):
        response = post(client, page, org, SimpleUploadedFile("daten.xlsx", broken_workbooks(header, row)[kind]))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is not a readable Excel workbook (.xlsx)."]
    assert not IndicatorValue.objects.exists() and not EmissionBalance.objects.exists()


def test_values_import_reads_the_results_of_formula_cells(client, personas, org, pv):  # noqa: F811
    """Formulas as a spreadsheet program saves them: the stored result is read, not the formula's text."""
    login(client, personas, "editor")
    rows = (
        text_row(1, "Indikator", "Jahr", "Wert", "Notiz")
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>pv-leistung</t></is></c><c r="B2"><f>2020+2</f><v>2022</v></c>'
        + '<c r="C2"><f>10*1.5</f><v>15</v></c><c r="D2" t="str"><f>"aus "&amp;"MaStR"</f><v>aus MaStR</v></c></row>'
    )
    upload = SimpleUploadedFile("werte.xlsx", with_sheet(workbook_bytes([["x"]]), sheet_xml(rows)))
    response = post(client, "values-import", org, upload)
    assert response.status_code == 200, response.context["preview"].bad_rows
    change = response.context["preview"].rows[0].change
    assert (change.year, change.value, change.note) == (2022, Decimal(15), "aus MaStR")


def test_values_import_reads_the_one_number_rule_and_checks_the_unit(client, personas, org, pv, roadmap):  # noqa: F811
    share = IndicatorFactory(roadmap=roadmap, name="Anteil erneuerbarer Wärme", unit="%")
    login(client, personas, "editor")
    text = (
        "Indikator;Jahr;Wert\n"
        "pv-leistung;2020;3.000\n"
        "Anteil erneuerbarer Wärme;2020;12,5\n"
        "pv-leistung;2021;-4\n"
        "Anteil erneuerbarer Wärme;2021;120\n"
        "pv-leistung;2022;3.5\n"
        "pv-leistung;2023;1e9\n"
    )
    with translation.override("en"):
        response = post(client, "values-import", org, csv_file(text))
    rows = response.context["preview"].rows
    assert [row.change.value for row in rows[:2]] == [Decimal(3000), Decimal("12.5")]
    assert [row.errors for row in rows[2:]] == [
        ["Wert: -4 MWp is not plausible: an amount in MWp cannot be negative."],
        ["Wert: 120 % is not plausible: a share lies between 0 and 100 %."],
        [
            "Wert: “3.5” is ambiguous: the decimal mark is a comma and a dot groups thousands (followed by three "
            "digits). Write 3,5 or 3500."
        ],
        ["Wert: “1e9” is not a number. Write numbers like 3.000 or 3,5 or -2,5 (a comma before the decimals)."],
    ]
    assert share.values.count() == 0 and not IndicatorValue.objects.exists()


def test_values_import_reads_a_windows_1252_csv(client, personas, org, charging):  # noqa: F811
    login(client, personas, "editor")
    text = "Indikator;Jahr;Wert;Quelle\nÖffentliche Ladepunkte;2022;1.204;Stadt Übach-Palenberg\n"
    response = post(client, "values-import", org, SimpleUploadedFile("werte.csv", text.encode("cp1252")))
    assert response.status_code == 200, response.context["form"].errors
    change = response.context["preview"].rows[0].change
    assert (change.indicator, change.value, change.source) == (charging, Decimal(1204), "Stadt Übach-Palenberg")
