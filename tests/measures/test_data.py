"""Editors' import (CSV/XLSX, dry run, all or nothing) and export ("intern": every field) of measures."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from measures import importing
from measures.models import Measure, MeasureImport, Sector
from measures.services import imports
from networks import tabular
from tests.conftest import PERSONAS
from tests.measures.factories import MeasureFactory, MilestoneFactory, RoadmapFactory
from tests.networks.factories import OrganisationFactory, PersonFactory
from tests.networks.test_tabular import broken_workbooks

HEADER = ["code", "title", "sector", "status", "start", "end", "effect_expected", "effect_low", "effect_high"]


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren 2035")


def url(name, roadmap, language="en"):
    with translation.override(language):
        return reverse(f"measures:{name}", args=[roadmap.slug])


def csv_file(rows, *, header=HEADER, delimiter=";", bom=True, name="massnahmen.csv", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    content = ("\ufeff" if bom else "") + buffer.getvalue()
    return SimpleUploadedFile(name, content.encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="massnahmen.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def post(client, roadmap, upload, *, action="check"):
    upload.seek(0)
    data = {"file": upload, "action": action}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url("measure-import", roadmap), data)


def confirm(client, roadmap, draft):
    """Step 2: the confirmation names the kept file of the check; no file is chosen again."""
    with TestCase.captureOnCommitCallbacks(execute=True):  # a confirmed import's task runs (eager) at the commit
        return client.post(url("measure-import", roadmap), {"action": "import", "draft": draft})


def draft_of(checked) -> str:
    return checked.context["confirm_form"]["draft"].value()


def job_of(response) -> MeasureImport:
    """The import job a confirmation redirected to."""
    assert response.status_code == 302, response.status_code
    job = MeasureImport.objects.exclude(status=MeasureImport.Status.CHECKED).get()
    assert response["Location"] == job.get_absolute_url()
    return job


def check_then_import(client, roadmap, upload):
    checked = post(client, roadmap, upload)
    assert checked.status_code == 200, checked.context["preview"].bad_rows if checked.context else checked
    return checked, confirm(client, roadmap, draft_of(checked))


def state(roadmap):
    """Everything an import could change, to compare before and after."""
    return sorted(Measure.objects.filter(roadmap=roadmap).values_list("code", "title", "sector", "status", "end"))


GOOD_ROWS = [
    ["M-01", "Balkonkraftwerke fördern", "households", "in progress", "2025-03-01", "2026-12-31", "120", "80", "150"],
    ["M-02", "Radschnellweg Düren–Jülich", "Mobility", "planned", "01.06.2025", "31.12.2029", "1.234,5", "", ""],
]


# --- Happy paths ----------------------------------------------------------------------------------------


def test_csv_import_previews_then_writes_everything_as_the_editor(client, personas, roadmap):
    existing = MeasureFactory(roadmap=roadmap, code="M-02", title="Radweg alt", status=Measure.Status.NOT_STARTED)
    personas.login(client, "editor")
    upload = csv_file(GOOD_ROWS)

    checked, written = check_then_import(client, roadmap, upload)

    preview = checked.context["preview"]
    assert [(r.number, r.code, r.action) for r in preview.rows] == [(2, "M-01", "create"), (3, "M-02", "update")]
    assert "Changed measures" in checked.content.decode() and "Radschnellweg" in checked.content.decode()
    job = job_of(written)
    assert job.status == MeasureImport.Status.DONE and (job.created_count, job.changed_count) == (1, 1)
    created = Measure.objects.get(roadmap=roadmap, code="M-01")
    assert created.sector == Sector.HOUSEHOLDS and created.status == Measure.Status.IN_PROGRESS
    assert (created.start, created.end) == (date(2025, 3, 1), date(2026, 12, 31))
    assert (created.effect_low, created.effect_expected, created.effect_high) == (80, 120, 150)
    assert created.slug.startswith("m-01-balkonkraftwerke-f")  # made by services.measure_slug
    existing.refresh_from_db()
    assert existing.title == "Radschnellweg Düren–Jülich" and existing.effect_expected == Decimal("1234.5")
    assert existing.start == date(2025, 6, 1) and existing.status == Measure.Status.PLANNED
    editor = personas.user("editor")
    assert created.history.first().history_user == editor and existing.history.first().history_user == editor
    assert existing.history.count() == 2  # the factory's creation and the import's change


def test_checking_alone_writes_nothing(client, personas, roadmap):
    personas.login(client, "editor")
    response = post(client, roadmap, csv_file(GOOD_ROWS))
    assert response.status_code == 200
    assert response.context["preview"].ok and not Measure.objects.exists()
    page = response.content.decode()
    assert 'name="draft"' in page and 'value="import"' in page and "the checked file (massnahmen.csv)" in page
    assert page.count('type="file"') == 1  # the confirmation does not ask for the file again
    draft = MeasureImport.objects.get()  # the checked file, kept for the confirmation: not an import yet
    assert draft.status == MeasureImport.Status.CHECKED and draft.file_name == "massnahmen.csv"
    assert draft_of(response) == draft.pk and "Recent imports" not in page


def test_comma_separated_csv_without_bom_with_german_headers(client, personas, roadmap):
    personas.login(client, "editor")
    header = ["Kürzel", "Titel", "Handlungsfeld", "Priorität", "Daueraufgabe", "Kostenschätzung (EUR)", "Federführung"]
    lead = OrganisationFactory(name="Stadtwerke Düren")
    with translation.override("de"):
        sector_label = str(Sector.BUILDINGS_HEAT.label)  # the German label, as the catalogue has it
    rows = [["W-1", "Wärmenetz Innenstadt", sector_label, "high", "ja", "2.500.000,50", "stadtwerke düren"]]
    _checked, written = check_then_import(client, roadmap, csv_file(rows, header=header, delimiter=",", bom=False))
    assert written.status_code == 302
    measure = Measure.objects.get(code="W-1")
    assert measure.sector == Sector.BUILDINGS_HEAT and measure.priority == Measure.Priority.HIGH
    assert measure.continuous and measure.cost_estimate == Decimal("2500000.50")
    assert measure.lead_organisation == lead


def test_xlsx_import_reads_dates_numbers_and_booleans(client, personas, roadmap):
    personas.login(client, "editor")
    header = [*HEADER, "published", "partners", "internal_fields", "internal_note"]
    partners = [OrganisationFactory(name="Kreishandwerkerschaft"), OrganisationFactory(name="Verbraucherzentrale NRW")]
    rows = [
        ["E-7", "Energieberatung", "private households", "", datetime(2025, 1, 15), date(2027, 6, 30), 55.5, 40, 70]
        + [True, "Verbraucherzentrale NRW | Kreishandwerkerschaft", "funding, effect", "Budget offen"],
    ]
    _checked, written = check_then_import(client, roadmap, xlsx_file(rows, header=header))
    assert written.status_code == 302
    measure = Measure.objects.get(code="E-7")
    assert measure.start == date(2025, 1, 15) and measure.end == date(2027, 6, 30)
    assert measure.effect_expected == Decimal("55.5") and measure.published
    assert measure.status == Measure.Status.NOT_STARTED  # empty status: the default
    assert set(measure.partners.all()) == set(partners)
    assert measure.internal_fields == ["funding", "effect"] and measure.internal_note == "Budget offen"


def test_empty_cells_empty_fields_but_keep_status(client, personas, roadmap):
    measure = MeasureFactory(roadmap=roadmap, code="K-1", summary="Alt", status=Measure.Status.PAUSED)
    personas.login(client, "editor")
    upload = csv_file([["K-1", "", "", ""]], header=["code", "summary", "status", "end"])
    _checked, written = check_then_import(client, roadmap, upload)
    assert written.status_code == 302
    measure.refresh_from_db()
    assert measure.summary == "" and measure.end is None and measure.status == Measure.Status.PAUSED


def test_a_formula_looking_cell_stays_text(client, personas, roadmap):
    personas.login(client, "editor")
    formula = '=HYPERLINK("https://evil.example","Klick")'
    rows = [["F-1", formula, "mobility", "", "", "", "", "", ""], ["F-2", "@SUMME(A1)", "mobility", *[""] * 6]]
    _checked, written = check_then_import(client, roadmap, csv_file(rows))
    assert written.status_code == 302
    assert Measure.objects.get(code="F-1").title == formula
    assert Measure.objects.get(code="F-2").title == "@SUMME(A1)"
    exported = client.get(url("measure-export-csv", roadmap)).content.decode("utf-8-sig")
    assert "'" + formula.replace('"', '""') in exported  # neutralised on the way out


def test_codes_of_another_roadmap_create_new_measures_here(client, personas, roadmap):
    foreign = MeasureFactory(code="M-01", title="Fremd")
    personas.login(client, "editor")
    _checked, written = check_then_import(client, roadmap, csv_file(GOOD_ROWS[:1]))
    assert written.status_code == 302
    foreign.refresh_from_db()
    assert foreign.title == "Fremd" and Measure.objects.filter(roadmap=roadmap, code="M-01").exists()


# --- Bad rows: listed, and nothing written, even when the import is confirmed -----------------------------

VALID = ["B-1", "Gültig", "mobility", "planned", "2025-01-01", "2025-12-31", "10", "5", "20"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({2: "Weltraum"}, "sector: “Weltraum” is not allowed here. Allowed: energy_supply (energy supply)"),
        ({3: "vielleicht"}, "status: “vielleicht” is not allowed here"),
        ({4: "2026-01-01", 5: "2025-01-01"}, "end: The end cannot be before the start."),
        ({7: "15"}, "effect_low (t CO2e/a): The lower estimate cannot be above the expected effect."),
        ({8: "7"}, "effect_high (t CO2e/a): The upper estimate cannot be below the expected effect."),
        ({6: "zehn"}, "effect_expected (t CO2e/a): “zehn” is not a number."),
        ({6: "10,25"}, "effect_expected (t CO2e/a): Ensure that there are no more than 1 decimal place."),
        ({6: "10.5"}, "effect_expected (t CO2e/a): “10.5” is ambiguous: the decimal mark is a comma"),
        ({6: "1e9"}, "effect_expected (t CO2e/a): “1e9” is not a number. Write numbers like 3.000 or 3,5"),
        ({6: "12,3,4"}, "effect_expected (t CO2e/a): “12,3,4” is not a number."),
        ({4: "31.02.2025"}, "start: “31.02.2025” is not a date (YYYY-MM-DD or DD.MM.YYYY)."),
        ({1: ""}, "title: This field is required."),
        ({0: "X" * 21}, "code: Ensure this value has at most 20 characters (it has 21)."),
    ],
)
def test_a_bad_row_is_listed_and_nothing_is_written(client, personas, roadmap, change, message):
    kept = MeasureFactory(roadmap=roadmap, code="B-0", title="Bleibt")
    personas.login(client, "editor")
    bad = list(VALID)
    for index, value in change.items():
        bad[index] = value
    good = ["B-2", *VALID[1:]]
    upload = csv_file([good, bad])
    before = state(roadmap)

    checked = post(client, roadmap, upload)
    assert checked.status_code == 400
    preview = checked.context["preview"]
    assert [(row.number, len(row.errors)) for row in preview.bad_rows] == [(3, 1)]
    assert preview.bad_rows[0].errors[0].startswith(message)
    assert checked.context["confirm_form"] is None and 'value="import"' not in checked.content.decode()
    page = checked.content.decode()
    assert "1 row has errors. Nothing was imported." in page and '<th scope="row">3</th>' in page

    assert not MeasureImport.objects.exists()  # nothing kept to confirm
    assert state(roadmap) == before and Measure.objects.get(pk=kept.pk).title == "Bleibt"


def test_duplicate_codes_in_the_file_are_errors_on_every_row(client, personas, roadmap):
    personas.login(client, "editor")
    upload = csv_file([VALID, ["B-2", *VALID[1:]], ["B-1", "Nochmal", *VALID[2:]]])
    checked = post(client, roadmap, upload)
    assert checked.status_code == 400
    errors = {row.number: row.errors for row in checked.context["preview"].bad_rows}
    assert errors == {
        2: ["The code “B-1” is also used in row 4: each measure once per file."],
        4: ["The code “B-1” is also used in row 2: each measure once per file."],
    }
    assert checked.context["confirm_form"] is None and not MeasureImport.objects.exists()
    assert not Measure.objects.exists()


def test_unknown_organisation_and_misaligned_rows_are_errors(client, personas, roadmap):
    personas.login(client, "editor")
    header = ["code", "title", "sector", "lead_organisation"]
    upload = csv_file(
        [["O-1", "A", "mobility", "Niemand GmbH"], ["O-2", "B", "mobility", "", "überzählig"]], header=header
    )
    errors = {row.number: row.errors for row in post(client, roadmap, upload).context["preview"].bad_rows}
    assert errors == {
        2: ["lead_organisation: No organisation called “Niemand GmbH” is known on Klimanetz."],
        3: ["The row has more cells than the header row has columns."],
    }


def test_a_new_measure_needs_title_and_sector_columns(client, personas, roadmap):
    MeasureFactory(roadmap=roadmap, code="A-1")
    personas.login(client, "editor")
    upload = csv_file([["A-1", "neu"], ["A-2", "neu"]], header=["code", "summary"])
    preview = post(client, roadmap, upload).context["preview"]
    assert [(r.number, r.action, r.errors) for r in preview.rows] == [
        (2, "update", []),
        (3, "", ["A new measure needs these columns: title, sector."]),
    ]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("plan.pdf", b"%PDF-1.7 ..."),
            "Only CSV files (UTF-8) and Excel files (.xlsx) can be imported.",
        ),
        (
            SimpleUploadedFile("alt.xls", b"\xd0\xcf\x11\xe0"),
            "Only CSV files (UTF-8) and Excel files (.xlsx) can be imported.",
        ),
        (SimpleUploadedFile("kaputt.xlsx", b"not a zip"), "The file is not a readable Excel workbook (.xlsx)."),
        (
            SimpleUploadedFile("gemischt.csv", "code;title\nM-1;Wärme\n".encode() + "M-2;Kälte\n".encode("cp1252")),
            "The file is neither UTF-8 nor Windows-1252 encoded. In Excel, save it as “CSV UTF-8 (comma delimited)”.",
        ),
        (SimpleUploadedFile("leer.csv", b"code;title\r\n"), "The file has a header row but no measures."),
        (
            SimpleUploadedFile("spalten.csv", "code;Farbe\nM-1;grün\n".encode()),
            "Unknown columns: “Farbe”. The import page lists the columns it understands.",
        ),
        (
            SimpleUploadedFile("ohne.csv", b"title;sector\nA;mobility\n"),
            "The column “code” (Kürzel) is missing: every row needs the code of its measure.",
        ),
        (
            SimpleUploadedFile("doppelt.csv", "code;Kürzel\nA;B\n".encode()),
            "The column “Kürzel” appears twice.",
        ),
    ],
)
def test_wrong_files_are_form_errors(client, personas, roadmap, upload, message):
    personas.login(client, "editor")
    response = post(client, roadmap, upload)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert not Measure.objects.exists()


def test_too_many_rows_and_too_large_files_are_refused(client, personas, roadmap):
    personas.login(client, "editor")
    rows = [[f"R-{i}", "Zeile", "mobility"] for i in range(importing.MAX_ROWS + 1)]
    response = post(client, roadmap, csv_file(rows, header=["code", "title", "sector"]))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file has more than 5,000 rows. Please split it."]
    large = SimpleUploadedFile("gross.csv", b"code;title\n" + b"M-1;" + b"x" * importing.MAX_BYTES)
    response = post(client, roadmap, large)
    assert response.context["form"].errors["file"] == ["The file is larger than 5 MB. Please split it."]
    assert not Measure.objects.exists()


def test_an_xlsx_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 1_000)  # the readers live in networks.tabular
    upload = xlsx_file([VALID])
    with translation.override("en"), pytest.raises(importing.ImportFileError, match="too large when unpacked"):
        importing.read_table(upload.name, upload.read())


def test_exactly_the_limit_is_accepted_by_the_reader():
    content = "code;title;sector\n" + "".join(f"R-{i};Zeile;mobility\n" for i in range(importing.MAX_ROWS))
    table = importing.read_table("voll.csv", content.encode())
    assert len(table.rows) == importing.MAX_ROWS and table.rows[-1][0] == importing.MAX_ROWS + 1


def test_only_the_editors_own_fresh_draft_of_this_roadmap_is_confirmed_and_only_once(client, personas, roadmap):
    personas.login(client, "staff")
    theirs = draft_of(post(client, roadmap, csv_file(GOOD_ROWS[:1])))  # another editor's check
    personas.login(client, "editor")
    first = draft_of(post(client, roadmap, csv_file(GOOD_ROWS[:1])))
    latest = draft_of(post(client, roadmap, csv_file(GOOD_ROWS)))
    other_roadmap = RoadmapFactory(organisation=roadmap.organisation)
    elsewhere = draft_of(post(client, other_roadmap, csv_file(GOOD_ROWS)))
    assert not MeasureImport.objects.filter(pk=first).exists()  # a new check drops the editor's earlier draft
    with translation.override("en"):
        for draft in (theirs, first, elsewhere, "x", ""):
            response = confirm(client, roadmap, draft)
            assert response.status_code == 400
            assert "The check of the file has expired or is not valid." in response.content.decode()
    assert not Measure.objects.exists()
    job = job_of(confirm(client, roadmap, latest))
    assert job.pk == int(latest) and job.status == MeasureImport.Status.DONE and Measure.objects.count() == 2
    assert confirm(client, roadmap, latest).status_code == 400  # a second click queues nothing
    assert MeasureImport.objects.filter(pk=latest).get().created_count == 2


def test_a_draft_expires_and_the_watchdog_drops_its_file(client, personas, roadmap):
    personas.login(client, "editor")
    draft = draft_of(post(client, roadmap, csv_file(GOOD_ROWS)))
    MeasureImport.objects.filter(pk=draft).update(created_at=timezone.now() - imports.DRAFT_MAX_AGE)
    assert confirm(client, roadmap, draft).status_code == 400 and not Measure.objects.exists()
    with translation.override("en"):
        assert client.get(reverse("measures:import-job", args=[roadmap.slug, draft])).status_code == 404
    imports.imports_watchdog()
    assert not MeasureImport.objects.exists()


def test_the_preview_shows_old_and_new_of_every_changed_cell_and_marks_cleared_values(client, personas, roadmap):
    MeasureFactory(
        roadmap=roadmap,
        code="M-01",
        title="Balkonkraftwerke",
        sector=Sector.HOUSEHOLDS,
        status=Measure.Status.PLANNED,
        start=date(2025, 3, 1),
        end=date(2026, 12, 31),
        effect_expected=Decimal("1200.5"),
        effect_low=Decimal("800"),
        effect_high=Decimal("1500"),
    )
    personas.login(client, "editor")
    row = ["M-01", "Balkonkraftwerke fördern", "households", "planned", "01.03.2025", "", "1.200,5", "", "1.600"]
    with translation.override("en"):
        checked = post(client, roadmap, csv_file([row]))
    [update] = checked.context["updated"]
    assert [(c.header, c.old, c.new, c.cleared) for c in update.changes] == [
        ("title", "Balkonkraftwerke", "Balkonkraftwerke fördern", False),
        ("end", "31.12.2026", "", True),
        ("effect_low (t CO2e/a)", "800", "", True),
        ("effect_high (t CO2e/a)", "1.500", "1.600", False),
    ]
    page = checked.content.decode()
    assert "2 values will be cleared by empty cells" in page
    assert "<del>31.12.2026</del> → <mark>will be cleared</mark>" in page
    assert "<del>1.500</del> → <ins>1.600</ins>" in page
    assert checked.context["cleared_count"] == 2 and draft_of(checked)
    with translation.override("de"):
        german = client.post(reverse("measures:measure-import", args=[roadmap.slug]), {"file": csv_file([row])})
    page = german.content.decode()
    assert "2 Werte werden durch leere Zellen geleert" in page and "<mark>wird geleert</mark>" in page
    assert "Änderungen (vorher → nachher)" in page and "<del>1.200,5</del>" not in page  # unchanged: not listed
    # on a phone each row folds into labelled cells (the table made the page 537 px wide at 390)
    assert '<table class="responsive">\n    <caption>Geänderte Maßnahmen</caption>' in page
    assert '<td data-label="Änderungen (vorher → nachher)"><ul class="import-changes">' in page


def test_the_template_has_every_importable_header_and_imports(client, personas, roadmap):
    personas.login(client, "editor")
    response = client.get(url("measure-import", roadmap) + "?vorlage=csv")
    assert response["Content-Disposition"] == 'attachment; filename="massnahmen-importvorlage.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert header == [c.header("en") for c in importing.COLUMNS if c.importable]
    assert "internal_note" in header and "slug" not in header
    german = client.get(url("measure-import", roadmap, "de") + "?vorlage=csv").content.decode("utf-8-sig")
    assert german.startswith("Kürzel;Titel;Handlungsfeld;Status;Beginn;Ende;Daueraufgabe;Priorität")
    row = {"code": "T-1", "title": "Aus der Vorlage", "sector": "adaptation", "continuous": "nein"}
    _checked, written = check_then_import(client, roadmap, csv_file([[row.get(h, "") for h in header]], header=header))
    assert written.status_code == 302 and Measure.objects.get(code="T-1").sector == Sector.ADAPTATION


def test_the_import_page_documents_the_columns(client, personas, roadmap):
    personas.login(client, "editor")
    page = client.get(url("measure-import", roadmap)).content.decode()
    assert "<code>effect_expected (t CO2e/a)</code>" in page and "<code>Erwartete Minderung (t CO2e/a)</code>" in page
    assert "?vorlage=csv" in page and "The internal export has the same columns" in page


# --- Pure functions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3.000", "3000"),
        ("1234,5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1 234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("-3,0", "-3.0"),
        (12, "12"),
        (0.1, "0.1"),
    ],
)
def test_numbers_as_spreadsheets_write_them(text, number):
    """The one German number rule (networks.numbers; tests/networks/test_numbers.py has all of it)."""
    assert importing.parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize("text", ["zehn", "NaN", "Infinity", "1,2,3.4.5", True, "1234.5", "1,234.5", "1e9"])
def test_what_is_not_a_number(text):
    with pytest.raises(importing.CellError):
        importing.parse_decimal(text)


def test_headers_in_english_or_german_with_any_case_and_units():
    columns = importing.map_headers(["CODE", "Titel", "Handlungsfeld", "effect expected", "Kostenschätzung (EUR)", ""])
    assert [c.key if c else None for c in columns] == [
        "code",
        "title",
        "sector",
        "effect_expected",
        "cost_estimate",
        None,
    ]


# --- Export ----------------------------------------------------------------------------------------------


@pytest.fixture
def full_measure(roadmap):
    """A measure with every field filled, internal ones included."""
    person = PersonFactory(name="Klara Klimaschutz", organisation=roadmap.organisation)
    measure = MeasureFactory(
        roadmap=roadmap,
        code="GW-03",
        title="-Kommunale Wärmeplanung",
        summary="Wärmeplan bis 2026",
        description='Erster Absatz.\r\nZweiter Absatz; mit Semikolon, Komma und "Anführung".',
        objectives="Klarheit für Hausbesitzer*innen",
        target_groups="Eigentümer*innen",
        sector=Sector.BUILDINGS_HEAT,
        status=Measure.Status.IN_PROGRESS,
        lead_organisation=OrganisationFactory(name="Kreis Düren, Amt für Klimaschutz"),
        responsible_person=person,
        responsible_body="Kreistag",
        start=date(2024, 1, 1),
        end=date(2026, 6, 30),
        priority=Measure.Priority.HIGH,
        cost_estimate=Decimal("150000.00"),
        funding_programme="Kommunalrichtlinie",
        funding_amount=Decimal("90000.50"),
        funding_status=Measure.FundingStatus.APPLIED,
        funding_deadline=date(2025, 10, 1),
        participation_level=Measure.Participation.CONSULTATION,
        effect_expected=Decimal("1200.0"),
        effect_low=Decimal("-5.0"),
        effect_high=Decimal("2000.0"),
        effect_method="BISKO-Abschätzung",
        effect_source="Klimaschutzkonzept 2023",
        qualitative_effect="Planungssicherheit",
        how_to_take_part="Bürgerwerkstatt besuchen",
        plain_language_summary="Der Kreis plant die Wärme.",
        late_override_reason="Frist verlängert",
        internal_fields=["funding", "cost_estimate"],
        internal_note="Nur intern: Kämmerei fragt nach",
        published=True,
    )
    measure.partners.set([OrganisationFactory(name="Stadtwerke Düren"), OrganisationFactory(name="Energieagentur")])
    MeasureFactory(roadmap=roadmap, code="A-1", title="Schlicht", end=None, continuous=True, start=None)
    return measure


def test_csv_export_has_every_field_internal_ones_included(client, personas, roadmap, full_measure):
    personas.login(client, "editor")
    response = client.get(url("measure-export-csv", roadmap, "de"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="massnahmen-intern-kreis-dueren-{today}.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Kürzel"] for row in rows] == ["A-1", "GW-03"]
    row = rows[1]
    assert row["Titel"] == "'-Kommunale Wärmeplanung"  # neutralised: a spreadsheet would compute it
    assert row["Interne Notiz"] == "Nur intern: Kämmerei fragt nach"
    assert row["Interne Felder"] == "funding, cost_estimate"
    assert row["Kostenschätzung (EUR)"] == "150000,00" and row["Minderung untere Schätzung (t CO2e/a)"] == "-5,0"
    assert row["Förderprogramm"] == "Kommunalrichtlinie" and row["Antragsfrist"] == "01.10.2025"
    assert row["Partner"] == "Energieagentur | Stadtwerke Düren"
    assert row["Verantwortliche Person"] == f"Klara Klimaschutz <{full_measure.responsible_person.user.email}>"
    assert row["Begründung nicht verspätet"] == "Frist verlängert"
    assert row["Beschreibung"] == full_measure.description


def test_xlsx_export_bold_header_and_text_never_a_formula(client, personas, roadmap, full_measure):
    personas.login(client, "editor")
    response = client.get(url("measure-export-xlsx", roadmap))
    assert (
        response["Content-Disposition"].endswith('.xlsx"') and "massnahmen-intern-" in response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == [c.header("en") for c in importing.COLUMNS] and all(cell.font.b for cell in sheet[1])
    cells = dict(zip(header, sheet[3], strict=True))
    assert cells["title"].value == "-Kommunale Wärmeplanung" and cells["title"].data_type == "s"
    assert cells["internal_note"].value == "Nur intern: Kämmerei fragt nach"
    assert cells["cost_estimate (EUR)"].value == 150000 and cells["start"].value == datetime(2024, 1, 1)
    assert sheet.title == "Measures (internal)"


@pytest.mark.parametrize(
    ("name", "language"), [("measure-export-csv", "de"), ("measure-export-csv", "en"), ("measure-export-xlsx", "de")]
)
def test_an_export_imports_back_without_errors_or_changes(client, personas, roadmap, full_measure, name, language):
    MilestoneFactory(measure=full_measure, due_date=date.today() - timedelta(days=3))  # late, overridden
    personas.login(client, "editor")
    response = client.get(url(name, roadmap, language))
    upload = SimpleUploadedFile("export." + name.rsplit("-", 1)[-1], response.content)
    with translation.override(language):
        checked = client.post(url("measure-import", roadmap, language), {"file": upload, "action": "check"})
    assert checked.status_code == 200, checked.context["preview"].bad_rows
    preview = checked.context["preview"]
    assert [(row.code, row.action, row.changed) for row in preview.rows] == [
        ("A-1", "unchanged", []),
        ("GW-03", "unchanged", []),
    ]
    page = checked.content.decode()
    with translation.override(language):
        nothing = escape(
            gettext("Every row is valid, and every measure is already as in the file: there is nothing to import.")
        )
    assert nothing in page and 'value="import"' not in page
    assert {c.key for c in preview.ignored} == {
        "slug",
        "late",
        "responsible_person",
        "origin",
        "origin_event",
        "origin_proposal",
        "updated_at",
    }


def test_export_query_count_is_flat(client, personas, roadmap):
    personas.login(client, "editor")
    target = url("measure-export-xlsx", roadmap)

    def count(n):
        for _ in range(n):
            MeasureFactory(roadmap=roadmap, lead_organisation=OrganisationFactory()).partners.add(OrganisationFactory())
        client.get(target)  # warm: the session and the access as every later page reads them (from the cache)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    # (session), user, roadmap with organisation, editor check, measures with their relations, partners
    small = count(2)
    assert small == count(10) and small <= 6


def test_import_check_query_count_is_flat(client, personas, roadmap):
    personas.login(client, "editor")
    header = ["code", "title", "sector", "lead_organisation", "partners"]
    OrganisationFactory(name="Partnerin")

    def count(n):
        MeasureFactory.create_batch(n, roadmap=roadmap)
        rows = [[m.code, "Neu", "mobility", "Partnerin", "Partnerin"] for m in roadmap.measures.all()]
        client.get(url("measure-import", roadmap))  # warm: the session and the access as later pages read them
        with CaptureQueriesContext(connection) as queries:
            assert post(client, roadmap, csv_file(rows, header=header)).status_code == 200
        return len(queries)

    # (session), user, roadmap, editor check, measures, their partners, organisations, recent imports; the kept
    # file: savepoint, the editor's earlier draft deleted, the new one inserted, release
    small = count(2)
    assert small == count(10) and small <= 12


# --- Permissions -----------------------------------------------------------------------------------------

EXPECTED = {
    "anonymous": 302,
    "citizen": 403,
    "other_network": 403,
    "member": 403,
    "coordinator": 403,
    "editor": 200,
    "staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["measure-import", "measure-export-csv", "measure-export-xlsx"])
def test_import_and_export_are_for_editors(client, personas, roadmap, full_measure, persona, name):
    personas.login(client, persona)
    response = client.get(url(name, roadmap))
    assert response.status_code == EXPECTED[persona]
    if response.status_code == 200 and name == "measure-export-csv":
        assert "Nur intern: Kämmerei fragt nach" in response.content.decode("utf-8-sig")
    elif response.status_code == 200 and name == "measure-export-xlsx":
        values = [cell.value for cell in load_workbook(io.BytesIO(response.content)).active[3]]
        assert "Nur intern: Kämmerei fragt nach" in values
    elif response.status_code != 200:
        assert b"Nur intern" not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_importing_is_for_editors(client, personas, roadmap, persona):
    personas.login(client, persona)
    personas.login(client, "editor")
    draft = draft_of(post(client, roadmap, csv_file(GOOD_ROWS)))
    client.logout()
    personas.login(client, persona)
    response = confirm(client, roadmap, draft)
    if persona == "staff":  # staff edits too, but confirms only its own check
        assert response.status_code == 400
        response = confirm(client, roadmap, draft_of(post(client, roadmap, csv_file(GOOD_ROWS))))
    assert response.status_code == {200: 302}.get(EXPECTED[persona], EXPECTED[persona])
    assert Measure.objects.exists() == (EXPECTED[persona] == 200)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["measure-import", "measure-export-csv"])
def test_an_unpublished_roadmap_is_unknown_to_non_editors(client, personas, roadmap, persona, name):
    roadmap.published = False
    roadmap.save(update_fields=["published"])
    personas.login(client, persona)
    expected = {"anonymous": 302, "editor": 200, "staff": 200}.get(persona, 404)
    assert client.get(url(name, roadmap)).status_code == expected


def test_an_editor_of_another_organisation_cannot_import_or_export(client, personas, roadmap):
    other = RoadmapFactory(published=False)
    kept = MeasureFactory(roadmap=other, code="M-01", title="Fremd")
    personas.login(client, "editor")
    assert client.get(url("measure-export-csv", other)).status_code == 404
    assert post(client, other, csv_file(GOOD_ROWS)).status_code == 404
    draft = draft_of(post(client, roadmap, csv_file(GOOD_ROWS)))  # a check of their own roadmap
    assert confirm(client, other, draft).status_code == 404
    kept.refresh_from_db()
    assert kept.title == "Fremd" and Measure.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "delete"])
def test_methods(client, personas, roadmap, method):
    personas.login(client, "editor")
    assert getattr(client, method)(url("measure-import", roadmap)).status_code == 405
    assert client.post(url("measure-export-csv", roadmap)).status_code == 405


@pytest.mark.parametrize("kind", list(broken_workbooks(["code"], ["M-1"])))
def test_a_broken_or_hostile_workbook_is_a_form_error(client, personas, roadmap, kind):
    personas.login(client, "editor")
    content = broken_workbooks(["code", "title", "sector"], ["M-01", "Radweg", "mobility"])[kind]
    response = post(client, roadmap, SimpleUploadedFile("massnahmen.xlsx", content))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is not a readable Excel workbook (.xlsx)."]
    assert not Measure.objects.exists()


def test_a_windows_1252_csv_as_german_excel_saves_it_imports(client, personas, roadmap):
    """German Excel's plain "CSV (Trennzeichen-getrennt)" is Windows-1252 without BOM: umlauts are single bytes."""
    personas.login(client, "editor")
    upload = csv_file(
        [["M-01", "Wärmenetz Übach-Palenberg", "Gebäude und Wärme", "", "", "", "1.234,5", "", ""]],
        bom=False,
        encoding="cp1252",
    )
    _checked, written = check_then_import(client, roadmap, upload)
    assert written.status_code == 302
    measure = Measure.objects.get(code="M-01")
    assert (measure.title, measure.sector, measure.effect_expected) == (
        "Wärmenetz Übach-Palenberg",
        Sector.BUILDINGS_HEAT,
        Decimal("1234.5"),
    )
