"""Fuzz entries of networks.webhooks (label webhooks; see tests/fuzz/endpoints.py).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| webhooks:organisation-endpoint-create | POST | editor | EndpointForm | – |
| webhooks:organisation-endpoint-edit | POST | editor | EndpointForm (an endpoint) | – |
| webhooks:network-endpoint-create | POST | coordinator | EndpointForm | – |
| webhooks:network-endpoint-edit | POST | coordinator | EndpointForm (an endpoint) | – |
| webhooks:*-endpoint-test, -resume, -secret, -delete | POST | owner | – | – |
| webhooks:organisation-endpoint | GET | editor | – | page (the delivery log's page) |
| webhooks:network-endpoint | GET | coordinator | – | page (the delivery log's page) |
| webhooks:*-endpoints | GET | owner | – | – |

The valid address is an IP literal on the internet: the form's check resolves it without asking DNS (the tests
never reach the network outside loopback).
"""

from __future__ import annotations

from django.urls import reverse

from networks.webhooks.access import Owner
from networks.webhooks.forms import EndpointForm
from networks.webhooks.kinds import NETWORK, ORGANISATION
from tests.fuzz.engine import Endpoint
from tests.webhooks.factories import endpoint_of

VALID_URL = "https://93.184.215.14/klimanetz"


def _owner(w, scope: str) -> Owner:
    return Owner(w.network if scope == NETWORK else w.organisation, scope)


def _hook(w, scope: str):
    owner = _owner(w, scope)
    return owner.endpoints().first() or endpoint_of(owner.obj, VALID_URL, kinds=[])


def _entries(scope: str, persona: str) -> list:
    first = scope == ORGANISATION
    return [
        Endpoint(
            f"webhooks:{scope}-endpoint-create",
            persona,
            lambda w: reverse(f"webhooks:{scope}-endpoint-create", args=[_owner(w, scope).slug]),
            lambda w: [EndpointForm(owner=_owner(w, scope))],
            covers=(EndpointForm,) if first else (),
            valid={"url": VALID_URL},
        ),
        Endpoint(
            f"webhooks:{scope}-endpoint-edit",
            persona,
            lambda w: reverse(f"webhooks:{scope}-endpoint-edit", args=[_owner(w, scope).slug, _hook(w, scope).pk]),
            lambda w: [EndpointForm(owner=_owner(w, scope), instance=_hook(w, scope))],
            valid={"url": VALID_URL},
        ),
        Endpoint(
            f"webhooks:{scope}-endpoint",
            persona,
            lambda w: reverse(f"webhooks:{scope}-endpoint", args=[_owner(w, scope).slug, _hook(w, scope).pk]),
            method="get",
            extra={"page": "1"},
        ),
    ]


ENDPOINTS: list = [*_entries(ORGANISATION, "editor"), *_entries(NETWORK, "coordinator")]
NOT_FUZZED: dict[str, str] = {
    f"webhooks:{scope}-endpoint-{action}": "no input (a button; tests/webhooks/test_views.py)"
    for scope in (ORGANISATION, NETWORK)
    for action in ("test", "resume", "secret", "delete")
}
READ_ONLY: set[str] = {f"webhooks:{scope}-endpoints" for scope in (ORGANISATION, NETWORK)}
