"""The report as CSV: one long table of every number (Section;Name;Year;Kind;Value;Unit).

UTF-8 with a byte-order mark and semicolons, as Excel in Germany opens it; values with a decimal comma in a
German report (a point in an English one); texts that a spreadsheet would evaluate are neutralised. The
measure list is in the Excel workbook; here each measure's progress is one row.
"""

from __future__ import annotations

import csv
import io

from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from events.exports import neutralise
from monitoring.charts import Chart
from monitoring.reporting.text import active_networks, sections


def _value(value) -> str:
    text = repr(float(value)) if isinstance(value, float) else str(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def _chart_rows(section: str, name: str, chart: dict, unit: str | None = None):
    chart = Chart.from_dict(chart)
    for year, values in chart.table():
        for series, value in zip(chart.series, values, strict=True):
            if value is not None:
                yield (section, name, year, series.label, value, unit if unit is not None else chart.unit)


def rows(snapshot: dict):
    titles = dict(sections(snapshot))
    summary = snapshot["summary"]
    end_year = snapshot["period"]["end"][:4]
    head = titles["zusammenfassung"]
    yield (head, _("Measures"), end_year, _("count"), summary["measures"], "")
    for status in summary["statuses"]:
        yield (head, status["label"], end_year, _("count"), status["count"], "")
    if summary.get("expected_reduction") is not None:
        yield (head, _("Expected reduction"), end_year, _("sum"), summary["expected_reduction"], "t CO2e/a")
    if summary.get("average_percent") is not None:
        yield (head, _("Average progress"), end_year, _("mean"), summary["average_percent"], "%")
    for sector in snapshot["sectors"]:
        for m in sector["measures"]:
            if m["percent"] is not None:
                yield (titles["massnahmen"], f"{m['code']} {m['title']}", end_year, _("progress"), m["percent"], "%")
    for indicator in snapshot["indicators"]:
        yield from _chart_rows(titles["indikatoren"], indicator["name"], indicator["chart"], indicator["unit"])
    if snapshot["emissions"]:
        yield from _chart_rows(titles["thg-bilanz"], _("GHG balance"), snapshot["emissions"]["chart"])
    for row in snapshot["heat_planning"]["rows"]:
        yield (titles["waermeplanung"], row["organisation"], end_year, row["stage_label"], row["stage"], _("stage"))
    for network in active_networks(snapshot):
        for key, label in (
            ("meetings", _("Meetings")),
            ("participants", _("Participants")),
            ("organisations", _("Organisations")),
        ):
            yield (titles["netzwerkaktivitaet"], network["name"], end_year, label, network[key], "")


def render_csv(snapshot: dict) -> bytes:
    with translation.override(snapshot["language"]):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Section"), _("Name"), _("Year"), _("Kind"), _("Value"), _("Unit")])
        for section, name, year, kind, value, unit in rows(snapshot):
            writer.writerow(
                [neutralise(section), neutralise(name), year, neutralise(kind), _value(value), neutralise(unit)]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
