"""Issue 18's "done when", the webhooks' part: an editor registers an endpoint on the organisation's page, sets a
measure's status through the API with a token over a real socket (as curl does), and the registered endpoint
receives the change, signed so that the documented snippet verifies it."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from api.tokens import token_create
from networks.webhooks import signing
from networks.webhooks.models import Delivery
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.outbound.server import ReceivingServer


@pytest.mark.django_db(transaction=True)
def test_a_status_set_with_curl_reaches_the_registered_webhook(live_server, personas, settings):
    editor = personas.people["editor"]
    organisation = editor.organisation_roles.get().organisation
    roadmap = RoadmapFactory(organisation=organisation, slug="kreis-dueren")
    measure = MeasureFactory(roadmap=roadmap, code="M-1", slug="m-1", title="Balkon-PV für Mieter*innen")
    with ReceivingServer() as receiver:
        settings.OUTBOUND_ALLOW_PRIVATE = True  # the receiver runs on 127.0.0.1
        settings.OUTBOUND_CA_BUNDLE = str(receiver.ca_path)
        browser = Client()
        browser.force_login(editor.user)
        monitoring = browser.get(reverse("monitoring:organisation", args=[organisation.slug])).content.decode()
        endpoints_url = reverse("webhooks:organisation-endpoints", args=[organisation.slug])
        assert endpoints_url in monitoring  # the editors' navigation leads there
        created = browser.post(
            reverse("webhooks:organisation-endpoint-create", args=[organisation.slug]),
            {"url": receiver.url("/klimanetz"), "description": "Website des Kreises", "kinds": ["measure.changed"]},
        )
        secret = browser.get(created["Location"]).context["secret"]
        _token, raw = token_create(user=editor.user, name="Redaktionssystem", scope="write")

        # curl -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        #      -d '{"status": "completed"}' $SITE/api/v1/roadmaps/kreis-dueren/measures/m-1/status/
        request = urllib.request.Request(  # noqa: S310 (the test's own server)
            f"{live_server.url}/api/v1/roadmaps/{roadmap.slug}/measures/{measure.slug}/status/",
            data=json.dumps({"status": "completed"}).encode(),
            headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310 (the test's own server)
            assert answer.status == 200

    (received,) = receiver.received
    scope: dict = {}
    exec(signing.PYTHON_SNIPPET, scope)  # noqa: S102 (the documented snippet, as a receiver runs it)
    assert scope["verify"](secret, received.raw_headers, received.body)
    body = json.loads(received.body)
    assert body["type"] == "measure.changed"
    assert body["data"]["changed_fields"] == ["status"]
    assert body["data"]["measure"]["status"] == "completed"
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
    log = browser.get(
        reverse("webhooks:organisation-endpoint", args=[organisation.slug, Delivery.objects.get().endpoint_id])
    )
    assert [d.kind for d in log.context["page"].object_list] == ["measure.changed"]
