"""The open data of a public roadmap as tables citizens open where they open them: German Excel by a double
click, LibreOffice, a data portal.

One table definition (``Column``: German header, Table Schema type, getter, description) gives all formats:

- CSV: UTF-8 with BOM, ``;``, CRLF, decimal commas and dots grouping thousands (the one number rule,
  networks.numbers.plain_number), dates as 31.12.2026 (the exports' one date rule, networks.tabular.date_text),
  ``ja``/``nein``; German column names and German labels, the machine codes in their own columns
  ("Status" and "Status-Code"); a ``Lizenz`` and a ``Quelle`` column in every row (a CSV has no place for a
  comment line). Text a spreadsheet would run as a formula gets a leading apostrophe; numbers never do.
- XLSX: the same columns, numbers as numbers, dates as dates, and a sheet "Metadaten" (licence, source,
  filters, the day the data were taken).
- ``datapackage.json`` (Frictionless Data Package with a Table Schema per CSV resource): what each column means,
  its type and its number/date/boolean format, so that a portal reads the CSV without guessing.
- JSON keeps the machine codes (measures.public.OPEN_DATA_COLUMNS): that format is for programs.

The files are always German, whatever the language of the page a link was followed from: a data set keeps
one schema. Other apps add resources to a roadmap's data package with ``register_resources`` (monitoring adds
its indicator values and the greenhouse-gas balance), keeping the dependency order of the apps.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst

from measures.models import Measure, Sector
from networks import tabular
from networks.numbers import plain_number

# Table Schema types of the columns (https://specs.frictionlessdata.io/table-schema/)
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = "string", "integer", "number", "boolean", "date", "datetime"
YES, NO = "ja", "nein"
FORMAT_OPTIONS = {
    NUMBER: {"decimalChar": ",", "groupChar": "."},
    BOOLEAN: {"trueValues": [YES], "falseValues": [NO]},
    DATE: {"format": "%d.%m.%Y"},
    DATETIME: {"format": "%d.%m.%Y %H:%M"},
}
# Units of number columns in a field's "unit" (a Table Schema custom property; UCUM-like codes a person reads too).
EUR, PER_YEAR, T_CO2E = {"unit": "EUR"}, {"unit": "t CO2e/a"}, {"unit": "t CO2e"}
CSV_DIALECT = {"delimiter": ";", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}
LICENCE_HEADER, SOURCE_HEADER = "Lizenz", "Quelle"


@dataclass(frozen=True)
class Column:
    name: str  # the German header, also the field name of the Table Schema
    type: str
    get: Callable
    description: str = ""
    extra: dict = field(default_factory=dict)  # more Table Schema properties (format "uri", constraints)

    def schema(self) -> dict:
        out = {"name": self.name, "type": self.type, "description": self.description}
        out.update(FORMAT_OPTIONS.get(self.type, {}))
        out.update(self.extra)
        return out


def absolute(path_name: str, *args) -> str:
    """An absolute URL without language prefix (open data is kept and shared for years)."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + reverse(path_name, args=args)


def german_label(value) -> str:
    """A choice's label in German, capitalised ("In Umsetzung"), whatever language the request has."""
    if value in (None, ""):
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return capfirst(str(value))


def licence_text(roadmap) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        name = str(roadmap.get_licence_display())
    return f"{name} ({roadmap.licence})" + (f", {roadmap.licence_url}" if roadmap.licence_url else "")


def source_text(roadmap) -> str:
    return f"{roadmap.organisation.name}: {roadmap.title}, {absolute('measures:roadmap', roadmap.slug)}"


def with_licence_and_source(columns: list[Column], roadmap) -> list[Column]:
    licence, source = licence_text(roadmap), source_text(roadmap)
    return [
        *columns,
        Column(LICENCE_HEADER, STRING, lambda _row: licence, "Lizenz der Daten (Name, Kennung, Adresse)"),
        Column(SOURCE_HEADER, STRING, lambda _row: source, "Quelle: Herausgeberin, Roadmap und ihre Adresse"),
    ]


# --- Cells ---------------------------------------------------------------------------------------


def csv_cell(value) -> str:
    """A value as the German CSV writes it: numbers by the one number rule (never neutralised: "-2,5" stays a
    number), dates as 31.12.2026, ja/nein, text neutralised against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)  # years and percentages: never grouped (2030, not 2.030)
    if isinstance(value, Decimal | float):
        return plain_number(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, date):  # and datetime
        return tabular.date_text(value)
    return tabular.neutralise(str(value))


def xlsx_cell(value):
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def table_rows(columns: list[Column], items: Iterable) -> list[list]:
    return [[column.get(item) for column in columns] for item in items]


def csv_bytes(columns: list[Column], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, columns: list[Column], rows: list[list], metadata: list[tuple[str, str]]) -> bytes:
    data = (title, [column.name for column in columns], [[xlsx_cell(cell) for cell in row] for row in rows])
    meta = ("Metadaten", ["Angabe", "Wert"], [[key, value] for key, value in metadata])
    return tabular.xlsx_bytes([data, meta])


def metadata(roadmap, *, title: str, notes: list[str], filters: str = "") -> list[tuple[str, str]]:
    rows = [
        ("Datensatz", title),
        ("Roadmap", roadmap.title),
        ("Herausgeberin", roadmap.organisation.name),
        (LICENCE_HEADER, licence_text(roadmap)),
        (SOURCE_HEADER, source_text(roadmap)),
        ("Stand", tabular.date_text(timezone.localdate())),
        ("Beschreibung der Spalten", absolute("measures:datapackage", roadmap.slug)),
    ]
    if filters:
        rows.append(("Filter", filters))
    rows += [("Hinweis", note) for note in notes]
    return rows


# --- Responses -----------------------------------------------------------------------------------


def response(body: bytes, content_type: str, filename: str, roadmap, *, attachment: bool, notes=()) -> HttpResponse:
    """An open-data download: its licence in headers too, the data package linked, shareable across origins."""
    from networks.filtering import notes_header

    out = HttpResponse(body, content_type=content_type)
    out["Content-Disposition"] = content_disposition_header(attachment, filename)
    out["X-License"] = roadmap.licence
    links = [f'<{absolute("measures:datapackage", roadmap.slug)}>; rel="describedby"; type="application/json"']
    if roadmap.licence_url:
        links.insert(0, f'<{roadmap.licence_url}>; rel="license"')
    out["Link"] = ", ".join(links)
    if notes:
        out["X-Filter-Notes"] = notes_header(list(notes))
    if roadmap.published:
        out["Access-Control-Allow-Origin"] = "*"
    return out


def filename(roadmap, name: str, fmt: str, *, filtered: bool = False) -> str:
    """massnahmen-kreis-dueren-2026-12-07.csv: what, whose, the day the data were taken."""
    marker = "-gefiltert" if filtered else ""
    return f"{name}-{roadmap.slug}{marker}-{timezone.localdate().isoformat()}.{fmt}"


def table_response(roadmap, *, name: str, title: str, columns: list[Column], items, fmt: str, notes=(), filters=""):
    """CSV or XLSX of a table (``columns`` with Lizenz and Quelle added)."""
    columns = with_licence_and_source(columns, roadmap)
    with translation.override(settings.LANGUAGE_CODE):
        rows = table_rows(columns, items)
    fname = filename(roadmap, name, fmt, filtered=bool(filters))
    if fmt == "csv":
        body = csv_bytes(columns, rows)
        return response(body, "text/csv; charset=utf-8; header=present", fname, roadmap, attachment=True, notes=notes)
    meta = metadata(roadmap, title=title, notes=list(notes), filters=filters)
    body = xlsx_bytes(title, columns, rows, meta)
    return response(body, tabular.XLSX_TYPE, fname, roadmap, attachment=True, notes=notes)


def json_response(roadmap, data: dict, name: str, *, notes=()) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return response(body, "application/json; charset=utf-8", filename(roadmap, name, "json"), roadmap, attachment=False)


def roadmap_json(roadmap) -> dict:
    return {
        "title": roadmap.title,
        "organisation": roadmap.organisation.name,
        "target_year": roadmap.target_year,
        "licence": roadmap.licence,
        "licence_url": roadmap.licence_url,
        "url": absolute("measures:roadmap", roadmap.slug),
        "datapackage": absolute("measures:datapackage", roadmap.slug),
    }


# --- The data package ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    name: str  # lower case, digits, "-", "_", "." (Data Package rule)
    title: str
    description: str
    url_name: str  # reversed with the roadmap's slug and "csv"
    columns: list[Column]
    fmt_in_url: bool = True


_providers: list[Callable] = []


def register_resources(provider: Callable) -> None:
    """``provider(roadmap) -> list[Resource]``: more tables of a roadmap's open data (called in AppConfig.ready)."""
    if provider not in _providers:
        _providers.append(provider)


def resources(roadmap) -> list[Resource]:
    found = [measures_resource(roadmap)]
    for provider in _providers:
        found += provider(roadmap)
    return found


def datapackage(roadmap) -> dict:
    """The roadmap's open data as a Frictionless Data Package: one CSV resource per table, each with its schema."""
    package_resources = []
    for resource in resources(roadmap):
        columns = with_licence_and_source(resource.columns, roadmap)
        args = (roadmap.slug, "csv") if resource.fmt_in_url else (roadmap.slug,)
        package_resources.append(
            {
                "name": resource.name,
                "title": resource.title,
                "description": resource.description,
                "path": absolute(resource.url_name, *args),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": CSV_DIALECT,
                "schema": {"fields": [column.schema() for column in columns]},
            }
        )
    licence = {"name": roadmap.licence, "title": licence_text(roadmap)}
    if roadmap.licence_url:
        licence["path"] = roadmap.licence_url
    return {
        "profile": "tabular-data-package",
        "name": f"klimanetz-{roadmap.slug}",
        "title": f"{roadmap.title} ({roadmap.organisation.name})",
        "homepage": absolute("measures:roadmap", roadmap.slug),
        "licenses": [licence],
        "sources": [{"title": roadmap.organisation.name, "path": absolute("measures:roadmap", roadmap.slug)}],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "resources": package_resources,
    }


# --- The measures --------------------------------------------------------------------------------


def _label(measure, name: str) -> str:
    return capfirst(getattr(measure, f"get_{name}_display")() or "")


def _code(value) -> str:
    return value or ""


def _url(measure) -> str:
    return settings.SITE_URL.rstrip("/") + measure.get_absolute_url()


def measure_columns() -> list[Column]:
    """The public measure table (a PublicMeasure per row: fields marked internal are empty)."""
    t_co2e = "t CO2-Äquivalente pro Jahr"
    return [
        Column(
            "Kennung",
            STRING,
            lambda m: m.code,
            "Kennung der Maßnahme in der Roadmap",
            {"constraints": {"required": True}},
        ),
        Column("Titel", STRING, lambda m: m.title, "Titel der Maßnahme"),
        Column("Adresse", STRING, _url, "Öffentliche Seite der Maßnahme", {"format": "uri"}),
        Column("Handlungsfeld", STRING, lambda m: _label(m, "sector"), "Handlungsfeld"),
        Column("Handlungsfeld-Code", STRING, lambda m: m.sector, "Handlungsfeld als Code: " + ", ".join(Sector.values)),
        Column("Status", STRING, lambda m: _label(m, "status"), "Stand der Umsetzung"),
        Column("Status-Code", STRING, lambda m: m.status, "Stand als Code: " + ", ".join(Measure.Status.values)),
        Column(
            "Verzögert", BOOLEAN, lambda m: m.shows_late, "ja, wenn das Ende oder ein Meilenstein überschritten ist"
        ),
        Column(
            "Fortschritt (%)",
            INTEGER,
            lambda m: m.percent,
            "Fortschritt laut letztem öffentlichem Sachstand (0 bis 100), leer ohne Angabe",
            {"constraints": {"minimum": 0, "maximum": 100}, "unit": "%"},
        ),
        Column("Kurzbeschreibung", STRING, lambda m: m.summary, "Kurzbeschreibung"),
        Column(
            "Federführung",
            STRING,
            lambda m: m.lead_organisation.name if m.lead_organisation else "",
            "Federführende Organisation",
        ),
        Column("Zuständig", STRING, lambda m: m.responsible_body or "", "Zuständiges Gremium oder Amt"),
        Column("Beginn", DATE, lambda m: m.start, "Beginn (TT.MM.JJJJ)"),
        Column("Ende", DATE, lambda m: m.end, "Geplantes Ende (TT.MM.JJJJ), leer bei Daueraufgaben"),
        Column("Daueraufgabe", BOOLEAN, lambda m: m.continuous, "ja bei einer Daueraufgabe ohne Ende"),
        Column("Priorität", STRING, lambda m: _label(m, "priority"), "Priorität"),
        Column("Priorität-Code", STRING, lambda m: m.priority, "Priorität als Code: high, medium, low"),
        Column("Kostenschätzung (EUR)", NUMBER, lambda m: m.cost_estimate, "Geschätzte Kosten in Euro", EUR),
        Column("Förderprogramm", STRING, lambda m: m.funding_programme or "", "Förderprogramm"),
        Column("Fördersumme (EUR)", NUMBER, lambda m: m.funding_amount, "Fördersumme in Euro", EUR),
        Column(
            "Förderstatus", STRING, lambda m: _label(m, "funding_status") if m.funding_status else "", "Förderstatus"
        ),
        Column(
            "Förderstatus-Code",
            STRING,
            lambda m: _code(m.funding_status),
            "Förderstatus als Code: planned, applied, granted, rejected",
        ),
        Column(
            "Erwartete Wirkung (t CO2e/a)",
            NUMBER,
            lambda m: m.effect_expected,
            "Erwartete Minderung in " + t_co2e,
            PER_YEAR,
        ),
        Column(
            "Wirkung untere Schätzung (t CO2e/a)",
            NUMBER,
            lambda m: m.effect_low,
            "Untere Schätzung in " + t_co2e,
            PER_YEAR,
        ),
        Column(
            "Wirkung obere Schätzung (t CO2e/a)",
            NUMBER,
            lambda m: m.effect_high,
            "Obere Schätzung in " + t_co2e,
            PER_YEAR,
        ),
        Column("Methode der Schätzung", STRING, lambda m: m.effect_method or "", "Wie die Wirkung geschätzt wurde"),
        Column("Quelle der Schätzung", STRING, lambda m: m.effect_source or "", "Quelle der Wirkungsschätzung"),
        Column(
            "Bürgerbeteiligung",
            STRING,
            lambda m: _label(m, "participation_level") if m.participation_level else "",
            "Stufe der Bürgerbeteiligung",
        ),
        Column(
            "Bürgerbeteiligung-Code",
            STRING,
            lambda m: _code(m.participation_level),
            "Bürgerbeteiligung als Code: information, consultation, codecision",
        ),
        Column(
            "Mitmachen möglich", BOOLEAN, lambda m: bool(m.how_to_take_part), "ja, wenn Bürger*innen mitmachen können"
        ),
        Column("Herkunft", STRING, lambda m: _label(m, "origin"), "Woher die Maßnahme kommt"),
        Column("Herkunft-Code", STRING, lambda m: m.origin, "Herkunft als Code: administration, workshop, proposal"),
        Column(
            "Zuletzt geändert", DATETIME, lambda m: m.updated_at, "Letzte Änderung (TT.MM.JJJJ HH:MM, deutsche Zeit)"
        ),
    ]


def measures_resource(roadmap) -> Resource:
    return Resource(
        name="massnahmen",
        title="Maßnahmen",
        description=f"Die veröffentlichten Maßnahmen der Roadmap „{roadmap.title}“",
        url_name="measures:open-data-csv",
        columns=measure_columns(),
        fmt_in_url=False,
    )
