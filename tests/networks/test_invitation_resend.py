"""Open invitations can be sent again, not only withdrawn (issue 14 §4 FINDINGS)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import Invitation, OutboxMessage
from tests.conftest import PERSONAS
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


def _url(invitation) -> str:
    return reverse("networks:invitation-resend", args=[invitation.network.slug, invitation.pk])


def test_an_expired_invitation_is_sent_again_with_the_same_link_and_a_new_period(client, personas):
    invitation = f.InvitationFactory(
        network=personas.network, email="anna@example.org", name="Anna", expires_at=timezone.now() - timedelta(days=1)
    )
    token = invitation.token
    personas.login(client, "coordinator")
    page = client.get(reverse("networks:people-manage", args=[personas.network.slug])).text
    assert f'action="{_url(invitation)}"' in page
    response = client.post(_url(invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token == token and invitation.expires_at > timezone.now() + timedelta(days=1)
    assert invitation.invited_by == personas.people["coordinator"]
    mail = OutboxMessage.objects.get(recipient="anna@example.org", reason="invitation")
    assert invitation.get_absolute_url() in mail.body_text
    assert Invitation.objects.count() == 1


def test_sending_twice_sends_twice_but_keeps_one_invitation(client, personas):
    invitation = f.InvitationFactory(network=personas.network)
    personas.login(client, "coordinator")
    client.post(_url(invitation))
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    client.post(_url(invitation))
    assert OutboxMessage.objects.filter(reason="invitation").count() == 2
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("state", ["used_at", "revoked_at"])
def test_an_accepted_or_withdrawn_invitation_is_not_sent_again(client, personas, state):
    invitation = f.InvitationFactory(network=personas.network, **{state: timezone.now()})
    personas.login(client, "coordinator")
    response = client.post(_url(invitation))
    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_coordination_sends_again(client, personas, persona):
    invitation = f.InvitationFactory(network=personas.network)
    personas.login(client, persona)
    response = client.post(_url(invitation))
    expected = {"anonymous": 302, "coordinator": 302, "staff": 302}.get(persona, 403)
    assert response.status_code == expected
    sent = OutboxMessage.objects.filter(reason="invitation").exists()
    assert sent is (persona in ("coordinator", "staff"))
    assert client.get(_url(invitation)).status_code in (302, 405)  # never by GET
