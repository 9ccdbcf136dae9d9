"""The operators' council pages in the admin: the list of known systems, the endpoints, the links (with history)."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.council.factories import ConsultationFactory, EndpointFactory, LinkFactory, SystemFactory
from tests.helpers import login_with_second_factor
from tests.measures.factories import MeasureFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def test_the_operator_keeps_the_list_of_systems_and_sees_endpoints_and_links(client, personas):
    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    login_with_second_factor(client, staff)
    system = SystemFactory(name="SessionNet Kreis Musterland")
    endpoint = EndpointFactory(system=system, last_error="timeout")
    link = LinkFactory(
        measure=MeasureFactory(roadmap=RoadmapFactory(organisation=endpoint.organisation)),
        paper=ConsultationFactory(paper__endpoint=endpoint).paper,
    )
    for model, obj in (("councilsystem", system), ("councilendpoint", endpoint), ("councillink", link)):
        changelist = reverse(f"admin:council_{model}_changelist")
        assert client.get(changelist, {"q": "Musterland"}).status_code == 200, changelist
        assert client.get(reverse(f"admin:council_{model}_change", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"admin:council_{model}_history", args=[obj.pk])).status_code == 200
    data = {"name": "ALLRIS Beispielstadt", "system_url": "https://ris.beispielstadt.example/oparl", "vendor": "CC"}
    assert client.post(reverse("admin:council_councilsystem_add"), data).status_code == 302
    assert "ALLRIS Beispielstadt" in client.get(reverse("admin:council_councilsystem_changelist")).content.decode()
