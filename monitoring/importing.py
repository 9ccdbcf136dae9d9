"""Imports of monitoring data from CSV or XLSX: indicator values, and a GHG balance (BISKO).

Both follow measures.importing (and reuse its cell parsing): ``read_table`` (networks.tabular) reads the file,
``check_*`` is the dry run that lists what every row would do or why it cannot, ``run_*`` checks
again under lock and writes every row in one transaction only when no row has an error.

Values: one row per indicator, year and kind. The indicator is named by its name or its comparison key;
an existing value of the same indicator, year and kind is changed, others are created; nothing is deleted.

Balance: one row per year, sector and (optionally) energy carrier. The file replaces the lines of every
year and sector it contains (so a sector is either one total or split into carriers, never both and never
counted twice); other years and sectors stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures import importing as base
from monitoring.forms import YEAR_MAX, YEAR_MIN
from monitoring.models import BiskoSector, EmissionBalance, EnergyCarrier, Indicator, IndicatorValue
from monitoring.services import emissions as emission_services
from monitoring.services import indicators as indicator_services
from networks import numbers, tabular
from networks.models import Organisation, Person
from networks.tabular import ImportFileError, Table, cell_text, normalise

MAX_BYTES = tabular.MAX_BYTES  # the limits of these imports are the readers' defaults: 5 MB, 5,000 rows
read_table = tabular.read_table  # the upload forms read their file through this module
CellError = base.CellError
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


# --- Columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    de: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


VALUE_COLUMNS = (
    Column(
        "indicator",
        "Indikator",
        True,
        ("Kennzahl", "Vergleichsschlüssel", "code"),
        gettext_lazy("Required. The indicator's name or its comparison key."),
    ),
    Column("year", "Jahr", True, (), gettext_lazy("Required. The year, e.g. 2024.")),
    Column(
        "value",
        "Wert",
        True,
        (),
        gettext_lazy(
            "Required. A number with a decimal comma: 1234,5 or 1.234,5 (1.234 is 1234). A share (%) lies from 0 "
            "to 100, amounts (MWh, kWp, Anzahl, ...) are not negative."
        ),
    ),
    Column(
        "kind",
        "Art",
        False,
        ("Werteart",),
        gettext_lazy("measured (gemessen), estimate (Schätzung) or target (Ziel); empty: measured."),
    ),
    Column("source", "Quelle", False, (), gettext_lazy("Text, at most 300 characters.")),
    Column("note", "Notiz", False, ("Anmerkung", "Bemerkung"), gettext_lazy("Text, at most 500 characters.")),
    Column("checked", "Geprüft", False, (), gettext_lazy("yes or no (also ja/nein, 1/0, x).")),
)
BALANCE_COLUMNS = (
    Column("year", "Jahr", True, (), gettext_lazy("Required. The year of the balance, e.g. 2022.")),
    Column(
        "sector",
        "Sektor",
        True,
        ("BISKO-Sektor", "Bereich"),
        gettext_lazy("Required. The BISKO sector: its German or English name or its code (see below)."),
    ),
    Column(
        "energy_carrier",
        "Energieträger",
        False,
        ("Energietraeger", "carrier"),
        gettext_lazy("Optional. Empty: the total of the sector; otherwise an energy carrier (see below)."),
    ),
    Column(
        "emissions",
        "t CO2e",
        True,
        ("Emissionen", "THG-Emissionen", "CO2e"),
        gettext_lazy("Required. Emissions in tonnes CO2 equivalent: 1234,5 or 1.234,5."),
    ),
    Column("source", "Quelle", False, (), gettext_lazy("Text, at most 300 characters.")),
    Column("note", "Notiz", False, ("Anmerkung",), gettext_lazy("Text, at most 500 characters.")),
)

# German spellings that do not depend on compiled translations (choice_lookup adds the labels themselves).
SECTOR_ALIASES = {
    "private haushalte": BiskoSector.HOUSEHOLDS,
    "haushalte": BiskoSector.HOUSEHOLDS,
    "phh": BiskoSector.HOUSEHOLDS,
    "gewerbe handel dienstleistungen": BiskoSector.COMMERCE,
    "ghd": BiskoSector.COMMERCE,
    "industrie": BiskoSector.INDUSTRY,
    "verkehr": BiskoSector.TRANSPORT,
    "kommunale einrichtungen": BiskoSector.MUNICIPAL,
    "kommunale liegenschaften": BiskoSector.MUNICIPAL,
    "kommune": BiskoSector.MUNICIPAL,
}
CARRIER_ALIASES = {
    "strom": EnergyCarrier.ELECTRICITY,
    "erdgas": EnergyCarrier.NATURAL_GAS,
    "heizöl": EnergyCarrier.HEATING_OIL,
    "heizoel": EnergyCarrier.HEATING_OIL,
    "fernwärme": EnergyCarrier.DISTRICT_HEAT,
    "fernwaerme": EnergyCarrier.DISTRICT_HEAT,
    "benzin": EnergyCarrier.PETROL,
    "biomasse": EnergyCarrier.BIOMASS,
    "sonstige erneuerbare wärme": EnergyCarrier.RENEWABLE_HEAT,
    "umweltwärme": EnergyCarrier.RENEWABLE_HEAT,
    "kohle": EnergyCarrier.COAL,
    "sonstige": EnergyCarrier.OTHER,
    "sonstiges": EnergyCarrier.OTHER,
    "alle": EnergyCarrier.ALL,
    "gesamt": EnergyCarrier.ALL,
    "summe": EnergyCarrier.ALL,
}
KIND_ALIASES = {
    "gemessen": IndicatorValue.Kind.MEASURED,
    "messwert": IndicatorValue.Kind.MEASURED,
    "ist": IndicatorValue.Kind.MEASURED,
    "schätzung": IndicatorValue.Kind.ESTIMATE,
    "geschätzt": IndicatorValue.Kind.ESTIMATE,
    "ziel": IndicatorValue.Kind.TARGET,
    "zielwert": IndicatorValue.Kind.TARGET,
    "soll": IndicatorValue.Kind.TARGET,
}


def map_headers(headers: list[str], columns: tuple[Column, ...]) -> list[Column | None]:
    """The column of each header; ImportFileError for unknown, repeated or missing required columns."""
    names = {normalise(n): c for c in columns for n in (c.key, c.de, *c.aliases)}
    mapped, unknown, seen = [], [], set()
    for header in headers:
        if not str(header).strip():
            mapped.append(None)
            continue
        column = names.get(normalise(header))
        if column is None:
            unknown.append(str(header).strip())
        elif column.key in seen:
            raise ImportFileError(_("The column “%(name)s” appears twice.") % {"name": str(header).strip()})
        else:
            seen.add(column.key)
        mapped.append(column)
    if unknown:
        raise ImportFileError(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    missing = [c.de for c in columns if c.required and c.key not in seen]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)})
    return mapped


def column_docs(columns: tuple[Column, ...]) -> list[tuple[str, str, str]]:
    return [(c.de, c.key, str(c.help)) for c in columns]


# --- Cells -----------------------------------------------------------------------------------------


def _cells(number: int, cells: list, columns: list, is_csv: bool) -> tuple[dict, list[str]]:
    """{column key: raw cell} of a row, and errors about its shape."""
    errors = []
    if any(cell_text(extra, is_csv=is_csv) for extra in cells[len(columns) :]):
        errors.append(_("The row has more cells than the header row has columns."))
    values = {}
    for index, column in enumerate(columns):
        raw = cells[index] if index < len(cells) else None
        if column is None:
            if cell_text(raw, is_csv=is_csv):
                errors.append(_("A cell under an empty header has a value."))
            continue
        values[column.key] = raw
    return values, errors


def _year(raw, is_csv: bool) -> int:
    text = cell_text(raw, is_csv=is_csv)
    if isinstance(raw, datetime):
        return raw.year
    if not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise CellError(
            _("“%(value)s” is not a year from %(min)s to %(max)s.") % {"value": text, "min": YEAR_MIN, "max": YEAR_MAX}
        )
    return int(text)


def _number(raw, is_csv: bool, *, max_digits: int, decimal_places: int, unit: str = "") -> Decimal:
    """A number cell by the one German number rule, fitting its field's digits and plausible for its unit."""
    try:
        value = numbers.parse_number(cell_text(raw, is_csv=is_csv) if raw is None or isinstance(raw, str) else raw)
        if value is None:
            raise CellError(_("A number is needed."))
        return numbers.check_number(value, max_digits=max_digits, decimal_places=decimal_places, unit=unit)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def _choice(text: str, choices, aliases: dict) -> str:
    lookup = {**base.choice_lookup(choices), **aliases}
    value = lookup.get(normalise(text))
    if value is None:
        allowed = ", ".join(f"{v} ({label})" for v, label in choices.choices if v)
        raise CellError(
            _("“%(value)s” is not allowed here. Allowed: %(allowed)s.") % {"value": text, "allowed": allowed}
        )
    return value


def _text(raw, is_csv: bool, limit: int) -> str:
    text = cell_text(raw, is_csv=is_csv)
    if len(text) > limit:
        raise CellError(_("At most %(limit)s characters.") % {"limit": limit})
    return text


def _read(row, key: str, reader, label: str):
    """Run a cell reader, putting its error on the row; None on error."""
    try:
        return reader()
    except CellError as error:
        row.errors.append(f"{label}: {error}")
        return None


@dataclass
class Preview(tabular.Preview):
    columns: tuple

    @property
    def to_write(self) -> int:
        return self.count(CREATE) + self.count(UPDATE)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED)}


def _duplicates(rows: list, key, message: str) -> None:
    where = defaultdict(list)
    for row in rows:
        if not row.errors and key(row) is not None:
            where[key(row)].append(row.number)
    for row in rows:
        numbers = where.get(key(row), []) if not row.errors else []
        if len(numbers) > 1:
            others = ", ".join(str(n) for n in numbers if n != row.number)
            row.errors.append(message % {"rows": others})


# --- Indicator values ------------------------------------------------------------------------------


@dataclass
class ValueRow:
    number: int
    label: str = ""
    errors: list[str] = field(default_factory=list)
    change: indicator_services.ValueChange | None = None

    @property
    def action(self) -> str:
        if self.change is None or self.errors:
            return ""
        return {indicator_services.CREATED: CREATE, indicator_services.CHANGED: UPDATE}.get(
            self.change.action, UNCHANGED
        )

    @property
    def kind_label(self) -> str:
        return IndicatorValue.Kind(self.change.kind).label if self.change else ""


def _indicator_lookup(organisation: Organisation) -> dict[str, Indicator]:
    lookup = {}
    for indicator in Indicator.objects.filter(organisation=organisation):
        if indicator.code:
            lookup[normalise(indicator.code)] = indicator
        lookup[normalise(indicator.name)] = indicator
    return lookup


def _value_row(number, cells, columns, is_csv, indicators, this_year) -> ValueRow:
    raw, errors = _cells(number, cells, columns, is_csv)
    row = ValueRow(number=number, errors=errors, label=cell_text(raw.get("indicator"), is_csv=is_csv))
    indicator = indicators.get(normalise(row.label)) if row.label else None
    if indicator is None:
        row.errors.append(_("Indikator: no indicator of this organisation is called “%(name)s”.") % {"name": row.label})
    year = _read(row, "year", lambda: _year(raw.get("year"), is_csv), "Jahr")
    unit = indicator.unit if indicator is not None else ""
    value = _read(
        row, "value", lambda: _number(raw.get("value"), is_csv, max_digits=18, decimal_places=3, unit=unit), "Wert"
    )
    kind_text = cell_text(raw.get("kind"), is_csv=is_csv)
    kind = IndicatorValue.Kind.MEASURED
    if kind_text:
        kind = _read(row, "kind", lambda: _choice(kind_text, IndicatorValue.Kind, KIND_ALIASES), "Art")
    keep = object()
    source = _read(row, "source", lambda: _text(raw["source"], is_csv, 300), "Quelle") if "source" in raw else keep
    note = _read(row, "note", lambda: _text(raw["note"], is_csv, 500), "Notiz") if "note" in raw else keep
    checked = keep
    if "checked" in raw:
        checked = _read(row, "checked", lambda: base.parse_bool(raw["checked"]), "Geprüft")
    if year and kind in (IndicatorValue.Kind.MEASURED, IndicatorValue.Kind.ESTIMATE) and year > this_year:
        row.errors.append(_("Jahr: a measured or estimated value cannot lie in the future; use the kind “target”."))
    if row.errors:
        return row
    row.label = indicator.name
    row.change = indicator_services.ValueChange(
        indicator=indicator,
        year=year,
        kind=kind,
        value=value,
        source=None if source is keep else source,
        note=None if note is keep else note,
        checked=None if checked is keep else checked,
    )
    return row


def check_values(*, organisation: Organisation, table: Table, lock: bool = False) -> Preview:
    """The dry run of a values import: writes nothing."""
    columns = map_headers(table.headers, VALUE_COLUMNS)
    indicators = _indicator_lookup(organisation)
    this_year = timezone.localdate().year
    rows = [_value_row(n, cells, columns, table.is_csv, indicators, this_year) for n, cells in table.rows]
    _duplicates(
        rows,
        lambda r: (r.change.indicator.pk, r.change.year, r.change.kind) if r.change else None,
        _("The same indicator, year and kind is also in row %(rows)s."),
    )
    good = [row.change for row in rows if not row.errors]
    indicator_services.plan_import(organisation, good, lock=lock)
    return Preview(rows=rows, columns=VALUE_COLUMNS)


def run_values(*, organisation: Organisation, table: Table, by: Person | None) -> Preview:
    """Check and, when every row is valid, write all values in one transaction; otherwise nothing."""
    with transaction.atomic():
        preview = check_values(organisation=organisation, table=table, lock=True)
        if preview.ok:
            indicator_services.values_import(
                organisation=organisation, rows=[row.change for row in preview.rows], by=by
            )
    return preview


# --- GHG balance -----------------------------------------------------------------------------------


@dataclass
class BalanceRow:
    number: int
    errors: list[str] = field(default_factory=list)
    year: int | None = None
    sector: str = ""
    energy_carrier: str = ""
    emissions: Decimal | None = None
    source: str = ""
    note: str = ""

    @property
    def action(self) -> str:
        return "" if self.errors else CREATE

    def get_sector_display(self) -> str:
        return BiskoSector(self.sector).label if self.sector else ""

    def get_energy_carrier_display(self) -> str:
        return EnergyCarrier(self.energy_carrier).label


@dataclass
class SectorChange:
    """What the import does to one year and sector: its lines before and after."""

    year: int
    sector: str
    old_total: Decimal | None
    new_total: Decimal
    lines: int
    action: str

    def get_sector_display(self) -> str:
        return BiskoSector(self.sector).label


@dataclass
class BalancePreview(Preview):
    changes: list[SectorChange] = field(default_factory=list)

    @property
    def to_write(self) -> int:
        return sum(1 for change in self.changes if change.action != UNCHANGED)

    @property
    def counts(self) -> dict[str, int]:
        return {action: sum(1 for c in self.changes if c.action == action) for action in (CREATE, UPDATE, UNCHANGED)}


def _balance_row(number, cells, columns, is_csv) -> BalanceRow:
    raw, errors = _cells(number, cells, columns, is_csv)
    row = BalanceRow(number=number, errors=errors)
    row.year = _read(row, "year", lambda: _year(raw.get("year"), is_csv), "Jahr")
    sector_text = cell_text(raw.get("sector"), is_csv=is_csv)
    if not sector_text:
        row.errors.append(_("Sektor: the sector is missing."))
    else:
        row.sector = _read(row, "sector", lambda: _choice(sector_text, BiskoSector, SECTOR_ALIASES), "Sektor") or ""
    carrier_text = cell_text(raw.get("energy_carrier"), is_csv=is_csv)
    if carrier_text:
        carrier = _read(row, "carrier", lambda: _choice(carrier_text, EnergyCarrier, CARRIER_ALIASES), "Energieträger")
        row.energy_carrier = carrier or ""
    row.emissions = _read(
        row,
        "emissions",
        lambda: _number(raw.get("emissions"), is_csv, max_digits=14, decimal_places=1, unit="t CO2e"),
        "t CO2e",
    )
    row.source = _read(row, "source", lambda: _text(raw.get("source"), is_csv, 300), "Quelle") or ""
    row.note = _read(row, "note", lambda: _text(raw.get("note"), is_csv, 500), "Notiz") or ""
    if row.year and row.year > timezone.localdate().year:
        row.errors.append(_("Jahr: a balance cannot lie in the future."))
    return row


def _mixed(rows: list[BalanceRow]) -> None:
    """A sector of a year is either one total (no carrier) or split into carriers, not both."""
    kinds = defaultdict(set)
    for row in rows:
        if not row.errors:
            kinds[(row.year, row.sector)].add(row.energy_carrier == EnergyCarrier.ALL)
    for row in rows:
        if not row.errors and len(kinds[(row.year, row.sector)]) > 1:
            row.errors.append(
                _("%(year)s, %(sector)s: give either the sector total (no carrier) or lines per carrier, not both.")
                % {"year": row.year, "sector": row.get_sector_display()}
            )


def _sector_changes(organisation: Organisation, rows: list[BalanceRow], *, lock: bool) -> list[SectorChange]:
    stored = EmissionBalance.objects.filter(organisation=organisation, year__in={r.year for r in rows})
    if lock:
        stored = stored.select_for_update()
    old = defaultdict(dict)
    for line in stored:
        old[(line.year, line.sector)][line.energy_carrier] = (line.emissions, line.source, line.note)
    new = defaultdict(dict)
    for row in rows:
        new[(row.year, row.sector)][row.energy_carrier] = (row.emissions, row.source, row.note)
    changes = []
    for (year, sector), lines in sorted(new.items()):
        before = old.get((year, sector))
        action = CREATE if not before else (UNCHANGED if before == lines else UPDATE)
        changes.append(
            SectorChange(
                year=year,
                sector=sector,
                old_total=sum((v[0] for v in before.values()), Decimal(0)) if before else None,
                new_total=sum((v[0] for v in lines.values()), Decimal(0)),
                lines=len(lines),
                action=action,
            )
        )
    return changes


def check_balance(*, organisation: Organisation, table: Table, lock: bool = False) -> BalancePreview:
    """The dry run of a balance import: writes nothing."""
    columns = map_headers(table.headers, BALANCE_COLUMNS)
    rows = [_balance_row(n, cells, columns, table.is_csv) for n, cells in table.rows]
    _duplicates(
        rows,
        lambda r: (r.year, r.sector, r.energy_carrier) if not r.errors else None,
        _("The same year, sector and energy carrier is also in row %(rows)s."),
    )
    _mixed(rows)
    preview = BalancePreview(rows=rows, columns=BALANCE_COLUMNS)
    if preview.ok:
        preview.changes = _sector_changes(organisation, rows, lock=lock)
    return preview


def run_balance(*, organisation: Organisation, table: Table, by: Person | None) -> BalancePreview:
    with transaction.atomic():
        preview = check_balance(organisation=organisation, table=table, lock=True)
        if preview.ok:
            emission_services.balance_replace(
                organisation=organisation,
                lines=[
                    emission_services.Line(r.year, r.sector, r.energy_carrier, r.emissions, r.source, r.note)
                    for r in preview.rows
                ],
                by=by,
            )
    return preview


# --- Templates for download ------------------------------------------------------------------------

VALUES_TEMPLATE = (
    "Indikator;Jahr;Wert;Art;Quelle;Notiz\nInstallierte PV-Leistung;2024;45,5;gemessen;Marktstammdatenregister;\n"
)
BALANCE_TEMPLATE = (
    "Jahr;Sektor;Energieträger;t CO2e;Quelle\n"
    "2022;Private Haushalte;Erdgas;120.500,0;Klimaschutz-Planer\n"
    "2022;Private Haushalte;Strom;60.250,5;Klimaschutz-Planer\n"
    "2022;Verkehr;;210.000;Klimaschutz-Planer\n"
)
