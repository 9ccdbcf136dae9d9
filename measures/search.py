"""What measures contributes to the one search (networks.search): roadmaps and measures.

A published roadmap and the published measures of a published roadmap are public; everything else is for the
editors of the roadmap's organisation (measures.access: unpublished things are a 404 for everyone else). A
measure's document holds only what its public page shows (measures.public.PublicMeasure: no internal note, no
field group marked internal) and its public progress reports.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from measures.models import Measure, MeasureUpdate, Roadmap
from measures.public import PublicMeasure
from networks.search import scopes
from networks.search.registry import Dependency, SearchDocument, Source, register


def _lines(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _roadmap_scopes(roadmap: Roadmap, *, published: bool) -> frozenset[str]:
    if published:
        return frozenset({scopes.PUBLIC})
    return frozenset({scopes.editors(roadmap.organisation_id)})


def roadmap_document(roadmap: Roadmap) -> SearchDocument:
    return SearchDocument(
        title=roadmap.title,
        body=_lines(
            roadmap.organisation.name,
            _("climate-neutral by %(year)s") % {"year": roadmap.target_year},
            roadmap.description,
        ),
        url=roadmap.get_absolute_url(),
        scopes=_roadmap_scopes(roadmap, published=roadmap.published),
        date=roadmap.updated_at,
    )


def measure_document(measure: Measure) -> SearchDocument:
    public = PublicMeasure(measure)
    roadmap = measure.roadmap
    updates = [u.text for u in measure.search_updates]
    return SearchDocument(
        title=f"{measure.code} {measure.title}".strip(),
        body=_lines(
            roadmap.title,
            roadmap.organisation.name,
            public.get_sector_display(),
            public.get_status_display(),
            public.summary,
            public.description,
            public.objectives,
            public.target_groups,
            public.qualitative_effect,
            public.how_to_take_part,
            *updates,
        ),
        url=measure.get_absolute_url(),
        scopes=_roadmap_scopes(roadmap, published=measure.published and roadmap.published),
        date=measure.updated_at,
    )


def register_sources() -> None:
    register(
        Source(
            kind="roadmap",
            label=_("Climate roadmaps"),
            model=Roadmap,
            document=roadmap_document,
            queryset=lambda: Roadmap.objects.select_related("organisation"),
            order=20,
        )
    )
    register(
        Source(
            kind="measure",
            label=_("Measures"),
            model=Measure,
            document=measure_document,
            queryset=lambda: Measure.objects.select_related("roadmap__organisation").prefetch_related(
                Prefetch(
                    "updates",
                    queryset=MeasureUpdate.objects.filter(public=True).order_by("-date", "-pk"),
                    to_attr="search_updates",
                )
            ),
            dependencies=(
                Dependency(Roadmap, lambda roadmap: roadmap.measures.all()),
                Dependency(MeasureUpdate, lambda update: [Measure(pk=update.measure_id)]),
            ),
            order=10,
        )
    )
