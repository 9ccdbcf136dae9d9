"""Minutes, outcomes, documents and the network's action items (issue 3 §4)."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events import access as event_access
from events import services
from events.forms.minutes import ActionItemFilterForm, ActionItemStatusForm, DocumentForm, MinutesForm, OutcomeForm
from events.models import Event, Outcome
from networks import access
from networks.downloads import INLINE_TYPES, serve_stored_file
from networks.models import Network
from networks.pages import network_context, page_of, person_of

# --- Minutes and outcomes ---------------------------------------------------------


def _minutes_page(
    request: HttpRequest, network: Network, event: Event, *, minutes_form=None, outcome_form=None
) -> HttpResponse:
    outcomes = event.outcomes.select_related("owner_person", "owner_organisation").order_by("kind", "due_date", "pk")
    context = network_context(
        request,
        network,
        event=event,
        minutes_form=minutes_form or MinutesForm(event=event),
        outcome_form=outcome_form
        or OutcomeForm(network=network, prefix="outcome", initial={"working_group": event.working_group_id}),
        preview=event.minutes_html,  # rendered and sanitised when saved
        outcomes=outcomes,
    )
    # A form sent back with errors is a 400, as on the other events pages.
    return render(request, "events/minutes_form.html", context, status=400 if request.method == "POST" else 200)


def _minutes_url(network: Network, event: Event) -> str:
    return reverse("events:minutes-edit", args=[network.slug, event.pk])


def _manage(request: HttpRequest, slug: str, pk: int) -> tuple[Network, Event]:
    network = access.access_network(request.user, slug)
    return network, event_access.access_event_manage(request.user, network, pk)


def _cancelled(request: HttpRequest, event: Event) -> HttpResponse | None:
    """A cancelled event gets no minutes, outcomes or documents: back to its page, saying why."""
    if not event.is_cancelled:
        return None
    messages.error(request, _("This event has been cancelled: it gets no minutes, outcomes or documents."))
    return redirect(event.get_absolute_url())


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def _save_page(
    request: HttpRequest,
    network: Network,
    event: Event,
    *,
    save_minutes: bool = False,
    outcome_required: bool = False,
    delete: Outcome | None = None,
) -> HttpResponse:
    """The minutes page is one form: minutes text, a new outcome and the outcomes' delete buttons.

    Whichever button was pressed, what was typed is kept: the minutes text is saved when it was
    changed (``save_minutes``: always), a filled-in outcome is added (``outcome_required``: even when
    empty, to report what is missing), all in one transaction. With an error in either part nothing
    is written and the page comes back with everything as typed. A post without a minutes field
    (an older page) leaves the minutes alone.
    """
    minutes_form = MinutesForm(request.POST, event=event) if "minutes" in request.POST else None
    blank = Outcome(event=event, network=network, working_group=event.working_group)
    outcome_form = OutcomeForm(request.POST, instance=blank, network=network, prefix="outcome")
    if not (outcome_required or outcome_form.has_changed()):
        outcome_form = None
    sent = [form for form in (minutes_form, outcome_form) if form is not None]
    valid = [form.is_valid() for form in sent]  # each form checked, so each reports its errors
    if not all(valid):
        return _minutes_page(request, network, event, minutes_form=minutes_form, outcome_form=outcome_form)
    data = minutes_form.cleaned_data if minutes_form is not None else {}
    publish, unpublish = data.get("publish", False), data.get("unpublish", False)
    minutes_changed = minutes_form is not None and (
        save_minutes or publish or unpublish or not _same_text(data["minutes"], event.minutes)
    )
    was_published = event.minutes_published_at is not None
    outcome = None
    with transaction.atomic():
        if minutes_changed:
            event = services.minutes_save(event=event, text=data["minutes"], publish=publish, by=person_of(request))
            if unpublish:
                services.minutes_unpublish(event=event)
        if outcome_form is not None:
            outcome = services.outcome_save(outcome=outcome_form.save(commit=False), by=person_of(request))
        if delete is not None:
            delete.delete()
    if minutes_changed:
        if unpublish:
            messages.success(request, _("The minutes have been saved; members no longer see them."))
        elif publish and not was_published:
            messages.success(request, _("The minutes have been published; the participants are being notified."))
        else:
            messages.success(request, _("The minutes have been saved."))
    if outcome is not None:
        messages.success(request, _("“%(text)s” has been added.") % {"text": outcome.text[:80]})
    if delete is not None:
        messages.success(request, _("“%(text)s” has been deleted.") % {"text": delete.text[:80]})
    anchor = "#outcomes" if (outcome is not None or delete is not None) else ""
    return redirect(_minutes_url(network, event) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, event = _manage(request, slug, pk)
    if refused := _cancelled(request, event):
        return refused
    if request.method == "GET":
        return _minutes_page(request, network, event)
    return _save_page(request, network, event, save_minutes=True)


@login_required
@require_POST
def outcome_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, event = _manage(request, slug, pk)
    return _cancelled(request, event) or _save_page(request, network, event, outcome_required=True)


@login_required
@require_POST
def outcome_delete(request: HttpRequest, slug: str, pk: int, outcome: int) -> HttpResponse:
    network, event = _manage(request, slug, pk)
    item = get_object_or_404(event.outcomes.all(), pk=outcome)
    return _cancelled(request, event) or _save_page(request, network, event, delete=item)


# --- Documents ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, event = _manage(request, slug, pk)
    if refused := _cancelled(request, event):
        return refused
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                event=event,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                by=person_of(request),
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("“%(title)s” has been uploaded.") % {"title": document.title})
            return redirect(event.get_absolute_url() + "#documents")
    context = network_context(request, network, event=event, form=form)
    return render(request, "events/document_form.html", context, status=400 if request.method == "POST" else 200)


@require_safe
def document_download(request: HttpRequest, slug: str, pk: int, doc: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    event = event_access.access_event(request.user, network, pk)
    document = get_object_or_404(event.documents.all(), pk=doc)
    return serve_stored_file(
        document.file,
        filename=os.path.basename(document.file.name),
        content_type=document.content_type,
        inline=document.content_type in INLINE_TYPES,
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, slug: str, pk: int, doc: int) -> HttpResponse:
    network, event = _manage(request, slug, pk)
    document = get_object_or_404(event.documents.all(), pk=doc)
    with transaction.atomic():
        services.document_delete(document=document)
    messages.success(request, _("“%(title)s” has been deleted.") % {"title": document.title})
    return redirect(event.get_absolute_url() + "#documents")


# --- Action items of a network ------------------------------------------------------


def _action_item_rows(network: Network, filters: ActionItemFilterForm, person, user):
    rows = Outcome.objects.action_items().for_list().filter(network=network).group_readable_by(user)
    open_first = Case(When(status=Outcome.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return filters.filter(rows, person).order_by(open_first, F("due_date").asc(nulls_last=True), "pk")


@login_required
@require_safe
def action_items(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network_internal(request.user, slug)
    person = person_of(request)
    filters = ActionItemFilterForm(request.GET)
    rows = _action_item_rows(network, filters, person, request.user)
    single = _item_id(request.GET.get("item", ""))
    if single:  # one item, as linked from the dashboard: with its status form
        rows = rows.filter(pk=single)
    context = network_context(request, network, filters=filters, single=single)
    page = page_of(request, rows)
    for item in page:
        item.may_change = context["can_manage"] or event_access.owns_action_item(person, item)
    context.update(page=page, status_choices=Outcome.Status.choices)
    return render(request, "events/action_items.html", context)


@login_required
@require_POST
def action_item_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    person = person_of(request)
    item = event_access.access_action_item(request.user, network, pk, person=person)
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("Unknown status. Choose open, done or dropped."), content_type="text/plain; charset=utf-8"
        )
    services.outcome_set_status(outcome=item, status=form.cleaned_data["status"], by=person)
    messages.success(
        request, _("“%(text)s” is now %(status)s.") % {"text": item.text[:80], "status": item.get_status_display()}
    )
    back = request.POST.get("back", "")
    return redirect(item if back == "detail" else _list_url(network, back))


def _item_id(value: str) -> int | None:
    """The ``item`` of the list's address (the dashboard links to one item), if it is an id at all."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _list_url(network: Network, back: str) -> str:
    """The list again, with the filters and page it was showing (sent back as one hidden field)."""
    sent = QueryDict(back)
    query = QueryDict(mutable=True)
    for name in ("status", "mine", "page", "item"):
        if sent.get(name):
            query[name] = sent[name]
    url = reverse("events:action-items", args=[network.slug])
    return f"{url}?{query.urlencode()}" if query else url
