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


# --- Open data of a public roadmap: its indicator values and the greenhouse-gas balance -------------
# The tables follow measures.opendata (German Excel, codes in their own columns, Lizenz and Quelle, XLSX, JSON with
# codes, described in the roadmap's datapackage.json). They hold what the roadmap page shows: the public indicators
# of the roadmap with the values its charts draw (monitoring.selectors.indicator_series), and the balance and target
# path of the roadmap's organisation (monitoring.selectors.emissions_overview).

VALUE_KIND_LABELS = {"baseline": "Ausgangswert", "measured": "Messwert", "estimate": "Schätzung", "target": "Zielwert"}
SECTOR_TOTAL = "Alle Sektoren"


def public_indicators(roadmap):
    from monitoring.models import Indicator

    return Indicator.objects.public().filter(roadmap=roadmap).order_by("order", "name", "pk")


def indicator_rows(series_list) -> list[dict]:
    """One row per indicator, year and kind of value (baseline, measured or estimate, target)."""
    rows = []
    for series in series_list:
        indicator = series.indicator
        values = []
        if indicator.baseline_year and indicator.baseline_value is not None:
            values.append((indicator.baseline_year, "baseline", indicator.baseline_value))
        for year, value in sorted(series.measured.items()):
            values.append((year, "estimate" if year in series.estimated else "measured", value))
        values += [(year, "target", value) for year, value in sorted(series.target.items())]
        for year, kind, value in sorted(values, key=lambda v: (v[0], list(VALUE_KIND_LABELS).index(v[1]))):
            rows.append({"indicator": indicator, "year": year, "kind": kind, "value": value})
    return rows


def indicator_columns() -> list:
    from measures.opendata import INTEGER, NUMBER, STRING, Column

    return [
        Column("Indikator", STRING, lambda r: r["indicator"].name, "Name des Indikators"),
        Column("Indikator-Code", STRING, lambda r: r["indicator"].code, "Kennung des Indikators"),
        Column("Einheit", STRING, lambda r: r["indicator"].unit, "Einheit der Werte"),
        Column("Jahr", INTEGER, lambda r: r["year"], "Jahr des Wertes"),
        Column(
            "Art", STRING, lambda r: VALUE_KIND_LABELS[r["kind"]], "Ausgangswert, Messwert, Schätzung oder Zielwert"
        ),
        Column("Art-Code", STRING, lambda r: r["kind"], "Art als Code: baseline, measured, estimate, target"),
        Column(
            "Wert",
            NUMBER,
            lambda r: r["value"],
            "Der Wert in der Einheit des Indikators (Spalte „Einheit“)",
            {"unitField": "Einheit"},  # the unit differs per indicator: named in that column of the row
        ),
        Column(
            "Richtung-Code",
            STRING,
            lambda r: r["indicator"].direction,
            "higher: höhere Werte sind besser; lower: niedrigere Werte sind besser",
        ),
        Column("Datenquelle", STRING, lambda r: r["indicator"].source, "Quelle der Werte des Indikators"),
        Column("Lizenz der Datenquelle", STRING, lambda r: r["indicator"].source_licence, "Lizenz der Datenquelle"),
    ]


def balance_rows(overview) -> list[dict]:
    """One row per year and BISKO sector of the balance, and one per year of the target path."""
    rows = [
        {"year": year, "series": "balance", "sector": sector, "emissions": overview.by_year[year][sector]}
        for year in overview.years
        for sector, _label in overview.sectors
        if sector in overview.by_year[year]
    ]
    rows += [
        {"year": year, "series": "target_path", "sector": "", "emissions": value}
        for year, value in sorted(overview.path_values.items())
    ]
    return sorted(rows, key=lambda r: (r["year"], r["series"] != "balance"))


def balance_columns() -> list:
    from measures.opendata import INTEGER, NUMBER, STRING, T_CO2E, Column, german_label
    from monitoring.models import BiskoSector

    labels = dict(BiskoSector.choices)
    return [
        Column("Jahr", INTEGER, lambda r: r["year"], "Jahr der Bilanz oder des Zielpfads"),
        Column(
            "Reihe",
            STRING,
            lambda r: "Bilanz" if r["series"] == "balance" else "Zielpfad",
            "Bilanz (BISKO) oder Zielpfad zur Klimaneutralität",
        ),
        Column("Reihe-Code", STRING, lambda r: r["series"], "Reihe als Code: balance, target_path"),
        Column(
            "Sektor",
            STRING,
            lambda r: german_label(labels[r["sector"]]) if r["sector"] else SECTOR_TOTAL,
            "Sektor nach BISKO; beim Zielpfad alle Sektoren",
        ),
        Column("Sektor-Code", STRING, lambda r: r["sector"], "Sektor als Code: " + ", ".join(BiskoSector.values)),
        Column(
            "Emissionen (t CO2e)",
            NUMBER,
            lambda r: r["emissions"],
            "Treibhausgasemissionen in t CO2-Äquivalenten",
            T_CO2E,
        ),
    ]


def roadmap_resources(roadmap) -> list:
    """The roadmap's monitoring tables in its datapackage.json (measures.opendata.register_resources)."""
    from measures.opendata import Resource

    return [
        Resource(
            name="indikatoren",
            title="Indikatoren",
            description=f"Werte der öffentlichen Indikatoren der Roadmap „{roadmap.title}“ nach Jahr",
            url_name="monitoring:indicator-data",
            columns=indicator_columns(),
        ),
        Resource(
            name="treibhausgasbilanz",
            title="Treibhausgasbilanz",
            description=f"Treibhausgasbilanz (BISKO) und Zielpfad von {roadmap.organisation.name}",
            url_name="monitoring:balance-data",
            columns=balance_columns(),
        ),
    ]
