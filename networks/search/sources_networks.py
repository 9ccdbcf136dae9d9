"""What networks' own models contribute to the search: networks, working groups, people, organisations.

Each document carries the scopes of the page it links to (the page's own access rule):
- a network's profile (networks:network-detail): public networks for everyone, others for their members;
- a working group (networks:working-group-detail): the network's members;
- a person: one entry per network role, linking to that network's member directory filtered by the name, for the
  network's members (name, job title, organisation, expertise; never email or phone). Anonymised people are not
  indexed;
- an organisation: linking to the profile of a network it belongs to (which lists its member organisations),
  public when that network is public, else for its members; organisations in no network are not indexed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from networks.models import Expertise, Membership, Network, NetworkRole, Organisation, Person, WorkingGroup
from networks.search import scopes
from networks.search.registry import Dependency, SearchDocument, Source, register


def _lines(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


# --- Networks -------------------------------------------------------------------------------------------------


def _network_scopes(network: Network) -> frozenset[str]:
    return frozenset({scopes.PUBLIC if network.is_public else scopes.members(network.pk)})


def network_document(network: Network) -> SearchDocument:
    return SearchDocument(
        title=f"{network.name} ({network.short_name})" if network.short_name else network.name,
        body=_lines(
            network.get_kind_display(),
            network.host.name if network.host_id else "",
            network.region,
            network.meeting_rhythm,
            network.funding_programme,
            network.description,
            network.goals,
        ),
        url=reverse("networks:network-detail", args=[network.slug]),
        network_id=network.pk,
        scopes=_network_scopes(network),
        date=network.created_at,
    )


# --- Working groups -------------------------------------------------------------------------------------------


def working_group_document(group: WorkingGroup) -> SearchDocument:
    return SearchDocument(
        title=group.name,
        body=_lines(group.topic.name if group.topic_id else "", group.description),
        url=reverse("networks:working-group-detail", args=[group.network.slug, group.pk]),
        network_id=group.network_id,
        scopes=frozenset({scopes.members(group.network_id)}),
        date=group.created_at,
    )


# --- People (one entry per network role) ----------------------------------------------------------------------


def person_document(role: NetworkRole) -> SearchDocument | None:
    person = role.person
    if person.anonymised_at is not None:
        return None
    expertise = [
        _lines(item.topic.name, item.topic.name_en, item.get_level_display(), item.note)
        for item in person.expertise.all()
    ]
    url = reverse("networks:member-list", args=[role.network.slug]) + "?" + urlencode({"q": person.name})
    return SearchDocument(
        title=person.name,
        body=_lines(person.job_title, person.organisation.name if person.organisation_id else "", *expertise),
        url=url,
        network_id=role.network_id,
        scopes=frozenset({scopes.members(role.network_id)}),
        date=None,
    )


def _roles_of_person(person: Person):
    return NetworkRole.objects.filter(person_id=person.pk)


def _roles_of_expertise(item: Expertise):
    return NetworkRole.objects.filter(person_id=item.person_id)


# --- Organisations --------------------------------------------------------------------------------------------


def organisation_document(organisation: Organisation) -> SearchDocument | None:
    networks = [m.network for m in organisation.search_memberships]
    networks += [n for n in organisation.hosted_networks.all() if n not in networks]
    if not networks:
        return None
    home = next((n for n in networks if n.is_public), networks[0])
    doc_scopes = set()
    for network in networks:
        doc_scopes |= _network_scopes(network)
    if not home.is_public:  # the page linked is the private network's: only its members may open it
        doc_scopes = {scopes.members(home.pk)}
    return SearchDocument(
        title=f"{organisation.name} ({organisation.short_name})" if organisation.short_name else organisation.name,
        body=_lines(organisation.get_kind_display(), organisation.get_state_display(), organisation.website),
        url=reverse("networks:network-detail", args=[home.slug]),
        network_id=home.pk,
        scopes=frozenset(doc_scopes),
        date=None,
    )


def _organisation_queryset():
    return Organisation.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related("network").order_by("network__name"),
            to_attr="search_memberships",
        ),
        "hosted_networks",
    )


def _organisations_of_membership(membership: Membership):
    return [Organisation(pk=membership.organisation_id)]


def _organisations_of_network(network: Network):
    return Organisation.objects.filter(Q(memberships__network=network) | Q(pk=network.host_id)).distinct()


def register_sources() -> None:
    register(
        Source(
            kind="network",
            label=_("Networks"),
            model=Network,
            document=network_document,
            queryset=lambda: Network.objects.select_related("host"),
            order=80,
        )
    )
    register(
        Source(
            kind="working_group",
            label=_("Working groups"),
            model=WorkingGroup,
            document=working_group_document,
            queryset=lambda: WorkingGroup.objects.select_related("network", "topic"),
            dependencies=(Dependency(Network, lambda network: network.working_groups.all()),),
            order=60,
        )
    )
    register(
        Source(
            kind="person",
            label=_("People"),
            model=NetworkRole,
            document=person_document,
            queryset=lambda: NetworkRole.objects.select_related("person__organisation", "network").prefetch_related(
                Prefetch("person__expertise", queryset=Expertise.objects.select_related("topic"))
            ),
            dependencies=(Dependency(Person, _roles_of_person), Dependency(Expertise, _roles_of_expertise)),
            order=70,
        )
    )
    register(
        Source(
            kind="organisation",
            label=_("Organisations"),
            model=Organisation,
            document=organisation_document,
            queryset=_organisation_queryset,
            dependencies=(
                Dependency(Membership, _organisations_of_membership),
                Dependency(Network, _organisations_of_network),
            ),
            order=85,
        )
    )
