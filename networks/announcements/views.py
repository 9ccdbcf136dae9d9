"""Announcements: the archive and one announcement for the members; compose, preview, test, send for the
coordination."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks.access import access_network_internal, access_network_manage
from networks.announcements import selectors, services
from networks.announcements.forms import ACTIONS, AnnouncementForm, ArchiveSearchForm
from networks.announcements.models import Announcement
from networks.pages import network_context, page_of, person_of
from networks.search.query import search as search_index


def _draft(network, pk: int) -> Announcement:
    """A draft of a network the user coordinates (the caller checked that): 404 when gone or sent."""
    return get_object_or_404(
        Announcement.objects.select_related("author__user", "network"),
        network=network,
        pk=pk,
        state=Announcement.State.DRAFT,
    )


@login_required
@require_safe
def announcement_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The archive, newest first; a text in the box searches it through the one search (stemming, umlauts,
    phrases, snippets: networks.search), limited to this network's announcements."""
    network = access_network_internal(request.user, slug)
    context = network_context(request, network)
    search = ArchiveSearchForm(request.GET)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    context.update(search=search, text=text, drafts=list(selectors.drafts(network)) if context["can_manage"] else [])
    if text:
        page = request.GET.get("page", "1")
        number = int(page) if page.isdigit() and len(page) < 6 else 1
        context["result"] = search_index(request.user, text, kind="announcement", network=str(network.pk), page=number)
    else:
        context["page"] = page_of(request, selectors.archive(network, request.user))
    return render(request, "announcements/announcement_list.html", context)


@login_required
@require_safe
def announcement_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network_internal(request.user, slug)
    context = network_context(request, network)
    announcement = selectors.access_announcement(request.user, network, pk)
    if not announcement.is_sent:  # only the coordination gets here (access_announcement)
        return redirect("announcements:announcement-edit", network.slug, announcement.pk)
    context.update(announcement=announcement, documents=services.documents_of(announcement))
    return render(request, "announcements/announcement_detail.html", context)


def _compose(request: HttpRequest, network, announcement: Announcement | None) -> HttpResponse:
    form = AnnouncementForm(request.POST or None, instance=announcement, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.announcement_save(
                announcement=form.save(commit=False),
                author=person_of(request),
                documents=form.cleaned_data.get("documents"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            action = request.POST.get("action")
            return _after_save(request, saved, action if action in ACTIONS else "save")
    context = network_context(request, network, form=form, announcement=announcement)
    if announcement is not None and announcement.pk:
        context.update(selectors.preview(announcement))
    return render(
        request, "announcements/announcement_form.html", context, status=400 if request.method == "POST" else 200
    )


def _after_save(request: HttpRequest, announcement: Announcement, action: str) -> HttpResponse:
    edit = reverse("announcements:announcement-edit", args=[announcement.network.slug, announcement.pk])
    if action == "send":
        return redirect("announcements:announcement-send", announcement.network.slug, announcement.pk)
    if action == "test":
        person = person_of(request)
        try:
            if person is None:
                raise ValidationError(_("Your account has no email address to send the test to."))
            services.announcement_send_test(announcement=announcement, to=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A test has been sent to %(email)s.") % {"email": person.user.email})
        return redirect(edit + "#preview")
    if action == "preview":
        return redirect(edit + "#preview")
    messages.success(request, _("The draft has been saved."))
    return redirect(edit)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network_manage(request.user, slug)
    return _compose(request, network, None)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network_manage(request.user, slug)
    sent = Announcement.objects.filter(network=network, pk=pk, state=Announcement.State.SENT).first()
    if sent is not None:
        messages.info(request, _("This announcement has been sent; it cannot be changed any more."))
        return redirect(sent)
    return _compose(request, network, _draft(network, pk))


@login_required
@require_http_methods(["GET", "POST"])
def announcement_send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network_manage(request.user, slug)
    announcement = selectors.access_announcement(request.user, network, pk)
    if announcement.is_sent:  # a second click, a second tab
        messages.info(request, _("This announcement has been sent already."))
        return redirect(announcement)
    if request.method == "POST":
        try:
            count = services.announcement_send(announcement=announcement, by=person_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("announcements:announcement-edit", network.slug, announcement.pk)
        messages.success(
            request,
            ngettext(
                "The announcement has been sent to %(count)s person.",
                "The announcement has been sent to %(count)s people.",
                count,
            )
            % {"count": count},
        )
        return redirect(announcement)
    context = network_context(request, network, announcement=announcement, **selectors.preview(announcement))
    return render(request, "announcements/announcement_send.html", context)


@login_required
@require_POST
def announcement_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network_manage(request.user, slug)
    services.announcement_delete(announcement=_draft(network, pk))
    messages.success(request, _("The draft has been deleted."))
    return redirect("announcements:announcement-list", network.slug)
