"""Change history as people read it: when, who, what kind of change, each field before and after, for every model
that keeps django-simple-history records (``history = HistoricalRecords()``).

A page of records costs a constant number of queries: one per history model for the records before them (each
record is compared with the record of the same object just before it, wherever that one is), one per related
model for the names behind changed foreign keys. Labels are the fields' verbose names and values are shown as the
portal shows them (choice labels, local dates, German numbers), so the list reads in the interface language."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import ModelChange

TEXT_LIMIT = 300
ORDER = ("-history_date", "-history_id")  # newest first; the id breaks ties of records written in one instant

Formatter = Callable[[object], str]
ExtraChanges = Callable[[object, object], list[ModelChange]]


def who(record) -> str:
    """The person's name behind a record (``history_user__person`` selected), or the system for tasks."""
    user = record.history_user
    if user is None:
        return _("the system (no signed-in user)")
    try:
        return user.person.name
    except ObjectDoesNotExist:
        return str(user)


def timeline(parts: list[QuerySet]) -> QuerySet:
    """The records of several history querysets (an object's and its children's) in one list, newest first, as rows
    ``part``, ``history_id``, ``history_date``: the database counts and pages it; ``timeline_records`` loads a page."""
    rows = [qs.order_by().values("history_id", "history_date").annotate(part=Value(i)) for i, qs in enumerate(parts)]
    return rows[0].union(*rows[1:], all=True).order_by("-history_date", "-part", "-history_id")


def timeline_records(rows: Iterable[dict], models: list[type]) -> list:
    """The records behind a page of ``timeline(parts)``, in its order (``models``: the parts' history models): one
    query per history model."""
    rows = list(rows)
    wanted: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        wanted[row["part"]].append(row["history_id"])
    loaded = {
        (part, record.history_id): record
        for part, ids in wanted.items()
        for record in models[part].objects.filter(history_id__in=ids).select_related("history_user__person")
    }
    return [loaded[(row["part"], row["history_id"])] for row in rows]


def _key(record) -> tuple:
    return (record.history_date, record.history_id)


def previous_records(records: Iterable) -> dict[tuple[type, int], object]:
    """For each record (keyed by its history model and id), the record of the same object just before it."""
    by_model: dict[type, list] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    found: dict[tuple[type, int], object] = {}
    for model, rows in by_model.items():
        pk = model.instance_type._meta.pk.attname
        earlier = (
            model.objects.filter(**{pk: OuterRef(pk)})
            .filter(
                Q(history_date__lt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
            )
            .order_by(*ORDER)
            .values("history_id")[:1]
        )
        wanted = model.objects.filter(history_id__in=[r.history_id for r in rows]).values(before=Subquery(earlier))
        candidates: dict[object, list] = defaultdict(list)
        for record in [*rows, *model.objects.filter(history_id__in=wanted).order_by()]:
            candidates[getattr(record, pk)].append(record)
        for record in rows:
            older = [c for c in candidates[getattr(record, pk)] if _key(c) < _key(record)]
            if older:
                found[(model, record.history_id)] = max(older, key=_key)
    return found


def _related_names(changes: list[tuple[object, ModelChange]]) -> dict:
    """The objects behind changed foreign keys, one query per related model (not per change)."""
    wanted: dict = defaultdict(set)
    for record, change in changes:
        field = record.instance_type._meta.get_field(change.field)
        if field.many_to_one or field.one_to_one:
            wanted[field.related_model].update(v for v in (change.old, change.new) if v)
        elif field.many_to_many:  # lists of {"<source>": id, "<target>": id}
            target = field.m2m_reverse_field_name()
            wanted[field.related_model].update(row[target] for rows in (change.old, change.new) for row in rows or [])
    return {
        (model, pk): obj for model, ids in wanted.items() for pk, obj in model._default_manager.in_bulk(ids).items()
    }


def display(field, value, names: dict) -> str:
    """A stored value as the portal shows it."""
    if value is None or value == "" or value == []:
        return ""
    if field.many_to_many:
        target = field.m2m_reverse_field_name()
        shown = [str(names.get((field.related_model, row[target]), row[target])) for row in value]
        return ", ".join(sorted(shown))
    if field.many_to_one or field.one_to_one:
        obj = names.get((field.related_model, value))
        return str(obj) if obj is not None else _("deleted (no. %(id)s)") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value.normalize(), use_l10n=True, force_grouping=True)  # 7.000 is 7, not "7,000"
    return Truncator(str(value)).chars(TEXT_LIMIT)


def history_entries(
    records: list,
    *,
    hidden: Iterable[str] = (),
    formatters: dict[str, Formatter] | None = None,
    extra_changes: ExtraChanges | None = None,
    previous: dict | None = None,
) -> list[dict]:
    """One entry per record (in the given order): ``record``, ``who``, ``kind`` (+ ~ -), ``subject`` (the kind of
    object, for lists that mix models) and ``changes`` (``label``, ``old``, ``new``) against the record of the same
    object before it. ``hidden`` fields are left out, ``formatters`` show a field's values their own way and
    ``extra_changes(record, before)`` adds what a diff of the row misses (many-to-many fields)."""
    hidden = set(hidden)
    formatters = formatters or {}
    previous = previous_records(records) if previous is None else previous
    diffs = []
    for record in records:
        before = previous.get((type(record), record.history_id))
        changes: list[ModelChange] = []
        if before is not None and record.history_type == "~":
            m2m = {f.name for f in getattr(record, "_history_m2m_fields", [])}
            changes = record.diff_against(before, excluded_fields=[*hidden, *m2m]).changes
            if extra_changes is not None:
                changes = [*changes, *extra_changes(record, before)]
        diffs.append((record, changes))
    names = _related_names([(record, change) for record, changes in diffs for change in changes])
    entries = []
    for record, changes in diffs:
        meta = record.instance_type._meta
        rows = []
        for change in changes:
            field = meta.get_field(change.field)
            show = formatters.get(change.field) or (lambda value, field=field: display(field, value, names))
            rows.append({"label": capfirst(field.verbose_name), "old": show(change.old), "new": show(change.new)})
        entries.append(
            {
                "record": record,
                "who": who(record),
                "kind": record.history_type,
                "subject": capfirst(meta.verbose_name),
                "changes": rows,
            }
        )
    return entries


def record_created(queryset: QuerySet, *, user=None) -> int:
    """The first history record ("+") of every row of ``queryset``, written by the database in one INSERT … SELECT:
    for bulk writes of many rows where simple_history's bulk helpers (a Python object per row) cost too much time
    (the scale data: 100,000 registrations)."""
    model = queryset.model
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    return _insert_first_records(history, history.tracked_fields, queryset, connection, user=user)


def record_missing(*, user=None) -> dict[str, int]:
    """Every row of a model that keeps history and has no record yet gets its first one (``record_created``)."""
    written = {}
    for model in apps.get_models():
        if hasattr(model._meta, "simple_history_manager_attribute"):  # set by HistoricalRecords on its model
            recorded = getattr(model, model._meta.simple_history_manager_attribute).values(model._meta.pk.attname)
            written[model._meta.label] = record_created(model._default_manager.exclude(pk__in=recorded), user=user)
    return written


def record_existing(app_registry, schema_editor, labels: list[str]) -> None:
    """For a data migration (its ``apps`` as ``app_registry``): the rows of ``labels`` ("app.Model") written before
    their history was kept get their first record, so that their first change shows what it changed."""
    for label in labels:
        model = app_registry.get_model(label)
        history = app_registry.get_model(model._meta.app_label, f"Historical{model.__name__}")
        fields = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
        missing = model._base_manager.exclude(pk__in=history._base_manager.values("id"))
        _insert_first_records(history, fields, missing, schema_editor.connection)


def _insert_first_records(history, fields, queryset: QuerySet, db, *, user=None) -> int:
    select, params = queryset.order_by().values_list(*(f.attname for f in fields)).query.sql_with_params()
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # Reviewed (bandit B608): the table and column names come from the models, the values go as parameters.
    table = quote(history._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({columns}, history_date, history_type, history_user_id) "  # noqa: S608 # nosec B608
        f"SELECT history_rows.*, %s, %s, %s FROM ({select}) history_rows"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, (*params, timezone.now(), "+", user.pk if user else None))
        return cursor.rowcount


# --- The history manager's class, made once -------------------------------------------------------------------------


@functools.cache
def _manager_class(manager_class: type, queryset_class: type) -> type:
    return manager_class.from_queryset(queryset_class)


def _history_manager(self, instance, owner):
    return _manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def share_manager_classes() -> None:
    """``Model.history`` (django-simple-history's HistoryDescriptor) made a new manager class on every access,
    ``from_queryset`` with ``inspect.getmembers`` over the queryset (about 1 ms), and simple-history reads it on every
    save of a recorded row: a fifth of the history's cost per save. The class is made once per pair of manager and
    queryset classes; the manager is new for each access as before (NetworksConfig.ready)."""
    HistoryDescriptor.__get__ = _history_manager
