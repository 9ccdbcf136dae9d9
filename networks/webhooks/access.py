"""Permission funnels of the webhooks (DESIGN §4): an organisation's endpoints for its editors, a network's for
its coordinators; staff for both. Organisations are public: others get 403. Networks: as every coordinators'
page (access_network_manage: 403, or 404 where the network is not visible). An endpoint of another owner is 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from networks.access import access_network_manage, is_editor
from networks.models import Network, Organisation
from networks.webhooks import kinds as event_types
from networks.webhooks.models import Endpoint


@dataclass(frozen=True)
class Owner:
    """The organisation or network whose webhooks a page shows, with the names of its routes."""

    obj: Organisation | Network
    scope: str

    @property
    def slug(self) -> str:
        return self.obj.slug

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def is_network(self) -> bool:
        return self.scope == event_types.NETWORK

    def route(self, name: str) -> str:
        """``webhooks:organisation-endpoint`` or ``webhooks:network-endpoint`` for ``name`` "endpoint"."""
        return f"webhooks:{self.scope}-{name}"

    @property
    def routes(self) -> dict[str, str]:
        names = ("endpoints", "endpoint-create", "endpoint", "endpoint-edit", "endpoint-delete", "endpoint-test")
        names += ("endpoint-resume", "endpoint-secret")
        return {name.replace("-", "_"): self.route(name) for name in names}

    def endpoints(self):
        return Endpoint.objects.of_owner(self.obj)


def access_owner(user, scope: str, slug: str) -> Owner:
    if scope == event_types.NETWORK:
        return Owner(access_network_manage(user, slug), scope)
    organisation = get_object_or_404(Organisation, slug=slug)
    if not is_editor(user, organisation):
        raise PermissionDenied
    return Owner(organisation, event_types.ORGANISATION)


def access_endpoint(owner: Owner, pk: int) -> Endpoint:
    return get_object_or_404(owner.endpoints(), pk=pk)
