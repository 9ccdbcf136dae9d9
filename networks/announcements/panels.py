"""The announcements' panel in the network's space: the latest three, and for the coordination the way to write."""

from __future__ import annotations

from networks import access
from networks.announcements.models import Announcement
from networks.panels import Panel

LATEST_COUNT = 3


def _latest(request, network) -> dict | None:
    latest = list(Announcement.objects.sent().filter(network=network).for_list()[:LATEST_COUNT])
    can_write = access.is_coordinator(request.user, network)
    if not latest and not can_write:
        return None
    return {"announcements": latest, "can_write": can_write, "network": network}


LATEST = Panel("announcements", "announcements/partials/latest_panel.html", _latest, order=5)
