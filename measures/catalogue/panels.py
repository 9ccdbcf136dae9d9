"""The library on the measure pages (networks.panels): on the editors' page the switch "In die
Maßnahmenbibliothek aufnehmen" and the lineage; on the public page the lineage both ways (the entry this measure
was copied from, and the entry it was offered as, with its number of adopters). One query each."""

from __future__ import annotations

from django.db.models import Q

from measures.catalogue.models import Adoption, LibraryEntry
from networks import panels


def _entries_of(measure) -> dict:
    """The entry the measure was offered as (``offered``) and the one it was copied from (``origin``), one query."""
    entries = list(
        LibraryEntry.objects.filter(
            Q(source_measure_id=measure.pk) | Q(pk__in=Adoption.objects.filter(measure_id=measure.pk).values("entry"))
        ).select_related("source_organisation")
    )
    offered = next((e for e in entries if e.source_measure_id == measure.pk), None)
    origin = next((e for e in entries if e.source_measure_id != measure.pk), None)
    return {"offered": offered, "origin": origin}


def editor_context(request, measure) -> dict:
    found = _entries_of(measure)
    return {
        **found,
        "measure": measure,
        "can_offer": measure.published and measure.roadmap.published,
    }


def public_context(request, measure) -> dict | None:
    found = _entries_of(measure)
    offered = found["offered"] if found["offered"] and found["offered"].published else None
    if offered is None and found["origin"] is None:
        return None
    return {"offered": offered, "origin": found["origin"]}


def link_context(request, _subject) -> dict:
    """A way into the library from "My area" and the editors' dashboard (no query)."""
    return {}


def register() -> None:
    panels.register("dashboard", panels.Panel("catalogue", "catalogue/partials/panel_link.html", link_context, 30))
    panels.register(
        "roadmap_editor", panels.Panel("catalogue", "catalogue/partials/panel_editor_link.html", link_context, 80)
    )
    panels.register(
        "measure_editor", panels.Panel("catalogue", "catalogue/partials/measure_editor.html", editor_context, 10)
    )
    panels.register("measure", panels.Panel("catalogue", "catalogue/partials/measure_lineage.html", public_context, 5))
