"""The pledges panel on a network's public profile (networks/panels.py), registered in MeasuresConfig.ready():

extension_points.register("network_detail", pledge_panel.NETWORK_PLEDGES)
"""

from __future__ import annotations

from django.http import HttpRequest

from measures.models import Pledge
from networks.models import Network
from networks.panels import Panel


def network_detail_context(request: HttpRequest, network: Network) -> dict:
    """How many current member organisations have recorded a pledge, and the link to them (1 query)."""
    members = network.memberships.current().values("organisation")
    count = Pledge.objects.filter(network=network, organisation__in=members).count()
    return {"network": network, "pledge_count": count}


NETWORK_PLEDGES = Panel(
    key="pledges", template="measures/partials/panel_pledges.html", context=network_detail_context, order=150
)
