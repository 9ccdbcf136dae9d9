"""The one spreadsheet reader of every import (networks.tabular): broken and hostile workbooks are one clear
ImportFileError, formula cells give the result the spreadsheet program stored. The imports' pages show these
errors as form errors: tests/networks/test_member_import_export.py, tests/measures/test_data.py and
tests/monitoring/test_entry_imports.py post the workbooks built here."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from networks import tabular

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
)  # "billion laughs": lol9 expands to 10**9 times "lol"


def workbook_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(content: bytes, sheet_xml: str) -> bytes:
    """The workbook ``content`` with its first sheet's XML replaced."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, sheet_xml.encode() if info.filename == SHEET else source.read(info))
    return buffer.getvalue()


def sheet_xml(rows: str, doctype: str = "") -> str:
    return f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def text_row(number: int, *texts: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{text}</t></is></c>' for index, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


def broken_workbooks(header: list[str], row: list[str]) -> dict[str, bytes]:
    """Workbooks whose header and first row read well and whose sheet then breaks (openpyxl parses a read-only
    sheet while the rows are iterated, so these used to escape the reader as a 500)."""
    good = workbook_bytes([header, row])
    head = text_row(1, *header) + text_row(2, *row)
    return {
        "malformed-xml": with_sheet(good, sheet_xml(head + '<row r="3"><c r="A3"><v>1</v></c')[: -len("</worksheet>")]),
        "undefined-entity": with_sheet(good, sheet_xml(head + text_row(3, "&nowhere;"))),
        "entity-bomb": with_sheet(good, sheet_xml(head + text_row(3, "&lol9;"), f"<!DOCTYPE lolz [{LAUGHS}]>")),
        "missing-shared-string": with_sheet(good, sheet_xml(head + '<row r="3"><c r="A3" t="s"><v>99</v></c></row>')),
        "not-a-number": with_sheet(good, sheet_xml(head + '<row r="3"><c r="A3"><v>zwölf</v></c></row>')),
    }


@pytest.mark.parametrize("kind", list(broken_workbooks(["Name"], ["A"])))
def test_a_broken_or_hostile_sheet_is_one_clear_error(kind):
    content = broken_workbooks(["Name", "E-Mail"], ["A", "a@example.org"])[kind]
    with translation.override("en"), pytest.raises(tabular.ImportFileError) as error:
        tabular.read_table("liste.xlsx", content)
    assert str(error.value) == "The file is not a readable Excel workbook (.xlsx)."


def formula_workbook() -> bytes:
    """A sheet as a spreadsheet program saves it: formulas with their calculated results stored beside them."""
    rows = (
        text_row(1, "Jahr", "Wert", "Notiz")
        + '<row r="2"><c r="A2"><f>2020+4</f><v>2024</v></c><c r="B2"><f>1000*3/2</f><v>1500</v></c>'
        + '<c r="C2" t="str"><f>"PV "&amp;"Dach"</f><v>PV Dach</v></c></row>'
    )
    return with_sheet(workbook_bytes([["x"]]), sheet_xml(rows))


def test_formula_cells_give_the_result_the_spreadsheet_program_stored():
    table = tabular.read_table("werte.xlsx", formula_workbook())
    assert table.rows == [(2, [2024, 1500, "PV Dach"])]


def test_a_formula_without_a_stored_result_is_refused_not_read_as_empty():
    book = Workbook()
    book.active.append(["Jahr", "Wert"])
    book.active.append([2024, "=1000*3"])  # openpyxl writes the formula and no result, as scripts do
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("en"), pytest.raises(tabular.ImportFileError) as error:
        tabular.read_table("werte.xlsx", buffer.getvalue())
    assert str(error.value).startswith("The cells B2 hold a formula without a calculated result.")


def test_a_formula_whose_result_is_an_empty_text_is_an_empty_cell():
    rows = (
        text_row(1, "Jahr", "Notiz")
        + '<row r="2"><c r="A2"><v>2024</v></c><c r="B2" t="str"><f>""</f><v></v></c></row>'
    )
    table = tabular.read_table("werte.xlsx", with_sheet(workbook_bytes([["x"]]), sheet_xml(rows)))
    assert table.rows == [(2, [2024, None])]
