"""The editors' export of a roadmap's measures ("intern": every field, internal ones included) as CSV and
XLSX, and the import template. Columns and headers are ``measures.importing.COLUMNS``: an export imports
back without changes.

CSV as German Excel reads it: UTF-8 with BOM, ";", decimal comma (the one number rule, networks.numbers, in
both languages), dates as 31.12.2026 (the exports' one date rule, networks.tabular.date_text; the import reads
them back). Text a spreadsheet would run as a formula gets a leading apostrophe
(``events.exports.neutralise``), which the import removes again; in the XLSX every text cell is stored as a
string, never as a formula. This export is never public: the open data of a roadmap is
``measures.public.OPEN_DATA_COLUMNS``.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.exports import XLSX_TYPE, neutralise
from measures import importing
from measures.importing import BOOL, CHOICE, COLUMNS, GROUPS, LIST_SEPARATOR, ORGANISATION, ORGANISATIONS
from measures.models import Measure, Roadmap
from networks.pages import attachment
from networks.tabular import date_text


def export_queryset(roadmap: Roadmap):
    """Every measure of the roadmap with what the columns read (queries do not grow with the rows)."""
    return (
        roadmap.measures.select_related(
            "lead_organisation", "responsible_person__user", "origin_event", "origin_proposal"
        )
        .prefetch_related("partners")
        .order_by("code")
    )


def _language() -> str:
    return (translation.get_language() or "de")[:2]


def headers(*, importable_only: bool = False) -> list[str]:
    language = _language()
    return [column.header(language) for column in COLUMNS if column.importable or not importable_only]


def _person(measure: Measure) -> str:
    person = measure.responsible_person
    if person is None:
        return ""
    email = person.user.email if person.user_id else ""
    return f"{person.name} <{email}>" if email else person.name


def _read_only(measure: Measure, key: str):
    if key == "late":
        return _("yes") if measure.shows_late else _("no")
    if key == "responsible_person":
        return _person(measure)
    if key == "origin":
        return measure.get_origin_display()
    if key == "origin_event":
        event = measure.origin_event
        return f"{event.title} ({date_text(timezone.localtime(event.starts_at).date())})" if event else ""
    if key == "origin_proposal":
        return measure.origin_proposal.title if measure.origin_proposal else ""
    if key == "updated_at":
        return timezone.localtime(measure.updated_at).replace(tzinfo=None, second=0, microsecond=0)
    return getattr(measure, key)


def value(measure: Measure, column: importing.Column):
    """The cell of one column: text, date, datetime or Decimal (the formats render them)."""
    if not column.importable:
        return _read_only(measure, column.key)
    raw = getattr(measure, column.key)
    if column.kind == CHOICE:
        return getattr(measure, f"get_{column.key}_display")() if raw else ""
    if column.kind == BOOL:
        return _("yes") if raw else _("no")
    if column.kind == ORGANISATION:
        return raw.name if raw else ""
    if column.kind == ORGANISATIONS:
        return LIST_SEPARATOR.join(sorted(org.name for org in raw.all()))
    if column.kind == GROUPS:
        return ", ".join(raw or [])
    if raw is None:
        return ""
    return raw


def rows(measures) -> list[list]:
    return [[value(measure, column) for column in COLUMNS] for measure in measures]


def filename(roadmap: Roadmap, ext: str) -> str:
    return f"massnahmen-intern-{roadmap.slug}-{timezone.localdate().isoformat()}.{ext}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = attachment(content, content_type, name)
    response["Cache-Control"] = "private, no-store"  # internal fields: no shared or stored copies
    return response


def _csv_cell(cell, decimal_mark: str) -> str:
    if isinstance(cell, Decimal):
        return format(cell, "f").replace(".", decimal_mark)  # a number, never a formula
    if isinstance(cell, date):  # and datetime: the exports' one date rule, 31.12.2026 (14:30)
        return date_text(cell)
    return neutralise(str(cell))


def _csv_bytes(header: list[str], body: list[list]) -> bytes:
    decimal_mark = ","  # the one German number rule (networks.numbers) on every page: the export imports back
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in body:
        writer.writerow([_csv_cell(cell, decimal_mark) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_csv(roadmap: Roadmap, measures) -> HttpResponse:
    content = _csv_bytes(headers(), rows(measures))
    return _attachment(content, "text/csv; charset=utf-8", filename(roadmap, "csv"))


def template_csv() -> HttpResponse:
    """The import template: the header row of every column the import reads."""
    content = _csv_bytes(headers(importable_only=True), [])
    return _attachment(content, "text/csv; charset=utf-8", "massnahmen-importvorlage.csv")


def as_xlsx(roadmap: Roadmap, measures) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Measures (internal)")[:31]
    names = headers()
    widths = [len(name) for name in names]
    for column, name in enumerate(names, start=1):
        sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
    for row_number, row in enumerate(rows(measures), start=2):
        for column, cell_value in enumerate(row, start=1):
            if isinstance(cell_value, str):
                cell_value = ILLEGAL_CHARACTERS_RE.sub("", cell_value)
            cell = sheet.cell(row=row_number, column=column, value=cell_value)
            if isinstance(cell_value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(cell_value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(cell_value, date):
                cell.number_format = "DD.MM.YYYY"
            widths[column - 1] = max(widths[column - 1], min(len(str(cell_value)), 60))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 50)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_TYPE, filename(roadmap, "xlsx"))
