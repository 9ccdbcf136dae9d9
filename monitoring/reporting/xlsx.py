"""The report as an Excel workbook: a sheet per section, bold frozen header rows, numbers as numbers."""

from __future__ import annotations

import io
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from events.exports import neutralise
from monitoring.charts import Chart
from monitoring.reporting.text import active_networks, period, sections

BOLD = Font(bold=True)
MAX_WIDTH = 60


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _sheet(workbook: Workbook, title: str, headers: list[str], rows, widths: list[int] | None = None):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if widths else min(max(len(str(header)) + 2, 12), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY" if translation.get_language() == "de" else "YYYY-MM-DD"
    return sheet


def _summary(workbook: Workbook, snapshot: dict, title: str) -> None:
    s = snapshot["summary"]
    rows = [
        (_("Title"), snapshot["title"], ""),
        (_("Subject"), snapshot["subject"]["name"], ""),
        (_("Period"), period(snapshot), ""),
        (_("Generated at"), snapshot["generated_at"].replace("T", " "), ""),
        (_("Requested by"), snapshot["requested_by"], ""),
    ]
    if snapshot["scope"] == "network":
        rows += [(_("Member organisations"), s["members"], "")]
    if snapshot["scope"] == "network" and s["meetings"]:  # no "0 meetings, 0 participants" (text.has_activity)
        rows += [
            (_("Meetings in the period"), s["meetings"], ""),
            (_("Participants"), s["participants"], _("people")),
            (_("Participating organisations"), s["organisations"], ""),
        ]
    rows += [(_("Measures"), s["measures"], "")]
    rows += [(f"{_('Measures')}: {st['label']}", st["count"], "") for st in s["statuses"]]
    if snapshot["scope"] != "network":
        rows += [
            (_("Average progress"), s["average_percent"], "%"),
            (_("Expected reduction"), s["expected_reduction"], "t CO2e/a"),
            (_("Indicators"), s["indicators"], ""),
            (_("Latest GHG balance"), s["emissions_latest_total"], "t CO2e"),
            (_("Gap to the target path"), s["emissions_gap"], "t CO2e"),
        ]
    _sheet(workbook, title, [_("Figure"), _("Value"), _("Unit")], rows, [40, 40, 14])


def _measures(workbook: Workbook, snapshot: dict, title: str) -> None:
    headers = [
        _("Sector"),
        pgettext("abbreviation", "Code"),
        _("Measure"),
        _("Status"),
        _("Progress (%)"),
        _("Late"),
        _("Expected reduction (t CO2e/a)"),
        _("Lead organisation"),
        _("Start"),
        _("End"),
        _("Published"),
    ]
    yes, no = _("yes"), _("no")
    rows = [
        (
            sector["label"],
            m["code"],
            m["title"],
            m["status_label"],
            m["percent"],
            yes if m["late"] else no,
            m["effect_expected"],
            m["lead_organisation"],
            _date(m["start"]),
            _date(m["end"]),
            yes if m["published"] else no,
        )
        for sector in snapshot["sectors"]
        for m in sector["measures"]
    ]
    _sheet(workbook, title, headers, rows, [24, 10, 50, 16, 12, 10, 16, 28, 12, 12, 12])


def _chart_rows(label: str, chart: dict, unit: str | None = None):
    chart = Chart.from_dict(chart)
    for year, values in chart.table():
        for series, value in zip(chart.series, values, strict=True):
            if value is not None:
                yield (label, _int(year), series.label, value, unit if unit is not None else chart.unit)


def _int(text: str):
    return int(text) if text.isdigit() else text


def _indicators(workbook: Workbook, snapshot: dict, title: str) -> None:
    rows = [row for i in snapshot["indicators"] for row in _chart_rows(i["name"], i["chart"], i["unit"])]
    _sheet(workbook, title, [_("Indicator"), _("Year"), _("Kind"), _("Value"), _("Unit")], rows, [40, 8, 18, 14, 14])


def _emissions(workbook: Workbook, snapshot: dict, title: str) -> None:
    emissions = snapshot["emissions"]
    rows = list(_chart_rows(_("GHG balance"), emissions["chart"])) if emissions else []
    rows = [(year, kind, value, unit) for _label, year, kind, value, unit in rows]
    _sheet(workbook, title, [_("Year"), _("Sector / target path"), _("Value"), _("Unit")], rows, [8, 36, 14, 10])


def _heat_planning(workbook: Workbook, snapshot: dict, title: str) -> None:
    headers = [
        _("Municipality"),
        _("Stage"),
        _("Stage number"),
        _("Legal deadline"),
        _("Overdue"),
        _("Planned jointly with"),
        _("External office"),
        _("Council decision on"),
        _("Update due"),
        _("Climate-neutrality target year"),
    ]
    yes, no = _("yes"), _("no")
    rows = [
        (
            r["organisation"],
            r["stage_label"],
            r["stage"],
            _date(r["deadline"]),
            yes if r["overdue"] else no,
            ", ".join(r["convoy"]),
            r["office"],
            _date(r["council_decision_on"]),
            _date(r["update_due"]),
            r["neutrality_year"],
        )
        for r in snapshot["heat_planning"]["rows"]
    ]
    _sheet(workbook, title, headers, rows, [32, 26, 10, 14, 10, 30, 26, 14, 14, 14])


def _activity(workbook: Workbook, snapshot: dict, title: str) -> None:
    headers = [_("Network"), _("Date"), _("Event"), _("Kind"), _("Participants"), _("Organisations")]
    if snapshot["activity"]["basis"] == "organisation":
        headers.append(_("With us"))
    yes, no = _("yes"), _("no")
    rows = []
    for network in active_networks(snapshot):
        for e in network["events"]:
            row = [
                network["name"],
                _date(e["date"]),
                e["title"],
                e["kind_label"],
                e["participants"],
                e["organisations"],
            ]
            if snapshot["activity"]["basis"] == "organisation":
                row.append(yes if e["ours"] else no)
            rows.append(row)
    _sheet(workbook, title, headers, rows, [30, 12, 44, 20, 12, 14, 10])


def _members(workbook: Workbook, snapshot: dict, title: str) -> None:
    headers = [
        _("Organisation"),
        _("Population"),
        _("Public measures"),
        _("completed"),
        _("in progress"),
        _("not started"),
        _("Heat planning"),
        _("Climate-neutrality target year"),
    ]
    rows = [
        (
            m["organisation"],
            m["population"],
            m["measures"],
            m["completed"],
            m["in_progress"],
            m["not_started"],
            m["stage_label"],
            m["neutrality_year"],
        )
        for m in snapshot["members"]
    ]
    _sheet(workbook, title, headers, rows, [32, 12, 12, 12, 12, 12, 26, 14])


WRITERS = {
    "zusammenfassung": _summary,
    "mitglieder": _members,
    "massnahmen": _measures,
    "indikatoren": _indicators,
    "thg-bilanz": _emissions,
    "waermeplanung": _heat_planning,
    "netzwerkaktivitaet": _activity,
}


def render_xlsx(snapshot: dict) -> bytes:
    with translation.override(snapshot["language"]):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for key, title in sections(snapshot):
            WRITERS[key](workbook, snapshot, title)
        workbook.properties.title = snapshot["title"]
        workbook.properties.creator = "Klimanetz"
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
