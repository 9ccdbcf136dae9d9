"""Findings on the events pages (issue 14 §4 FINDINGS): the dashboard links to the action item itself; a cancelled
event gets no minutes or uploads and needs a reason; a moved date can carry a note; the agenda is sorted and lies
within the event."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from events import services
from events.models import Event, Outcome
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, EventSeriesFactory, OutcomeFactory, RegistrationFactory, in_days
from tests.events.test_event_changes import _moved
from tests.events.test_events import _event_data, _local
from tests.events.test_minutes import PDF

pytestmark = pytest.mark.django_db


def test_an_action_item_from_the_dashboard_opens_alone_with_its_status_form(client, personas):
    member = personas.people["member"]
    event = EventFactory(network=personas.network, starts_at=in_days(-3))
    mine = OutcomeFactory(event=event, text="Musterausschreibung teilen", owner_person=member)
    OutcomeFactory(event=event, text="Etwas anderes", owner_person=member)
    client.force_login(member.user)
    url = reverse("events:action-items", args=[personas.network.slug])
    page = client.get(f"{url}?item={mine.pk}").text
    assert "Musterausschreibung teilen" in page and "Etwas anderes" not in page
    assert f'id="item-{mine.pk}"' in page
    assert reverse("events:action-item-status", args=[personas.network.slug, mine.pk]) in page
    assert f'href="{url}"' in page  # back to all
    response = client.post(
        reverse("events:action-item-status", args=[personas.network.slug, mine.pk]),
        {"status": "done", "back": f"item={mine.pk}"},
    )
    assert response["Location"] == f"{url}?item={mine.pk}"
    mine.refresh_from_db()
    assert mine.status == Outcome.Status.DONE


@pytest.mark.parametrize("value", ["abc", "9" * 40, "-1", "١٢"])
def test_a_bad_item_in_the_address_is_ignored(client, personas, value):
    OutcomeFactory(event=EventFactory(network=personas.network), text="Sichtbar")
    personas.login(client, "member")
    with translation.override("de"):
        url = reverse("events:action-items", args=[personas.network.slug])
    response = client.get(url, {"item": value})
    assert response.status_code == 200 and "Sichtbar" in response.text


# --- A cancelled event; the reason for cancelling; a note with a moved date ------------------------------


def _event_url(name, event, *extra):
    with translation.override("de"):
        return reverse(f"events:{name}", args=[event.network.slug, event.pk, *extra])


def test_a_cancelled_event_offers_no_minutes_or_uploads(client, personas):
    event = EventFactory(network=personas.network, status=Event.Status.CANCELLED, starts_at=in_days(-1))
    personas.login(client, "coordinator")
    page = client.get(event.get_absolute_url()).text
    assert _event_url("minutes-edit", event) not in page and _event_url("document-upload", event) not in page
    for name, method in [("minutes-edit", "get"), ("minutes-edit", "post"), ("outcome-create", "post")]:
        response = getattr(client, method)(_event_url(name, event), {"minutes": "Text", "outcome-kind": "idea"})
        assert response.status_code == 302 and response["Location"] == event.get_absolute_url(), name
    upload = SimpleUploadedFile("folien.pdf", PDF, content_type="application/pdf")
    response = client.post(_event_url("document-upload", event), {"kind": "slides", "file": upload})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.minutes == "" and not event.outcomes.exists() and not event.documents.exists()


def test_a_cancelled_events_documents_stay_listed(client, personas):
    event = EventFactory(network=personas.network)
    document = services.document_add(
        event=event,
        upload=SimpleUploadedFile("folien.pdf", PDF, content_type="application/pdf"),
        kind="slides",
        title="Folien",
        by=None,
    )
    services.event_cancel(event=event, reason="Krankheit", by=None)
    personas.login(client, "coordinator")
    page = client.get(event.get_absolute_url()).text
    assert _event_url("document-download", event, document.pk) in page
    assert _event_url("document-upload", event) not in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(client, personas, reason):
    event = EventFactory(network=personas.network)
    RegistrationFactory(event=event)
    personas.login(client, "coordinator")
    response = client.post(_event_url("event-cancel", event), {"reason": reason})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    event.refresh_from_db()
    assert event.status == Event.Status.PLANNED and not OutboxMessage.objects.exists()


def test_ending_a_series_needs_a_reason(client, personas):
    series = EventSeriesFactory(network=personas.network)
    personas.login(client, "coordinator")
    url = reverse("events:series-cancel", args=[personas.network.slug, series.pk])
    response = client.post(url, {"from_date": timezone.localdate().isoformat(), "reason": ""})
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    series.refresh_from_db()
    assert series.ended_on is None


def test_a_moved_date_can_carry_a_note_to_the_participants(client, personas):
    event = EventFactory(network=personas.network)
    person = RegistrationFactory(event=event).person
    personas.login(client, "coordinator")
    page = client.get(_event_url("event-edit", event)).text
    assert 'name="note"' in page
    note = "Der Raum ist belegt – wir treffen uns eine Woche später."
    response = client.post(_event_url("event-edit", event), {**_moved(event, days=7), "note": note})
    assert response.status_code == 302
    mail = OutboxMessage.objects.get(recipient=person.user.email, reason="event_changed")
    assert note in mail.body_text and escape(note) in mail.body_html
    assert 'name="note"' not in client.get(reverse("events:event-create", args=[personas.network.slug])).text


def test_a_note_alone_is_no_change_and_sends_nothing(client, personas):
    event = EventFactory(network=personas.network)
    RegistrationFactory(event=event)
    personas.login(client, "coordinator")
    response = client.post(_event_url("event-edit", event), {**_moved(event, days=0), "note": "Nur ein Hinweis"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 0 and not OutboxMessage.objects.exists()


# --- The agenda: sorted, within the event -----------------------------------------------------------------


def _agenda(*rows) -> dict:
    data = {"agenda-TOTAL_FORMS": str(len(rows)), "agenda-INITIAL_FORMS": "0", "agenda-MAX_NUM_FORMS": "30"}
    for i, (at, title) in enumerate(rows):
        data.update({f"agenda-{i}-time": at, f"agenda-{i}-title": title, f"agenda-{i}-note": ""})
    return data


def _one_day_event(personas, **overrides) -> dict:
    start = in_days(10, 14)  # 14:00-17:00
    return {
        **_event_data(starts_at=_local(start), ends_at=_local(start + timedelta(hours=3))),
        **_agenda(),
        **overrides,
    }


def test_agenda_items_are_sorted_by_time(client, personas):
    personas.login(client, "coordinator")
    data = _one_day_event(
        personas, **_agenda(("15:30", "Austausch"), ("14:00", "Begrüßung"), ("", "Kaffee"), ("14:15", "Input"))
    )
    response = client.post(reverse("events:event-create", args=[personas.network.slug]), data)
    assert response.status_code == 302, response.context["agenda"].errors
    event = Event.objects.get()
    assert [item.title for item in event.agenda.order_by("position")] == ["Begrüßung", "Kaffee", "Input", "Austausch"]


@pytest.mark.parametrize("at", ["13:30", "17:30"])
def test_agenda_items_outside_the_event_are_form_errors(client, personas, at):
    personas.login(client, "coordinator")
    data = _one_day_event(personas, **_agenda(("14:00", "Begrüßung"), (at, "Zu früh oder zu spät")))
    response = client.post(reverse("events:event-create", args=[personas.network.slug]), data)
    assert response.status_code == 400
    assert response.context["agenda"].forms[1].errors["time"]
    assert not Event.objects.exists()


def test_agenda_of_an_event_over_several_days_is_not_checked_by_time(client, personas):
    start = in_days(10, 14)
    personas.login(client, "coordinator")
    data = {
        **_event_data(starts_at=_local(start), ends_at=_local(start + timedelta(days=1))),
        **_agenda(("09:00", "Tag 2: Start")),
    }
    assert client.post(reverse("events:event-create", args=[personas.network.slug]), data).status_code == 302
