"""Permission funnels for events (DESIGN §4), on top of networks.access.

An event the user may not know about is a 404: network-only events for everyone
but members, coordinators and staff. Seeing but not managing is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from events.models import Event, EventSeries, Outcome, Question, Registration
from networks.access import group_allows, is_coordinator, is_member, person_may_read_working_group
from networks.models import Network


def can_see(user, event: Event) -> bool:
    """Public events and the network's events for its members; a closed working group's meeting only for who may
    read the group (its members, the coordination, staff: networks.access.group_allows, the one group rule)."""
    return (event.is_public or is_member(user, event.network)) and group_allows(user, event.working_group)


def can_see_outcome(user, outcome: Outcome) -> bool:
    """An outcome (decision, idea, task) of a closed group, or recorded at a closed group's meeting, only for who
    may read that group."""
    return group_allows(user, outcome.working_group) and (
        outcome.event_id is None or group_allows(user, outcome.event.working_group)
    )


def _person_group_allows(person, group) -> bool:
    """group_allows for a person without a request (emails): a query only for a closed group."""
    if group is None or group.is_open:
        return True
    return person is not None and person_may_read_working_group(person, group)


def person_may_see(person, event: Event) -> bool:
    """What emails may tell ``person`` (None: a guest without an account) of ``event``: only a closed working
    group's readers hear of its meetings (the group rule, networks.access.person_readable_working_groups)."""
    return event.working_group_id is None or _person_group_allows(person, event.working_group)


def person_may_see_outcome(person, outcome: Outcome) -> bool:
    """The same for an outcome (task emails): its own group's and its meeting's."""
    if outcome.working_group_id and not _person_group_allows(person, outcome.working_group):
        return False
    return outcome.event_id is None or person_may_see(person, outcome.event)


def can_register(user, event: Event) -> bool:
    """Members for their network's events; any signed-in person for public events."""
    if not user.is_authenticated:
        return False
    return is_member(user, event.network) or (event.is_public and event.network.is_public)


def can_see_link(user, event: Event, registration: Registration | None) -> bool:
    """The online link: coordinators, staff, and whoever holds a place."""
    if is_coordinator(user, event.network):
        return True
    return registration is not None and registration.takes_a_place


def access_event(user, network: Network, pk: int, *, queryset=None) -> Event:
    """An event of ``network`` (already checked with access_network) the user may see.

    ``queryset`` lets a page fetch the event with what it shows (e.g. ``with_counts()``) in the same query.
    """
    queryset = Event.objects.all() if queryset is None else queryset
    event = get_object_or_404(queryset.select_related("network", "series", "working_group"), network=network, pk=pk)
    if not can_see(user, event):
        raise Http404
    return event


def access_event_manage(user, network: Network, pk: int) -> Event:
    event = access_event(user, network, pk)
    if not is_coordinator(user, network):
        raise PermissionDenied
    return event


def access_event_internal(user, network: Network, pk: int) -> Event:
    """Documents, questions and participants of an event: members of the network only (404 otherwise)."""
    event = access_event(user, network, pk)
    if not is_member(user, network):
        raise PermissionDenied if event.is_public else Http404
    return event


def access_series_manage(user, network: Network, pk: int) -> EventSeries:
    if not is_member(user, network):
        raise Http404
    series = get_object_or_404(EventSeries.objects.select_related("network"), network=network, pk=pk)
    if not is_coordinator(user, network):
        raise PermissionDenied
    return series


def access_question_answer(user, network: Network, pk: int) -> Question:
    if not is_member(user, network):
        raise Http404
    question = get_object_or_404(Question.objects.select_related("event", "author"), network=network, pk=pk)
    if not is_coordinator(user, network):
        raise PermissionDenied
    return question


def access_question_own(user, network: Network, pk: int, *, person=None) -> Question:
    """The asker's own question (to edit or withdraw it): outsiders 404, other members and coordinators 403.
    Removed questions are not theirs to change any more (404, as for everyone but the admin)."""
    if not is_member(user, network):
        raise Http404
    question = get_object_or_404(Question.objects.listed().select_related("event", "author"), network=network, pk=pk)
    if person is None or question.author_id != person.pk:
        raise PermissionDenied
    return question


def access_action_item(user, network: Network, pk: int, *, person=None) -> Outcome:
    """An action item of the network: members see it; the owner (person or their organisation) and
    coordinators may change its status."""
    if not is_member(user, network):
        raise Http404
    item = get_object_or_404(Outcome.objects.action_items().for_list(), network=network, pk=pk)
    if not can_see_outcome(user, item):
        raise Http404
    if is_coordinator(user, network) or owns_action_item(person, item):
        return item
    raise PermissionDenied


def access_outcome(user, network: Network, pk: int) -> Outcome:
    """An outcome (decision, idea, action item) of the network: its members, coordinators and staff see it (404 for
    everyone else, as the network's internal pages)."""
    if not is_member(user, network):
        raise Http404
    outcome = get_object_or_404(Outcome.objects.for_list(), network=network, pk=pk)
    if not can_see_outcome(user, outcome):
        raise Http404
    return outcome


def access_outcome_manage(user, network: Network, pk: int) -> Outcome:
    """Editing an outcome: the network's coordinators (403 for members who see it)."""
    outcome = access_outcome(user, network, pk)
    if not is_coordinator(user, network):
        raise PermissionDenied
    return outcome


def owns_action_item(person, item: Outcome) -> bool:
    """The owner of an action item: the person named, or anyone of the organisation named."""
    if person is None:
        return False
    return item.owner_person_id == person.pk or (
        item.owner_organisation_id is not None and item.owner_organisation_id == person.organisation_id
    )
