"""The comparison page (everyone; what it shows depends on who looks) and the editors' opt-in and key data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from monitoring.comparison import selectors, services
from monitoring.comparison.forms import ConsentForm, KeyDataForm, PeerGroupForm
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent
from monitoring.comparison.statistics import Viewer, peer_groups, viewer_of
from monitoring.views.editor import editor_context
from networks import cache as page_cache
from networks.access import is_editor, is_staff
from networks.citizens import is_citizen, roles_scope
from networks.filtering import ignore_unknown
from networks.models import Organisation, OrganisationRole
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
    if not request.user.is_authenticated:
        return _comparison(request, access_compared(organisation), Viewer(), can_edit=False)
    org = _remembered_compared(organisation)
    viewer, edited = _remembered_viewer(request.user)
    can_edit = is_staff(request.user) or org.pk in edited
    key = f"comparison:{org.pk}:{viewer.key}:{int(can_edit)}:{int(is_citizen(request.user))}"
    return page_cache.member_page(
        request, key, PAGE_SCOPES, lambda: _comparison(request, org, viewer, can_edit=can_edit)
    )


def _remembered_compared(slug: str) -> Organisation:
    """access_compared from the cache (an organisation saved bumps every page's "global" scope: networks.apps)."""
    key = f"{page_cache.PREFIX}:compared:{slug}"
    found = page_cache.remembered(key, ["global"], lambda: _compared_or_none(slug))
    if found is None:
        raise Http404
    return found


def _compared_or_none(slug: str) -> Organisation | None:
    try:
        return access_compared(slug)
    except Http404:
        return None


def _remembered_viewer(user) -> tuple[Viewer, frozenset[int]]:
    """The viewer's networks (statistics.viewer_of) and the organisations they edit (networks.access.is_editor's
    rule), kept under the account's roles scope (bumped by every network and organisation role: networks.apps)."""

    def compute():
        edited = OrganisationRole.objects.filter(person__user=user).values_list("organisation_id", flat=True)
        return viewer_of(user), frozenset(edited)

    key = f"{page_cache.PREFIX}:comparison-viewer:{user.pk}:{int(is_staff(user))}"
    return page_cache.remembered(key, [roles_scope(user.pk)], compute)


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
