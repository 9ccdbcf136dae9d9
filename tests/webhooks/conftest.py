"""The webhooks' world: a receiving HTTPS server on 127.0.0.1 (tests/outbound/server.py) and endpoints."""

from __future__ import annotations

import pytest

from networks.webhooks import services
from tests.measures.factories import RoadmapFactory
from tests.outbound.server import ReceivingServer
from tests.webhooks.factories import endpoint_of


@pytest.fixture
def receiver(settings):
    """A server that answers 200 "ok"; the test may set ``receiver.handler``. Private targets are allowed for it."""
    with ReceivingServer() as server:
        settings.OUTBOUND_ALLOW_PRIVATE = True
        settings.OUTBOUND_CA_BUNDLE = str(server.ca_path)
        yield server


@pytest.fixture
def roadmap(db):
    return RoadmapFactory(slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


@pytest.fixture
def endpoint(roadmap, receiver):
    return endpoint_of(roadmap.organisation, receiver.url("/hooks/klimanetz"))


@pytest.fixture
def send_all():
    """Deliver every due row now, as the beat sweep would (tasks run in-process in the tests)."""

    def send(now=None) -> list[str]:
        return [services.delivery_attempt(delivery_id=pk, now=now) for pk in services.due_ids(now=now)]

    return send
