"""The next public events of a roadmap's network on the public roadmap page (networks/panels.py place "roadmap").

The network that carries a roadmap is the public network its organisation hosts (the same rule as
measures.selectors.roadmap_networks, written here on the roadmap's ``organisation_id``: events cannot import
measures). The page is public and cached for everyone, so only public events are listed, whoever looks.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext

from events.models import Event
from networks import panels

ROADMAP_EVENTS = 4


def roadmap_context(request: HttpRequest, roadmap) -> dict | None:
    """The next public events of the networks the roadmap's organisation hosts (1 query); hidden without any."""
    events = list(
        Event.objects.visible_to(AnonymousUser())
        .active()
        .upcoming()
        .filter(network__host_id=roadmap.organisation_id, network__is_public=True)
        .select_related("network")
        .order_by("starts_at", "pk")[:ROADMAP_EVENTS]
    )
    if not events:
        return None
    return {"roadmap": roadmap, "events": events, "toc": [("events", gettext("Upcoming events"))]}


def register() -> None:
    panels.register(
        "roadmap",
        panels.Panel(key="events", template="events/partials/panel_roadmap.html", context=roadmap_context, order=40),
    )
