"""Writes of indicators and their values: the indicator with its target path, the values of a year, the import.

The one rule for the due date (``next_due_refresh``): the next due date follows from the latest period the
measured values cover. Periods are calendar periods of the indicator's interval (months, quarters, half years,
years; two years from the latest year); the values of a period are due DUE_AFTER after the period after the
latest covered one ends: a measured value of 2025 makes the 2026 values due on 31 March 2027. Saving the same
period again changes nothing, deleting the latest value moves the date back; an indicator without measured
values keeps the date its editor set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Q

from measures.models import Measure
from monitoring import webhooks
from monitoring.models import Indicator, IndicatorValue
from networks.models import Organisation, Person

Kind = IndicatorValue.Kind
CREATED, CHANGED, DELETED, UNCHANGED = "created", "changed", "deleted", "unchanged"


# --- The due date ---------------------------------------------------------------------------------


DUE_AFTER = relativedelta(months=3)  # the values of a period are due three months after it ends


def period_end(day: date, interval: int) -> date:
    """The last day of the calendar period of ``interval`` months that holds ``day`` (a year for 12 and more)."""
    months = min(interval, 12)
    last_month = ((day.month - 1) // months + 1) * months
    return date(day.year, last_month, 1) + relativedelta(months=1) - timedelta(days=1)


def _end_after(end: date, months: relativedelta) -> date:
    """The last day of the span of ``months`` that follows a period ending on ``end`` (month ends stay month ends)."""
    return end + timedelta(days=1) + months - timedelta(days=1)


def next_due_after(covered: date, interval: int) -> date:
    """The due date of the period after the one ending on ``covered``."""
    return _end_after(_end_after(covered, relativedelta(months=interval)), DUE_AFTER)


def latest_covered(indicators) -> dict[int, date]:
    """Indicator id → the last day of the latest period its measured values cover (a yearly value: its year)."""
    intervals = {indicator.pk: indicator.update_interval for indicator in indicators}
    rows = (
        IndicatorValue.objects.measured()
        .filter(indicator__in=list(intervals))
        .values("indicator")
        .annotate(year=Max("year", filter=Q(date__isnull=True)), day=Max("date"))
        .values_list("indicator", "year", "day")
    )
    covered = {}
    for pk, year, day in rows:
        ends = [date(year, 12, 31)] if year else []
        if day:
            ends.append(period_end(day, intervals[pk]))
        covered[pk] = max(ends)
    return covered


def next_due_refresh(indicators) -> None:
    """Set each indicator's next due date from its measured values (one query, one UPDATE per changed date)."""
    covered = latest_covered(indicators)
    for indicator in indicators:
        if indicator.pk not in covered:
            continue  # no measured value: the date the editor set stays
        due = next_due_after(covered[indicator.pk], indicator.update_interval)
        if due != indicator.next_due:
            indicator.next_due = due
            Indicator.objects.filter(pk=indicator.pk).update(next_due=due)


# --- The indicator --------------------------------------------------------------------------------


def targets_of(indicator: Indicator) -> dict[int, Decimal]:
    """The indicator's target path by year (yearly target values)."""
    return dict(indicator.values.targets().filter(date__isnull=True).values_list("year", "value"))


@transaction.atomic
def indicator_save(
    *, indicator: Indicator, measures: list[Measure], targets: dict[int, Decimal], by: Person | None
) -> Indicator:
    """The indicator, its linked measures and its target path (years left out lose their target)."""
    indicator.save()
    next_due_refresh([indicator])  # the interval may have changed
    indicator.measures.set(measures)
    stored = {v.year: v for v in indicator.values.targets().filter(date__isnull=True).select_for_update()}
    for year, value in targets.items():
        current = stored.get(year)
        if current is None:
            IndicatorValue.objects.create(indicator=indicator, year=year, kind=Kind.TARGET, value=value, entered_by=by)
        elif current.value != value:
            current.value, current.entered_by = value, by
            current.save(update_fields=["value", "entered_by", "updated_at"])
    gone = [v.pk for year, v in stored.items() if year not in targets]
    if gone:
        IndicatorValue.objects.filter(pk__in=gone).delete()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    indicator.delete()


# --- Values ---------------------------------------------------------------------------------------


def actual_values(indicators, years) -> dict[tuple[int, int], IndicatorValue]:
    """(indicator id, year) → the yearly actual value shown for it: the measured one, else the estimate."""
    chosen: dict[tuple[int, int], IndicatorValue] = {}
    rows = IndicatorValue.objects.filter(
        indicator__in=indicators, year__in=list(years), date__isnull=True, kind__in=[Kind.MEASURED, Kind.ESTIMATE]
    )
    for value in rows:
        key = (value.indicator_id, value.year)
        if key not in chosen or value.kind == Kind.MEASURED:
            chosen[key] = value
    return chosen


@dataclass
class ValueChange:
    """What one value entry does: create, change, delete or nothing."""

    indicator: Indicator
    year: int
    kind: str
    value: Decimal | None
    source: str | None = ""  # None (imports): keep the stored text
    note: str | None = ""
    checked: bool | None = False
    action: str = UNCHANGED
    current: IndicatorValue | None = None


def _plan(change: ValueChange) -> str:
    current = change.current
    if change.value is None:
        return DELETED if current is not None else UNCHANGED
    if current is None:
        return CREATED
    new = (change.value, change.kind, change.source, change.note, change.checked)
    old = (current.value, current.kind, current.source, current.note, current.checked)
    return UNCHANGED if new == old else CHANGED


def _apply(change: ValueChange, existing: dict, by: Person | None) -> None:
    """Write one planned change; a value of another kind the row turns into is replaced."""
    current = change.current
    if change.action == DELETED:
        current.delete()
        return
    if change.kind != getattr(current, "kind", change.kind):
        clash = existing.get((change.indicator.pk, change.year, change.kind))
        if clash is not None and clash.pk != current.pk:
            clash.delete()
    fields = {
        "value": change.value,
        "kind": change.kind,
        "source": change.source,
        "note": change.note,
        "checked": change.checked,
        "entered_by": by,
    }
    if current is None:
        value = IndicatorValue.objects.create(indicator=change.indicator, year=change.year, **fields)
        webhooks.indicator_value_added(value)  # the outbox rows, in this transaction
        return
    for name, value in fields.items():
        setattr(current, name, value)
    current.save(update_fields=[*fields, "updated_at"])


def _existing(indicators, years, kinds) -> dict[tuple[int, int, str], IndicatorValue]:
    rows = IndicatorValue.objects.select_for_update().filter(
        indicator__in=indicators, year__in=list(years), kind__in=list(kinds), date__isnull=True
    )
    return {(v.indicator_id, v.year, v.kind): v for v in rows}


@transaction.atomic
def values_save(*, year: int, entries: list[tuple[Indicator, dict]], by: Person | None) -> dict[str, int]:
    """The values of one year from the entry page (an empty value deletes); counts by action.

    Each row edits the year's shown value (measured, else the estimate); its kind can change."""
    indicators = [indicator for indicator, _data in entries]
    existing = _existing(indicators, [year], [Kind.MEASURED, Kind.ESTIMATE])
    changes = []
    for indicator, data in entries:
        current = existing.get((indicator.pk, year, Kind.MEASURED)) or existing.get((indicator.pk, year, Kind.ESTIMATE))
        change = ValueChange(
            indicator=indicator,
            year=year,
            kind=data["kind"],
            value=data["value"],
            source=data["source"].strip(),
            note=data["note"].strip(),
            checked=data["checked"],
            current=current,
        )
        change.action = _plan(change)
        changes.append(change)
    return _write(changes, existing, by)


def _write(changes: list[ValueChange], existing: dict, by: Person | None) -> dict[str, int]:
    counts = {CREATED: 0, CHANGED: 0, DELETED: 0, UNCHANGED: 0}
    touched = {}
    for change in changes:
        counts[change.action] += 1
        if change.action == UNCHANGED:
            continue
        _apply(change, existing, by)
        touched[change.indicator.pk] = change.indicator
    if touched:
        next_due_refresh(list(touched.values()))
    return counts


def plan_import(organisation: Organisation, rows: list[ValueChange], *, lock: bool = False) -> list[ValueChange]:
    """Fill in what each imported value would do (create, change or nothing); values of every kind, by year."""
    indicators = {row.indicator.pk for row in rows}
    years = {row.year for row in rows}
    kinds = {row.kind for row in rows}
    query = IndicatorValue.objects.filter(
        indicator__in=indicators, indicator__organisation=organisation, year__in=years, kind__in=kinds
    ).filter(date__isnull=True)
    if lock:
        query = query.select_for_update()
    existing = {(v.indicator_id, v.year, v.kind): v for v in query}
    for row in rows:
        row.current = current = existing.get((row.indicator.pk, row.year, row.kind))
        for name, empty in (("source", ""), ("note", ""), ("checked", False)):
            if getattr(row, name) is None:  # the file has no such column: keep what is stored
                setattr(row, name, getattr(current, name) if current is not None else empty)
        row.action = _plan(row)
    return rows


@transaction.atomic
def values_import(*, organisation: Organisation, rows: list[ValueChange], by: Person | None) -> dict[str, int]:
    """Write checked import rows (each (indicator, year, kind) once), planned again under lock."""
    plan_import(organisation, rows, lock=True)
    return _write(rows, {}, by)
