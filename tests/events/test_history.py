"""History of events (with their minutes), registrations and outcomes: written by the portal's views and services
with the person who acted, including the bulk writes (attendance, series occurrences), and shown read-only in the
admin (tests/admin_history.py)."""

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Outcome, Registration
from tests.admin_history import (
    DENIED,
    assert_denied,
    assert_flat_queries,
    assert_history_shows,
    assert_read_only,
    history_url,
    staff_client,
)
from tests.events.factories import EventFactory, EventSeriesFactory, OutcomeFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def _url(name, event, *extra):
    return reverse(f"events:{name}", args=[event.network.slug, event.pk, *extra])


@pytest.fixture
def past_event(personas):
    return EventFactory(network=personas.network, starts_at=in_days(-2), title="Netzwerktreffen Wärmeplanung")


def test_minutes_keep_who_wrote_them_and_the_text_before(client, personas, past_event):
    coordinator = personas.people["coordinator"]
    client.force_login(coordinator.user)
    client.post(_url("minutes-edit", past_event), {"minutes": "Erste Fassung"})
    client.post(_url("minutes-edit", past_event), {"minutes": "Zweite Fassung", "publish": "on"})
    record = past_event.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == coordinator.user and record.minutes == "Zweite Fassung"
    assert_history_shows(
        staff_client(client, personas),
        past_event,
        who=coordinator.name,
        label="Protokoll",
        old="Erste Fassung",
        new="Zweite Fassung",
    )


def test_the_event_history_lists_its_outcomes_with_the_minutes(client, personas, past_event):
    client.force_login(personas.user("coordinator"))
    client.post(_url("minutes-edit", past_event), {"minutes": "Beschlossen"})
    client.post(_url("outcome-create", past_event), {"outcome-kind": "decision", "outcome-text": "Wir teilen Daten"})
    page = staff_client(client, personas).get(history_url(past_event))
    outcome, minutes = (record.entry for record in page.context["page_obj"].object_list[:2])
    assert (outcome["subject"], outcome["title"], outcome["kind"]) == ("Ergebnis", "Wir teilen Daten", "+")
    assert outcome["who"] == "Koordinatorin" and not minutes.get("subject_shown")
    assert "Ergebnis: Wir teilen Daten" in page.content.decode()


def test_withdrawing_the_minutes_is_kept(client, personas, past_event):
    client.force_login(personas.user("coordinator"))
    client.post(_url("minutes-edit", past_event), {"minutes": "Text", "publish": "on"})
    client.post(_url("minutes-edit", past_event), {"minutes": "Text", "unpublish": "on"})
    latest = past_event.history.order_by("-history_date", "-history_id").first()
    assert latest.minutes_published_at is None and latest.history_user == personas.user("coordinator")


def test_cancelling_an_event_is_kept_with_its_reason(client, personas):
    event = EventFactory(network=personas.network)
    client.force_login(personas.user("coordinator"))
    client.post(_url("event-cancel", event), {"reason": "Referentin erkrankt"})
    latest = event.history.order_by("-history_date", "-history_id").first()
    assert latest.status == Event.Status.CANCELLED and latest.cancelled_reason == "Referentin erkrankt"
    assert latest.history_user == personas.user("coordinator")


def test_a_registration_keeps_who_cancelled_it(client, personas):
    event = EventFactory(network=personas.network)
    member = personas.people["member"]
    client.force_login(member.user)
    client.post(_url("register", event))
    client.post(_url("unregister", event))
    registration = Registration.objects.get(event=event, person=member)
    assert [r.status for r in registration.history.order_by("history_date", "history_id")] == [
        Registration.Status.REGISTERED,
        Registration.Status.CANCELLED,
    ]
    assert {r.history_user for r in registration.history.all()} == {member.user}
    assert_history_shows(
        staff_client(client, personas), registration, who=member.name, label="Status", old="angemeldet", new="abgesagt"
    )


def test_attendance_writes_a_history_row_per_changed_registration(client, personas, past_event):
    came = RegistrationFactory(event=past_event)
    missed = RegistrationFactory(event=past_event, status=Registration.Status.ATTENDED)
    unchanged = RegistrationFactory(event=past_event)
    client.force_login(personas.user("coordinator"))
    client.post(_url("attendance", past_event), {"attended": [came.pk]})
    for registration, status in ((came, "attended"), (missed, "registered")):
        latest = registration.history.order_by("-history_date", "-history_id").first()
        assert latest.history_type == "~" and latest.status == status
        assert latest.history_user == personas.user("coordinator")
    assert unchanged.history.count() == 1  # only the rows that changed


def test_action_item_status_keeps_who_closed_it(client, personas, past_event):
    item = OutcomeFactory(event=past_event, owner_person=personas.people["member"])
    client.force_login(personas.user("coordinator"))
    url = reverse("events:action-item-status", args=[personas.network.slug, item.pk])
    assert client.post(url, {"status": "done"}).status_code == 302
    assert_history_shows(
        staff_client(client, personas), item, who="Koordinatorin", label="Status", old="offen", new="erledigt"
    )


def test_series_occurrences_get_their_first_record(personas):
    series = EventSeriesFactory(network=personas.network)
    assert services.series_materialise(series) > 0
    events = list(series.occurrences.all())
    created = Event.history.filter(id__in=[e.pk for e in events], history_type="+")
    assert created.count() == len(events)
    assert services.series_materialise(series) == 0 and created.count() == len(events)  # no second record


def test_admin_histories_are_read_only(client, personas, past_event):
    operator = staff_client(client, personas)
    registration = RegistrationFactory(event=past_event)
    outcome = OutcomeFactory(event=past_event)
    for obj in (past_event, registration, outcome):
        assert_read_only(operator, obj)


@pytest.mark.parametrize("persona", DENIED)
def test_only_staff_see_the_admin_histories(client, personas, past_event, persona):
    for obj in (past_event, RegistrationFactory(event=past_event), OutcomeFactory(event=past_event)):
        assert_denied(client, personas, persona, obj)


def test_admin_history_queries_do_not_grow_with_the_changes(client, personas):
    operator = staff_client(client, personas)

    def event(n):
        obj = EventFactory(network=personas.network, starts_at=in_days(-2))
        for i in range(n):
            services.minutes_save(event=obj, text=f"Fassung {i}", publish=False, by=None)
            OutcomeFactory(event=obj, text=f"Aufgabe {i}")  # in the event's list too
        return obj

    def registration(n):
        obj = RegistrationFactory(event=EventFactory(network=personas.network))
        for i in range(n):
            obj.status = Registration.Status.CANCELLED if i % 2 == 0 else Registration.Status.REGISTERED
            obj.save(update_fields=["status", "updated_at"])
        return obj

    def outcome(n):
        obj = OutcomeFactory(event=EventFactory(network=personas.network))
        for i in range(n):
            services.outcome_set_status(outcome=obj, status=Outcome.Status.DONE if i % 2 == 0 else "open")
        return obj

    for make in (event, registration, outcome):
        assert_flat_queries(operator, make)
