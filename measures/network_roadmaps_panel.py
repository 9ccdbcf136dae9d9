"""A network's public profile lists the public roadmaps of the organisation that hosts it (networks/panels.py
place "network_detail"), so a citizen reaches the roadmap from the network as from the roadmap the network
(measures.selectors.roadmap_networks: the same rule both ways)."""

from __future__ import annotations

from django.http import HttpRequest

from measures import selectors
from networks.models import Network
from networks.panels import Panel


def network_detail_context(request: HttpRequest, network: Network) -> dict | None:
    """The host's published roadmaps (1 query); hidden without any."""
    roadmaps = selectors.network_roadmaps(network)
    return {"network": network, "roadmaps": roadmaps} if roadmaps else None


NETWORK_ROADMAPS = Panel(
    key="roadmaps", template="measures/partials/panel_network_roadmaps.html", context=network_detail_context, order=20
)
