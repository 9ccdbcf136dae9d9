"""Permission funnels: the only way views reach a protected object (DESIGN §4).

404 for who may not know an object exists, 403 for who sees it but may not do this.
Every app reuses these predicates; templates get flags, never decide themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks import cache as page_cache
from networks.citizens import roles_scope
from networks.models import (
    AffiliationRequest,
    Campaign,
    Invitation,
    Membership,
    Network,
    NetworkRole,
    Organisation,
    OrganisationRole,
    Person,
    WorkingGroup,
)
from networks.staff import has_staff_powers


def _role_in(user, network: Network) -> str | None:
    """The user's role in the network, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_network_roles", {})
    if network.pk not in cache:
        cache[network.pk] = (
            NetworkRole.objects.filter(network=network, person__user=user).values_list("role", flat=True).first()
        )
    return cache[network.pk]


def is_staff(user) -> bool:
    """Staff powers: only in a session that has used its second factor (networks.staff)."""
    return has_staff_powers(user)


def coordinates_a_network(user) -> bool:
    """Staff, or the coordinator of any network: who curates the measure library and keeps the funding
    programmes. Kept in the cache under the account's roles scope (bumped by every NetworkRole saved or deleted:
    networks.citizens), so a hit is one cache read."""
    if not user.is_authenticated:
        return False
    if is_staff(user):
        return True
    key = f"{page_cache.PREFIX}:coordinates-a-network:{user.pk}"
    coordinates = NetworkRole.objects.filter(person__user=user, role=NetworkRole.Role.COORDINATOR)
    return page_cache.remembered(key, [roles_scope(user.pk)], coordinates.exists)


def is_member(user, network: Network) -> bool:
    """Member or coordinator of the network, or staff: may read network-internal pages."""
    return is_staff(user) or _role_in(user, network) is not None


def is_coordinator(user, network: Network) -> bool:
    return is_staff(user) or _role_in(user, network) == NetworkRole.Role.COORDINATOR


def is_editor(user, organisation: Organisation) -> bool:
    if is_staff(user):
        return True
    if not user.is_authenticated:
        return False
    return OrganisationRole.objects.filter(organisation=organisation, person__user=user).exists()


def access_network(user, slug: str) -> Network:
    """A network whose public profile the user may see (404 otherwise)."""
    return get_object_or_404(Network.objects.visible_to(user).select_related("host"), slug=slug)


def _visible_with_role(user, slug: str) -> Network | None:
    """The network with this address if the user may see it, its ``viewer_role`` read in the same query."""
    role = NetworkRole.objects.filter(network=OuterRef("pk"), person__user=user).values("role")[:1]
    visible = Network.objects.visible_to(user).select_related("host").annotate(viewer_role=Subquery(role))
    return visible.filter(slug=slug).first()


def _access_network_with_role(user, slug: str, *, remembered: bool = False) -> Network:
    """access_network, with the user's role in it read in the same query (for the internal pages, which
    check it at once): one query instead of two, the role cached on the user as _role_in does.

    ``remembered``: the answer kept in the cache (networks.cache.remembered) under the versions of the
    network and the account, which every change of visibility, of a role in the network and of the account
    (staff, active) bumps; for pages that only read."""
    if not user.is_authenticated:
        return access_network(user, slug)
    if remembered:
        scopes = ["global", f"network:{slug}", f"user:{user.pk}"]
        powers = "staff" if has_staff_powers(user) else "user"  # a session without the second factor: no staff
        key = f"{page_cache.PREFIX}:access:{user.pk}:{powers}:{slug}"
        network = page_cache.remembered(key, scopes, lambda: _visible_with_role(user, slug))
    else:
        network = _visible_with_role(user, slug)
    if network is None:
        raise Http404
    user.__dict__.setdefault("_network_roles", {})[network.pk] = network.viewer_role
    return network


def access_network_internal(user, slug: str, *, remembered: bool = False) -> Network:
    """A network whose internal space the user may read: members, coordinators, staff."""
    network = _access_network_with_role(user, slug, remembered=remembered)
    if not is_member(user, network):
        raise PermissionDenied
    return network


def access_network_manage(user, slug: str) -> Network:
    """A network the user coordinates. Members get 403; outsiders 403 on public, 404 on private ones."""
    network = _access_network_with_role(user, slug)
    if not is_coordinator(user, network):
        raise PermissionDenied
    return network


def access_working_group(user, network: Network, pk: int, *, write: bool = False) -> WorkingGroup:
    """Working groups are internal: outsiders get 404, members read, coordinators write."""
    if not is_member(user, network):
        raise Http404
    group = get_object_or_404(WorkingGroup.objects.select_related("topic", "network"), network=network, pk=pk)
    if write and not is_coordinator(user, network):
        raise PermissionDenied
    return group


def access_campaign(user, network: Network, pk: int, *, write: bool = False) -> Campaign:
    if not is_member(user, network):
        raise Http404
    campaign = get_object_or_404(Campaign.objects.select_related("network"), network=network, pk=pk)
    if write and not is_coordinator(user, network):
        raise PermissionDenied
    return campaign


def access_network_role(user, network: Network, pk: int) -> NetworkRole:
    """A role in a network the user coordinates; the role check is cached, so repeating it costs nothing."""
    if not is_coordinator(user, network):
        raise PermissionDenied
    return get_object_or_404(NetworkRole.objects.select_related("person__user"), network=network, pk=pk)


def access_invitation_manage(user, network: Network, pk: int) -> Invitation:
    if not is_coordinator(user, network):
        raise PermissionDenied
    return get_object_or_404(Invitation.objects.all(), network=network, pk=pk)


# --- Affiliations: who may confirm that a person belongs to an organisation ----------------------------------


def _confirmable_organisations(user):
    """Subquery: the organisations whose affiliations ``user`` may confirm (not staff: they may confirm all): those
    they edit, and the current members and hosts of the networks they coordinate (``affiliation_deciders`` is the
    same rule seen from the organisation)."""
    coordinated = NetworkRole.objects.filter(person__user=user, role=NetworkRole.Role.COORDINATOR).values("network")
    return Organisation.objects.filter(
        Q(roles__person__user=user)
        | Q(pk__in=Membership.objects.current().filter(network__in=coordinated).values("organisation"))
        | Q(hosted_networks__in=coordinated)
    ).values("pk")


def affiliation_deciders(organisation: Organisation) -> list[Person]:
    """Who may decide a request for ``organisation`` (staff aside: the admin lists every request): its editors and
    the coordinators of the networks it is a current member or host of; ``_confirmable_organisations`` is the same
    rule seen from the person. One query."""
    networks = Membership.objects.current().filter(organisation=organisation).values("network")
    coordinators = NetworkRole.objects.filter(role=NetworkRole.Role.COORDINATOR).filter(
        Q(network__in=networks) | Q(network__host=organisation)
    )
    editors = OrganisationRole.objects.filter(organisation=organisation)
    return list(
        Person.objects.filter(Q(pk__in=editors.values("person")) | Q(pk__in=coordinators.values("person")))
        .select_related("user")
        .order_by("pk")
    )


def _affiliation_requests_of_deciders(user):
    """The requests (any status) ``user`` may decide; never their own."""
    if not user.is_authenticated:
        return AffiliationRequest.objects.none()
    requests = AffiliationRequest.objects.exclude(person__user=user)
    if is_staff(user):
        return requests
    return requests.filter(organisation__in=_confirmable_organisations(user))


def network_organisations(network: Network):
    """The organisations a network's coordination may assign people to (an invitation, the member import): its
    current member organisations and its host, the same its coordinators may confirm requests for."""
    members = Membership.objects.current().filter(network=network).values("organisation")
    return Organisation.objects.filter(Q(pk__in=members) | Q(pk=network.host_id))


def affiliation_requests_to_decide(user):
    """The pending requests ``user`` may confirm or decline."""
    return _affiliation_requests_of_deciders(user).pending()


def affiliation_is_granted(user, organisation: Organisation) -> bool:
    """Whether the user joins ``organisation`` without a request: its editors (the organisation trusts them
    already) and staff. A coordinator of one of its networks still asks: nobody confirms their own request."""
    return is_editor(user, organisation)


def organisations_to_join(user):
    """What the profile offers: organisations with someone to confirm (editors, or a network that has them as
    member or host), and the user's current and requested ones."""
    confirmable = (
        Q(roles__isnull=False)
        | Q(pk__in=Membership.objects.current().values("organisation"))
        | Q(hosted_networks__isnull=False)
    )
    if user.is_authenticated:
        confirmable |= Q(people__user=user) | Q(
            pk__in=AffiliationRequest.objects.pending().filter(person__user=user).values("organisation")
        )
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(confirmable).values("pk")).order_by("name")


def access_affiliation_request(user, pk: int) -> AffiliationRequest:
    """A request the user may decide (a decided one too: the service then says so). The requester gets 403 on
    their own; everyone else who may not decide it gets 404 (they need not know it exists)."""
    requests = _affiliation_requests_of_deciders(user).select_related("person__user", "organisation")
    request = requests.filter(pk=pk).first()
    if request is not None:
        return request
    if user.is_authenticated and AffiliationRequest.objects.filter(pk=pk, person__user=user).exists():
        raise PermissionDenied
    raise Http404


# --- Working groups, open and closed: one read rule for every room ------------------------------------------
#
# Everyone who may see a network's internal space sees its working groups (their names, descriptions, members).
# What is *in* a group (its discussion, documents, and what the rooms show of it) is read by:
# - an open group: every member of the network (a role in it) and staff;
# - a closed group: its members who have a role in the network, the network's coordinators and staff.
# ``readable_working_groups`` (the QuerySet, ``WorkingGroup.objects.readable_by``), ``can_read_working_group`` (one
# group, for a request), the ``person_`` forms (for mail and digests, which have no request: staff are no exception
# there) and ``in_readable_place`` (rows with an optional working group) are the same rule; tests/groups holds them
# against each other for every persona.


def _groups_readable_by_roles(roles, group_members, groups=None):
    """Groups of the networks of ``roles`` that are open, coordinated through ``roles`` or in ``group_members``."""
    groups = WorkingGroup.objects.all() if groups is None else groups
    return groups.filter(
        Q(network__in=roles.values("network"))
        & (
            Q(is_open=True)
            | Q(network__in=roles.filter(role=NetworkRole.Role.COORDINATOR).values("network"))
            | Q(pk__in=group_members.values("workinggroup_id"))
        )
    )


def readable_working_groups(user, groups=None):
    """``groups`` (all working groups by default) narrowed to those whose content ``user`` may read."""
    groups = WorkingGroup.objects.all() if groups is None else groups
    if is_staff(user):
        return groups
    if not user.is_authenticated:
        return groups.none()
    return _groups_readable_by_roles(
        NetworkRole.objects.filter(person__user=user),
        WorkingGroup.members.through.objects.filter(person__user=user),
        groups,
    )


def person_readable_working_groups(person: Person, groups=None):
    """The same rule for a person (emails, digests, mentions): their roles decide, staff powers do not count."""
    return _groups_readable_by_roles(
        NetworkRole.objects.filter(person=person), WorkingGroup.members.through.objects.filter(person=person), groups
    )


def can_read_working_group(user, group: WorkingGroup) -> bool:
    """May ``user`` read the discussion and documents of ``group`` (the object check of readable_working_groups)."""
    if is_staff(user):
        return True
    if not is_member(user, group.network):
        return False
    if group.is_open or is_coordinator(user, group.network):
        return True
    return group.members.filter(user=user).exists()


def person_may_read_working_group(person: Person, group: WorkingGroup) -> bool:
    return person_readable_working_groups(person, WorkingGroup.objects.filter(pk=group.pk)).exists()


def in_readable_place(user, field: str = "working_group") -> Q:
    """A filter for rows with an optional working group (``field``): those outside groups, and those of groups
    ``user`` may read. The caller still narrows to the networks the user may read."""
    if is_staff(user):
        return Q()
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": readable_working_groups(user).values("pk")})


def person_in_readable_place(person: Person, field: str = "working_group") -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": person_readable_working_groups(person).values("pk")})


def group_allows(user, group: WorkingGroup | None) -> bool:
    """For things that belong to a network and, optionally, to a group (events and their outcomes): outside groups
    and in open groups the thing's own rule decides (e.g. a public event); a closed group's only for those who may
    read the group (can_read_working_group)."""
    return group is None or group.is_open or can_read_working_group(user, group)


def group_allows_q(user, field: str = "working_group") -> Q:
    """``group_allows`` as a filter on ``field`` (the same rule for lists, feeds and panels)."""
    if is_staff(user):
        return Q()
    allowed = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__is_open": True})
    if user.is_authenticated:
        allowed |= Q(**{f"{field}__in": readable_working_groups(user).values("pk")})
    return allowed


def person_group_allows_q(person: Person, field: str = "working_group") -> Q:
    """The same for a person (emails, reminders, personal calendar feeds): their roles decide, staff powers do not."""
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__is_open": True})
        | Q(**{f"{field}__in": person_readable_working_groups(person).values("pk")})
    )


def working_group_readers(group: WorkingGroup):
    """The people who may read ``group`` (a role in its network; a closed group: its members and the coordinators).
    A QuerySet of Person, without staff (a group does not write to staff)."""
    roles = NetworkRole.objects.filter(network_id=group.network_id)
    people = Person.objects.filter(pk__in=roles.values("person"))
    if group.is_open:
        return people
    coordinators = roles.filter(role=NetworkRole.Role.COORDINATOR).values("person")
    members = WorkingGroup.members.through.objects.filter(workinggroup_id=group.pk).values("person")
    return people.filter(Q(pk__in=coordinators) | Q(pk__in=members))


def access_working_group_content(user, network: Network, pk: int) -> WorkingGroup:
    """A working group whose content (discussion, documents) the user may read: outsiders of the network 404,
    the network's members who may not read a closed group 403 (they see the group, not what is in it)."""
    group = access_working_group(user, network, pk)
    if not can_read_working_group(user, group):
        raise PermissionDenied
    return group


class ClosedGroupReaders:
    """The working groups' read rule for a batch of people (digests): ``may(person_id, group_id)`` for the groups
    ``group_ids`` of the batch's items. Open groups and items outside groups are readable (the caller narrowed to the
    person's networks, where they have a role); a closed group's for its members and the network's coordinators.
    No query without group items, three at most whatever the batch."""

    def __init__(self, person_ids, group_ids) -> None:
        person_ids, group_ids = list(person_ids), {pk for pk in group_ids if pk is not None}
        self.closed: dict[int, int] = {}
        if group_ids:
            closed = WorkingGroup.objects.filter(pk__in=group_ids, is_open=False).values_list("pk", "network_id")
            self.closed = dict(closed)
        self.members: set[tuple[int, int]] = set()
        self.coordinators: set[tuple[int, int]] = set()
        if self.closed and person_ids:
            through = WorkingGroup.members.through.objects
            self.members = set(
                through.filter(workinggroup_id__in=list(self.closed), person_id__in=person_ids).values_list(
                    "person_id", "workinggroup_id"
                )
            )
            self.coordinators = set(
                NetworkRole.objects.filter(
                    role=NetworkRole.Role.COORDINATOR,
                    network_id__in=set(self.closed.values()),
                    person_id__in=person_ids,
                ).values_list("person_id", "network_id")
            )

    def may(self, person_id: int, group_id: int | None) -> bool:
        if group_id is None or group_id not in self.closed:
            return True
        return (person_id, group_id) in self.members or (person_id, self.closed[group_id]) in self.coordinators
