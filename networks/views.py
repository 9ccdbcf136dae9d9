"""Thin views: access funnel → form or service → render or redirect."""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks import access, cache, members_io, panels, selectors, services
from networks.adapters import INVITATION_SESSION_KEY
from networks.affiliation_views import affiliation_context
from networks.citizens import is_citizen
from networks.filtering import ignore_unknown
from networks.filters import ExpertiseSearchFilter, MemberDirectoryFilter
from networks.forms import (
    AccountDeleteForm,
    CampaignForm,
    CitizenProfileForm,
    ExpertiseFormSet,
    InvitationForm,
    MemberImportConfirmForm,
    MemberImportForm,
    MembershipAddForm,
    NetworkForm,
    ProfileForm,
    RoleChangeForm,
    WorkingGroupForm,
)
from networks.models import Campaign, Invitation, Membership, Network, NetworkRole, Person
from networks.pages import attachment, network_context, page_of
from networks.tabular import CSV_TYPE, XLSX_TYPE

# Gone for good (410), not yours (403), or fine: you are already in (200).
INVITATION_PROBLEM_STATUS = {"expired": 410, "used": 410, "revoked": 410, "foreign": 403, "already_accepted": 200}


# --- Public pages -------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What is near or new, with a way to everything: a few networks (the viewer's first) and how many there are;
    the apps' panels do the same for roadmaps and events. Nothing here grows with the portal (issue 19 §6)."""
    networks, network_count = selectors.home_networks(request.user)
    mine = Network.objects.of_user(request.user).order_by("name") if request.user.is_authenticated else []
    context = {
        "networks": networks,
        "network_count": network_count,
        "my_networks": mine,
        "panels": panels.render_context("home", request, None),
    }
    return render(request, "networks/home.html", context)


@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    page = selectors.network_page(request)
    return render(request, "networks/network_list.html", {"networks": page.object_list, "page": page})


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network(request.user, slug)
    memberships = network.memberships.current().select_related("organisation").order_by("organisation__name")
    context = network_context(
        request, network, memberships=memberships, panels=panels.render_context("network_detail", request, network)
    )
    return render(request, "networks/network_detail.html", context)


@require_safe
def static_page(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, f"networks/pages/{template}.html")


# --- Network internal space ---------------------------------------------------


@login_required
@require_safe
def network_space(request: HttpRequest, slug: str) -> HttpResponse:
    """The members' space. After the access check of this request (one query with the role, kept in the cache
    under the versions of the network and the account: networks.cache.remembered), the whole page
    from the cache per network, role and staff flag (what the layout shows of the viewer), path and language,
    under the network's version (networks.cache.member_page), with the viewer's CSRF token."""
    network = access.access_network_internal(request.user, slug, remembered=True)
    context = network_context(request, network)
    role = "manage" if context["can_manage"] else "member"

    def page() -> HttpResponse:
        context.update(
            coordinators=Person.objects.filter(
                network_roles__network=network, network_roles__role=NetworkRole.Role.COORDINATOR
            ).select_related("organisation", "user"),
            working_groups=list(network.working_groups.for_list().filter(is_active=True)),
            campaigns=network.campaigns.for_list().exclude(status=Campaign.Status.CANCELLED)[:6],
            member_count=network.roles.count(),
            organisation_count=network.memberships.current().count(),
            panels=panels.render_context("network_space", request, network),
        )
        return render(request, "networks/network_space.html", context)

    viewer = f"{network.pk}:{role}:{'staff' if access.is_staff(request.user) else 'user'}"
    return cache.member_page(request, f"{cache.PREFIX}:space-page:{viewer}", [f"network:{network.slug}"], page)


@login_required
@require_safe
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_internal(request.user, slug)
    people = (
        Person.objects.filter(network_roles__network=network).annotate_role(network).for_directory().order_by("name")
    )
    directory = MemberDirectoryFilter(request.GET, queryset=people, network=network)
    notes = ignore_unknown(directory)  # an unknown value is ignored with a note, as in every list
    page = page_of(request, directory.qs)
    context = network_context(request, network, filter=directory, filter_notes=notes, page=page)
    return render(request, "networks/member_list.html", context)


@login_required
@require_safe
def expertise_search(request: HttpRequest) -> HttpResponse:
    """Across networks (issue 17 §4): people of the viewer's networks first, then those of other networks who made
    a topic visible to all networks (networks.experts.selectors). Citizens are no network members: 403."""
    if is_citizen(request.user):
        raise PermissionDenied(_("“Who knows what” is for members of networks."))
    from networks.experts.selectors import expertise_visible_to

    rows = expertise_visible_to(request.user)
    search = ExpertiseSearchFilter(request.GET, queryset=rows, user=request.user)
    notes = ignore_unknown(search)
    context = {"filter": search, "filter_notes": notes, "page": page_of(request, search.qs)}
    return render(request, "networks/expertise_search.html", context)


# --- Working groups and campaigns ------------------------------------------------


@login_required
@require_safe
def working_group_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_internal(request.user, slug)
    groups = network.working_groups.for_list()
    return render(request, "networks/working_group_list.html", network_context(request, network, groups=groups))


@login_required
@require_safe
def working_group_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    group = access.access_working_group(request.user, network, pk)
    members = group.members.select_related("organisation", "user").order_by("name")
    # its discussion, documents, meetings and tasks: what the rooms and events register for the "working_group" place;
    # a closed group's only for those who may read it (networks.access.can_read_working_group), the others see
    # the group, its members and who admits new ones
    may_read = access.can_read_working_group(request.user, group)
    group_panels = panels.render_context("working_group", request, group) if may_read else []
    context = network_context(
        request, network, group=group, members=members, panels=group_panels, may_read_group=may_read
    )
    return render(request, "networks/working_group_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def working_group_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    if pk is None:
        network, group = access.access_network_manage(request.user, slug), None
    else:
        network = access.access_network(request.user, slug)
        group = access.access_working_group(request.user, network, pk, write=True)
    form = WorkingGroupForm(request.POST or None, instance=group, network=network)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("The working group has been saved."))
        return redirect(group)
    return render(
        request, "networks/working_group_form.html", network_context(request, network, form=form, group=group)
    )


@login_required
@require_safe
def campaign_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_internal(request.user, slug)
    campaigns = network.campaigns.for_list()
    return render(request, "networks/campaign_list.html", network_context(request, network, campaigns=campaigns))


@login_required
@require_safe
def campaign_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    campaign = access.access_campaign(request.user, network, pk)
    return render(request, "networks/campaign_detail.html", network_context(request, network, campaign=campaign))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    if pk is None:
        network, campaign = access.access_network_manage(request.user, slug), None
    else:
        network = access.access_network(request.user, slug)
        campaign = access.access_campaign(request.user, network, pk, write=True)
    form = CampaignForm(request.POST or None, instance=campaign, network=network)
    if request.method == "POST" and form.is_valid():
        campaign = form.save()
        messages.success(request, _("The campaign has been saved."))
        return redirect(campaign)
    return render(
        request, "networks/campaign_form.html", network_context(request, network, form=form, campaign=campaign)
    )


# --- Coordination -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        network = form.save()
        messages.success(request, _("The network profile has been saved."))
        return redirect(network)
    return render(request, "networks/network_form.html", network_context(request, network, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def membership_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    form = MembershipAddForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid() and (membership := _membership_add(network, form)):
        messages.success(request, _("%(org)s is now a member organisation.") % {"org": membership.organisation})
        return redirect("networks:membership-list", slug=network.slug)
    memberships = network.memberships.select_related("organisation").order_by("until", "organisation__name")
    return render(
        request, "networks/membership_list.html", network_context(request, network, form=form, memberships=memberships)
    )


def _membership_add(network: Network, form: MembershipAddForm) -> Membership | None:
    """The chosen organisation, or a new one, as a member; None with the errors on the form."""
    data = form.cleaned_data
    if data["organisation"]:
        return services.membership_add(network=network, organisation=data["organisation"], since=data["since"])
    try:
        return services.membership_add_new_organisation(
            network=network, name=data["new_name"], kind=data["new_kind"], ags=data["new_ags"], since=data["since"]
        )
    except ValidationError as error:
        fields = {"name": "new_name", "kind": "new_kind", "ags": "new_ags"}
        for name, errors in error.message_dict.items():
            form.add_error(fields.get(name), errors)
        return None


@login_required
@require_POST
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    membership = get_object_or_404(Membership.objects.select_related("organisation"), network=network, pk=pk)
    services.membership_end(membership=membership)
    messages.success(request, _("The membership of %(org)s has ended.") % {"org": membership.organisation})
    return redirect("networks:membership-list", slug=network.slug)


@login_required
@require_safe
def people_manage(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    roles = network.roles.select_related("person__organisation", "person__user").order_by("role", "person__name")
    invitations = network.invitations.pending().select_related("invited_by", "organisation")
    context = network_context(
        request,
        network,
        roles=roles,
        invitations=invitations,
        now=timezone.now(),
        role_choices=NetworkRole.Role.choices,
    )
    return render(request, "networks/people_manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    form = InvitationForm(request.POST or None, network=network, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        inviter = services.person_ensure(user=request.user)
        invitation = services.invitation_create(network=network, invited_by=inviter, **form.cleaned_data)
        messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
        return redirect("networks:people-manage", slug=network.slug)
    return render(request, "networks/invitation_form.html", network_context(request, network, form=form))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    invitation = access.access_invitation_manage(request.user, network, pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("networks:people-manage", slug=network.slug)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send an open (or expired) invitation again: valid for the full period from now, the same link."""
    network = access.access_network_manage(request.user, slug)
    invitation = access.access_invitation_manage(request.user, network, pk)
    if invitation.used_at or invitation.revoked_at:
        messages.error(request, _("This invitation has been accepted or withdrawn; invite the person anew."))
        return redirect("networks:people-manage", slug=network.slug)
    invitation = services.invitation_create(  # renews the pending invitation to this address and sends it
        network=network,
        email=invitation.email,
        role=invitation.role,
        invited_by=services.person_ensure(user=request.user),
        language=invitation.language,
        message=invitation.message,
        name=invitation.name,
        organisation=invitation.organisation,
    )
    until = date_format(timezone.localtime(invitation.expires_at), "SHORT_DATE_FORMAT")
    messages.success(
        request,
        _("The invitation has been sent to %(email)s again; it is valid until %(date)s.")
        % {"email": invitation.email, "date": until},
    )
    return redirect("networks:people-manage", slug=network.slug)


@login_required
@require_POST
def role_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    role = access.access_network_role(request.user, network, pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid role."))
        return redirect("networks:people-manage", slug=network.slug)
    try:
        services.network_role_change(role=role, new_role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role of %(name)s has been changed.") % {"name": role.person})
    return redirect("networks:people-manage", slug=network.slug)


@login_required
@require_POST
def role_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    role = access.access_network_role(request.user, network, pk)
    try:
        services.network_role_remove(role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s has been removed from the network.") % {"name": role.person})
    return redirect("networks:people-manage", slug=network.slug)


# --- Invitations (the invited person's side) ----------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("network", "invited_by", "used_by").filter(token=token).first()
    if invitation is None:
        return render(request, "networks/invitation_problem.html", {"code": "unknown"}, status=404)
    user = request.user if request.user.is_authenticated else None
    try:
        services.invitation_check(invitation=invitation, user=user)
    except services.InvitationError as exc:
        return render(
            request,
            "networks/invitation_problem.html",
            {"code": exc.code, "invitation": invitation},
            status=INVITATION_PROBLEM_STATUS[exc.code],
        )
    if user is None:
        request.session[INVITATION_SESSION_KEY] = token  # signing up with its address: see networks.adapters
        return render(request, "networks/invitation_accept.html", {"invitation": invitation})
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=user)
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(request, _("Welcome to %(network)s!") % {"network": invitation.network.name})
        return redirect("networks:network-space", slug=invitation.network.slug)
    return render(request, "networks/invitation_accept.html", {"invitation": invitation})


# --- The person's own pages ---------------------------------------------------


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if is_citizen(request.user):  # not a member anywhere: their own area of participation (networks.citizens)
        return redirect("measures:my-participation")
    person = services.person_ensure(user=request.user)
    roles = person.network_roles.select_related("network__host").order_by("network__name")
    organisations = person.organisation_roles.select_related("organisation")
    pending = Invitation.objects.addressed_to(request.user).select_related("network")
    return render(
        request,
        "networks/dashboard.html",
        {
            "person": person,
            "roles": roles,
            "organisation_roles": organisations,
            "pending_invitations": pending,
            "panels": panels.render_context("dashboard", request, person),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    person = services.person_ensure(user=request.user)
    if is_citizen(request.user):
        return citizen_profile(request, person)
    form = ProfileForm(request.POST or None, instance=person, prefix="profile")
    formset = ExpertiseFormSet(
        request.POST or None, queryset=person.expertise.select_related("topic"), prefix="expertise"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            services.person_set_expertise(person=person, items=formset.items())
        messages.success(request, _("Your profile has been saved."))
        return redirect("networks:profile")
    return profile_page(request, person, form=form, formset=formset)


def profile_page(request, person: Person, *, form=None, formset=None, affiliation=None, status: int = 200):
    """The profile page: the person's details and expertise, and the organisation they belong to or ask for
    (networks.affiliation_views); each form bound when it was the one posted."""
    if is_citizen(request.user):
        form = form or CitizenProfileForm(instance=person, prefix="profile")
        context = {"form": form, "person": person, "citizen": True, **affiliation_context(request, person, affiliation)}
        return render(request, "networks/profile.html", context, status=status)
    form = form or ProfileForm(instance=person, prefix="profile")
    if formset is None:
        formset = ExpertiseFormSet(queryset=person.expertise.select_related("topic"), prefix="expertise")
    context = {"form": form, "formset": formset, "person": person, **affiliation_context(request, person, affiliation)}
    return render(request, "networks/profile.html", context, status=status)


def citizen_profile(request: HttpRequest, person: Person) -> HttpResponse:
    """A citizen's profile (networks.citizens): name and language; belonging to an organisation is offered as
    the way in."""
    form = CitizenProfileForm(request.POST or None, instance=person, prefix="profile")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("networks:profile")
    return profile_page(request, person, form=form)


@login_required
@require_safe
def profile_export(request: HttpRequest) -> HttpResponse:
    person = services.person_ensure(user=request.user)
    data = services.person_export(person=person)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="klimanetz-meine-daten-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)  # the POST waits for the password (allauth replays it afterwards)
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.account_delete(user=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Your personal data has been removed."))
            return redirect("networks:home")
    return render(request, "networks/account_delete.html", {"form": form})


# --- Operations -----------------------------------------------------------


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers. No database, no cache: a database outage must not make the orchestrator
    restart every web process (readiness, with the database, is observability.views.readyz)."""
    return HttpResponse("ok", content_type="text/plain")


# --- Member lists as spreadsheets (coordinators) --------------------------------------------------


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = attachment(content, XLSX_TYPE if fmt == "xlsx" else CSV_TYPE, filename)
    response["Cache-Control"] = "private, no-store"  # personal data: no shared or stored copies
    return response


@login_required
@require_safe
def member_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The people of the network (CSV), or people and member organisations as two sheets (XLSX)."""
    network = access.access_network_manage(request.user, slug)
    content = members_io.members_xlsx(network) if fmt == "xlsx" else members_io.people_csv(network)
    return _download(content, fmt, members_io.filename("mitglieder", network, fmt))


@login_required
@require_safe
def membership_export(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_manage(request.user, slug)
    content = members_io.organisations_csv(network)
    return _download(content, "csv", members_io.filename("mitgliedsorganisationen", network, "csv"))


@login_required
@require_safe
def member_import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access.access_network_manage(request.user, slug)
    content = members_io.template_xlsx() if fmt == "xlsx" else members_io.template_csv()
    return _download(content, fmt, f"mitglieder-importvorlage.{fmt}")


def _member_import_page(request, network, form, *, preview=None, confirm=None, status: int = 200) -> HttpResponse:
    context = network_context(
        request,
        network,
        form=form,
        preview=preview,
        confirm_form=confirm,
        columns=members_io.column_docs(),
        max_rows=members_io.MAX_ROWS,
    )
    if preview is not None:
        context |= {
            "to_invite": preview.count(members_io.INVITE),
            "already_members": preview.count(members_io.MEMBER),
            "already_invited": preview.count(members_io.INVITED),
        }
    return render(request, "networks/member_import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1 checks the file and shows what each row would do; step 2 (action=import) invites, all or nothing."""
    network = access.access_network_manage(request.user, slug)
    blank = MemberImportForm(initial={"language": get_language()})
    if request.method == "GET":
        return _member_import_page(request, network, blank)
    if request.POST.get("action") == "import":
        return _member_import_confirm(request, network, blank)
    form = MemberImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _member_import_page(request, network, form, status=400)
    preview = members_io.check(network=network, rows=form.rows)
    confirm = None
    if preview.ok and preview.count(members_io.INVITE):
        batch = members_io.Batch(form.rows, form.cleaned_data["language"], form.cleaned_data["message"])
        payload = members_io.sign(network=network, user=request.user, batch=batch)
        confirm = MemberImportConfirmForm(initial={"payload": payload}, network=network, user=request.user)
    status = 200 if preview.ok else 400
    return _member_import_page(request, network, blank, preview=preview, confirm=confirm, status=status)


def _member_import_confirm(request: HttpRequest, network: Network, blank) -> HttpResponse:
    confirm = MemberImportConfirmForm(request.POST, network=network, user=request.user)
    if not confirm.is_valid():
        return _member_import_page(request, network, blank, confirm=confirm, status=400)
    batch = confirm.batch
    inviter = services.person_ensure(user=request.user)
    try:
        preview = members_io.run(
            network=network, rows=batch.rows, by=inviter, language=batch.language, message=batch.message
        )
    except IntegrityError:  # an invitation to one of the addresses was made at the same moment
        messages.error(request, _("The invitations changed while importing; nothing was sent. Please check again."))
        return redirect("networks:member-import", slug=network.slug)
    if not preview.ok:
        return _member_import_page(request, network, blank, preview=preview, status=400)
    count = preview.count(members_io.INVITE)
    messages.success(
        request, ngettext("%(count)s invitation sent", "%(count)s invitations sent", count) % {"count": count}
    )
    return redirect("networks:people-manage", slug=network.slug)
