"""The comparison page (everyone; what it shows depends on who looks) and the editors' opt-in and key data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from monitoring.comparison import selectors, services
from monitoring.comparison.forms import ConsentForm, KeyDataForm, PeerGroupForm
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent
from monitoring.comparison.statistics import peer_groups
from monitoring.views.editor import editor_context
from networks.access import is_editor
from networks.filtering import ignore_unknown
from networks.models import Organisation
from networks.pages import person_of


def access_compared(slug: str) -> Organisation:
    """A municipality, city or county (the others have no comparison: 404)."""
    return get_object_or_404(Organisation, slug=slug, kind__in=Organisation.PUBLIC_BODIES)


def access_compared_edit(user, slug: str) -> Organisation:
    organisation = access_compared(slug)
    if not is_editor(user, organisation):
        raise PermissionDenied
    return organisation


@require_GET
def comparison(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_compared(organisation)
    networks = selectors.networks_of(org)
    form = PeerGroupForm(request.GET if "gruppe" in request.GET else None, groups=peer_groups(org, networks))
    notes = ignore_unknown(form)
    page = selectors.comparison_page(org, request.user, form.chosen() if form.is_bound else "", networks=networks)
    context = {
        "organisation": org,
        "page": page,
        "form": form,
        "filter_notes": notes,
        "position_chart": selectors.position_chart(page),
        "sector_chart": selectors.sector_chart(page),
    }
    return render(request, "comparison/comparison.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_compared_edit(request.user, organisation)
    figures = selectors.figures_of(org)
    current = dict(FigureConsent.objects.filter(organisation=org).values_list("figure", "audience"))
    saved = ComparisonConsent.objects.filter(organisation=org).values_list("audience", flat=True).first()
    initial = {"audience": Audience.NOBODY if saved is None else saved}
    data = request.POST if request.method == "POST" else None
    form = ConsentForm(data, initial=initial, figures=figures, current=current)
    if form.is_valid():
        services.consent_save(
            organisation=org,
            audience=form.cleaned_data["audience"],
            figures=form.chosen_figures(),
            by=person_of(request),
        )
        messages.success(request, _("The publication of your figures for the comparison was saved."))
        return redirect("comparison:consent", organisation=org.slug)
    context = editor_context(org, "comparison-consent", form=form)
    return render(request, "comparison/consent.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def key_data(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_compared_edit(request.user, organisation)
    form = KeyDataForm(request.POST if request.method == "POST" else None, instance=org)
    if form.is_valid():
        data = form.cleaned_data
        services.key_data_save(organisation=org, ags=data["ags"], population=data["population"], area=data["area"])
        messages.success(request, _("The key data of %(organisation)s were saved.") % {"organisation": org.name})
        return redirect("comparison:key-data", organisation=org.slug)
    context = editor_context(org, "comparison-key-data", form=form)
    return render(request, "comparison/key_data.html", context, status=400 if request.method == "POST" else 200)
