"""Who may read and write in a network's discussions: one rule, as a QuerySet filter and as its object check.

- Read: the network's members and coordinators (and staff) read its threads; a working group's threads under the
  working groups' one read rule (networks.access.readable_working_groups: an open group's for every member of the
  network, a closed group's for its members, the coordination and staff).
- Post: the same people, not in a closed thread; coordinators (and staff) post in closed threads too.
- Moderate (pin, close, move, hide, categories, reports): the network's coordinators and staff.

``Thread.objects.visible_to(user)`` and ``can_read_thread(user, thread)`` are the same rule (a test holds them
against each other for every persona): the object check asks the QuerySet.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.access import (
    access_network_internal,
    in_readable_place,
    is_coordinator,
    is_member,
    is_staff,
    person_may_read_working_group,
)
from networks.models import Network, NetworkRole, Person


def readable_threads(threads, user):
    """``threads`` narrowed to those ``user`` may read (``Thread.objects.visible_to``)."""
    if is_staff(user):
        return threads
    if not user.is_authenticated:
        return threads.none()
    return threads.filter(
        in_readable_place(user), network__in=NetworkRole.objects.filter(person__user=user).values("network")
    )


def can_read_thread(user, thread) -> bool:
    from networks.channel.models import Thread

    return Thread.objects.visible_to(user).filter(pk=thread.pk).exists()


def can_post(user, thread) -> bool:
    """May ``user`` reply in ``thread`` (the thread is readable for them: the caller checked or will check)."""
    if thread.closed:
        return is_coordinator(user, thread.network)
    return is_member(user, thread.network)


def can_moderate(user, network: Network) -> bool:
    return is_coordinator(user, network)


def person_may_post(person: Person, thread) -> bool:
    """``can_post`` for a person (a reply by email has no request): a role in the thread's network and, in a
    working group's thread, the group readable for them (staff are no exception here: a reply by mail comes from a
    person, and the person's role decides)."""
    user = person.user
    if user is None or not user.is_active or person.anonymised_at is not None:
        return False
    role = NetworkRole.objects.filter(network_id=thread.network_id, person=person).values_list("role", flat=True)
    role = role.first()
    if role is None:
        return False
    if thread.working_group_id is not None and not person_may_read_working_group(person, thread.working_group):
        return False  # a closed group the person is not (or no longer) in
    return not thread.closed or role == NetworkRole.Role.COORDINATOR


# --- funnels for the views -----------------------------------------------------------------------------------


def access_discussions(user, slug: str) -> Network:
    """The network whose discussions the user may read (403 for a public network's outsiders, 404 otherwise)."""
    return access_network_internal(user, slug)


def access_thread(user, network: Network, pk: int, *, moderate: bool = False):
    """A thread of ``network`` (its public profile visible to the user: networks.access.access_network) that the user
    may read: 404 for everyone else, who need not know it exists; ``moderate``: 403 unless they coordinate."""
    from networks.channel.models import Thread

    thread = get_object_or_404(
        Thread.objects.visible_to(user).select_related("category", "working_group", "author", "answer"),
        network=network,
        pk=pk,
    )
    thread.network = network
    if moderate and not can_moderate(user, network):
        raise PermissionDenied
    return thread


def access_post(user, network: Network, pk: int):
    """A post of a thread of ``network`` the user may read; a hidden post only for those who moderate (404)."""
    from networks.channel.models import Post, Thread

    post = get_object_or_404(
        Post.objects.select_related("thread", "author"),
        thread__in=Thread.objects.visible_to(user).filter(network=network),
        pk=pk,
    )
    post.thread.network = network
    if post.is_hidden and not can_moderate(user, network):
        raise Http404
    return post


def access_post_edit(user, network: Network, pk: int):
    """A post the user wrote themselves (403 for the others who see it)."""
    post = access_post(user, network, pk)
    if post.author is None or post.author.user_id != user.pk:
        raise PermissionDenied
    return post
