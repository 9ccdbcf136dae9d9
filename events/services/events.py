"""Creating, changing, copying and cancelling single events."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from events import webhooks
from events.models import (
    AgendaItem,
    Event,
    Notice,
    Registration,
)
from events.notifications import notify
from events.services.registration import _promote_waiting
from networks.models import Person

SIGNIFICANT_FIELDS = (
    "starts_at",
    "ends_at",
    "venue",
    "room",
    "street",
    "postcode",
    "town",
    "online_url",
    "format",
    "title",
)
SERIES_TEMPLATE_FIELDS = (
    "title",
    "kind",
    "format",
    "venue",
    "room",
    "street",
    "postcode",
    "town",
    "step_free",
    "hearing_loop",
    "accessibility_notes",
    "transit_notes",
    "online_url",
    "capacity",
    "visibility",
    "description",
)


# --- Events -------------------------------------------------------------------


def event_create(*, event: Event, topics=(), agenda: list[dict] = (), by: Person | None) -> Event:
    with transaction.atomic():
        event.created_by = by
        event.full_clean()
        event.save()
        event.topics.set(topics)
        agenda_set(event=event, items=agenda)
        webhooks.event_created(event)  # the outbox rows, in this transaction
    return event


def agenda_set(*, event: Event, items: list[dict]) -> None:
    """Replace the agenda with ``items`` (dicts of time, title, note) in the given order."""
    event.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, position=i, time=item.get("time"), title=item["title"], note=item.get("note", ""))
        for i, item in enumerate(items)
        if item.get("title")
    )


def event_update(
    *,
    event: Event,
    changed: list[str],
    topics=None,
    agenda: list[dict] | None = None,
    by: Person | None,
    detach: bool = True,
    note: str = "",
) -> int:
    """Save an edited event. A significant change raises SEQUENCE and tells the participants. An occurrence
    edited on its own is detached from its series (``detach``; not when the series itself passes the change on).
    ``note`` goes with that email. Returns how many participants were told now (0 when nobody is registered or
    nothing significant changed)."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        event.full_clean()
        significant = any(name in changed for name in SIGNIFICANT_FIELDS)
        if significant:
            event.sequence = locked.sequence + 1
        if event.series_id and detach:
            event.detached = True
        event.save()
        if topics is not None:
            event.topics.set(topics)
        if agenda is not None:
            agenda_set(event=event, items=agenda)
        if "capacity" in changed:
            _promote_waiting(event)
        webhooks.event_changed(event, changed)
        told = 0
        if significant and not event.is_past:
            for registration in _active_registrations(event):
                told += notify(
                    registration, Notice.Kind.CHANGED, occasion=f"seq{event.sequence}", extra={"note": note.strip()}
                )
    return told


def event_cancel(*, event: Event, reason: str = "", by: Person | None) -> int:
    """Cancel the event and tell everyone registered or waiting. Cancelling twice does nothing more.
    Returns how many people were told now."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        if event.is_cancelled:
            return 0
        event.status = Event.Status.CANCELLED
        event.cancelled_reason = reason[:300]
        event.sequence += 1
        if event.series_id:
            event.detached = True
        event.save(update_fields=["status", "cancelled_reason", "sequence", "detached", "updated_at"])
        webhooks.event_cancelled(event)
        told = 0
        for registration in _active_registrations(event):
            told += notify(registration, Notice.Kind.CANCELLED)
    return told


def event_copy_initial(event: Event, *, starts_at: datetime | None = None) -> dict:
    """Form initial data for a copy of ``event``: same details, one week later unless told otherwise."""
    shift = (starts_at - event.starts_at) if starts_at else timedelta(days=7)
    local_start = timezone.localtime(event.starts_at + shift)
    local_end = timezone.localtime(event.ends_at + shift)
    initial = {name: getattr(event, name) for name in SERIES_TEMPLATE_FIELDS}
    initial.update(
        starts_at=local_start,
        ends_at=local_end,
        registration_deadline=timezone.localtime(event.registration_deadline + shift)
        if event.registration_deadline
        else None,
        topics=list(event.topics.all()),
    )
    return initial


def _active_registrations(event: Event):
    return (
        event.registrations.filter(status__in=[*Registration.TAKES_A_PLACE, Registration.Status.WAITING])
        .select_related("person__user")  # .event is the instance itself (related manager)
        .order_by(*Registration.QUEUE_ORDER)
    )
