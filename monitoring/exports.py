"""The network board's heat-planning table as CSV (German Excel: UTF-8 with BOM, ";") and XLSX.

One row per member municipality, the same rows the board shows (``monitoring.network.board_rows``); the
municipality key stays text (05913000 keeps its zero), dates are dates, numbers are numbers.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _

from monitoring.network import BoardRow
from networks import tabular
from networks.models import Network
from networks.pages import attachment

FORMATS = ("csv", "xlsx")


def board_header() -> list[str]:
    return [
        _("Municipality"),
        _("Official municipality key (AGS)"),
        _("Population"),
        _("Stage (0–8)"),
        _("Heat-planning stage"),
        _("Stage reached on"),
        _("Legal deadline"),
        _("Overdue"),
        _("External office"),
        _("Planned jointly with"),
        _("Council decision on"),
        _("Update due"),
        _("Climate-neutrality target year"),
        _("Demo values"),
    ]


def board_table(rows: list[BoardRow]) -> list[list]:
    yes, no = _("yes"), _("no")
    return [
        [
            row.organisation.name,
            tabular.TextCell(row.organisation.ags) if row.organisation.ags else "",
            row.organisation.population,
            row.stage,
            str(row.stage_label),
            row.stage_reached_on,
            row.deadline,
            yes if row.overdue else no,
            row.office,
            ", ".join(row.convoy),
            row.council_decision_on,
            row.update_due,
            row.neutrality_year,
            yes if row.is_demo else no,
        ]
        for row in rows
    ]


def board_export(network: Network, rows: list[BoardRow], fmt: str, today: date) -> HttpResponse:
    """The board as a download in ``fmt`` (one of FORMATS)."""
    name = f"waermeplanung-{network.slug}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        return attachment(tabular.csv_bytes(board_header(), board_table(rows)), "text/csv; charset=utf-8", name)
    sheet = (_("Heat planning"), board_header(), board_table(rows))
    return attachment(tabular.xlsx_bytes([sheet]), tabular.XLSX_TYPE, name)
