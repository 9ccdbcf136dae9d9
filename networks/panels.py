"""Extension points for apps to the right of networks (DESIGN §2 dependency order).

networks must not import events, measures or monitoring; those apps register here in
their AppConfig.ready():
- panels: a function(request, subject) returning a context dict (or None to stay hidden)
  and the template that renders it, shown on networks' pages;
- personal data: a function(person) returning a dict merged into the GDPR export;
- account deletion: a function(person) run inside the deletion's transaction, before the
  person is anonymised (cancel what the person still holds, delete what is only theirs).
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


# Places: "home" (subject: None), "dashboard" (the Person), "network_detail" and "network_space" (the Network),
# "roadmap" (the public roadmap page) and "roadmap_editor" (the editors' dashboard), both with the Roadmap;
# "working_group" (the group's own page, with the WorkingGroup: its discussion, documents, tasks, meetings);
# "roadmap_summary" (the public roadmap page right after its progress: the gap to the target) with the Roadmap and
# "measure" (the public measure page: its indicators) with the Measure; "measure_editor" (the editors' page of one
# measure, above its form: the measure library's switch and lineage) with the Measure. A panel's context may carry
# "toc": a list of (anchor, label) for the page's table of contents.
_PANELS: dict[str, dict[str, Panel]] = {
    "home": {},
    "dashboard": {},
    "network_detail": {},
    "network_space": {},
    "roadmap": {},
    "roadmap_editor": {},
    "working_group": {},
    "roadmap_summary": {},
    "measure": {},
    "measure_editor": {},
}


def register(place: str, panel: Panel) -> None:
    _PANELS[place][panel.key] = panel


def render_context(place: str, request, subject) -> list[dict]:
    """[{template, ...context}] for every panel that has something to show."""
    out = []
    for panel in sorted(_PANELS[place].values(), key=lambda p: p.order):
        context = panel.context(request, subject)
        if context is not None:
            out.append({"template": panel.template, "key": panel.key, **context})
    return out


_PERSONAL_DATA: dict[str, Callable] = {}
_ON_ACCOUNT_DELETE: dict[str, Callable] = {}


def register_personal_data(key: str, export: Callable) -> None:
    _PERSONAL_DATA[key] = export


def register_account_delete(key: str, handler: Callable) -> None:
    _ON_ACCOUNT_DELETE[key] = handler


def personal_data(person) -> dict:
    data = {}
    for export in _PERSONAL_DATA.values():
        data.update(export(person))
    return data


def before_account_delete(person) -> None:
    for handler in _ON_ACCOUNT_DELETE.values():
        handler(person)
