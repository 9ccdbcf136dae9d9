"""The embeds' panel on the roadmap editors' dashboard: the code to copy and where to allow websites (no query)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from measures.opendata import absolute  # an address without language prefix: a municipal website keeps it for years
from networks.panels import Panel


def snippet(roadmap, title: str) -> str:
    """The <iframe> a municipal website pastes in: 300 pixels wide, no border, lazy, a title for screen readers."""
    src = absolute("embeds:progress", roadmap.slug)
    return f'<iframe src="{src}" title="{title}" width="300" height="260" style="border:0" loading="lazy"></iframe>'


def editor_context(request: HttpRequest, roadmap) -> dict:
    title = _("%(roadmap)s: progress") % {"roadmap": roadmap.title}
    badge = absolute("embeds:badge", roadmap.slug, "png")
    return {
        "embed_snippet": snippet(roadmap, title),
        "badge_snippet": f'<img src="{badge}" alt="{title}" height="22">',
        "embed_roadmap": roadmap,
    }


EDITOR_PANEL = Panel(key="embeds", template="embeds/partials/editor_panel.html", context=editor_context, order=90)
