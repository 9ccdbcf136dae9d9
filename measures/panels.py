"""The measures app's panels on networks' pages (networks/panels.py), registered in MeasuresConfig.ready().

Each context function runs a fixed number of queries, however many roadmaps and measures there are.
"""

from __future__ import annotations

from django.http import HttpRequest

from measures import selectors
from measures.models import Roadmap
from networks.panels import Panel


def home_context(request: HttpRequest, _subject) -> dict | None:
    """Home page: a few published climate roadmaps with target year and progress, the viewer's organisation's first,
    and how many there are (3 queries); hidden without any."""
    roadmaps, count = selectors.home_roadmaps(request.user)
    return {"roadmaps": roadmaps, "count": count} if roadmaps else None


HOME_ROADMAPS = Panel(
    key="roadmaps", template="measures/partials/public_panel_home.html", context=home_context, order=50
)


def my_roadmaps_context(request: HttpRequest, person) -> dict | None:
    """My area: the roadmaps of the organisations I edit, with links to their editor pages (1 query)."""
    roadmaps = list(Roadmap.objects.editable_by(request.user).select_related("organisation").order_by("title"))
    return {"roadmaps": roadmaps} if roadmaps else None


MY_ROADMAPS = Panel(
    key="roadmaps", template="measures/partials/panel_my_roadmaps.html", context=my_roadmaps_context, order=20
)
