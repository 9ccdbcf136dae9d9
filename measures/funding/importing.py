"""Import of funding programmes (and their calls) from CSV or XLSX: read, check every row, then write all or
nothing. The readers are networks.tabular's, numbers go through networks.numbers (via measures.importing's cell
parsers), choices are read as codes or as German or English labels.

One row per programme, identified by its name: a name the database has updates that programme, a new one creates
it. The optional call columns (call title, opens, deadline) add a call unless the programme has one with the same
title and deadline. List cells (sectors, kinds, applicants, Länder) are separated by "|", "," or ";".

``check(table)`` is the dry run (reads the database, writes nothing); ``run(table, by)`` checks again and writes
inside one transaction. Between the two the browser holds the checked rows signed by the server (``sign``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from measures.funding import services
from measures.funding.models import FundingCall, FundingProgramme, MeasureKind
from measures.importing import CellError, choice_lookup, parse_bool, parse_date, parse_decimal
from measures.models import Sector
from networks import tabular
from networks.models import Organisation, Person, State
from networks.tabular import ImportFileError, Table, cell_text, normalise

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1_000
SIGNING_SALT = "klimanetz.funding.import"
PAYLOAD_MAX_AGE = 3600
TEXT, LIST, INT, DECIMAL, DATE, BOOL, CHOICE = "text", "list", "int", "decimal", "date", "bool", "choice"


@dataclass(frozen=True)
class Column:
    key: str
    de: str
    kind: str = TEXT
    choices: type | None = None
    aliases: tuple[str, ...] = ()


STATUS = FundingProgramme.Status
COLUMNS = (
    Column("name", "Name", aliases=("Programm", "Förderprogramm")),
    Column("funder", "Fördermittelgeber", aliases=("Geldgeber",)),
    Column("legal_basis", "Rechtsgrundlage", aliases=("Richtlinie",)),
    Column("summary", "Was gefördert wird", aliases=("Beschreibung",)),
    Column("sectors", "Handlungsfelder", LIST, Sector, aliases=("Sektoren",)),
    Column("measure_kinds", "Maßnahmenarten", LIST, MeasureKind),
    Column("applicant_kinds", "Antragsberechtigt", LIST, Organisation.Kind),
    Column("population_min", "Einwohnerzahl ab", INT),
    Column("population_max", "Einwohnerzahl bis", INT),
    Column("states", "Bundesländer", LIST, State, aliases=("Länder",)),
    Column("rate", "Förderquote", DECIMAL, aliases=("Förderquote %",)),
    Column("amount_min", "Mindestzuschuss", DECIMAL),
    Column("amount_max", "Höchstzuschuss", DECIMAL),
    Column("rolling", "Jederzeit", BOOL, aliases=("laufend",)),
    Column("url", "Link", aliases=("URL",)),
    Column("last_checked", "Zuletzt geprüft", DATE),
    Column("status", "Status", CHOICE, STATUS),
    Column("is_demo", "Beispieldaten", BOOL),
    Column("notes", "Notizen"),
    Column("call_title", "Aufruf", aliases=("Förderaufruf",)),
    Column("call_opens", "Aufruf ab", DATE),
    Column("call_deadline", "Frist", DATE, aliases=("Antragsfrist",)),
)
HEADERS = {normalise(name): column for column in COLUMNS for name in (column.key, column.de, *column.aliases)}
CALL_KEYS = ("call_title", "call_opens", "call_deadline")
CREATE, UPDATE = "create", "update"


def read_table(name: str, content: bytes) -> Table:
    table = tabular.read_table(name, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    map_headers(table.headers)
    return table


def map_headers(headers: list[str]) -> list[Column | None]:
    columns, unknown, seen = [], [], set()
    for header in headers:
        if not str(header or "").strip():
            columns.append(None)
            continue
        column = HEADERS.get(normalise(header))
        if column is None:
            unknown.append(str(header).strip())
        elif column.key in seen:
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": str(header).strip()})
        else:
            seen.add(column.key)
        columns.append(column)
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. The import page lists the columns it understands.")
            % {"columns": ", ".join(f"“{name}”" for name in unknown)}
        )
    if "name" not in seen:
        raise ImportFileError(_("The column “name” (Name) is missing: every row needs the programme's name."))
    return columns


@dataclass
class RowResult:
    number: int
    name: str = ""
    action: str = ""
    call: str = ""
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


class Preview(tabular.Preview):
    pass


def _list(text: str, column: Column) -> list[str]:
    lookup = choice_lookup(column.choices)
    values = []
    for part in re.split(r"[|,;]", text):
        if not part.strip():
            continue
        value = lookup.get(normalise(part))
        if value is None or value == "":
            allowed = ", ".join(v for v in column.choices.values if v)
            raise CellError(
                _("“%(value)s” is not allowed here. Allowed: %(allowed)s.")
                % {"value": part.strip(), "allowed": allowed}
            )
        if value not in values:
            values.append(value)
    return values


def _cell(column: Column, raw, is_csv: bool):
    text = cell_text(raw, is_csv=is_csv) if not isinstance(raw, date | datetime) else raw
    if column.kind == LIST:
        return _list(text, column)
    if column.kind == INT:
        number = parse_decimal(raw if not isinstance(raw, str) else text)
        if number is not None and (number != number.to_integral_value() or number < 0):
            raise CellError(_("Please enter a whole number."))
        return None if number is None else int(number)
    if column.kind == DECIMAL:
        return parse_decimal(raw if not isinstance(raw, str) else text)
    if column.kind == DATE:
        return parse_date(raw)
    if column.kind == BOOL:
        return parse_bool(raw)
    if column.kind == CHOICE:
        value = choice_lookup(column.choices).get(normalise(text)) if text else STATUS.ACTIVE
        if value is None:
            raise CellError(
                _("“%(value)s” is not allowed here. Allowed: %(allowed)s.")
                % {"value": text, "allowed": ", ".join(column.choices.values)}
            )
        return value
    return text


def _read_row(number: int, cells: list, columns: list, is_csv: bool) -> RowResult:
    row = RowResult(number=number)
    for column, raw in zip(columns, cells, strict=False):
        if column is None:
            continue
        try:
            row.values[column.key] = _cell(column, raw, is_csv)
        except CellError as error:
            row.errors.append(f"{column.de}: {error}")
    row.name = str(row.values.get("name") or "")
    if not row.name:
        row.errors.append(_("The name is missing."))
    return row


def _programme(row: RowResult, existing: dict[str, FundingProgramme]) -> FundingProgramme:
    programme = existing.get(row.name.casefold())
    row.action = UPDATE if programme else CREATE
    programme = programme or FundingProgramme(name=row.name)
    for key, value in row.values.items():
        if key in CALL_KEYS:
            continue
        if value is None and key in ("rolling", "is_demo"):
            continue
        setattr(
            programme,
            key,
            "" if value is None and key in ("funder", "legal_basis", "summary", "url", "notes") else value,
        )
    return programme


def _check_row(row: RowResult, existing: dict) -> tuple[FundingProgramme | None, FundingCall | None]:
    programme = _programme(row, existing)
    try:
        programme.full_clean(exclude=["slug", "created_by"], validate_unique=False)
    except ValidationError as error:
        row.errors += [
            f"{key}: {' '.join(messages)}" if key != "__all__" else " ".join(messages)
            for key, messages in error.message_dict.items()
        ]
    call = None
    title, deadline = row.values.get("call_title"), row.values.get("call_deadline")
    if title or deadline or row.values.get("call_opens"):
        if not (title and deadline):
            row.errors.append(_("A call needs a title and a deadline."))
        else:
            call = FundingCall(title=title, opens=row.values.get("call_opens"), deadline=deadline)
            try:
                call.full_clean(exclude=["programme"])
            except ValidationError as error:
                row.errors += [" ".join(m) for m in error.message_dict.values()]
            row.call = f"{title} ({deadline:%d.%m.%Y})"
    return programme, call


def check(*, table: Table) -> Preview:
    columns = map_headers(table.headers)
    rows = [_read_row(number, cells, columns, table.is_csv) for number, cells in table.rows]
    existing = {p.name.casefold(): p for p in FundingProgramme.objects.filter(name__in=[r.name for r in rows])}
    seen: dict[str, int] = {}
    for row in rows:
        if row.errors:
            continue
        _check_row(row, existing)
        first = seen.setdefault(row.name.casefold(), row.number)
        if first != row.number:
            row.errors.append(
                _("The programme “%(name)s” is already in row %(row)s.") % {"name": row.name, "row": first}
            )
    return Preview(rows)


@transaction.atomic
def run(*, table: Table, by: Person | None) -> Preview:
    preview = check(table=table)
    if not preview.ok:
        return preview
    existing = {
        p.name.casefold(): p
        for p in FundingProgramme.objects.select_for_update().filter(name__in=[r.name for r in preview.rows])
    }
    for row in preview.rows:
        programme, call = _check_row(row, existing)
        services.programme_save(programme=programme, by=by)
        if call and not programme.calls.filter(title=call.title, deadline=call.deadline).exists():
            call.programme = programme
            services.call_save(call=call, by=by)
    return preview


# --- Between the two steps -----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def sign(*, table: Table, user) -> str:
    rows = [[number, [_plain(cell) for cell in cells]] for number, cells in table.rows]
    data = {"user": user.pk, "headers": [str(h or "") for h in table.headers], "rows": rows, "csv": table.is_csv}
    return signing.dumps(data, salt=SIGNING_SALT, compress=True)


def unsign(payload: str, *, user) -> Table:
    problem = ImportFileError(_("The check of the file has expired or is not valid. Please upload the file again."))
    try:
        data = signing.loads(payload, salt=SIGNING_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature as error:
        raise problem from error
    if not isinstance(data, dict) or data.get("user") != user.pk:
        raise problem
    try:
        rows = [(int(number), list(cells)) for number, cells in data["rows"]][:MAX_ROWS]
        table = Table(list(data["headers"]), rows, digest="", is_csv=bool(data["csv"]))
    except (KeyError, TypeError, ValueError) as error:
        raise problem from error
    if not rows:
        raise problem
    return table


def column_docs() -> list[tuple[str, str, str]]:
    """(German header, English header, what it takes) for the import page."""
    what = {
        TEXT: _("text"),
        LIST: _("a list separated by |"),
        INT: _("a whole number"),
        DECIMAL: _("a number (3.000,50)"),
        DATE: _("a date (DD.MM.YYYY or YYYY-MM-DD)"),
        BOOL: _("yes or no"),
        CHOICE: _("one of the values"),
    }
    out = []
    for column in COLUMNS:
        text = str(what[column.kind])
        if column.choices is not None:
            text += ": " + ", ".join(v for v in column.choices.values if v)
        out.append((column.de, column.key, text))
    return out
