"""A private network is invisible to outsiders (DESIGN §4). Who may open which page of a public network, every
URL × every persona, is the one authorization matrix: tests/security/test_url_matrix.py (the rows that repeated it
here are gone); the security world has no private network, hence this table."""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
MEMBERS_HIDDEN = {
    "anonymous": REDIRECT,
    "citizen": NOT_FOUND,
    "other_network": NOT_FOUND,
    "member": OK,
    "coordinator": OK,
    "editor": NOT_FOUND,
    "staff": OK,
}
COORDINATORS_HIDDEN = {**MEMBERS_HIDDEN, "member": FORBIDDEN}

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
