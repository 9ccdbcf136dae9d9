"""Event and series pages: permission matrix, bad input, IDOR, query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventSeries, Registration, Visibility
from networks.models import OutboxMessage
from tests.conftest import PERSONAS
from tests.events.factories import EventFactory, EventSeriesFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def _url(name, event, *extra):
    return reverse(f"events:{name}", args=[event.network.slug, event.pk, *extra])


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _event_data(**overrides) -> dict:
    start = in_days(10, 14)
    data = {
        "title": "KEK-Netzwerktreffen",
        "kind": "network_meeting",
        "format": "hybrid",
        "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=3)),
        "venue": "Umweltamt Dortmund",
        "street": "Brückstraße 45",
        "postcode": "44135",
        "town": "Dortmund",
        "step_free": "true",
        "online_url": "https://meet.example.org/kek",
        "capacity": "20",
        "registration_deadline": "",
        "visibility": "network",
        "description": "Wärmeplanung im Austausch",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "30",
        "agenda-0-time": "14:00",
        "agenda-0-title": "Begrüßung",
        "agenda-0-note": "",
        "agenda-1-time": "14:15",
        "agenda-1-title": "Stand der Wärmeplanung",
        "agenda-1-note": "Input Stadt Dortmund",
    }
    data.update(overrides)
    return data


# --- Event detail: who sees what ------------------------------------------------------------------

DETAIL_NETWORK_EVENT = {
    "anonymous": 404,
    "citizen": 404,
    "other_network": 404,
    "member": 200,
    "coordinator": 200,
    "editor": 404,
    "staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_of_network_event(client, personas, persona):
    event = EventFactory(network=personas.network)
    personas.login(client, persona)
    assert client.get(event.get_absolute_url()).status_code == DETAIL_NETWORK_EVENT[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_of_public_event_for_everyone(client, personas, persona):
    event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC)
    personas.login(client, persona)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert event.title in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_event_of_private_network_is_hidden_from_outsiders(client, personas, persona):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC)
    personas.login(client, persona)
    expected = 200 if persona in ("member", "coordinator", "staff") else 404
    assert client.get(event.get_absolute_url()).status_code == expected


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [("member", False), ("coordinator", True), ("staff", True), ("citizen", False), ("anonymous", False)],
)
def test_online_link_only_for_place_holders_and_coordinators(client, personas, persona, sees_link):
    event = EventFactory(
        network=personas.network, visibility=Visibility.PUBLIC, online_url="https://meet.example.org/x"
    )
    personas.login(client, persona)
    assert ("https://meet.example.org/x" in client.get(event.get_absolute_url()).text) is sees_link


def test_online_link_after_registration_not_while_waiting(client, personas):
    event = EventFactory(network=personas.network, online_url="https://meet.example.org/geheim")
    member = personas.people["member"]
    client.force_login(member.user)
    registration = RegistrationFactory(event=event, person=member, status=Registration.Status.WAITING)
    assert "meet.example.org/geheim" not in client.get(event.get_absolute_url()).text
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.REGISTERED)
    assert "meet.example.org/geheim" in client.get(event.get_absolute_url()).text


def test_detail_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = EventFactory(network=personas.network, kind="office_hour")
    client.force_login(personas.user("member"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(event.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    RegistrationFactory.create_batch(2, event=event)
    small = count()
    RegistrationFactory.create_batch(12, event=event)
    for i in range(5):
        event.agenda.create(title=f"TOP {i}", position=i)
    assert count() == small


# --- Create, edit, copy, cancel: coordinators only ----------------------------------------------------

MANAGE = {
    "anonymous": 302,  # to the login
    "citizen": 403,
    "other_network": 403,
    "member": 403,
    "coordinator": 200,
    "editor": 403,
    "staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["event-edit", "event-copy", "event-cancel"])
def test_manage_pages_matrix_on_public_event(client, personas, persona, name):
    event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC)
    personas.login(client, persona)
    assert client.get(_url(name, event)).status_code == MANAGE[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_manage_pages_on_network_event_hide_it_from_outsiders(client, personas, persona):
    event = EventFactory(network=personas.network)
    personas.login(client, persona)
    expected = {**MANAGE, "citizen": 404, "other_network": 404, "editor": 404}[persona]
    assert client.get(_url("event-edit", event)).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_matrix(client, personas, persona):
    personas.login(client, persona)
    url = reverse("events:event-create", args=[personas.network.slug])
    assert client.get(url).status_code == MANAGE[persona]
    response = client.post(url, _event_data())
    created = Event.objects.filter(title="KEK-Netzwerktreffen").exists()
    assert created is (persona in ("coordinator", "staff"))
    if not created:
        assert response.status_code == MANAGE[persona]


def test_coordinator_creates_event_with_agenda_and_topics(client, personas):
    from tests.networks.factories import TopicFactory

    topic = TopicFactory()
    client.force_login(personas.user("coordinator"))
    response = client.post(reverse("events:event-create", args=[personas.network.slug]), _event_data(topics=[topic.pk]))
    event = Event.objects.get(title="KEK-Netzwerktreffen")
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert event.network == personas.network and event.created_by == personas.people["coordinator"]
    assert [a.title for a in event.agenda.all()] == ["Begrüßung", "Stand der Wärmeplanung"]
    assert list(event.topics.all()) == [topic]
    assert timezone.localtime(event.starts_at).hour == 14


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": _local(timezone.now() - timedelta(days=1))}, "starts_at"),
        ({"ends_at": _local(in_days(10, 13))}, "ends_at"),
        ({"capacity": "-5"}, "capacity"),
        ({"capacity": "0"}, "capacity"),
        ({"format": "online", "online_url": ""}, "online_url"),
        ({"format": "on_site", "venue": ""}, "venue"),
        ({"registration_deadline": _local(in_days(11))}, "registration_deadline"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"starts_at": "morgen früh"}, "starts_at"),
        ({"kind": "party"}, "kind"),
        ({"agenda-0-title": "", "agenda-0-time": "14:00"}, None),
    ],
)
def test_bad_input_gives_form_errors_and_writes_nothing(client, personas, overrides, field):
    client.force_login(personas.user("coordinator"))
    response = client.post(reverse("events:event-create", args=[personas.network.slug]), _event_data(**overrides))
    assert response.status_code == 400
    if field:
        assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_edit_with_significant_change_notifies_and_raises_sequence(client, personas):
    event = EventFactory(network=personas.network, format="online", capacity=5)
    RegistrationFactory(event=event)
    client.force_login(personas.user("coordinator"))
    start = event.starts_at + timedelta(days=1)
    data = _event_data(
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
        capacity="5",
        **{"agenda-TOTAL_FORMS": "0"},  # its 14:00 items would lie outside this 10:00-12:00 event
    )
    response = client.post(_url("event-edit", event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert OutboxMessage.objects.filter(reason="event_changed").count() == 1


def test_capacity_cannot_drop_below_places_taken(client, personas):
    event = EventFactory(network=personas.network, capacity=5)
    RegistrationFactory.create_batch(3, event=event)
    client.force_login(personas.user("coordinator"))
    data = _event_data(
        title=event.title,
        format="online",
        venue="",
        online_url=event.online_url,
        starts_at=_local(event.starts_at),
        ends_at=_local(event.ends_at),
        capacity="2",
    )
    response = client.post(_url("event-edit", event), data)
    assert response.status_code == 400 and "capacity" in response.context["form"].errors
    event.refresh_from_db()
    assert event.capacity == 5


def test_copy_prefills_one_week_later_and_posts_to_create(client, personas):
    event = EventFactory(network=personas.network, title="Praxiswerkstatt")
    event.agenda.create(title="Einstieg", position=0)
    client.force_login(personas.user("coordinator"))
    response = client.get(_url("event-copy", event))
    form = response.context["form"]
    assert form.initial["title"] == "Praxiswerkstatt"
    assert form.initial["starts_at"] == timezone.localtime(event.starts_at + timedelta(days=7))
    assert reverse("events:event-create", args=[personas.network.slug]) in response.text
    assert client.post(_url("event-copy", event), {}).status_code == 405


def test_cancel_event_tells_participants_and_blocks_registration(client, personas):
    event = EventFactory(network=personas.network)
    RegistrationFactory(event=event)
    client.force_login(personas.user("coordinator"))
    response = client.post(_url("event-cancel", event), {"reason": "Referentin erkrankt"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert OutboxMessage.objects.filter(reason="event_cancelled").count() == 1
    page = client.get(event.get_absolute_url()).text
    assert "Referentin erkrankt" in page
    assert client.get(_url("event-edit", event)).status_code == 302  # cancelled: no more edits


def test_member_cannot_cancel(client, personas):
    event = EventFactory(network=personas.network)
    client.force_login(personas.user("member"))
    assert client.post(_url("event-cancel", event), {"reason": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.status == "planned"


def test_idor_foreign_event_in_own_network_url_is_404(client, personas):
    foreign = EventFactory(network=personas.other, visibility=Visibility.PUBLIC)
    client.force_login(personas.user("coordinator"))
    for name in ("event-detail", "event-edit", "event-copy", "event-cancel"):
        url = reverse(f"events:{name}", args=[personas.network.slug, foreign.pk])
        assert client.get(url).status_code == 404, name
    assert client.post(reverse("events:event-cancel", args=[personas.network.slug, foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "planned"


# --- Series -------------------------------------------------------------------------------------------


def _series_data(**overrides) -> dict:
    data = {
        "title": "Klima.Taten.Talk",
        "kind": "office_hour",
        "format": "online",
        "frequency": "weekly",
        "interval": "2",
        "weekday": "1",
        "ordinal": "",
        "first_date": (date.today() + timedelta(days=1)).isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "until": "",
        "count": "",
        "venue": "",
        "town": "",
        "online_url": "https://meet.example.org/talk",
        "capacity": "",
        "registration_closes_hours": "",
        "visibility": "network",
        "description": "Offene Sprechstunde",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_series_create_matrix(client, personas, persona):
    personas.login(client, persona)
    url = reverse("events:series-create", args=[personas.network.slug])
    assert client.get(url).status_code == MANAGE[persona]
    client.post(url, _series_data())
    assert EventSeries.objects.exists() is (persona in ("coordinator", "staff"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_series_pages_matrix(client, personas, persona):
    series = EventSeriesFactory(network=personas.network)
    personas.login(client, persona)
    expected = {**MANAGE, "citizen": 404, "other_network": 404, "editor": 404}[persona]
    for name in ("series-detail", "series-edit", "series-cancel"):
        url = reverse(f"events:{name}", args=[personas.network.slug, series.pk])
        assert client.get(url).status_code == expected, name


def test_coordinator_creates_fortnightly_series(client, personas):
    client.force_login(personas.user("coordinator"))
    response = client.post(reverse("events:series-create", args=[personas.network.slug]), _series_data())
    series = EventSeries.objects.get()
    assert response.status_code == 302 and response.url == series.get_absolute_url()
    starts = [e.starts_at for e in series.occurrences.order_by("starts_at")]
    assert len(starts) >= 12 and starts[1] - starts[0] == timedelta(days=14)
    page = client.get(series.get_absolute_url()).text
    assert "FREQ=" not in page  # the rule in words (tests/events/test_recurrence.py), not RFC 5545
    assert "jeden zweiten Dienstag, 10:00–11:00 Uhr" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"first_date": (date.today() - timedelta(days=3)).isoformat()}, "first_date"),
        ({"interval": "0"}, "interval"),
        ({"frequency": "monthly", "ordinal": ""}, "ordinal"),
        ({"until": (date.today() + timedelta(days=30)).isoformat(), "count": "4"}, "count"),
        ({"online_url": ""}, "online_url"),
        ({"weekday": "9"}, "weekday"),
    ],
)
def test_series_bad_input(client, personas, overrides, field):
    client.force_login(personas.user("coordinator"))
    response = client.post(reverse("events:series-create", args=[personas.network.slug]), _series_data(**overrides))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not EventSeries.objects.exists() and not Event.objects.exists()


def test_series_edit_and_cancel_from_date(client, personas):
    client.force_login(personas.user("coordinator"))
    client.post(reverse("events:series-create", args=[personas.network.slug]), _series_data())
    series = EventSeries.objects.get()
    edit = reverse("events:series-edit", args=[personas.network.slug, series.pk])
    response = client.post(edit, _series_data(title="Klima.Taten.Talk – Wärme", from_date=date.today().isoformat()))
    assert response.status_code == 302
    assert set(series.occurrences.values_list("title", flat=True)) == {"Klima.Taten.Talk – Wärme"}
    past = client.post(edit, _series_data(from_date=(date.today() - timedelta(days=1)).isoformat()))
    assert past.status_code == 400
    cancel = reverse("events:series-cancel", args=[personas.network.slug, series.pk])
    response = client.post(cancel, {"from_date": date.today().isoformat(), "reason": "Sommerpause"})
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.ended_on == date.today() and not series.occurrences.exists()


def test_series_idor(client, personas):
    foreign = EventSeriesFactory(network=personas.other)
    client.force_login(personas.user("coordinator"))
    url = reverse("events:series-cancel", args=[personas.network.slug, foreign.pk])
    assert client.post(url, {"from_date": date.today().isoformat()}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.ended_on is None


def test_series_page_queries_do_not_grow_with_dates_and_registrations(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events import services

    client.force_login(personas.user("coordinator"))

    def queries(interval: int, registrations: int) -> int:
        series = services.series_create(
            series=EventSeriesFactory.build(network=personas.network, interval=interval), by=None
        )
        for occurrence in series.occurrences.all()[:registrations]:
            RegistrationFactory(event=occurrence)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(series.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    assert queries(interval=4, registrations=2) == queries(interval=1, registrations=12)
