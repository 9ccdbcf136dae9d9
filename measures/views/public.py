"""Public roadmap pages (no login): the roadmap list, a roadmap, one measure.

The measure list is measures.views.listing, the open data measures.views.data.

Measures reach templates and exports only as measures.public.PublicMeasure. Editors of the roadmap's
organisation (and staff) may open unpublished roadmaps and measures here as a preview; everyone else gets 404.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from django.views.decorators.http import require_safe

from events.access import can_see
from measures import selectors
from measures.access import access_measure, access_roadmap, can_edit, has_verified_email
from measures.models import Comment, Proposal
from measures.public import PublicMeasure
from measures.views.participation import COMMENT_DRAFT
from networks.access import is_member
from networks.panels import render_context

COMMENT_FORM = "measures/partials/comment_form.html"


@require_safe
def roadmap_list(request: HttpRequest) -> HttpResponse:
    roadmaps = list(selectors.roadmaps_for_list(request.user).order_by("organisation__name", "title"))
    for roadmap in roadmaps:
        roadmap.progress = selectors.progress_of(roadmap)
    return render(request, "measures/roadmap_list.html", {"roadmaps": roadmaps})


@require_safe
def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    today = timezone.localdate()
    context = {
        "roadmap": roadmap,
        "counts": selectors.roadmap_counts(roadmap),
        "timeline": selectors.roadmap_timeline(roadmap, today),
        "updates": selectors.recent_updates(roadmap),
        "proposal_count": Proposal.objects.filter(roadmap=roadmap).published().count(),
        "years_left": roadmap.target_year - today.year,
        "panels": render_context("roadmap", request, roadmap),  # monitoring: charts and published reports
        "can_edit": can_edit(request.user, roadmap),
    }
    return render(request, "measures/roadmap_detail.html", context)


def _comment_form_template() -> str:
    """The participation area's comment form, once it exists."""
    try:
        select_template([COMMENT_FORM])
    except TemplateDoesNotExist:
        return ""
    return COMMENT_FORM


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
    comments = list(
        Comment.objects.visible_to(request.user, editor=editor).filter(measure=instance).select_related("author")
    )
    comment_form = _comment_form_template()
    draft = request.session.pop(COMMENT_DRAFT, None) if request.user.is_authenticated else None
    context = {
        "roadmap": roadmap,
        "measure": public,
        "is_published": instance.published,
        "updates": updates,
        "milestones": list(instance.milestones.all()),
        "partners": public.partners,
        "comments": comments,
        "comment_form_template": comment_form,
        "comment_text": draft["text"] if isinstance(draft, dict) and draft.get("measure") == instance.pk else "",
        "email_verified": has_verified_email(request.user) if comment_form and request.user.is_authenticated else None,
        "can_edit": editor,
        **_origin(request, instance, editor=editor),
    }
    return render(request, "measures/measure_detail.html", context)
