"""Import of measures from CSV or XLSX: read the file, map its headers, check every row, write.

Plain functions over bytes and a roadmap, testable without HTTP:

- ``read_table(name, content)`` reads a CSV (UTF-8 with or without BOM, ";" or "," detected) or an
  XLSX file (its first sheet, headers in row 1) into a ``Table`` with the readers of ``networks.tabular``;
  anything else is an ``ImportFileError``.
- ``check(roadmap=..., table=...)`` is the dry run: every row through ``MeasureRowForm`` (types,
  lengths, choices, digits), ``Measure.clean`` (end not before start, low ≤ expected ≤ high, ...) and the
  codes (a code the roadmap has means "update this measure"; a code twice in the file is an error).
  It reads the database and writes nothing.
- ``run(roadmap=..., table=..., by=...)`` checks again inside one transaction, with the roadmap's
  measures locked, and writes every row through ``services.measure_save`` only when no row has an
  error: all or nothing.

Columns are identified by their English key or their German header (``COLUMNS``); the editors'
export (``measures.exports``) writes the same columns, so an export imports back without changes.
Read-only columns of the export (slug, late, responsible person, origin, ...) are ignored.
An empty cell empties the field; status and priority keep their value (or take the default) instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures import services, webhooks
from measures.forms.data import MeasureRowForm
from measures.models import MARKABLE_INTERNAL, Measure, Roadmap, Sector
from measures.services.roadmap import slugify_de
from networks import cache, numbers, tabular
from networks.models import Organisation, Person
from networks.tabular import ImportFileError, Table, cell_text, normalise

MAX_BYTES = tabular.MAX_BYTES  # the limits of this import are the readers' defaults: 5 MB, 5,000 rows
MAX_ROWS = tabular.MAX_ROWS

LIST_SEPARATOR = " | "  # partners in one cell

TEXT, CHOICE, DATE, BOOL, DECIMAL, ORGANISATION, ORGANISATIONS, GROUPS, READ_ONLY = (
    "text",
    "choice",
    "date",
    "bool",
    "decimal",
    "organisation",
    "organisations",
    "groups",
    "read-only",
)


@dataclass(frozen=True)
class Column:
    key: str  # the model field (for importable columns) and the English header
    de: str  # the German header
    kind: str = TEXT
    unit: str = ""  # shown in the headers: "cost_estimate (EUR)"
    aliases: tuple[str, ...] = ()
    choices: type | None = None

    def header(self, language: str) -> str:
        name = self.de if language == "de" else self.key
        return f"{name} ({self.unit})" if self.unit else name

    @property
    def importable(self) -> bool:
        return self.kind != READ_ONLY


COLUMNS = (
    Column("code", "Kürzel", aliases=("Nummer", "Nr")),
    Column("title", "Titel"),
    Column("sector", "Handlungsfeld", CHOICE, choices=Sector, aliases=("Sektor",)),
    Column("status", "Status", CHOICE, choices=Measure.Status),
    Column("start", "Beginn", DATE, aliases=("Start",)),
    Column("end", "Ende", DATE),
    Column("continuous", "Daueraufgabe", BOOL),
    Column("priority", "Priorität", CHOICE, choices=Measure.Priority),
    Column("summary", "Kurzbeschreibung", aliases=("Zusammenfassung",)),
    Column("description", "Beschreibung"),
    Column("objectives", "Ziele"),
    Column("target_groups", "Zielgruppen"),
    Column(
        "lead_organisation", "Federführung", ORGANISATION, aliases=("lead_organization", "Federführende Organisation")
    ),
    Column("partners", "Partner", ORGANISATIONS),
    Column("responsible_body", "Zuständiges Gremium", aliases=("Gremium",)),
    Column("cost_estimate", "Kostenschätzung", DECIMAL, unit="EUR", aliases=("Kosten",)),
    Column("funding_programme", "Förderprogramm", aliases=("funding_program",)),
    Column("funding_amount", "Fördersumme", DECIMAL, unit="EUR", aliases=("Förderbetrag",)),
    Column("funding_status", "Förderstatus", CHOICE, choices=Measure.FundingStatus),
    Column("funding_deadline", "Antragsfrist", DATE),
    Column("participation_level", "Bürgerbeteiligung", CHOICE, choices=Measure.Participation, aliases=("Beteiligung",)),
    Column("effect_expected", "Erwartete Minderung", DECIMAL, unit="t CO2e/a", aliases=("THG-Minderung",)),
    Column("effect_low", "Minderung untere Schätzung", DECIMAL, unit="t CO2e/a"),
    Column("effect_high", "Minderung obere Schätzung", DECIMAL, unit="t CO2e/a"),
    Column("effect_method", "Methode der Schätzung", aliases=("Methode",)),
    Column("effect_source", "Quelle der Schätzung", aliases=("Quelle",)),
    Column("qualitative_effect", "Qualitative Wirkung"),
    Column("how_to_take_part", "Mitmachen", aliases=("So können Sie mitmachen",)),
    Column("plain_language_summary", "Leichte Sprache"),
    Column("published", "Veröffentlicht", BOOL),
    Column("late_override_reason", "Begründung nicht verspätet"),
    Column("internal_fields", "Interne Felder", GROUPS),
    Column("internal_note", "Interne Notiz"),
    # Read-only: in the export for completeness, ignored by the import.
    Column("slug", "Kurzadresse", READ_ONLY),
    Column("late", "Verspätet", READ_ONLY),
    Column("responsible_person", "Verantwortliche Person", READ_ONLY),
    Column("origin", "Herkunft", READ_ONLY),
    Column("origin_event", "Aus der Veranstaltung", READ_ONLY),
    Column("origin_proposal", "Aus dem Vorschlag", READ_ONLY),
    Column("updated_at", "Zuletzt geändert", READ_ONLY),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_FOR_NEW = ("code", "title", "sector")
KEEP_WHEN_EMPTY = ("status", "priority")  # an empty cell keeps the value (or takes the model default)
TRUE = {"1", "true", "yes", "y", "ja", "j", "x", "wahr"}
FALSE = {"", "0", "false", "no", "n", "nein", "falsch"}


# --- Reading ---------------------------------------------------------------------------------------


def read_table(name: str, content: bytes) -> Table:
    """The header row and the non-empty data rows of a CSV or XLSX file (``ImportFileError`` otherwise)."""
    return tabular.read_table(name, content, no_rows=_("The file has a header row but no measures."))


# --- Headers ---------------------------------------------------------------------------------------


HEADER_NAMES = {normalise(name): column for column in COLUMNS for name in (column.key, column.de, *column.aliases)}


def map_headers(headers: list[str]) -> list[Column | None]:
    """The column of each header (None: an empty header, whose cells must stay empty)."""
    columns, unknown, seen = [], [], set()
    for header in headers:
        if not str(header).strip():
            columns.append(None)
            continue
        column = HEADER_NAMES.get(normalise(header))
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
    if "code" not in seen:
        raise ImportFileError(_("The column “code” (Kürzel) is missing: every row needs the code of its measure."))
    return columns


# --- Cells -----------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_decimal(value) -> Decimal | None:
    """A number cell by the one German number rule (networks.numbers): 3.000 is 3000, 3,5 is 3.5."""
    try:
        return numbers.parse_number(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD or DD.MM.YYYY).") % {"value": text})


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise(cell_text(value, is_csv=False))
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("“%(value)s” is not yes or no.") % {"value": value})


def choice_lookup(choices) -> dict[str, str]:
    """Code, English and German label of every choice (any spelling) → code."""
    lookup = {}
    for language in ("en", "de"):
        with translation.override(language):
            lookup.update({normalise(label): value for value, label in choices.choices})
    lookup.update({normalise(value): value for value in choices.values})
    return lookup


def parse_choice(text: str, column: Column, lookup: dict[str, str]) -> str:
    if not text:
        return ""
    value = lookup.get(normalise(text))
    if value is None:
        allowed = ", ".join(f"{v} ({label})" for v, label in column.choices.choices if v)
        raise CellError(
            _("“%(value)s” is not allowed here. Allowed: %(allowed)s.") % {"value": text, "allowed": allowed}
        )
    return value


def parse_groups(text: str) -> list[str]:
    names = {name for name in re.split(r"[\s,;|]+", text) if name}
    return [name for name in MARKABLE_INTERNAL if name in names] + sorted(names - set(MARKABLE_INTERNAL))


# --- Checking --------------------------------------------------------------------------------------

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
CHECKING, WRITING = "checking", "writing"  # the stages ``progress`` is told about
PROGRESS_EVERY = 250  # rows between two calls of ``progress`` while checking

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class RowResult:
    number: int
    code: str
    title: str = ""
    action: str = ""  # create, update or unchanged; empty when the row has errors
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # the fields to set
    partners: list[Organisation] | None = None
    measure: Measure | None = None  # the existing measure this row updates
    changes: list[Change] = field(default_factory=list)  # each changed cell, old and new (updates)

    @property
    def changed(self) -> list[str]:
        """The headers of the changed columns (updates)."""
        return [change.header for change in self.changes]

    @property
    def cleared(self) -> list[Change]:
        return [change for change in self.changes if change.cleared]


@dataclass(frozen=True)
class Change:
    """One changed cell of an update as the preview shows it: old → new; ``cleared`` when an empty cell empties
    a field that has a value."""

    header: str
    old: str
    new: str
    cleared: bool = False


@dataclass
class Preview(tabular.Preview):
    columns: list[Column]
    written_ids: list[int] = field(default_factory=list)  # after ``run``: the measures written, in file order

    @property
    def cleared_count(self) -> int:
        """Fields the import empties, over all valid updates."""
        return sum(len(row.cleared) for row in self.of(UPDATE))

    @property
    def ignored(self) -> list[Column]:
        return [column for column in self.columns if not column.importable]


class _Context:
    """What every row is checked against, loaded once per file (queries do not grow with the rows)."""

    def __init__(self, roadmap: Roadmap, columns: list[Column], *, lock: bool):
        self.roadmap = roadmap
        self.language = translation.get_language() or "de"
        measures = roadmap.measures.prefetch_related("partners")
        if lock:
            measures = measures.select_for_update()
        self.existing = {measure.code: measure for measure in measures}
        self.present = {column.key for column in columns if column is not None}
        self.organisations, self.organisation_names = {}, {}
        if any(column and column.kind in (ORGANISATION, ORGANISATIONS) for column in columns):
            for org in Organisation.objects.only("pk", "name"):
                self.organisations[org.name.casefold()] = org
                self.organisation_names[org.pk] = org.name
        self.lookups = {c.key: choice_lookup(c.choices) for c in columns if c is not None and c.kind == CHOICE}

    def organisation(self, name: str) -> Organisation:
        organisation = self.organisations.get(name.strip().casefold())
        if organisation is None:
            raise CellError(_("No organisation called “%(name)s” is known on Klimanetz.") % {"name": name.strip()})
        return organisation

    def header(self, key: str) -> str:
        return BY_KEY[key].header(self.language) if key in BY_KEY else key


def _cell(column: Column, raw, context: _Context, *, is_csv: bool):
    """(form value or model value, is_form_field) for one cell; CellError for what cannot be read."""
    if column.kind == DECIMAL:
        number = parse_decimal(cell_text(raw, is_csv=is_csv) if raw is None or isinstance(raw, str) else raw)
        return ("" if number is None else number), True
    if column.kind == DATE:
        day = parse_date(raw) if raw is not None else None
        return ("" if day is None else day.isoformat()), True
    if column.kind == BOOL:
        return ("true" if raw is not None and parse_bool(raw) else "false"), True
    text = cell_text(raw, is_csv=is_csv)
    if column.kind == CHOICE:
        return parse_choice(text, column, context.lookups[column.key]), True
    if column.kind == ORGANISATION:
        return (context.organisation(text) if text else None), False
    if column.kind == ORGANISATIONS:
        names = [name for name in (part.strip() for part in text.split("|")) if name]
        return [context.organisation(name) for name in names], False
    if column.kind == GROUPS:
        return parse_groups(text), False
    return text, True


def _read_row(number: int, cells: list, columns: list, context: _Context, is_csv: bool) -> RowResult:
    row = RowResult(number=number, code="")
    data, model_values = {}, {}
    if any(cell_text(extra, is_csv=is_csv) for extra in cells[len(columns) :]):
        row.errors.append(_("The row has more cells than the header row has columns."))
    for index, column in enumerate(columns):
        raw = cells[index] if index < len(cells) else None
        if column is None:
            if cell_text(raw, is_csv=is_csv):
                row.errors.append(_("A cell under an empty header has a value."))
            continue
        if not column.importable:
            continue
        if column.key in KEEP_WHEN_EMPTY and not cell_text(raw, is_csv=is_csv):
            continue
        try:
            value, is_form_field = _cell(column, raw, context, is_csv=is_csv)
        except CellError as error:
            row.errors.append(f"{context.header(column.key)}: {error}")
            continue
        (data if is_form_field else model_values)[column.key] = value
    row.code, row.title = data.get("code", ""), data.get("title", "")
    return _validate(row, data, model_values, context)


def _validate(row: RowResult, data: dict, model_values: dict, context: _Context) -> RowResult:
    existing = context.existing.get(row.code) if row.code else None
    if existing is None:
        missing = [context.header(key) for key in REQUIRED_FOR_NEW if key not in context.present]
        if missing:
            row.errors.append(_("A new measure needs these columns: %(columns)s.") % {"columns": ", ".join(missing)})
    form = MeasureRowForm(data, names=list(data))
    if not form.is_valid():
        for name, errors in form.errors.items():
            row.errors.extend(f"{context.header(name)}: {error}" for error in errors)
    if row.errors:
        return row
    values = {**form.cleaned_data, **model_values}
    partners = values.pop("partners", None)
    candidate = Measure(roadmap=context.roadmap) if existing is None else _copy(existing)
    for name, value in values.items():
        setattr(candidate, name, value)
    try:
        candidate.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            row.errors.extend(f"{context.header(name)}: {message}" for message in messages)
        return row
    row.values, row.partners, row.measure = values, partners, existing
    if existing is None:
        row.action = CREATE
    else:
        row.changes = _changes(existing, values, partners, context)
        row.action = UPDATE if row.changes else UNCHANGED
    row.title = row.title or (existing.title if existing else "")
    return row


def _copy(measure: Measure) -> Measure:
    copy = Measure()
    copy.__dict__.update({k: v for k, v in measure.__dict__.items() if k != "_state"})
    return copy


def _same(old, new) -> bool:
    if isinstance(new, Organisation) or isinstance(old, Organisation):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").strip() == new
    if isinstance(old, list) and isinstance(new, list):
        return sorted(old) == sorted(new)
    return old == new


def _current(measure: Measure, name: str):
    """The stored value; the lead organisation by its id (no query per row)."""
    if name == "lead_organisation":
        return Organisation(pk=measure.lead_organisation_id) if measure.lead_organisation_id else None
    return getattr(measure, name)


def _changes(measure: Measure, values: dict, partners, context: _Context) -> list[Change]:
    """Each cell of the row that changes the measure: old and new as the preview shows them."""
    changes = [
        _change(name, _current(measure, name), new, context)
        for name, new in values.items()
        if not _same(_current(measure, name), new)
    ]
    before = sorted(measure.partners.all(), key=lambda org: org.name)
    if partners is not None and {p.pk for p in partners} != {p.pk for p in before}:
        changes.append(_change("partners", before, sorted(partners, key=lambda org: org.name), context))
    return changes


SHOWN_LENGTH = 80  # characters of a long text the preview shows


def _change(name: str, old, new, context: _Context) -> Change:
    return Change(
        context.header(name),
        _shown(name, old, context),
        _shown(name, new, context),
        cleared=_is_empty(new) and not _is_empty(old),
    )


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _shown(name: str, value, context: _Context) -> str:
    """A value as the preview shows it: numbers and dates the German way, choices by their label, organisations
    by their name, long texts shortened."""
    column = BY_KEY.get(name)
    if _is_empty(value):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return numbers.plain_number(value)
    if isinstance(value, date):
        return tabular.date_text(value)
    if isinstance(value, Organisation):
        return value.name if value.name else context.organisation_names.get(value.pk, str(value.pk))
    if isinstance(value, list):
        return ", ".join(_shown(name, item, context) for item in value)
    if column is not None and column.kind == CHOICE:
        return str(dict(column.choices.choices).get(value, value))
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _duplicates(rows: list[RowResult]) -> None:
    where: dict[str, list[int]] = {}
    for row in rows:
        if row.code:
            where.setdefault(row.code, []).append(row.number)
    for row in rows:
        numbers = where.get(row.code, [])
        if len(numbers) > 1:
            others = ", ".join(str(n) for n in numbers if n != row.number)
            row.errors.append(
                _("The code “%(code)s” is also used in row %(rows)s: each measure once per file.")
                % {"code": row.code, "rows": others}
            )
            row.action = ""


def check(*, roadmap: Roadmap, table: Table, lock: bool = False, progress: Progress | None = None) -> Preview:
    """The dry run: what each row would do, or why it cannot. Writes nothing.

    ``progress(CHECKING, rows done, rows)`` is called every PROGRESS_EVERY rows and at the end."""
    columns = map_headers(table.headers)
    context = _Context(roadmap, columns, lock=lock)
    rows, total = [], len(table.rows)
    for number, cells in table.rows:
        rows.append(_read_row(number, cells, columns, context, table.is_csv))
        if progress is not None and len(rows) % PROGRESS_EVERY == 0 and len(rows) < total:
            progress(CHECKING, len(rows), total)
    if progress is not None:
        progress(CHECKING, total, total)
    _duplicates(rows)
    return Preview(rows=rows, columns=[c for c in columns if c is not None])


def run(*, roadmap: Roadmap, table: Table, by: Person | None, progress: Progress | None = None) -> Preview:
    """Check and, when every row is valid, write all of them in one transaction; otherwise write nothing.

    The roadmap row is locked first (two imports of one roadmap take turns; the second checks against what
    the first wrote), then its measures. An IntegrityError (a measure someone saved meanwhile with a code or
    address of the file) rolls everything back. ``progress`` as in ``check``, then (WRITING, 0, n) once."""
    with transaction.atomic():
        Roadmap.objects.select_for_update().filter(pk=roadmap.pk).values_list("pk").first()
        preview = check(roadmap=roadmap, table=table, lock=True, progress=progress)
        if not preview.ok:
            return preview
        if progress is not None:
            progress(WRITING, 0, preview.count(CREATE) + preview.count(UPDATE))
        preview.written_ids = write(roadmap=roadmap, preview=preview, by=by)
    return preview


# --- Writing ---------------------------------------------------------------------------------------

BATCH = 500  # rows per INSERT/UPDATE statement


def write(*, roadmap: Roadmap, preview: Preview, by: Person | None) -> list[int]:
    """Write the checked rows in bulk: what ``services.measure_save`` does per measure, once per import.

    Call inside the transaction of ``run`` (the preview was checked there, with the measures locked): the
    dry run is the validation of the measure sheet (``MeasureRowForm``, ``Measure.clean``, codes unique in
    the roadmap and in the file), so nothing is validated twice. Per import instead of per measure:
    addresses made in memory against the roadmap's taken ones (``services.measure_slug``'s rule), the
    measures inserted and updated in batches, partners replaced where they changed, one history record per
    new or changed measure (who: ``by``; its partners as written) with its partner rows, 'late' computed
    for the written measures (two UPDATEs), the webhooks' events of all of them in one batch, the cached public
    pages of the roadmap renewed once (bulk writes send no signals). Returns the ids of the written measures in
    the order of the file."""
    now = timezone.now()
    user = by.user if by is not None and by.user_id else None
    created_rows, updated_rows = preview.of(CREATE), preview.of(UPDATE)
    taken = set(Measure.objects.filter(roadmap=roadmap).values_list("slug", flat=True))
    created = []
    for row in created_rows:
        measure = Measure(roadmap=roadmap, **row.values)
        measure.slug = _free_slug(measure, taken)
        created.append(measure)
    Measure.objects.bulk_create(created, batch_size=BATCH)
    updated, groups, hooks = [], {}, []
    for row in updated_rows:
        measure = row.measure
        changed = tuple(name for name, new in row.values.items() if not _same(_current(measure, name), new))
        hooks.append((measure, changed, measure.published))  # the webhooks': what changed, published before
        for name, value in row.values.items():
            setattr(measure, name, value)
        measure.updated_at = now
        updated.append(measure)
        groups.setdefault(changed, []).append(measure)
    for changed, measures in groups.items():  # rows that change the same columns: one UPDATE per batch
        Measure.objects.bulk_update(measures, [*changed, "updated_at"], batch_size=BATCH)
    pairs = [*zip(created_rows, created, strict=True), *zip(updated_rows, updated, strict=True)]
    _write_partners(pairs)
    written = [*created, *updated]
    _write_history(created, updated, user=user, when=now)
    ids = [measure.pk for measure in written]
    services.measure_mark_late(measures=Measure.objects.filter(pk__in=ids))
    webhooks.measures_imported(roadmap=roadmap, created=created, updated=hooks)  # the outbox rows, in this transaction
    if written and cache.enabled():  # as cache.watch does for one saved row: now, and once committed
        scopes = cache.of_roadmap(roadmap.slug)
        cache.bump(*scopes)
        transaction.on_commit(lambda: cache.bump(*scopes))
    return [measure.pk for row, measure in sorted(pairs, key=lambda pair: pair[0].number)]


def _free_slug(measure: Measure, taken: set[str]) -> str:
    """``services.measure_slug`` without a query per try: code and title, -2, -3, ... when taken."""
    base = slugify_de(f"{measure.code} {measure.title}")[:110] or "massnahme"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _write_partners(pairs: list[tuple[RowResult, Measure]]) -> None:
    """The partners of the rows that name them: new measures get theirs, changed lists are replaced."""
    through = Measure.partners.through
    replace, rows = [], []
    for row, measure in pairs:
        if row.partners is None:
            continue
        wanted = sorted({p.pk for p in row.partners})
        if row.action == UPDATE:
            if set(wanted) == {p.pk for p in measure.partners.all()}:  # prefetched by the check
                continue
            replace.append(measure.pk)
        rows += [through(measure_id=measure.pk, organisation_id=pk) for pk in wanted]
    if replace:
        through.objects.filter(measure_id__in=replace).delete()
    through.objects.bulk_create(rows, batch_size=BATCH)


def _write_history(created: list[Measure], updated: list[Measure], *, user, when) -> None:
    """One history record per written measure, as simple_history's post_save writes it, with its partners."""
    history = Measure.history
    records = []
    for measures, is_update in ((created, False), (updated, True)):
        if measures:
            records += (
                history.bulk_history_create(
                    measures, batch_size=BATCH, update=is_update, default_user=user, default_date=when
                )
                or []
            )
    if not records:
        return
    through = Measure.partners.through
    partner_history = apps.get_model("measures", "HistoricalMeasure_partners")  # simple_history's, for m2m_fields
    partners: dict[int, list[tuple[int, int]]] = {}
    rows = through.objects.filter(measure__roadmap_id=records[0].roadmap_id).values_list(
        "id", "measure_id", "organisation_id"
    )
    for pk, measure_id, organisation_id in rows:
        partners.setdefault(measure_id, []).append((pk, organisation_id))
    partner_history.objects.bulk_create(
        [
            partner_history(history=record, id=pk, measure_id=record.id, organisation_id=organisation_id)
            for record in records
            for pk, organisation_id in partners.get(record.id, [])
        ],
        batch_size=BATCH,
    )


# --- Documentation (the import page) ---------------------------------------------------------------


def column_help(column: Column) -> str:
    """What a column takes, for the table of columns on the import page."""
    if column.kind == CHOICE:
        allowed = ", ".join(f"{value} ({label})" for value, label in column.choices.choices if value)
        return _("One of: %(allowed)s; the code or the label in German or English.") % {"allowed": allowed}
    texts = {
        DATE: _("Date: YYYY-MM-DD or DD.MM.YYYY."),
        BOOL: _("yes or no (also ja/nein, 1/0, x)."),
        DECIMAL: _("Number with a decimal comma: 1234,5 or 1.234,5 (a dot only groups thousands)."),
        ORGANISATION: _("Name of an organisation on Klimanetz."),
        ORGANISATIONS: _("Names of organisations on Klimanetz, separated by |."),
        GROUPS: _("Field groups kept internal, separated by commas: %(groups)s.")
        % {"groups": ", ".join(MARKABLE_INTERNAL)},
        READ_ONLY: _("Exported for information; the import ignores it."),
    }
    text = texts.get(column.kind, _("Text."))
    if column.key == "code":
        text = _("Required. A code the roadmap has updates that measure; a new code creates one.")
    elif column.key in ("title", "sector"):
        text = _("Required for new measures.") + " " + text
    elif column.key in KEEP_WHEN_EMPTY:
        text += " " + _("Empty: unchanged, or the default for new measures.")
    return text


def column_docs() -> list[tuple[str, str, str]]:
    """(German header, English header, what it takes) of every column, the importable ones first
    (partials/import_columns.html)."""
    return [(column.header("de"), column.header("en"), column_help(column)) for column in COLUMNS]
