"""The measures' webhook events (networks.webhooks): a published measure created, changed or withdrawn (no longer
public), a public progress report. The payload is the measure's open-data row (measures.public: what the public
pages show), nothing else; a withdrawn measure is named only. Called from measures.services.roadmap and the import
(measures.importing.write, all its measures at once) in the transaction of the change; one query when no endpoint
listens."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, MeasureUpdate
from measures.public import ALWAYS_PUBLIC, GROUPS, PublicMeasure, open_data_rows
from measures.selectors import with_latest_percent
from networks.webhooks import payloads
from networks.webhooks.services import emit, emit_batch

CREATED, CHANGED, WITHDRAWN = "measure.created", "measure.changed", "measure.withdrawn"


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
    return _shown(measure, records[0].diff_against(records[1]).changed_fields)


def _shown(measure: Measure, changed) -> list[str]:
    """Of the changed fields, those the public pages show (not the ones the measure marks internal)."""
    hidden = {name for group in measure.internal_fields or [] for name in GROUPS.get(group, ())}
    shown = set(ALWAYS_PUBLIC) | {name for names in GROUPS.values() for name in names} | {"published"}
    return sorted(name for name in changed if name in shown - hidden)


def withdrawn_data(measure: Measure, roadmap, now: datetime) -> dict:
    """What a receiver needs to drop its copy, and nothing of the content."""
    return {
        "measure": {"id": measure.pk, "code": measure.code, "slug": measure.slug, "roadmap": roadmap.slug},
        "withdrawn_at": now,
    }


def _was_published(measure: Measure) -> bool:
    """Whether the save before the last one left the measure published (its history)."""
    records = list(measure.history.order_by("-history_id").values_list("published", flat=True)[:2])
    return len(records) == 2 and records[1]


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

    if not created and not measure.published and measure.roadmap.published:
        return measure_withdrawn(measure)
    kind = CREATED if created else CHANGED
    return emit(kind, measure, payload, owner_id=_organisation_id(measure))


def measure_withdrawn(measure: Measure) -> int:
    """measure.withdrawn for a measure just unpublished that was published before (nothing otherwise)."""
    now = timezone.now()

    def payload() -> dict | None:
        return withdrawn_data(measure, measure.roadmap, now) if _was_published(measure) else None

    return emit(WITHDRAWN, measure, payload, owner_id=_organisation_id(measure), now=now)


def roadmap_withdrawn(roadmap) -> int:
    """measure.withdrawn for each published measure of a roadmap that was just unpublished (one batch)."""
    now = timezone.now()

    def build(wanted: set[str]) -> list:
        measures = roadmap.measures.filter(published=True).only("pk", "code", "slug", "roadmap_id").order_by("pk")
        return [(WITHDRAWN, m, withdrawn_data(m, roadmap, now)) for m in measures]

    return emit_batch([WITHDRAWN], build, owner_id=roadmap.organisation_id, now=now)


def roadmap_pre_save(sender, instance, raw=False, **kwargs) -> None:
    """Roadmaps are saved by their form (no service): note whether a save unpublishes a published one."""
    unpublishing = not raw and instance.pk and not instance.published
    instance._webhooks_withdraws = bool(unpublishing) and sender.objects.filter(pk=instance.pk, published=True).exists()


def roadmap_post_save(sender, instance, raw=False, **kwargs) -> None:
    if getattr(instance, "_webhooks_withdraws", False):
        instance._webhooks_withdraws = False
        roadmap_withdrawn(instance)


def measures_imported(*, roadmap, created: list[Measure], updated: list[tuple[Measure, tuple, bool]]) -> int:
    """The import's events, in its transaction (measures.importing.write): measure.created for each new public
    measure, measure.changed with the public fields each updated one changed, measure.withdrawn for each that was
    published and is not any more. ``updated``: (measure, the fields the import changed, published before).
    One query for the endpoints, one for the public measures, then batched INSERTs, however many rows."""
    now = timezone.now()
    changes = {m.pk: _shown(m, names) for m, names, _was in updated}

    def build(wanted: set[str]) -> list:
        events = []
        if WITHDRAWN in wanted and roadmap.published:
            events += [
                (WITHDRAWN, m, withdrawn_data(m, roadmap, now)) for m, _n, was in updated if was and not m.published
            ]
        ids = [m.pk for m in created] if CREATED in wanted else []
        ids += [pk for pk, names in changes.items() if names] if CHANGED in wanted else []
        if not ids:
            return events
        measures = (
            Measure.objects.public().filter(pk__in=ids).select_related("roadmap__organisation", "lead_organisation")
        )
        public = {m.pk: PublicMeasure(m) for m in with_latest_percent(measures.prefetch_related("partners"))}
        for measure in created:
            if measure.pk in public:
                events.append((CREATED, measure, {"measure": measure_data(public[measure.pk])}))
        for measure, _n, _was in updated:
            if measure.pk in public and changes[measure.pk]:
                data = {"measure": measure_data(public[measure.pk]), "changed_fields": changes[measure.pk]}
                events.append((CHANGED, measure, data))
        return events

    return emit_batch([CREATED, CHANGED, WITHDRAWN], build, owner_id=roadmap.organisation_id, now=now)


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
