"""The council link on the measure pages (networks.panels): the public measure page shows its decisions (one
query when there are none, two otherwise); the measure's editor page shows them with the consultations read since
they were linked; the roadmap editors' page links to the council information system (one query)."""

from __future__ import annotations

from django.utils.translation import gettext

from measures.council import selectors
from measures.council.messages import error_message
from networks import panels


def public_context(request, measure) -> dict | None:
    links = selectors.links_of(measure)
    if not links:
        return None
    return {"lines": selectors.lines_of(links), "toc": [("council", gettext("Council decisions"))]}


def editor_context(request, measure) -> dict:
    links = selectors.links_of(measure)
    return {"measure": measure, "lines": selectors.lines_of(links), "news": selectors.news_of(links)}


def roadmap_editor_context(request, roadmap) -> dict:
    endpoint = selectors.endpoint_of(roadmap.organisation)
    return {"roadmap": roadmap, "endpoint": endpoint, "error": error_message(endpoint) if endpoint else ""}


def register() -> None:
    panels.register("measure", panels.Panel("council", "council/panels/measure.html", public_context, 20))
    panels.register("measure_editor", panels.Panel("council", "council/panels/measure_editor.html", editor_context, 20))
    panels.register(
        "roadmap_editor", panels.Panel("council", "council/panels/roadmap_editor.html", roadmap_editor_context, 85)
    )
