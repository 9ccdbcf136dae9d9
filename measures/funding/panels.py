"""The funding radar on networks' pages (networks/panels.py): the editors' dashboard, the roadmap editors' page
and the network's internal space. Each context runs a fixed number of queries."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from measures.funding import selectors
from networks.panels import Panel


def dashboard_context(request: HttpRequest, person) -> dict | None:
    """My area: my open-funding measures with fitting programmes (3 queries; hidden without any)."""
    measures = selectors.dashboard_fits(request.user, today=timezone.localdate())
    if not measures:
        return None
    shown = selectors.DASHBOARD_MEASURES
    return {"measures": measures[:shown], "more": max(len(measures) - shown, 0)}


def roadmap_editor_context(request: HttpRequest, roadmap) -> dict | None:
    """The roadmap editors' page: every open-funding measure of the roadmap with its fitting programmes."""
    measures = selectors.roadmap_fits(roadmap, today=timezone.localdate())
    return {"roadmap": roadmap, "measures": measures}


def network_space_context(request: HttpRequest, network) -> dict | None:
    """The internal space links to the Förderradar (no query: the page computes it)."""
    return {"network": network}


DASHBOARD = Panel("funding", "funding/panels/dashboard.html", dashboard_context, order=25)
ROADMAP_EDITOR = Panel("funding", "funding/panels/roadmap_editor.html", roadmap_editor_context, order=45)
NETWORK_SPACE = Panel("funding", "funding/panels/network_space.html", network_space_context, order=80)


def register() -> None:
    from networks import panels

    panels.register("dashboard", DASHBOARD)
    panels.register("roadmap_editor", ROADMAP_EDITOR)
    panels.register("network_space", NETWORK_SPACE)
