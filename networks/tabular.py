"""Spreadsheets in and out, for every app's imports and exports: CSV as German Excel writes and reads it
(UTF-8 with or without BOM, or Windows-1252 as its plain CSV; ";" or ","), XLSX (the first sheet, headers in row 1).

Reading refuses what is not such a file (wrong type, a disguised extension, NUL bytes, neither UTF-8 nor
Windows-1252) and what is too big (bytes, rows, and an XLSX that unpacks to too much: a zip bomb) with an
``ImportFileError`` whose text the import pages show; so is a workbook whose XML is broken or hostile (an
entity bomb), wherever in the sheet. A formula cell reads as the result the spreadsheet program stored with
it; one without a stored result is refused.

Writing neutralises text a spreadsheet would run as a formula: a leading apostrophe for cells that start with
= + - @ (or a tab or CR); ``cell_text`` takes it off again when a CSV comes back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an XLSX is a zip archive: what 5 MB may unpack to
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")  # a multi-byte UTF-8 character (or its start)
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a formula element of a sheet's XML
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, encoding, size, headers)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    digest: str  # sha256 of the file: a confirm step can tell that it got the file that was checked
    is_csv: bool = True
    name: str = ""


@dataclass
class Preview:
    """An import's dry run: a result per row of the file, each with its ``errors`` and its ``action`` (what
    writing it would do). The imports of members, measures and monitoring values extend it."""

    rows: list

    @property
    def bad_rows(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad_rows

    def of(self, action: str) -> list:
        return [row for row in self.rows if row.action == action and not row.errors]

    def count(self, action: str) -> int:
        return len(self.of(action))


# --- Reading ---------------------------------------------------------------------------------------


def read_table(
    name: str,
    content: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    no_rows: str | None = None,
) -> Table:
    """The header row and the non-empty data rows of a CSV or XLSX file (``ImportFileError`` otherwise).

    The type comes from the extension and must match the content: an XLSX must be a workbook, a CSV text."""
    if len(content) > max_bytes:
        raise ImportFileError(too_large(max_bytes))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        headers, rows = read_xlsx(content, max_rows=max_rows)
    elif extension in ("csv", "txt"):
        headers, rows = read_csv(content, max_rows=max_rows)
    else:
        raise ImportFileError(_("Only CSV files (UTF-8) and Excel files (.xlsx) can be imported."))
    if not rows:
        raise ImportFileError(no_rows or _("The file has a header row but no data rows."))
    return Table(headers, rows, hashlib.sha256(content).hexdigest(), is_csv=extension != "xlsx", name=name)


def too_large(max_bytes: int) -> str:
    megabytes = number_format(max_bytes // (1024 * 1024))  # the limits are whole megabytes
    return _("The file is larger than %(megabytes)s MB. Please split it.") % {"megabytes": megabytes}


def _limited(numbered_rows, max_rows: int) -> list:
    """Skip empty rows; stop with an error after ``max_rows`` data rows (before reading the rest)."""
    rows = []
    for number, cells in numbered_rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        if len(rows) == max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Please split it.")
                % {"max": number_format(max_rows, force_grouping=True)}
            )
        rows.append((number, list(cells)))
    return rows


def read_csv(content: bytes, *, max_rows: int = MAX_ROWS) -> tuple[list[str], list]:
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("This is not a CSV file. Please save the table as CSV (UTF-8) or .xlsx."))
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, None)
        if not headers:
            raise ImportFileError(_("The file is empty."))
        return headers, _limited(enumerate(reader, start=2), max_rows)
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error


def decode_csv(content: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), else Windows-1252, which German Excel's plain
    “CSV (Trennzeichen-getrennt)” writes (umlauts as one byte each: Ü is 0xDC).

    A file with bytes that are UTF-8 sequences ("Ã¼" read as Windows-1252) and others that are not is a damaged
    or mixed UTF-8 file, not a Windows-1252 one: it is refused rather than read with garbled umlauts."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = error
    if not UTF8_SEQUENCE.search(content):
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError as error:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: not Windows-1252 either
            problem = error
    raise ImportFileError(
        _("The file is neither UTF-8 nor Windows-1252 encoded. In Excel, save it as “CSV UTF-8 (comma delimited)”.")
    ) from problem


def read_xlsx(content: bytes, *, max_rows: int = MAX_ROWS) -> tuple[list[str], list]:
    """The first sheet's headers and rows, each cell as the value the spreadsheet program stored (a formula cell
    gives its result, as the program last calculated it).

    openpyxl parses a read-only sheet while it is iterated, so a broken or hostile sheet (malformed XML, an
    entity the parser refuses, a shared string that is not there, a number that is none) fails half-way through
    the rows, with an error of the XML parser or of openpyxl: every such error is the one ``ImportFileError``."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from error
    if unpacked > MAX_UNPACKED_BYTES:  # a few MB that unpack to gigabytes would fill the memory
        raise ImportFileError(_("The Excel file is too large when unpacked. Please save it as CSV."))
    try:
        headers, rows, path = _sheet_rows(load_workbook(io.BytesIO(content), read_only=True, data_only=True), max_rows)
        if _has_formulas(archive, path):
            _refuse_uncalculated(archive, path)
    except ImportFileError:
        raise
    except Exception as error:  # zipfile, XML (expat's entity limits included) and openpyxl errors alike
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from error
    return headers, rows


def _sheet_rows(workbook, max_rows: int) -> tuple[list[str], list, str]:
    """(headers, non-empty rows, path of the sheet in the archive) of the workbook's first sheet."""
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        if not header_cells:
            raise ImportFileError(_("The file is empty."))
        headers = [("" if cell is None else str(cell)) for cell in header_cells]
        while headers and not headers[-1].strip():
            headers.pop()
        width = len(headers)
        numbered = ((number, row[:width]) for number, row in enumerate(rows, start=2))
        return headers, _limited(numbered, max_rows), sheet._worksheet_path
    finally:
        workbook.close()


def _has_formulas(archive: zipfile.ZipFile, path: str) -> bool:
    """Whether the sheet's XML has a formula element (read in chunks: the sheet may unpack to many MB)."""
    tail = b""
    with archive.open(path) as sheet:
        while chunk := sheet.read(1 << 20):
            if FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _refuse_uncalculated(archive: zipfile.ZipFile, path: str) -> None:
    """A formula cell without a stored result (a file written by a program that does not calculate, such as
    openpyxl, not by a spreadsheet program) reads as empty and would empty a field: ``ImportFileError`` naming
    the cells. (openpyxl gives None for it and for a formula whose result is an empty text alike.)"""
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse  # the parser openpyxl reads the sheet with (expat's entity limits)

    cell, formula, value, row = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("c", "f", "v", "row"))
    missing = []
    with archive.open(path) as sheet:
        for _event, element in iterparse(sheet):
            if element.tag == cell and element.find(formula) is not None and not _has_result(element, value):
                missing.append(element.get("r", "?"))
            elif element.tag == row:
                element.clear()
    if missing:
        cells = ", ".join(missing[:10]) + (", …" if len(missing) > 10 else "")
        raise ImportFileError(
            _(
                "The cells %(cells)s hold a formula without a calculated result. Please open the file in a "
                "spreadsheet program and save it again, or replace the formulas by their values."
            )
            % {"cells": cells}
        )


def _has_result(cell, value_tag: str) -> bool:
    """A stored result: a non-empty ``<v>``, or an empty one of a text formula (``t="str"``: the text "")."""
    value = cell.find(value_tag)
    return value is not None and (bool(value.text) or cell.get("t") == "str")


def normalise(text: str) -> str:
    """Header and choice spelling: case, units in brackets, spaces, dashes and underscores do not matter."""
    text = re.sub(r"\(.*?\)", "", str(text).replace("\ufeff", "")).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def cell_text(value, *, is_csv: bool) -> str:
    """A cell as stripped text; in a CSV, the apostrophe the exports put before a formula-like text is removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if is_csv and text.startswith("'") and text[1:2] and text[1] in FORMULA_START:
        text = text[1:]  # undo the export's formula neutralisation: the apostrophe is not part of the text
    return text


# --- Writing ---------------------------------------------------------------------------------------

DATE_FORMAT, DATETIME_FORMAT = "%d.%m.%Y", "%d.%m.%Y %H:%M"


def date_text(value) -> str:
    """A date as German spreadsheets write it: 31.12.2026 (with the time: 31.12.2026 14:30)."""
    return value.strftime(DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT)


def neutralise(value):
    """Text a spreadsheet would evaluate (=, +, -, @, tab, CR at the start) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class TextCell(str):
    """A cell that is text although it looks like a number: a municipality key (AGS) such as 05913000, whose
    leading zero a spreadsheet program drops when it reads the cell as the number 5913000.

    In the XLSX it is a text cell with the text number format "@": Excel and LibreOffice show it as written and
    keep it text when it is edited; this is the export to use for such keys. In the CSV it is always quoted. Be
    honest about what that does: LibreOffice keeps a quoted field as text when its import dialog's "Format
    quoted field as text" is ticked, and Excel's text import (Data > From Text/CSV) lets the column be text; a
    CSV opened by a double click in Excel still turns it into 5913000, whatever the quotes. The other tricks
    change the data or run code: ="05913000" is a formula (the exports never write formulas), a leading tab or
    apostrophe becomes part of the value for every program that reads the file as data."""


def _csv_field(value) -> str:
    """One field of the ``;``-separated CSV: quoted when it must be (separator, quote, line break) and always
    for a TextCell; quotes inside doubled."""
    text = "" if value is None else str(neutralise(value))
    if isinstance(value, TextCell) or any(mark in text for mark in (";", '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_bytes(header: list[str], rows: Iterable[list]) -> bytes:
    """A CSV German Excel opens as it is: UTF-8 with BOM, ";", CRLF; every text cell neutralised; dates as German
    spreadsheets write them (``date_text``); a TextCell quoted."""
    lines = [";".join(_csv_field(name) for name in header)]
    for row in rows:
        lines.append(";".join(_csv_field(date_text(cell) if isinstance(cell, date) else cell) for cell in row))
    return ("\ufeff" + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def xlsx_bytes(sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> bytes:
    """A workbook of (title, header, rows) sheets: bold headers in row 1, text cells stored as text, never as a
    formula (and neutralised like the CSV), dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        widths = [len(name) for name in header]
        for column, name in enumerate(header, start=1):
            sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
        for row_number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                original = value
                if isinstance(value, str):
                    value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
                cell = sheet.cell(row=row_number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    if isinstance(original, TextCell):
                        cell.number_format = "@"  # text, also when it is edited: 05913000 keeps its zero
                elif isinstance(value, datetime):
                    cell.number_format = "DD.MM.YYYY HH:MM"
                elif isinstance(value, date):
                    cell.number_format = "DD.MM.YYYY"
                widths[column - 1] = max(widths[column - 1], min(len(str(value)), 60))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 50)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(text)).strip()
    return cleaned[:31] or "Sheet"
