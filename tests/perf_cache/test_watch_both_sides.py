"""The cache watcher (networks.cache.watch) from both sides of every watched many-to-many relation (issue 14,
2.1): a change made from the other side (a person's working groups, an organisation's campaigns) bumps the
scopes of every row on the watched side, also for clear(), where Django names no rows after the fact.

With the page cache on (as in production), a coordinator removing a person who is in a working group and a
person deleting their own account answered 500 and rolled back; the removed member kept reading the
network's internal pages."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from networks import cache
from networks.models import NetworkRole, Person, User, WorkingGroup
from tests.events.factories import EventFactory, RegistrationFactory
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


@pytest.fixture
def world(personas):
    """The member in a working group of the network and registered for an internal event with minutes."""
    network, member = personas.network, personas.people["member"]
    group = f.WorkingGroupFactory(network=network, name="AG Wärmeplanung")
    group.members.add(member, personas.people["coordinator"])
    event = EventFactory(
        network=network,
        online_url="https://meet.example.org/ag-waermeplanung",
        minutes="Die AG vergleicht die Ausschreibungen der Wärmeplanung.",
        minutes_published_at=timezone.now(),
    )
    RegistrationFactory(event=event, person=member)
    return {"network": network, "member": member, "group": group, "event": event}


def member_pages(world) -> dict[str, str]:
    slug = world["network"].slug
    return {
        "space": reverse("networks:network-space", args=[slug]),
        "directory": reverse("networks:member-list", args=[slug]),
        "group": reverse("networks:working-group-detail", args=[slug, world["group"].pk]),
        "event": reverse("events:event-detail", args=[slug, world["event"].pk]),
    }


def as_member(personas) -> Client:
    client = Client()
    client.force_login(personas.user("member"))
    return client


def test_the_member_reads_every_internal_page_before(personas, world):
    client = as_member(personas)
    for name, url in member_pages(world).items():
        assert client.get(url).status_code == 200, name
    assert client.get(member_pages(world)["space"])["X-Page-Cache"] == "hit"
    event_page = client.get(member_pages(world)["event"]).content.decode()
    assert "https://meet.example.org/ag-waermeplanung" in event_page
    assert "vergleicht die Ausschreibungen" in event_page


def test_coordinator_removes_a_member_of_a_working_group(client, personas, world):
    member = as_member(personas)
    for url in member_pages(world).values():
        assert member.get(url).status_code == 200  # the space is now cached for members, the access remembered
    role = NetworkRole.objects.get(network=world["network"], person=world["member"])
    personas.login(client, "coordinator")
    response = client.post(reverse("networks:role-remove", args=[world["network"].slug, role.pk]))
    assert response.status_code == 302
    assert not NetworkRole.objects.filter(pk=role.pk).exists()
    assert list(world["group"].members.all()) == [personas.people["coordinator"]]
    pages = member_pages(world)
    assert member.get(pages["space"]).status_code == 403  # was cached for them a moment ago
    assert member.get(pages["directory"]).status_code == 403
    assert member.get(pages["group"]).status_code == 404
    event = member.get(pages["event"])
    assert event.status_code == 404
    assert b"meet.example.org" not in event.content


def test_a_person_deletes_their_own_account(client, personas, world):
    user = personas.user("member")
    phone = as_member(personas)  # a second session of the same account, e.g. on the phone
    assert phone.get(member_pages(world)["space"]).status_code == 200  # the account is remembered in the cache
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})  # the password first
    response = client.post(reverse("networks:account-delete"), {"confirm": user.email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    person = Person.objects.get(pk=world["member"].pk)
    assert person.user is None and person.anonymised_at is not None
    assert not person.working_groups.exists() and not person.network_roles.exists()
    pages = member_pages(world)
    event = phone.get(pages.pop("event"))  # open to anyone signed in or not: an internal event is not found
    assert event.status_code == 404 and b"meet.example.org" not in event.content
    for name, url in pages.items():
        response = phone.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"], name  # not signed in


def test_removing_the_working_groups_from_the_person_side_renews_the_space(client, personas, world):
    url = member_pages(world)["space"]
    personas.login(client, "coordinator")
    assert client.get(url)["X-Page-Cache"] in ("miss", "hit")
    assert client.get(url)["X-Page-Cache"] == "hit"
    world["member"].working_groups.remove(world["group"])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    personas.people["coordinator"].working_groups.clear()  # pre_clear names the groups, post_clear bumps
    assert client.get(url)["X-Page-Cache"] == "miss"
    personas.people["coordinator"].working_groups.add(world["group"])
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_each_side_bumps_the_scopes_of_the_watched_rows(personas, world):
    """Every watched relation (working-group members, campaign organisations, measure partners, indicator
    measures, ...) from the other side: the versions of the watched rows' scopes move."""
    network = world["network"]
    scope = f"network:{network.slug}"
    organisation = f.OrganisationFactory()
    campaign = f.CampaignFactory(network=network)
    changes = [
        lambda: organisation.campaigns.add(campaign),
        lambda: organisation.campaigns.remove(campaign),
        lambda: organisation.campaigns.set([campaign]),
        lambda: organisation.campaigns.clear(),
        lambda: world["member"].working_groups.set([]),
        lambda: world["member"].working_groups.add(world["group"]),
    ]
    for change in changes:
        before = cache.lookup("-", [scope])[0]
        change()
        assert cache.lookup("-", [scope])[0] != before, change
    assert WorkingGroup.objects.filter(members=world["member"]).exists()


def _write_services(personas, world) -> dict:
    """Every write service that changes memberships, roles, working groups or accounts (networks.services)."""
    from networks import services

    network, member = world["network"], world["member"]
    newcomer = f.PersonFactory()
    organisation = f.OrganisationFactory()
    role = NetworkRole.objects.get(network=network, person=member)

    def invitation_accept():
        invitation = f.InvitationFactory(network=network, email=newcomer.user.email)
        services.invitation_accept(invitation=invitation, user=newcomer.user)

    return {
        "membership_add": lambda: services.membership_add(network=network, organisation=organisation),
        "membership_end": lambda: services.membership_end(membership=f.MembershipFactory(network=network)),
        "network_role_grant": lambda: services.network_role_grant(network=network, person=newcomer, role="member"),
        "network_role_change": lambda: services.network_role_change(role=role, new_role="coordinator"),
        "network_role_remove": lambda: services.network_role_remove(role=role),
        "invitation_accept": invitation_accept,
        "account_delete": lambda: services.account_delete(user=member.user),
        "working_group_members": lambda: world["group"].members.remove(member),
    }


@pytest.mark.parametrize(
    "name",
    [
        "membership_add",
        "membership_end",
        "network_role_grant",
        "network_role_change",
        "network_role_remove",
        "invitation_accept",
        "account_delete",
        "working_group_members",
    ],
)
def test_every_write_service_renews_the_cached_network_space(client, personas, world, name):
    """With the caches on (as in production): the write succeeds, and the network's space cached for its
    coordinator a moment before is rendered afresh."""
    url = member_pages(world)["space"]
    personas.login(client, "coordinator")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    _write_services(personas, world)[name]()
    assert client.get(url)["X-Page-Cache"] == "miss"
