"""The measures' webhook events (networks.webhooks): a published measure created or changed, a public progress
report. The payload is the measure's open-data row (measures.public: what the public pages show), nothing else.
Called from measures.services.roadmap in the transaction of the change; one query when no endpoint listens."""

from __future__ import annotations

from django.urls import reverse

from measures.models import Measure, MeasureUpdate
from measures.public import ALWAYS_PUBLIC, GROUPS, PublicMeasure, open_data_rows
from measures.selectors import with_latest_percent
from networks.webhooks import payloads
from networks.webhooks.services import emit


def _public(pk: int) -> PublicMeasure | None:
    measures = Measure.objects.public().filter(pk=pk).select_related("roadmap__organisation", "lead_organisation")
    measure = with_latest_percent(measures).first()
    return PublicMeasure(measure) if measure is not None else None


def measure_data(public: PublicMeasure) -> dict:
    roadmap = public.roadmap
    return {
        **open_data_rows([public])[0],
        "roadmap": {
            "slug": roadmap.slug,
            "title": roadmap.title,
            "url": payloads.absolute(roadmap.get_absolute_url),
            "open_data": payloads.absolute(lambda: reverse("measures:open-data-json", args=[roadmap.slug])),
        },
        "organisation": payloads.organisation_data(roadmap.organisation),
    }


def _public_changes(measure: Measure) -> list[str]:
    """The fields the last save changed that the public pages show (from the history: the last two records)."""
    records = list(measure.history.order_by("-history_id")[:2])
    if len(records) < 2:
        return []
    hidden = {name for group in measure.internal_fields or [] for name in GROUPS.get(group, ())}
    shown = set(ALWAYS_PUBLIC) | {name for names in GROUPS.values() for name in names} | {"published"}
    changed = records[0].diff_against(records[1]).changed_fields
    return sorted(name for name in changed if name in shown - hidden)


def measure_saved(measure: Measure, *, created: bool) -> int:
    """measure.created, or measure.changed with the public fields that changed (nothing when none did)."""

    def payload() -> dict | None:
        public = _public(measure.pk)
        if public is None:
            return None
        if created:
            return {"measure": measure_data(public)}
        changes = _public_changes(measure)
        return {"measure": measure_data(public), "changed_fields": changes} if changes else None

    kind = "measure.created" if created else "measure.changed"
    return emit(kind, measure, payload, owner_id=_organisation_id(measure))


def progress_reported(update: MeasureUpdate) -> int:
    """measure.progress_reported for a public progress report (Sachstand) of a published measure."""
    if not update.public:
        return 0

    def payload() -> dict | None:
        public = _public(update.measure_id)
        if public is None:
            return None
        report = {"date": update.date, "text": update.text, "percent": update.percent}
        return {"measure": measure_data(public), "progress_report": report}

    return emit("measure.progress_reported", update, payload, owner_id=_organisation_id(update.measure))


def _organisation_id(measure: Measure) -> int:
    return measure.roadmap.organisation_id
