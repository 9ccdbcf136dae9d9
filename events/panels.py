"""The events app's panels on networks' pages (networks/panels.py), registered in EventsConfig.ready().

Each context function runs a fixed number of queries, however many rows the person or
network has: the lists are sliced and evaluated here, with what their templates need joined.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.utils import timezone

from events.models import Event, Outcome, Registration
from networks import panels
from networks.access import group_allows_q, is_coordinator, person_group_allows_q
from networks.models import Network, NetworkRole, Person, WorkingGroup

NEXT_EVENTS = 5
WAITING_PLACES = 10
OPEN_ITEMS = 10
LATEST_MINUTES = 5
NETWORK_NEXT_EVENTS = 3


def dashboard_context(request: HttpRequest, person: Person) -> dict:
    """My area: next events, waiting-list places, open action items, my networks' latest minutes (4 queries)."""
    now = timezone.now()
    my_networks = NetworkRole.objects.filter(person=person).values("network")
    upcoming = (
        Registration.objects.filter(person=person, event__ends_at__gte=now)
        .select_related("event__network")
        .order_by("event__starts_at", "pk")
    )
    items = (
        Outcome.objects.open()
        .of_person(person)
        .filter(network__in=my_networks)
        .group_readable_by_person(person)
        .for_list()
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    minutes = (
        Event.objects.filter(network__in=my_networks, minutes_published_at__isnull=False)
        .filter(person_group_allows_q(person))
        .select_related("network")
        .order_by("-minutes_published_at", "-pk")
    )
    return {
        "registrations": list(upcoming.filter(status__in=Registration.TAKES_A_PLACE)[:NEXT_EVENTS]),
        "waiting": list(upcoming.filter(status=Registration.Status.WAITING).with_waiting_position()[:WAITING_PLACES]),
        "action_items": list(items[:OPEN_ITEMS]),
        "minutes": list(minutes[:LATEST_MINUTES]),
    }


def network_space_context(request: HttpRequest, network: Network) -> dict:
    """The network's internal space: its next events and its open and overdue action items (2 queries).

    The page is cached per role (networks.views.network_space), so closed working groups' meetings and tasks are
    left out for members, even for those in the group (they find them on the group's page and in their calendar):
    the coordination reads every group."""
    events = Event.objects.filter(network=network).active().upcoming().order_by("starts_at", "pk")
    outcomes = Outcome.objects.filter(network=network)
    if not is_coordinator(request.user, network):
        events = events.filter(group_allows_q(AnonymousUser()))
        outcomes = outcomes.group_readable_by(AnonymousUser())
    counts = outcomes.open().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate()))
    )
    return {
        "network": network,
        "can_plan": is_coordinator(request.user, network),  # the page body is cached per role: same answer
        "events": list(events[:NETWORK_NEXT_EVENTS]),
        "open_count": counts["open"],
        "overdue_count": counts["overdue"],
    }


HOME_EVENTS = 4


def home_context(request: HttpRequest, _subject) -> dict | None:
    """Home page: the next public events across networks (1 query), hidden when there are none."""
    events = list(
        Event.objects.visible_to(AnonymousUser())
        .active()
        .upcoming()
        .select_related("network")
        .order_by("starts_at", "pk")[:HOME_EVENTS]
    )
    return {"events": events} if events else None


def network_detail_context(request: HttpRequest, network: Network) -> dict:
    """A network's public profile: its next events the viewer may see (1 query)."""
    events = (
        Event.objects.visible_to(request.user).filter(network=network).active().upcoming().order_by("starts_at", "pk")
    )
    return {"network": network, "events": list(events[:NETWORK_NEXT_EVENTS])}


GROUP_MEETINGS = 5
GROUP_ITEMS = 10


def working_group_context(request: HttpRequest, group: WorkingGroup) -> dict:
    """A working group's page: its next and last meetings and its open action items (3 queries)."""
    network = group.network
    meetings = Event.objects.visible_to(request.user).filter(network=network, working_group=group).active()
    items = (
        Outcome.objects.open()
        .filter(network=network)
        .of_working_group(group)
        .group_readable_by(request.user)
        .for_list()
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    return {
        "network": network,
        "group": group,
        "can_plan": is_coordinator(request.user, network),
        "upcoming": list(meetings.upcoming().order_by("starts_at", "pk")[:GROUP_MEETINGS]),
        "past": list(meetings.past().order_by("-starts_at", "-pk")[:GROUP_MEETINGS]),
        "items": list(items[:GROUP_ITEMS]),
    }


def register() -> None:
    panels.register(
        "working_group",
        panels.Panel(
            key="events", template="events/partials/panel_working_group.html", context=working_group_context, order=30
        ),
    )
    panels.register(
        "home", panels.Panel(key="events", template="events/partials/panel_home.html", context=home_context)
    )
    panels.register(
        "network_detail",
        panels.Panel(
            key="events", template="events/partials/panel_network_detail.html", context=network_detail_context
        ),
    )
    panels.register(
        "dashboard",
        panels.Panel(
            key="events", template="events/partials/panel_dashboard.html", context=dashboard_context, order=10
        ),
    )
    panels.register(
        "network_space",
        panels.Panel(
            key="events", template="events/partials/panel_network_space.html", context=network_space_context, order=10
        ),
    )
