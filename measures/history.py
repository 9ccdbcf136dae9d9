"""The measure's history as its editors and the operators read it: the sheet (with its partners), its milestones and
its progress reports in one list, newest first (networks.history does the reading; this module adds what is the
measure's own: the partners kept beside the row, the internal fields by their labels, what a child row is called).
"""

from __future__ import annotations

from django.utils.formats import date_format
from simple_history.models import ModelChange

from measures.forms.editor import INTERNAL_LABELS
from measures.models import Measure, MeasureUpdate, Milestone
from networks import history

HIDDEN = ("roadmap",)  # never changes; the rest of the sheet is shown
WITH = ((Milestone, "measure_id"), (MeasureUpdate, "measure_id"))  # children whose history joins the measure's


def parts(measure_id: int) -> list:
    """The history querysets of the measure's timeline (networks.history.timeline)."""
    return [Measure.history.filter(id=measure_id), *(model.history.filter(**{f: measure_id}) for model, f in WITH)]


def models() -> list[type]:
    return [Measure.history.model, *(model.history.model for model, _field in WITH)]


def _partner_sets(records: list) -> dict[int, set[int]]:
    """The partners each history record of the sheet had, in one query (diff_against would ask twice per record)."""
    through = Measure.history.model._meta.get_field("historicalmeasure_partners").related_model
    sets: dict[int, set[int]] = {record.history_id: set() for record in records}
    rows = through.objects.filter(history_id__in=list(sets)).values_list("history_id", "organisation_id")
    for history_id, organisation_id in rows:
        sets[history_id].add(organisation_id)
    return sets


def _partner_rows(ids: set[int]) -> list[dict]:
    return [{"organisation": pk} for pk in sorted(ids)]


def _internal(value) -> str:
    return ", ".join(str(INTERNAL_LABELS.get(name, name)) for name in value or [])


def title(record) -> str:
    """What a milestone's or a progress report's row is called in the measure's list."""
    if isinstance(record, MeasureUpdate.history.model):
        return date_format(record.date, "SHORT_DATE_FORMAT")
    return str(getattr(record, "title", ""))


def history_entries(records: list) -> list[dict]:
    """Who changed what and when (networks.history.history_entries), for records of the measure's timeline."""
    sheet = Measure.history.model
    previous = history.previous_records(records)
    partners = _partner_sets([r for r in [*records, *previous.values()] if isinstance(r, sheet)])

    def partner_changes(record, before) -> list[ModelChange]:
        if not isinstance(record, sheet):
            return []
        old, new = partners.get(before.history_id, set()), partners.get(record.history_id, set())
        return [ModelChange("partners", _partner_rows(old), _partner_rows(new))] if old != new else []

    entries = history.history_entries(
        records,
        hidden=HIDDEN,
        formatters={"internal_fields": _internal},
        extra_changes=partner_changes,
        previous=previous,
    )
    for entry in entries:
        if not isinstance(entry["record"], sheet):
            entry.update(subject_shown=True, title=title(entry["record"]))
    return entries
