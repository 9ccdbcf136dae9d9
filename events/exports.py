"""Participant lists of an event as CSV (German Excel: UTF-8 with BOM, ";") and XLSX (openpyxl).

Cells a spreadsheet would run as a formula are neutralised: in the CSV they get a leading
apostrophe, in the XLSX they are stored as plain strings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.models import Event, Registration
from networks.pages import attachment
from networks.services import slugify_de
from networks.tabular import XLSX_TYPE, date_text, neutralise


def waiting_positions(registrations: Iterable[Registration]) -> dict[int, int]:
    """1-based waiting-list place per registration id, first come first served."""
    waiting = sorted(
        (r for r in registrations if r.status == Registration.Status.WAITING),
        key=attrgetter(*Registration.QUEUE_ORDER),
    )
    return {r.pk: place for place, r in enumerate(waiting, start=1)}


def headers() -> list[str]:
    return [
        _("Name"),
        _("Organisation"),
        _("Email"),
        _("Status"),
        _("Registered at"),
        _("Waiting-list position"),
        _("Attended"),
    ]


def rows(event: Event, registrations: list[Registration]) -> list[list]:
    """One row per registration; datetimes stay datetimes (local time) for the formats to render."""
    positions = waiting_positions(registrations)
    started = event.has_started
    result = []
    for r in registrations:
        person = r.person
        if r.status == Registration.Status.ATTENDED:
            attended = _("yes")
        elif r.status == Registration.Status.REGISTERED and started:
            attended = _("no")
        else:
            attended = ""
        result.append(
            [
                r.name,
                person.organisation.name if person is not None and person.organisation else "",
                r.email,
                r.get_status_display(),
                timezone.localtime(r.queued_at),
                positions.get(r.pk, ""),
                attended,
            ]
        )
    return result


def filename(event: Event, ext: str) -> str:
    day = timezone.localtime(event.starts_at).date().isoformat()
    return f"teilnehmende-{slugify_de(event.title) or 'termin'}-{day}.{ext}"


def as_csv(event: Event, registrations: list[Registration]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows(event, registrations):
        writer.writerow([date_text(v) if isinstance(v, datetime) else neutralise(v) for v in row])  # 31.12.2026 14:30
    content = "\ufeff" + buffer.getvalue()
    return attachment(content.encode("utf-8"), "text/csv; charset=utf-8", filename(event, "csv"))


def _sheet_title(text: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in text).strip()
    return cleaned[:31] or "Sheet"


def as_xlsx(event: Event, registrations: list[Registration]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Participants"))
    start = timezone.localtime(event.starts_at)
    sheet["A1"] = event.title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].data_type = "s"
    sheet["A2"] = f"{date_format(start, 'l, d.m.Y H:i')} – {date_format(timezone.localtime(event.ends_at), 'H:i')}"
    header_row = 4
    names = headers()
    widths = [len(name) for name in names]
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=header_row, column=column, value=name)
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows(event, registrations), start=header_row + 1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, datetime):
                cell = sheet.cell(
                    row=row_number, column=column, value=value.replace(tzinfo=None, second=0, microsecond=0)
                )
                cell.number_format = "DD.MM.YYYY HH:MM"
                width = 16
            else:
                cell = sheet.cell(row=row_number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                width = len(str(value))
            widths[column - 1] = max(widths[column - 1], width)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 50)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return attachment(buffer.getvalue(), XLSX_TYPE, filename(event, "xlsx"))
