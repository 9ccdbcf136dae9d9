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
from monitoring.comparison.statistics import Viewer, peer_groups, viewer_of
from monitoring.views.editor import editor_context
from networks import cache as page_cache
from networks.access import is_editor
from networks.citizens import is_citizen
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


PAGE_SCOPES = ["comparison"]  # bumped with every new generation of the stored figures (refresh.bump)


def page_scopes(request, *args, **kwargs) -> list[str]:
    return PAGE_SCOPES


@require_GET
def comparison(request: HttpRequest, organisation: str) -> HttpResponse:
    """Anonymous visitors get the page from the public-page cache (urls.py); a signed-in viewer from the cache
    of pages that are the same for everyone with the same scope of figures, editor flag and navigation."""
    org = access_compared(organisation)
    if not request.user.is_authenticated:
        return _comparison(request, org, Viewer(), can_edit=False)
    viewer, can_edit = viewer_of(request.user), is_editor(request.user, org)
    key = f"comparison:{org.pk}:{viewer.key}:{int(can_edit)}:{int(is_citizen(request.user))}"
    return page_cache.member_page(
        request, key, PAGE_SCOPES, lambda: _comparison(request, org, viewer, can_edit=can_edit)
    )


def _comparison(request: HttpRequest, org: Organisation, viewer: Viewer, *, can_edit: bool) -> HttpResponse:
    networks = selectors.networks_of(org)
    form = PeerGroupForm(request.GET if "gruppe" in request.GET else None, groups=peer_groups(org, networks))
    notes = ignore_unknown(form)
    choice = form.chosen() if form.is_bound else ""
    page = selectors.comparison_page(org, viewer, choice, networks=networks, can_edit=can_edit)
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
