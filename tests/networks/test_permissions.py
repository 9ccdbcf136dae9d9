"""Permission matrix for every networks view: each persona × each view (DESIGN §4)."""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.networks import factories as f

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
EVERYONE = dict.fromkeys(PERSONAS, OK)
LOGGED_IN = {**EVERYONE, "anonymous": REDIRECT}
MEMBERS = {
    "anonymous": REDIRECT,
    "citizen": FORBIDDEN,
    "other_network": FORBIDDEN,
    "member": OK,
    "coordinator": OK,
    "editor": FORBIDDEN,
    "staff": OK,
}
MEMBERS_HIDDEN = {**MEMBERS, "citizen": NOT_FOUND, "other_network": NOT_FOUND, "editor": NOT_FOUND}
COORDINATORS = {**MEMBERS, "member": FORBIDDEN}
COORDINATORS_HIDDEN = {**MEMBERS_HIDDEN, "member": FORBIDDEN}
COORDINATOR_POSTS = {**COORDINATORS, "coordinator": REDIRECT, "staff": REDIRECT}


def _objects(personas):
    network = personas.network
    group = f.WorkingGroupFactory(network=network)
    campaign = f.CampaignFactory(network=network)
    membership = f.MembershipFactory(network=network)
    spare_role = f.NetworkRoleFactory(network=network)
    invitation = f.InvitationFactory(network=network)
    return {
        "group": group,
        "campaign": campaign,
        "membership": membership,
        "role": spare_role,
        "invitation": invitation,
    }


GET_VIEWS = [
    ("networks:home", lambda n, o: [], EVERYONE),
    ("networks:network-list", lambda n, o: [], EVERYONE),
    ("networks:network-detail", lambda n, o: [n.slug], EVERYONE),
    ("networks:imprint", lambda n, o: [], EVERYONE),
    ("networks:privacy", lambda n, o: [], EVERYONE),
    ("networks:accessibility", lambda n, o: [], EVERYONE),
    ("networks:dashboard", lambda n, o: [], LOGGED_IN),
    ("networks:expertise-search", lambda n, o: [], LOGGED_IN),
    ("networks:profile", lambda n, o: [], LOGGED_IN),
    ("networks:profile-export", lambda n, o: [], LOGGED_IN),
    ("networks:account-delete", lambda n, o: [], LOGGED_IN),
    ("networks:network-space", lambda n, o: [n.slug], MEMBERS),
    ("networks:member-list", lambda n, o: [n.slug], MEMBERS),
    ("networks:working-group-list", lambda n, o: [n.slug], MEMBERS),
    ("networks:campaign-list", lambda n, o: [n.slug], MEMBERS),
    ("networks:working-group-detail", lambda n, o: [n.slug, o["group"].pk], MEMBERS_HIDDEN),
    ("networks:campaign-detail", lambda n, o: [n.slug, o["campaign"].pk], MEMBERS_HIDDEN),
    ("networks:network-edit", lambda n, o: [n.slug], COORDINATORS),
    ("networks:membership-list", lambda n, o: [n.slug], COORDINATORS),
    ("networks:people-manage", lambda n, o: [n.slug], COORDINATORS),
    ("networks:invitation-create", lambda n, o: [n.slug], COORDINATORS),
    ("networks:working-group-create", lambda n, o: [n.slug], COORDINATORS),
    ("networks:campaign-create", lambda n, o: [n.slug], COORDINATORS),
    ("networks:working-group-edit", lambda n, o: [n.slug, o["group"].pk], COORDINATORS_HIDDEN),
    ("networks:campaign-edit", lambda n, o: [n.slug, o["campaign"].pk], COORDINATORS_HIDDEN),
]

POST_VIEWS = [
    ("networks:membership-end", lambda n, o: [n.slug, o["membership"].pk]),
    ("networks:role-change", lambda n, o: [n.slug, o["role"].pk]),
    ("networks:role-remove", lambda n, o: [n.slug, o["role"].pk]),
    ("networks:invitation-revoke", lambda n, o: [n.slug, o["invitation"].pk]),
]


def _cases(views):
    return [
        pytest.param(name, args, persona, expected[persona], id=f"{name}-{persona}")
        for name, args, expected in views
        for persona in PERSONAS
    ]


@pytest.mark.parametrize(("url_name", "args", "persona", "status"), _cases(GET_VIEWS))
def test_get_permissions_on_public_network(client, personas, url_name, args, persona, status):
    url = reverse(url_name, args=args(personas.network, _objects(personas)))
    personas.login(client, persona)
    response = client.get(url)
    assert response.status_code == status
    if status == REDIRECT:
        assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize(
    ("url_name", "args", "persona", "status"),
    [
        pytest.param(name, args, persona, COORDINATOR_POSTS[persona], id=f"{name}-{persona}")
        for name, args in POST_VIEWS
        for persona in PERSONAS
    ],
)
def test_post_permissions(client, personas, url_name, args, persona, status):
    objects = _objects(personas)
    url = reverse(url_name, args=args(personas.network, objects))
    personas.login(client, persona)
    response = client.post(url, {"role": "coordinator"})
    assert response.status_code == status


PRIVATE_EXPECTED = {
    "networks:network-detail": {**MEMBERS_HIDDEN, "anonymous": NOT_FOUND},
    "networks:network-space": MEMBERS_HIDDEN,
    "networks:member-list": MEMBERS_HIDDEN,
    "networks:network-edit": COORDINATORS_HIDDEN,
    "networks:people-manage": COORDINATORS_HIDDEN,
    "networks:working-group-create": COORDINATORS_HIDDEN,
}


@pytest.mark.parametrize(
    ("url_name", "persona", "status"),
    [(name, persona, expected[persona]) for name, expected in PRIVATE_EXPECTED.items() for persona in PERSONAS],
)
def test_private_network_is_invisible_to_outsiders(client, personas, url_name, persona, status):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    personas.login(client, persona)
    response = client.get(reverse(url_name, args=[personas.network.slug]))
    assert response.status_code == status


@pytest.mark.parametrize("url_name", [name for name, *_ in POST_VIEWS])
def test_post_only_views_refuse_get(client, personas, url_name):
    objects = _objects(personas)
    args = dict(POST_VIEWS)[url_name](personas.network, objects)
    personas.login(client, "coordinator")
    assert client.get(reverse(url_name, args=args)).status_code == 405


@pytest.mark.parametrize(
    "url_name",
    [
        "networks:home",
        "networks:network-list",
        "networks:dashboard",
        "networks:expertise-search",
        "networks:profile-export",
    ],
)
def test_read_only_views_refuse_post(client, personas, url_name):
    personas.login(client, "member")
    assert client.post(reverse(url_name)).status_code == 405


def test_objects_of_another_network_are_not_reachable_through_mine(client, personas):
    """IDOR: a coordinator cannot reach another network's objects by swapping ids into their own URLs."""
    foreign_group = f.WorkingGroupFactory(network=personas.other)
    foreign_role = f.NetworkRoleFactory(network=personas.other)
    foreign_invitation = f.InvitationFactory(network=personas.other)
    foreign_membership = f.MembershipFactory(network=personas.other)
    personas.login(client, "coordinator")
    slug = personas.network.slug
    assert client.get(reverse("networks:working-group-edit", args=[slug, foreign_group.pk])).status_code == 404
    assert client.post(reverse("networks:role-remove", args=[slug, foreign_role.pk])).status_code == 404
    assert client.post(reverse("networks:invitation-revoke", args=[slug, foreign_invitation.pk])).status_code == 404
    assert client.post(reverse("networks:membership-end", args=[slug, foreign_membership.pk])).status_code == 404
    foreign_role.refresh_from_db()
    foreign_membership.refresh_from_db()
    assert foreign_membership.until is None
