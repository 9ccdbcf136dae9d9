"""The networks' part of the world that sends every kind of email (tests/mail/conftest.py send_everything)."""

from __future__ import annotations

from networks.membership_requests import membership_request_send
from networks.models import NetworkRole
from tests.networks import factories as f


def send_membership_requests(people) -> None:
    """The people coordinate a network; someone who is not a member asks to join it (membership_requested)."""
    network = f.NetworkFactory(name="Klimafrühstück Beitritt", short_name="Klimafrühstück B")
    for person in people:
        f.NetworkRoleFactory(network=network, person=person, role=NetworkRole.Role.COORDINATOR)
    asking = f.PersonFactory(name="Klimafrühstück Interessentin")
    told = membership_request_send(network=network, person=asking, note="Klimafrühstück: wir machen gern mit.")
    assert told == len(people)
