"""Belonging to an organisation: the person asks on their profile, editors and coordinators decide
(networks.affiliations; who may: networks.access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from networks import access, affiliations, services
from networks.forms import AffiliationDecisionForm, AffiliationForm
from networks.models import Person
from networks.pages import page_of


def affiliation_form(request: HttpRequest, person: Person, data=None) -> AffiliationForm:
    """The profile's form to ask for an organisation, preset with the current one."""
    organisations = access.organisations_to_join(request.user)
    initial = {"organisation": person.organisation_id}
    return AffiliationForm(data, prefix="affiliation", initial=initial, organisations=organisations)


def affiliation_context(request: HttpRequest, person: Person, form: AffiliationForm | None = None) -> dict:
    """While a request is pending the profile shows it with its withdraw button instead of the form to ask (a
    posted form with errors is shown again)."""
    pending = affiliations.pending_of(person)
    if form is None and pending is None:
        form = affiliation_form(request, person)
    return {"affiliation_form": form, "affiliation_pending": pending}


@login_required
@require_POST
def affiliation_change(request: HttpRequest) -> HttpResponse:
    """Ask to belong to an organisation, or (``leave``) leave the current one at once."""
    from networks.views import profile_page  # the profile page shows the form again with its errors

    person = services.person_ensure(user=request.user)
    if "leave" in request.POST:
        left = person.organisation
        affiliations.affiliation_leave(person=person)
        if left is not None:
            messages.success(request, _("You no longer belong to %(org)s.") % {"org": left.name})
        return redirect("networks:profile")
    form = affiliation_form(request, person, request.POST)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            outcome = affiliations.affiliation_request(
                person=person, organisation=organisation, note=form.cleaned_data["note"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome == affiliations.GRANTED:
                text = _("You now belong to %(org)s.")
            elif outcome == affiliations.REQUESTED:
                text = _(
                    "Your request has been sent. Until %(org)s confirms it, your profile shows your current "
                    "organisation."
                )
            else:
                text = _("You belong to %(org)s.")
            messages.success(request, text % {"org": organisation.name})
            return redirect("networks:profile")
    return profile_page(request, person, affiliation=form, status=400)


@login_required
@require_POST
def affiliation_withdraw(request: HttpRequest) -> HttpResponse:
    person = services.person_ensure(user=request.user)
    if affiliations.affiliation_withdraw(person=person):
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("networks:profile")


def _requests_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    pending = (
        access.affiliation_requests_to_decide(request.user)
        .select_related("person__organisation", "organisation")
        .order_by("created_at", "pk")
    )
    return render(request, "networks/affiliation_requests.html", {"page": page_of(request, pending)}, status=status)


@login_required
@require_safe
def affiliation_requests(request: HttpRequest) -> HttpResponse:
    """The pending requests the user may decide: of the organisations they edit and of the members and hosts of
    the networks they coordinate (staff: all)."""
    return _requests_page(request)


@login_required
@require_POST
def affiliation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_affiliation_request(request.user, pk)
    form = AffiliationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please confirm or decline."))
        return _requests_page(request, status=400)
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        affiliations.affiliation_decide(request=item, confirm=confirm, by=services.person_ensure(user=request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = {"name": item.person.name, "org": item.organisation.name}
        if confirm:
            messages.success(request, _("%(name)s now belongs to %(org)s.") % names)
        else:
            messages.success(request, _("The request of %(name)s to belong to %(org)s has been declined.") % names)
    return redirect("networks:affiliation-requests")
