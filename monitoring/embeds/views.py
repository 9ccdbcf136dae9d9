"""/einbetten/: a roadmap's progress, a measure's status card, an indicator chart for an <iframe> on a municipal
website, and the progress badge; the editors' page with the code to copy and the websites allowed to frame them.

The frames are script-free and fit a 300-pixel sidebar; every link opens Klimanetz in the whole window
(target=_top). Only the websites the roadmap's editors list may frame them: CSP frame-ancestors names exactly
those (django-csp's per-response replacement), and X-Frame-Options, which cannot name a site, is left out then;
without a website the default stays ('none' and DENY).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from measures import access
from measures.opendata import absolute
from measures.public import PublicMeasure
from measures.selectors import roadmap_counts
from monitoring import builders
from monitoring.embeds import badge, selectors, services
from monitoring.embeds.forms import AllowedOriginsForm
from monitoring.embeds.panels import snippet
from monitoring.models import Indicator
from monitoring.selectors import indicator_series

BADGE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _framed(request: HttpRequest, roadmap, template: str, context: dict) -> HttpResponse:
    response = render(request, template, {"roadmap": roadmap, **context})
    origins = selectors.frame_ancestors(roadmap)
    if origins:
        response._csp_replace = {"frame-ancestors": origins}
        response.xframe_options_exempt = True
    return response


@require_safe
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    counts = roadmap_counts(roadmap)
    return _framed(request, roadmap, "embeds/progress.html", {"progress": counts.progress})


@require_safe
def measure_card(request: HttpRequest, slug: str, measure: str) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    found = access.access_measure(request.user, roadmap, measure)
    latest = found.updates.filter(public=True, percent__isnull=False).order_by("-date", "-pk")
    public = PublicMeasure(found, percent=latest.values_list("percent", flat=True).first())
    return _framed(request, roadmap, "embeds/measure.html", {"measure": public})


@require_safe
def indicator_chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    indicator = get_object_or_404(Indicator.objects.public().filter(roadmap=roadmap), pk=pk)
    chart = builders.indicator_chart(indicator_series([indicator])[0], f"indicator-{indicator.pk}")
    return _framed(request, roadmap, "embeds/indicator.html", {"indicator": indicator, "chart": chart})


@require_safe
def progress_badge(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The badge as SVG or PNG, with an ETag of its texts: a newsletter's images are fetched again and again."""
    if fmt not in BADGE_TYPES:
        raise Http404
    roadmap = access.access_roadmap(request.user, slug)
    share = roadmap_counts(roadmap).progress.shares["completed"]
    label = roadmap.organisation.display_name
    text = _("%(percent)s %% completed") % {"percent": share}
    tag = badge.etag(label, text)
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponseNotModified()
    else:
        body = badge.svg(label, text) if fmt == "svg" else badge.png(label, text)
        response = HttpResponse(body, content_type=BADGE_TYPES[fmt])
    response["ETag"] = tag
    response["Cache-Control"] = "public, max-age=600"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # an <img> on any website or in a newsletter
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def embed_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The editors' page: the code to copy for each embed and the websites allowed to frame them."""
    roadmap = access.access_roadmap_edit(request.user, slug)
    origins = selectors.frame_ancestors(roadmap)
    form = AllowedOriginsForm(
        request.POST if request.method == "POST" else None, initial={"origins": "\n".join(origins)}
    )
    if request.method == "POST" and form.is_valid():
        services.embed_origins_set(roadmap=roadmap, origins=form.cleaned_data["origins"], by=request.user)
        messages.success(request, _("The list of websites has been saved."))
        return redirect("embeds:settings", roadmap.slug)
    title = _("%(roadmap)s: progress") % {"roadmap": roadmap.title}
    context = {
        "roadmap": roadmap,
        "form": form,
        "origins": origins,
        "snippet": snippet(roadmap, title),
        "progress_url": absolute("embeds:progress", roadmap.slug),
        "badge_svg": absolute("embeds:badge", roadmap.slug, "svg"),
        "badge_png": absolute("embeds:badge", roadmap.slug, "png"),
        "indicators": Indicator.objects.public().filter(roadmap=roadmap).order_by("order", "name", "pk"),
    }
    return render(request, "embeds/settings.html", context, status=400 if request.method == "POST" else 200)
