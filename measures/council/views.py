"""The council link's pages, for the editors of a roadmap's organisation (DESIGN §4: "own org"): the endpoint
of their council information system, and a measure's papers and decisions (search, link, unlink).

Access through measures.access: 403 for who sees the roadmap but may not edit it, 404 while it is unpublished.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from measures.access import access_measure_edit, access_roadmap, access_roadmap_edit
from measures.council import selectors, services
from measures.council.forms import EndpointForm, LinkForm, PaperSearchForm
from measures.council.messages import error_message
from measures.council.models import CouncilLink
from networks.pages import person_of


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    endpoint = selectors.endpoint_of(roadmap.organisation)
    initial = {"system": endpoint.system_id, "system_url": endpoint.system_url} if endpoint else {}
    form = EndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.endpoint_save(
            organisation=roadmap.organisation,
            system=form.cleaned_data["system"],
            system_url=form.cleaned_data["system_url"],
            by=person_of(request),
        )
        messages.success(request, _("Saved. The council information system is being read; this can take a while."))
        return redirect("council:endpoint", slug=roadmap.slug)
    context = {
        "roadmap": roadmap,
        "endpoint": endpoint,
        "error": error_message(endpoint) if endpoint else "",
        "form": form,
        "editor_nav": "council",
    }
    return render(request, "council/endpoint_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def endpoint_sync(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    endpoint = selectors.endpoint_of(roadmap.organisation)
    if endpoint is None or endpoint.is_demo:
        messages.error(request, _("There is no council information system to read."))
    else:
        services.endpoint_sync_request(endpoint=endpoint)
        messages.success(request, _("The council information system is being read again."))
    return redirect("council:endpoint", slug=roadmap.slug)


def _measure_page_url(roadmap, measure, query: str = "") -> str:
    url = reverse("council:measure-papers", args=[roadmap.slug, measure.pk])
    return f"{url}?{urlencode({'q': query})}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def measure_papers(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Search the council's papers and link one (or one of its decisions) to the measure or a milestone."""
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)  # 403 for who sees the roadmap, else 404
    endpoint = selectors.endpoint_of(roadmap.organisation)
    search = PaperSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = LinkForm(request.POST if request.method == "POST" else None, endpoint=endpoint, measure=measure)
    if request.method == "POST":
        if form.is_valid() and _link(request, measure, form):
            messages.success(request, _("Linked. The public page of the measure shows it."))
            return redirect(_measure_page_url(roadmap, measure, request.POST.get("q", "")[:200]))
        messages.error(request, _("The paper could not be linked: it is no longer in the council's list."))
    links = selectors.links_of(measure)
    papers = selectors.paper_search(endpoint, query) if endpoint and query else []
    for paper in papers:
        paper.is_linked = any(link.paper_id == paper.pk for link in links)
    context = {
        "roadmap": roadmap,
        "measure": measure,
        "endpoint": endpoint,
        "search": search,
        "query": query,
        "papers": papers,
        "lines": selectors.lines_of(links),
        "milestones": list(measure.milestones.all()),
    }
    return render(request, "council/measure_papers.html", context, status=400 if form.errors else 200)


def _link(request: HttpRequest, measure, form: LinkForm) -> bool:
    try:
        services.link_create(measure=measure, by=person_of(request), **form.cleaned_data)
    except ValidationError:
        return False
    return True


@login_required
@require_POST
def link_delete(request: HttpRequest, slug: str, pk: int, link: int) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)  # 403 for who sees the roadmap, else 404
    services.link_delete(link=get_object_or_404(CouncilLink, measure=measure, pk=link))
    messages.success(request, _("The link has been removed."))
    return redirect("council:measure-papers", slug=roadmap.slug, pk=measure.pk)
