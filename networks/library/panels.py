"""The library's panels on networks' pages (networks/panels.py): the latest documents in the network space and a
working group's documents on its page (1 query each)."""

from __future__ import annotations

from django.http import HttpRequest

from networks import panels
from networks.library import selectors
from networks.models import Network, WorkingGroup

LATEST = 5
GROUP_DOCUMENTS = 8


def network_space_context(request: HttpRequest, network: Network) -> dict:
    return {"network": network, "documents": selectors.latest(network, limit=LATEST)}


def working_group_context(request: HttpRequest, group: WorkingGroup) -> dict:
    return {
        "network": group.network,
        "group": group,
        "documents": selectors.latest(group.network, group=group, limit=GROUP_DOCUMENTS),
    }


def register() -> None:
    panels.register(
        "network_space", panels.Panel("library-latest", "library/panels/network_space.html", network_space_context, 40)
    )
    panels.register(
        "working_group", panels.Panel("library-group", "library/panels/working_group.html", working_group_context, 30)
    )
