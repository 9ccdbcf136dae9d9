"""What the coordination knows of an invited person: the name greets them in the email and names them in the list
of open invitations; the organisation becomes theirs on joining, unless they have chosen one. From the invitation
form and from the member import (an organisation of the portal matched by its name)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from networks import services
from networks.models import Invitation, NetworkRole
from tests.helpers import de
from tests.networks import factories as f
from tests.networks.test_member_import_export import check, confirm, csv_upload, payload_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def kusel(personas):
    """A member organisation of the network: what its coordination may assign people to."""
    return f.MembershipFactory(network=personas.network, organisation__name="Kreisverwaltung Kusel").organisation


def invite(client, personas, **data):
    personas.login(client, "coordinator")
    url = reverse("networks:invitation-create", args=[personas.network.slug])
    return client.post(url, {"email": "anna@kusel.de", "role": "member", "language": "de", **data})


def test_the_form_keeps_name_and_organisation_and_the_mail_greets_by_name(
    client, personas, kusel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, personas, name=" Anna Beispiel ", organisation=kusel.pk)
    assert response.status_code == 302
    invitation = Invitation.objects.get(network=personas.network)
    assert (invitation.name, invitation.organisation) == ("Anna Beispiel", kusel)
    [message] = mail.outbox
    assert message.body.startswith(de("Hello %(name)s,") % {"name": "Anna Beispiel"})
    assert "Anna Beispiel" in message.alternatives[0][0]
    listed = client.get(reverse("networks:people-manage", args=[personas.network.slug])).content.decode()
    assert "Anna Beispiel" in listed and "anna@kusel.de" in listed and "Kreisverwaltung Kusel" in listed


def test_without_a_name_the_mail_greets_everybody(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, personas, language="en")
    assert mail.outbox[0].body.startswith("Hello,\n")


@pytest.mark.parametrize("persona", ["member", "other_network", "citizen", "editor"])
def test_nobody_but_the_coordination_sees_who_is_invited(client, personas, persona):
    f.InvitationFactory(network=personas.network, email="anna@kusel.de", name="Anna Beispiel")
    personas.login(client, persona)
    response = client.get(reverse("networks:people-manage", args=[personas.network.slug]))
    assert response.status_code in (403, 404) and b"Anna Beispiel" not in response.content


def test_a_bad_organisation_is_a_form_error_and_nothing_is_written(client, personas):
    response = invite(client, personas, organisation="999999")
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    assert not Invitation.objects.exists()


def test_joining_assigns_the_organisation_unless_the_person_has_one(personas, kusel):
    coordinator = personas.people["coordinator"]
    newcomer = f.UserFactory(email="anna@kusel.de")  # an account made in the admin: no person yet
    invitation = services.invitation_create(
        network=personas.network,
        email="anna@kusel.de",
        role="member",
        invited_by=coordinator,
        name="Anna Beispiel",
        organisation=kusel,
        language="en",
    )
    person = services.invitation_accept(invitation=invitation, user=newcomer).person
    assert (person.name, person.organisation, person.language) == ("Anna Beispiel", kusel, "en")

    other = f.OrganisationFactory(name="Energieagentur Rheinland-Pfalz")
    settled = f.PersonFactory(organisation=other)
    invitation = services.invitation_create(
        network=personas.network,
        email=settled.user.email,
        role="member",
        invited_by=coordinator,
        name="Ganz anderer Name",
        organisation=kusel,
    )
    person = services.invitation_accept(invitation=invitation, user=settled.user).person
    person.refresh_from_db()
    assert (person.name, person.organisation) == (settled.name, other)  # what they chose stays


def test_renewing_an_invitation_takes_the_new_name_and_organisation(personas, kusel):
    coordinator = personas.people["coordinator"]
    first = services.invitation_create(
        network=personas.network, email="anna@kusel.de", role="member", invited_by=coordinator, name="A. Beispiel"
    )
    again = services.invitation_create(
        network=personas.network,
        email="anna@kusel.de",
        role="member",
        invited_by=coordinator,
        name="Anna Beispiel",
        organisation=kusel,
    )
    again.refresh_from_db()
    assert again.pk == first.pk and (again.name, again.organisation) == ("Anna Beispiel", kusel)


def test_the_import_keeps_names_and_matches_organisations_by_name(
    client, personas, kusel, django_capture_on_commit_callbacks
):
    personas.login(client, "coordinator")
    network = personas.network
    rows = [
        ["Anna Beispiel", "anna@kusel.de", "  kreisverwaltung KUSEL ", ""],
        ["Bernd Muster", "bernd@example.org", "Stadtwerke Nirgendwo", ""],
        ["Cem Yilmaz", "cem@example.org", "", ""],
    ]
    preview = check(client, network, csv_upload(rows))
    html = preview.content.decode()
    assert html.count(de("not a member organisation of the network: not assigned")) == 1  # Stadtwerke Nirgendwo
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, network, payload_of(preview))
    invitations = {i.email: i for i in Invitation.objects.filter(network=network)}
    assert (invitations["anna@kusel.de"].name, invitations["anna@kusel.de"].organisation) == ("Anna Beispiel", kusel)
    assert (invitations["bernd@example.org"].name, invitations["bernd@example.org"].organisation) == (
        "Bernd Muster",
        None,
    )
    assert invitations["cem@example.org"].organisation is None
    assert NetworkRole.objects.filter(network=network, person__user__email="anna@kusel.de").count() == 0


def test_matching_organisations_is_one_query_however_many_rows(client, personas, django_assert_num_queries):
    personas.login(client, "coordinator")
    for size in (3, 30):
        organisations = [
            f.MembershipFactory(network=personas.network, organisation__name=f"Gemeinde {size}-{n}").organisation
            for n in range(size)
        ]
        rows = [[f"Neu {o.name}", f"neu-{o.pk}@example.org", o.name.upper(), ""] for o in organisations]
        with django_assert_num_queries(4):  # as without organisations (test_member_import_export), plus one
            response = check(client, personas.network, csv_upload(rows))
        assert all(row.organisation_match for row in response.context["preview"].rows)


def test_organisation_names_with_umlauts_match_whatever_the_case(client, personas):
    uebach = f.MembershipFactory(network=personas.network, organisation__name="Stadt Übach-Palenberg").organisation
    personas.login(client, "coordinator")
    rows = [["Anna Beispiel", "anna@example.org", "STADT ÜBACH-PALENBERG", ""]]
    [row] = check(client, personas.network, csv_upload(rows)).context["preview"].rows
    assert row.organisation_match == uebach
