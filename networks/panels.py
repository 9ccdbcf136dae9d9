"""Extension points for apps to the right of networks (DESIGN §2 dependency order).

networks must not import events, measures or monitoring; those apps register
panels here in their AppConfig.ready(), and networks' pages render them.
A panel is a function(request, person_or_network) returning a context dict (or
None to stay hidden) and the template that renders it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable
    order: int = 100


# Places: "home" (subject: None), "dashboard" (the Person), "network_detail" and "network_space" (the Network).
_PANELS: dict[str, dict[str, Panel]] = {"home": {}, "dashboard": {}, "network_detail": {}, "network_space": {}}


def register(place: str, panel: Panel) -> None:
    _PANELS[place][panel.key] = panel


def render_context(place: str, request, subject) -> list[dict]:
    """[{template, ...context}] for every panel that has something to show."""
    out = []
    for panel in sorted(_PANELS[place].values(), key=lambda p: p.order):
        context = panel.context(request, subject)
        if context is not None:
            out.append({"template": panel.template, **context})
    return out
