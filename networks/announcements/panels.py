"""The announcements' panels: in the network's space the latest three, and for the coordination the way to write;
on a working group's page the group's latest (for who may read the group).

The network space is cached per role (networks.views.network_space): a closed working group's announcements are
left out there for members, even for those in the group (they find them on the group's page and in the archive);
the coordination reads every group."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from networks import access
from networks.announcements.models import Announcement
from networks.panels import Panel

LATEST_COUNT = 3


def _latest(request, network) -> dict | None:
    can_write = access.is_coordinator(request.user, network)
    found = Announcement.objects.sent().filter(network=network)
    if not can_write:  # the same page for every member (cached per role): what a member outside all groups reads
        found = found.filter(access.group_allows_q(AnonymousUser()))
    latest = list(found.for_list()[:LATEST_COUNT])
    if not latest and not can_write:
        return None
    return {"announcements": latest, "can_write": can_write, "network": network}


def _group_latest(request, group) -> dict | None:
    """A working group's page: its latest announcements, for who may read the group (nothing when there are none)."""
    if not access.can_read_working_group(request.user, group):
        return None
    latest = list(Announcement.objects.sent().filter(working_group=group).for_list()[:LATEST_COUNT])
    if not latest:
        return None
    return {"announcements": latest, "can_write": False, "network": group.network}


LATEST = Panel("announcements", "announcements/partials/latest_panel.html", _latest, order=5)
GROUP_LATEST = Panel("announcements", "announcements/partials/latest_panel.html", _group_latest, order=40)
