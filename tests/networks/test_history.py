"""History of invitations, affiliation requests and of which organisation a person belongs to: written by the
coordinators' and deciders' pages with who acted, shown read-only in the admin (tests/admin_history.py) like the
history of networks, memberships and roles; an account deletion erases the address from the invitations' history."""

import pytest
from django.urls import reverse

from networks import affiliations, services
from networks.models import AffiliationRequest, Invitation
from tests.admin_history import (
    DENIED,
    assert_denied,
    assert_flat_queries,
    assert_history_shows,
    assert_read_only,
    changes,
    latest_entry,
    staff_client,
)
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(personas):
    """The editor's organisation, a member of the coordinator's network."""
    organisation = personas.people["editor"].organisation_roles.get().organisation
    f.MembershipFactory(network=personas.network, organisation=organisation)
    return organisation


def test_an_invitation_keeps_who_sent_and_who_withdrew_it(client, personas):
    coordinator = personas.people["coordinator"]
    personas.login(client, "coordinator")
    data = {"email": "neu@example.org", "role": "member", "language": "de"}
    assert client.post(reverse("networks:invitation-create", args=[personas.network.slug]), data).status_code == 302
    invitation = Invitation.objects.get(email="neu@example.org")
    url = reverse("networks:invitation-revoke", args=[personas.network.slug, invitation.pk])
    assert client.post(url).status_code == 302
    records = list(invitation.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~"] and records[-1].revoked_at is not None
    assert {r.history_user for r in records} == {coordinator.user}
    assert not hasattr(records[0], "token")  # the link's secret is not kept
    entry = latest_entry(staff_client(client, personas), invitation)
    assert entry["who"] == coordinator.name and "Zurückgezogen am" in changes(entry)


def test_confirming_an_affiliation_keeps_who_and_the_organisation_before(client, personas, organisation):
    requester = personas.people["member"]
    before = requester.organisation
    request = AffiliationRequest.objects.create(person=requester, organisation=organisation)
    editor = personas.people["editor"]
    personas.login(client, "editor")
    decide = reverse("networks:affiliation-decide", args=[request.pk])
    assert client.post(decide, {"decision": "confirm"}).status_code == 302
    latest = requester.history.order_by("-history_date", "-history_id").first()
    assert (latest.organisation_id, latest.history_user) == (organisation.pk, editor.user)
    assert not hasattr(latest, "phone") and not hasattr(latest, "name")  # the affiliation only, no personal data
    decided = request.history.order_by("-history_date", "-history_id").first()
    assert decided.status == AffiliationRequest.Status.CONFIRMED and decided.history_user == editor.user
    operator = staff_client(client, personas)
    assert_history_shows(
        operator, requester, who=editor.name, label="Organisation", old=str(before or ""), new=organisation.name
    )
    assert_history_shows(
        operator, request, who=editor.name, label="Status", old="wartet auf Bestätigung", new="bestätigt"
    )


def test_a_deleted_account_leaves_no_address_in_the_invitations_history(personas):
    person = f.PersonFactory()
    email = person.user.email
    invitation = f.InvitationFactory(network=personas.network, email=email.upper())
    services.account_delete(user=person.user)
    assert not Invitation.history.filter(email__iexact=email).exists()
    latest = invitation.history.order_by("-history_date", "-history_id").first()
    assert latest.history_type == "~" and latest.revoked_at is not None  # the revocation is recorded


def test_a_network_history_is_read_only_now_too(client, personas):
    network = personas.network
    network.region = "Pfalz"
    network.save(update_fields=["region"])
    operator = staff_client(client, personas)
    assert_read_only(operator, network)
    assert changes(latest_entry(operator, network))["Region"][1] == "Pfalz"


def _objects(personas, organisation):
    return [
        f.InvitationFactory(network=personas.network),
        personas.people["member"],
        AffiliationRequest.objects.create(person=personas.people["member"], organisation=organisation),
    ]


def test_admin_histories_are_read_only(client, personas, organisation):
    operator = staff_client(client, personas)
    for obj in _objects(personas, organisation):
        assert_read_only(operator, obj)


@pytest.mark.parametrize("persona", DENIED)
def test_only_staff_see_the_admin_histories(client, personas, organisation, persona):
    for obj in _objects(personas, organisation):
        assert_denied(client, personas, persona, obj)


def test_admin_history_queries_do_not_grow_with_the_changes(client, personas, organisation):
    operator = staff_client(client, personas)
    other = f.OrganisationFactory()

    def invitation(n):
        obj = f.InvitationFactory(network=personas.network)
        for i in range(n):
            obj.message = f"Hallo {i}"
            obj.save(update_fields=["message"])
        return obj

    def person(n):
        obj = f.PersonFactory(organisation=None)
        for i in range(n):
            affiliations.affiliation_grant(person=obj, organisation=(organisation, other)[i % 2])
        return obj

    for make in (invitation, person):
        assert_flat_queries(operator, make)


def test_the_history_manager_class_is_made_once_and_the_manager_still_belongs_to_its_row(personas):
    """networks.history.share_manager_classes: one class for every access (it was made anew on every save), one
    manager per access, bound to its row as before."""
    from networks.models import Network

    network, other = personas.network, personas.other
    assert type(network.history) is type(other.history) is type(Network.history)
    assert network.history is not network.history
    assert set(network.history.values_list("id", flat=True)) == {network.pk}
    assert set(Network.history.values_list("id", flat=True)) >= {network.pk, other.pk}
