"""Public roadmap pages (no login): the roadmap list, a roadmap, one measure.

The measure list is measures.views.listing, the open data measures.views.data.

Measures reach templates and exports only as measures.public.PublicMeasure. Editors of the roadmap's
organisation (and staff) may open unpublished roadmaps and measures here as a preview; everyone else gets 404.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.access import can_see
from measures import selectors
from measures.access import access_measure, access_roadmap, can_edit
from measures.models import Proposal
from measures.public import PublicMeasure
from measures.services.contact import contact_of
from measures.views.participation import COMMENT_DRAFT
from networks.access import is_member
from networks.panels import render_context


@require_safe
def roadmap_list(request: HttpRequest) -> HttpResponse:
    page = selectors.roadmap_page(request)
    return render(request, "measures/roadmap_list.html", {"roadmaps": page.object_list, "page": page})


@require_safe
def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    today = timezone.localdate()
    counts = selectors.roadmap_counts(roadmap)
    timeline = selectors.roadmap_timeline(roadmap, today)
    summary = render_context("roadmap_summary", request, roadmap)  # monitoring: the gap to the target
    panels = render_context("roadmap", request, roadmap)  # events: next public events; monitoring: charts, reports
    context = {
        "roadmap": roadmap,
        "counts": counts,
        "timeline": timeline,
        "updates": selectors.recent_updates(roadmap),
        "proposal_count": Proposal.objects.filter(roadmap=roadmap).published().count(),
        "years_left": roadmap.target_year - today.year,
        "summary_panels": summary,
        "panels": panels,
        "networks": selectors.roadmap_networks(roadmap),
        "toc": _roadmap_toc(counts, timeline, summary, panels),
        "can_edit": can_edit(request.user, roadmap),
    }
    return render(request, "measures/roadmap_detail.html", context)


def _roadmap_toc(counts, timeline, summary: list[dict], panels: list[dict]) -> list[tuple[str, str]]:
    """The roadmap page's table of contents: (anchor, label) of each section it shows, in the page's order, the
    panels' sections (networks.panels: "toc") where they stand; the sectors link to their part of the table."""
    toc = [("progress", _("How far along is the roadmap?"))]
    toc += [entry for panel in summary for entry in panel.get("toc", ())]
    if counts.sectors:
        toc.append(("sectors", _("Progress by sector")))
    if timeline:
        toc.append(("timeline", _("Timeline")))
    toc.append(("updates", _("Latest progress reports")))
    toc += [entry for panel in panels for entry in panel.get("toc", ())]
    toc.append(("open-data", _("Open data")))
    return toc


def _origin(request: HttpRequest, measure, *, editor: bool) -> dict:
    """The workshop (when the viewer may see that event) or the proposal (when visible) a measure came from."""
    event = measure.origin_event
    if event is not None:
        network = event.network
        if not (can_see(request.user, event) and (network.is_public or is_member(request.user, network))):
            event = None
    proposal = None
    if measure.origin_proposal_id:
        visible = Proposal.objects.visible_to(request.user, editor=editor)
        proposal = visible.filter(pk=measure.origin_proposal_id, roadmap_id=measure.roadmap_id).first()
    return {"origin_event": event, "origin_proposal": proposal}


@require_safe
def measure_detail(request: HttpRequest, slug: str, measure: str) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    instance = access_measure(request.user, roadmap, measure)
    editor = can_edit(request.user, roadmap)
    updates = selectors.measure_updates(instance)
    percent = next((u.percent for u in updates if u.percent is not None), None)
    public = PublicMeasure(instance, percent=percent)
    if not public.is_hidden("responsible_person"):
        prefetch_related_objects([instance], "responsible_person")
    draft = request.session.pop(COMMENT_DRAFT, None) if request.user.is_authenticated else None
    panels = render_context("measure", request, instance)  # monitoring: the linked indicators with charts
    context = {
        "roadmap": roadmap,
        "measure": public,
        "is_published": instance.published,
        "updates": updates,
        "milestones": list(instance.milestones.all()),
        "partners": public.partners,
        # the participation section (measures.templatetags.participation) shows the comments and their form
        "comment_text": draft["text"] if isinstance(draft, dict) and draft.get("measure") == instance.pk else "",
        "can_edit": editor,
        "contact": contact_of(instance),
        "links": list(instance.links.all()),
        "last_changed": selectors.last_changed(instance),
        "neighbours": selectors.neighbours(instance),
        "related": selectors.related_measures(instance),
        "panels": panels,
        "toc_panels": [entry for panel in panels for entry in panel.get("toc", ())],
        **_origin(request, instance, editor=editor),
    }
    return render(request, "measures/measure_detail.html", context)
