"""The events' webhook events (networks.webhooks): a public event of a network created, changed or cancelled.

Only events that anyone may see (``Event.objects.visible_to`` an anonymous visitor: public, of a public network,
not a closed working group's) are sent, with what their public page shows: no online link (participants only), no
participants, no one's name. Called from events.services.events in the transaction of the change, and from
events.services.series for the occurrences a series creates (all of them in one batch)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from events.models import Event
from networks.webhooks import payloads
from networks.webhooks.services import emit, emit_batch

PUBLIC_FIELDS = ("title", "kind", "format", "starts_at", "ends_at", "venue", "room", "street", "postcode", "town")
PUBLIC_FIELDS += ("description", "capacity", "registration_deadline", "status", "cancelled_reason")


def _public(pk: int) -> Event | None:
    return Event.objects.visible_to(AnonymousUser()).select_related("network").filter(pk=pk).first()


def event_data(event: Event) -> dict:
    path_args = [event.network.slug, event.pk]
    return {
        "uid": str(event.uid),
        "title": event.title,
        "kind": event.kind,
        "format": event.format,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "status": event.status,
        "cancelled_reason": event.cancelled_reason or None,
        "venue": event.venue or None,
        "room": event.room or None,
        "address": event.address or None,
        "step_free": event.step_free,
        "capacity": event.capacity,
        "registration_deadline": event.registration_deadline,
        "description": event.description,
        "url": payloads.absolute(event.get_absolute_url),
        "ical": payloads.absolute(lambda: reverse("events:event-ics", args=path_args)),
        "network": payloads.network_data(event.network),
    }


def _emit(kind: str, event: Event, extra: dict | None = None) -> int:
    def payload() -> dict | None:
        public = _public(event.pk)
        return None if public is None else {"event": event_data(public), **(extra or {})}

    return emit(kind, event, payload, owner_id=event.network_id)


def event_created(event: Event) -> int:
    return _emit("event.created", event)


def events_created(events: list[Event], *, network_id: int) -> int:
    """event.created for each public one of the events a series just created (bounded queries: the endpoints,
    the public events, the INSERTs)."""

    def build(wanted: set[str]) -> list:
        ids = [event.pk for event in events]
        public = Event.objects.visible_to(AnonymousUser()).select_related("network").filter(pk__in=ids)
        return [("event.created", event, {"event": event_data(event)}) for event in public.order_by("starts_at", "pk")]

    return emit_batch(["event.created"], build, owner_id=network_id) if events else 0


def event_changed(event: Event, changed: list[str]) -> int:
    """event.changed with the public fields that changed (the online link is not one of them); an event that has
    just become public is new to the receivers: event.created."""
    if "visibility" in changed:
        return _emit("event.created", event)
    fields = sorted(name for name in changed if name in PUBLIC_FIELDS and name != "online_url")
    if not fields:
        return 0
    return _emit("event.changed", event, {"changed_fields": fields})


def event_cancelled(event: Event) -> int:
    return _emit("event.cancelled", event)
