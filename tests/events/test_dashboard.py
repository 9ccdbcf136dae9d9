"""The events panels on "My area" and on a network's internal space (issue 3 §7)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, Outcome, Registration, Visibility
from networks.models import NetworkRole
from tests.events.factories import EventFactory, OutcomeFactory, RegistrationFactory, in_days
from tests.networks import factories as f

DASHBOARD = "networks:dashboard"


def _panel(response, template: str) -> dict:
    (panel,) = [p for p in response.context["panels"] if p["template"] == template]
    return panel


def _dashboard(client, person):
    client.force_login(person.user)
    with translation.override("en"):  # the English page (/en/start/): assertions read the source strings
        response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    return response, _panel(response, "events/partials/panel_dashboard.html"), response.content.decode()


def _section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def member(personas):
    return personas.people["member"]


# --- Action items on the owners' dashboards and in the network's list -----------------------------


def test_person_and_organisation_action_items_reach_their_owners(client, personas, member):
    event = EventFactory(network=personas.network, starts_at=in_days(-10), title="Netzwerktreffen März")
    colleague = f.NetworkRoleFactory(network=personas.network, person__organisation=member.organisation).person
    f.MembershipFactory(network=personas.network, organisation=member.organisation)
    personal = OutcomeFactory(
        event=event, text="Musterausschreibung teilen", owner_person=member, due_date=date.today() - timedelta(days=2)
    )
    organisational = OutcomeFactory(
        event=event, text="Verbrauchsdaten liefern", owner_person=None, owner_organisation=member.organisation
    )
    OutcomeFactory(event=event, text="Erledigt", owner_person=member, status=Outcome.Status.DONE)
    OutcomeFactory(event=event, text="Nicht meins")  # someone else's
    OutcomeFactory(event=EventFactory(network=personas.other), text="Anderes Netzwerk", owner_person=member)

    response, panel, page = _dashboard(client, member)
    assert [i.pk for i in panel["action_items"]] == [personal.pk, organisational.pk]  # overdue first (due date)
    items = _section(page, "my-items-heading")
    assert "Musterausschreibung teilen" in items and "Verbrauchsdaten liefern" in items
    assert "Erledigt" not in items and "Nicht meins" not in items and "Anderes Netzwerk" not in items
    overdue_row = items.split("Musterausschreibung teilen", 1)[1].split("</li>", 1)[0]
    assert 'class="overdue"' in overdue_row and "overdue" in overdue_row
    assert 'class="overdue"' not in items.split("Verbrauchsdaten liefern", 1)[1].split("</li>", 1)[0]
    with translation.override("en"):
        to_item = reverse("events:outcome-detail", args=[personas.network.slug, personal.pk])
        to_event = event.get_absolute_url()
    assert f'<a href="{to_item}">Musterausschreibung teilen</a>' in items  # the title leads to the item's page
    assert f'<a href="{to_event}">' in items  # the event's name to the event

    _, panel, page = _dashboard(client, colleague)  # same organisation: its item, not the member's own
    assert [i.pk for i in panel["action_items"]] == [organisational.pk]
    assert "Musterausschreibung teilen" not in _section(page, "my-items-heading")

    _, panel, _ = _dashboard(client, personas.people["coordinator"])
    assert panel["action_items"] == []

    # The network's list shows both, the overdue one marked.
    client.force_login(member.user)
    page = client.get(reverse("events:action-items", args=[personas.network.slug])).content.decode()
    assert 'class="overdue"' in page.split("Musterausschreibung teilen", 1)[1].split("</tr>", 1)[0]
    assert member.organisation.name in page.split("Verbrauchsdaten liefern", 1)[1].split("</tr>", 1)[0]


def test_open_action_items_of_a_network_i_left_are_not_shown(client, personas, member):
    item = OutcomeFactory(event=EventFactory(network=personas.network), owner_person=member)
    f.NetworkRoleFactory(network=personas.other, person=member)  # still a member elsewhere (a citizen has no dashboard)
    NetworkRole.objects.filter(person=member, network=personas.network).delete()
    _, panel, _ = _dashboard(client, member)
    assert item not in panel["action_items"]


# --- Events, waiting list, minutes -------------------------------------------------------------------


def test_next_events_and_waiting_list_places(client, personas, member):
    soon = RegistrationFactory(person=member, event=EventFactory(network=personas.network, starts_at=in_days(2)))
    later = RegistrationFactory(person=member, event=EventFactory(network=personas.network, starts_at=in_days(9)))
    RegistrationFactory(person=member, event=EventFactory(network=personas.network, starts_at=in_days(-5)))  # past
    RegistrationFactory(
        person=member, status=Registration.Status.CANCELLED, event=EventFactory(network=personas.network)
    )
    full = EventFactory(network=personas.network, capacity=1, title="Volle Werkstatt", starts_at=in_days(5))
    RegistrationFactory(event=full)
    now = timezone.now()
    for minutes_ago in (30, 20):
        RegistrationFactory(
            event=full, status=Registration.Status.WAITING, queued_at=now - timedelta(minutes=minutes_ago)
        )
    mine = RegistrationFactory(event=full, person=member, status=Registration.Status.WAITING, queued_at=now)
    RegistrationFactory(event=full, status=Registration.Status.WAITING, queued_at=now + timedelta(minutes=1))

    _, panel, page = _dashboard(client, member)
    assert [r.pk for r in panel["registrations"]] == [soon.pk, later.pk]
    assert [(r.pk, r.waiting_position) for r in panel["waiting"]] == [(mine.pk, 3)]
    events = _section(page, "my-events-heading")
    assert soon.event.get_absolute_url() in events and later.event.get_absolute_url() in events
    assert "Volle Werkstatt" in events and "place 3 on the waiting list" in events


def test_next_events_are_the_five_soonest(client, personas, member):
    registrations = [
        RegistrationFactory(person=member, event=EventFactory(network=personas.network, starts_at=in_days(days)))
        for days in (8, 3, 6, 1, 9, 4, 2)
    ]
    _, panel, _ = _dashboard(client, member)
    by_start = sorted(registrations, key=lambda r: r.event.starts_at)
    assert [r.pk for r in panel["registrations"]] == [r.pk for r in by_start[:5]]


def test_latest_minutes_of_my_networks(client, personas, member):
    def published(network, days_ago, title):
        return EventFactory(
            network=network,
            title=title,
            starts_at=in_days(-days_ago - 1),
            minutes="## Protokoll",
            minutes_published_at=timezone.now() - timedelta(days=days_ago),
        )

    mine = [published(personas.network, days, f"Treffen vor {days} Tagen") for days in (1, 7, 3, 20, 14, 30)]
    published(personas.other, 0, "Fremdes Protokoll")
    EventFactory(network=personas.network, minutes="Entwurf", title="Unveröffentlicht", starts_at=in_days(-1))
    public_elsewhere = published(personas.other, 0, "Öffentliches fremdes Protokoll")
    Event.objects.filter(pk=public_elsewhere.pk).update(visibility=Visibility.PUBLIC)

    _, panel, page = _dashboard(client, member)
    newest = sorted(mine, key=lambda e: e.minutes_published_at, reverse=True)[:5]
    assert [e.pk for e in panel["minutes"]] == [e.pk for e in newest]
    section = _section(page, "my-minutes-heading")
    assert newest[0].get_absolute_url() + "#minutes" in section
    assert "Fremdes Protokoll" not in section and "Unveröffentlicht" not in section and "Treffen vor 30" not in section


def test_a_person_without_networks_sees_empty_messages(client, personas):
    # an editor of an organisation without a network (a citizen, without any role, has their own area instead)
    _, panel, page = _dashboard(client, personas.people["editor"])
    assert panel == {**panel, "registrations": [], "waiting": [], "action_items": [], "minutes": []}
    assert "You are not registered for any upcoming event." in page
    assert reverse("events:event-list") in page


def test_dashboard_queries_do_not_grow_with_my_data(client, personas, member):
    organisation_event = EventFactory(network=personas.network, starts_at=in_days(-3))

    def grow(n):
        for i in range(n):
            event = EventFactory(network=personas.network, starts_at=in_days(i + 1), capacity=1)
            RegistrationFactory(person=member, event=EventFactory(network=personas.network, starts_at=in_days(i + 1)))
            RegistrationFactory(event=event)
            RegistrationFactory(event=event, person=member, status=Registration.Status.WAITING)
            OutcomeFactory(event=organisation_event, owner_person=member, due_date=date.today() - timedelta(days=i))
            OutcomeFactory(event=organisation_event, owner_person=None, owner_organisation=member.organisation)
            EventFactory(
                network=personas.network,
                starts_at=in_days(-i - 1),
                minutes="Text",
                minutes_published_at=timezone.now() - timedelta(hours=i),
            )

    client.force_login(member.user)
    url = reverse(DASHBOARD)
    grow(2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    grow(8)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    assert len(two.captured_queries) == len(ten.captured_queries)


def test_dashboard_query_count(client, personas, member, django_assert_num_queries):
    """Pinned: the networks page's own queries, the events panel's four, the measures panel's one (my roadmaps),
    the monitoring panel's one (indicators due) and the channel panel's one (unread threads)."""
    RegistrationFactory(person=member, event=EventFactory(network=personas.network))
    OutcomeFactory(event=EventFactory(network=personas.network), owner_person=member)
    client.force_login(member.user)
    # session and account from the cache (no query); person_ensure, roles, organisation roles, invitations, open
    # affiliation requests (networks' dashboard) + my registrations, my waiting places with positions, my open action
    # items, latest minutes + my roadmaps + indicators due + the discussions' unread threads (channel's panel)
    # + my measures with open funding (the funding radar's panel; none here, so no programme query)
    with django_assert_num_queries(13):
        assert client.get(reverse(DASHBOARD)).status_code == 200


# --- A network's internal space ------------------------------------------------------------------------


def test_network_space_shows_next_three_events_and_action_item_counts(client, personas):
    events = [
        EventFactory(network=personas.network, starts_at=in_days(d), title=f"Termin in {d} Tagen")
        for d in (9, 2, 5, 30)
    ]
    EventFactory(network=personas.network, starts_at=in_days(-2), title="Vergangen")
    EventFactory(network=personas.network, starts_at=in_days(1), title="Abgesagt", status=Event.Status.CANCELLED)
    EventFactory(network=personas.other, starts_at=in_days(1), title="Fremd")
    past = EventFactory(network=personas.network, starts_at=in_days(-20))
    OutcomeFactory(event=past, due_date=date.today() - timedelta(days=1))
    OutcomeFactory(event=past, due_date=date.today() - timedelta(days=10))
    OutcomeFactory(event=past)
    OutcomeFactory(event=past, due_date=None)
    OutcomeFactory(event=past, status=Outcome.Status.DONE, due_date=date.today() - timedelta(days=10))
    OutcomeFactory(event=EventFactory(network=personas.other))

    personas.login(client, "member")
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]), HTTP_ACCEPT_LANGUAGE="en")
    panel = _panel(response, "events/partials/panel_network_space.html")
    by_start = sorted(events, key=lambda e: e.starts_at)
    assert [e.pk for e in panel["events"]] == [e.pk for e in by_start[:3]]
    assert (panel["open_count"], panel["overdue_count"]) == (4, 2)
    page = response.content.decode()
    assert reverse("events:network-calendar", args=[personas.network.slug]) in page
    assert reverse("events:action-items", args=[personas.network.slug]) in page
    assert reverse("events:event-detail", args=[personas.network.slug, by_start[0].pk]) in page
    for absent in ("Vergangen", "Abgesagt", "Fremd", "Termin in 30 Tagen"):
        assert absent not in page


def test_network_space_offers_coordinators_to_plan_an_event(client, personas):
    url = reverse("networks:network-space", args=[personas.network.slug])
    create = reverse("events:event-create", args=[personas.network.slug])
    personas.login(client, "coordinator")
    assert create in client.get(url).content.decode()
    personas.login(client, "member")
    assert create not in client.get(url).content.decode()


def test_network_space_panel_queries_are_flat(client, personas):
    def grow(n):
        for i in range(n):
            event = EventFactory(network=personas.network, starts_at=in_days(i + 1))
            OutcomeFactory(event=event, due_date=date.today() - timedelta(days=1))

    personas.login(client, "member")
    url = reverse("networks:network-space", args=[personas.network.slug])
    grow(2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    grow(10)
    with CaptureQueriesContext(connection) as twelve:
        assert client.get(url).status_code == 200
    assert len(two.captured_queries) == len(twelve.captured_queries)


def test_home_and_public_profile_show_the_next_events(client, personas):
    public = EventFactory(network=personas.network, visibility="public", title="Bürgerwerkstatt Wärme")
    internal = EventFactory(network=personas.network, title="Internes Netzwerktreffen")
    cancelled = EventFactory(network=personas.network, visibility="public", status="cancelled", title="Abgesagt X")
    home = client.get(reverse("networks:home")).content.decode()
    assert public.title in home and internal.title not in home and cancelled.title not in home
    profile = client.get(personas.network.get_absolute_url()).content.decode()
    assert public.title in profile and internal.title not in profile
    client.force_login(personas.user("member"))
    assert internal.title in client.get(personas.network.get_absolute_url()).content.decode()
