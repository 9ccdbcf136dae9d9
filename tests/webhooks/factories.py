"""Endpoints for tests, written directly (the URL check of the form is tested on its own)."""

from __future__ import annotations

from networks.models import Network
from networks.webhooks import kinds as event_types
from networks.webhooks import signing
from networks.webhooks.models import Endpoint


def endpoint_of(owner, url: str, *, kinds: list[str] | None = None, **fields) -> Endpoint:
    scope = event_types.NETWORK if isinstance(owner, Network) else event_types.ORGANISATION
    owner_field = "network" if scope == event_types.NETWORK else "organisation"
    return Endpoint.objects.create(
        **{owner_field: owner},
        url=url,
        description=fields.pop("description", "Website"),
        kinds=kinds if kinds is not None else [t.code for t in event_types.of_scope(scope)],
        secret=signing.new_secret(),
        **fields,
    )
