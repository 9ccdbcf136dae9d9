"""Changing and cancelling an event says what happened (issue 14 §4): "participants were notified" only when
someone was, and how many."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Registration
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, RegistrationFactory
from tests.events.test_events import _event_data, _local
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


def _url(name, event, *extra):
    with translation.override("de"):  # unprefixed; _en() adds /en
        return reverse(f"events:{name}", args=[event.network.slug, event.pk, *extra])


def _moved(event, days=1) -> dict:
    start = event.starts_at + timedelta(days=days)
    return _event_data(
        title=event.title,
        format="online",
        venue="",
        street="",
        postcode="",
        town="",
        step_free="unknown",
        online_url=event.online_url,
        starts_at=_local(start),
        ends_at=_local(start + timedelta(hours=2)),
        capacity="",
        **{"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"},
    )


def _en(client, url, data):
    """English messages: the source strings."""
    client.cookies["django_language"] = "en"
    return client.post("/en" + url, data)


def test_moving_a_date_nobody_registered_for_notifies_nobody_and_says_so(client, personas):
    event = EventFactory(network=personas.network)
    personas.login(client, "coordinator")
    response = _en(client, _url("event-edit", event), _moved(event))
    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()
    assert messages_of(response) == ["The event has been saved."]
    assert not any("notified" in m or "told" in m for m in messages_of(response))


def test_moving_a_date_says_how_many_were_notified(client, personas):
    event = EventFactory(network=personas.network)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITING)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    personas.login(client, "coordinator")
    response = _en(client, _url("event-edit", event), _moved(event))
    assert OutboxMessage.objects.filter(reason="event_changed").count() == 2
    assert messages_of(response) == ["The event has been changed; 2 participants have been notified."]


def test_cancelling_says_how_many_were_notified(client, personas):
    empty, full = EventFactory(network=personas.network), EventFactory(network=personas.network)
    RegistrationFactory(event=full)
    personas.login(client, "coordinator")
    response = _en(client, _url("event-cancel", empty), {"reason": "Raum nicht verfügbar"})
    assert messages_of(response) == ["The event has been cancelled; nobody needed to be notified."]
    response = _en(client, _url("event-cancel", full), {"reason": "Referentin erkrankt"})
    assert messages_of(response)[-1] == "The event has been cancelled; 1 person has been notified."
    assert OutboxMessage.objects.filter(reason="event_cancelled").count() == 1
