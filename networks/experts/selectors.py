"""Reads of "Wer weiß was" across networks (issue 17 §4).

The one rule of who finds whom: a person's expertise is visible to the members of the networks they share (all
their topics, as before), and to members of every other network for the topics they made visible to all networks
(``Expertise.visible_everywhere``, off by default), as long as they belong to a network and are not anonymised.
Citizens (networks.citizens) use none of it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from networks.models import Expertise, NetworkRole, Person


def _networks_of(user):
    return NetworkRole.objects.filter(person__user=user).values("network")


def expertise_visible_to(user) -> QuerySet:
    """Expertise rows ``user`` may find, annotated ``shared`` (the person shares a network with the user), those of
    shared networks first."""
    shares = Exists(NetworkRole.objects.filter(person=OuterRef("person"), network__in=_networks_of(user)))
    in_a_network = Exists(NetworkRole.objects.filter(person=OuterRef("person")))
    return (
        Expertise.objects.annotate(shared=shares)
        .filter(Q(shared=True) | Q(in_a_network, visible_everywhere=True, person__anonymised_at__isnull=True))
        .select_related("topic", "person__organisation", "person__user")
        .order_by("-shared", "topic__name", "-level", "person__name", "pk")
    )


def findable_by(user, person: Person) -> bool:
    """``person`` is found by ``user`` in "Wer weiß was" (for at least one topic)."""
    return expertise_visible_to(user).filter(person=person).exists()
