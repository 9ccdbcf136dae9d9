"""Public roadmap pages (no login): the roadmap list, a roadmap, its measures, one measure, open data.

Measures reach templates and exports only as measures.public.PublicMeasure. Editors of the roadmap's
organisation (and staff) may open unpublished roadmaps and measures here as a preview; everyone else gets 404.
"""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from events.access import can_see
from events.exports import neutralise
from measures import selectors
from measures.access import access_measure, access_roadmap, can_edit, has_verified_email
from measures.filters import SORT_FIELDS, MeasureFilter, sortable
from measures.models import Comment, Proposal, Roadmap
from measures.public import OPEN_DATA_COLUMNS, OPEN_DATA_FIELDS, PublicMeasure, open_data_rows
from measures.views.participation import COMMENT_DRAFT
from networks.access import is_member
from networks.pages import page_of
from networks.panels import render_context

PAGE_SIZE = 25
COMMENT_FORM = "measures/partials/comment_form.html"


def _absolute(path_name: str, *args) -> str:
    """An absolute URL without language prefix (open data is kept and shared for years)."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + reverse(path_name, args=args)


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


def _sort_links(current: str) -> dict[str, dict]:
    """Per sortable column: the sort its header link asks for and its aria-sort state."""
    links = {}
    for key in SORT_FIELDS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            links[key] = {"next": f"-{key}" if key == "wirkung" else key, "aria": ""}
    return links


@require_safe
def measure_list(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    measures = selectors.with_latest_percent(sortable(selectors.public_measures(roadmap)))
    measure_filter = MeasureFilter(request.GET, queryset=measures.select_related("lead_organisation"), roadmap=roadmap)
    page = page_of(request, measure_filter.qs, PAGE_SIZE)
    for measure in page.object_list:
        measure.roadmap = roadmap  # for its URL, without joining the roadmap again
    page.object_list = [PublicMeasure(m) for m in page.object_list]
    context = {
        "roadmap": roadmap,
        "filter": measure_filter,
        "page": page,
        "sort_links": _sort_links(measure_filter.sort_key),
        "can_edit": can_edit(request.user, roadmap),
    }
    return render(request, "measures/measure_list.html", context, status=200 if measure_filter.is_valid() else 400)


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


def _open_data_response(body: str, content_type: str, filename: str, roadmap: Roadmap, *, attachment: bool):
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["X-License"] = roadmap.licence
    if roadmap.licence_url:
        response["Link"] = f'<{roadmap.licence_url}>; rel="license"'
    if roadmap.published:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)  # text a spreadsheet would run as a formula (=, +, -, @) gets an apostrophe
    return str(value)


@require_safe  # HEAD too: data portals check their resource links with it
def open_data(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The roadmap's published measures as CSV (one header row, units in it) or documented JSON."""
    roadmap = access_roadmap(request.user, slug)
    measures = selectors.with_latest_percent(selectors.public_measures(roadmap)).select_related("lead_organisation")
    measures = list(measures.order_by("code", "pk"))
    for measure in measures:
        measure.roadmap = roadmap
    with translation.override(settings.LANGUAGE_CODE):
        rows = open_data_rows([PublicMeasure(m) for m in measures])
    filename = f"{roadmap.slug}-{timezone.localdate().isoformat()}.{fmt}"  # the day the data were taken
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: comma, CRLF, quotes doubled where needed
        writer.writerow([header for _key, header, _getter in OPEN_DATA_COLUMNS])
        writer.writerows([_csv_value(row[key]) for key, _header, _getter in OPEN_DATA_COLUMNS] for row in rows)
        return _open_data_response(
            out.getvalue(), "text/csv; charset=utf-8; header=present", filename, roadmap, attachment=True
        )
    data = {
        "roadmap": {
            "title": roadmap.title,
            "organisation": roadmap.organisation.name,
            "target_year": roadmap.target_year,
            "licence": roadmap.licence,
            "licence_url": roadmap.licence_url,
            "url": _absolute("measures:roadmap", roadmap.slug),
        },
        "fields": OPEN_DATA_FIELDS,
        "measures": rows,
    }
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return _open_data_response(body, "application/json; charset=utf-8", filename, roadmap, attachment=False)
