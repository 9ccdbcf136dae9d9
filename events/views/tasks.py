"""One outcome's page (status, comments with files, history), editing it, and new action items without an event
(from a discussion thread or on their own). Issue 15 §4."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events import access as event_access
from events import services
from events.forms.minutes import ActionItemForm, OutcomeEditForm, TaskCommentForm
from events.models import Outcome
from events.services.tasks import may_comment
from networks import access
from networks.channel.models import Thread
from networks.history import history_entries
from networks.models import Network
from networks.pages import network_context, person_of

HISTORY_SHOWN = 50  # the newest changes of one outcome


def _history(item: Outcome) -> list[dict]:
    """Who changed what and when, newest first (3 queries: records, the records before them, names of people,
    organisations and groups behind changed keys)."""
    records = list(item.history.select_related("history_user__person")[:HISTORY_SHOWN])
    return history_entries(records, hidden=("network", "event", "source_thread", "created_by", "completed_at"))


def _detail_page(request: HttpRequest, network: Network, item: Outcome, *, comment_form=None) -> HttpResponse:
    person = person_of(request)
    context = network_context(request, network, item=item)
    may_write = may_comment(request.user, person, item, coordinator=context["can_manage"])
    context.update(
        may_change=item.is_action and (context["can_manage"] or event_access.owns_action_item(person, item)),
        may_comment=may_write,
        comment_form=(comment_form or TaskCommentForm()) if may_write else None,
        comments=list(item.comments.select_related("author", "attachment")),
        history=_history(item),
        status_choices=Outcome.Status.choices,
    )
    return render(request, "events/outcome_detail.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def outcome_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    item = event_access.access_outcome(request.user, network, pk)
    return _detail_page(request, network, item)


@login_required
@require_POST
def outcome_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    item = event_access.access_outcome(request.user, network, pk)
    person = person_of(request)
    if not may_comment(request.user, person, item, coordinator=access.is_coordinator(request.user, network)):
        raise PermissionDenied
    form = TaskCommentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.task_comment_add(
                item=item, author=person, text=form.cleaned_data["text"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file" if form.cleaned_data["file"] else None, error)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect(item.get_absolute_url() + "#comments")
    return _detail_page(request, network, item, comment_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_network(request.user, slug)
    item = event_access.access_outcome_manage(request.user, network, pk)
    form = OutcomeEditForm(request.POST or None, instance=item, network=network)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            services.outcome_save(outcome=form.save(commit=False), by=person_of(request))
            messages.success(request, _("The outcome has been changed."))
        return redirect(item)
    context = network_context(request, network, item=item, form=form, page_title=_("Edit outcome"))
    return render(request, "events/outcome_form.html", context, status=400 if request.method == "POST" else 200)


def source_thread(request: HttpRequest, network: Network) -> Thread | None:
    """The discussion thread named by ``?thread=`` (or the posted field) if the user may read it in this network;
    anything else is ignored (the form then simply has no thread)."""
    value = request.POST.get("thread") or request.GET.get("thread") or ""
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    return Thread.objects.visible_to(request.user).select_related("network").filter(network=network, pk=value).first()


def thread_initial(request: HttpRequest, thread: Thread | None) -> dict:
    """The event form filled from a thread: its title, its working group and a link back in the description."""
    if thread is None:
        return {}
    link = request.build_absolute_uri(thread.get_absolute_url())
    description = _("From the discussion “%(title)s”: <%(link)s>") % {"title": thread.title, "link": link}
    return {"title": thread.title[:200], "working_group": thread.working_group_id, "description": description}


@login_required
@require_http_methods(["GET", "POST"])
def action_item_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new action item of the network, without an event; ``?thread=`` takes it from a discussion thread."""
    network = access.access_network_manage(request.user, slug)
    thread = source_thread(request, network)
    item = Outcome(network=network, kind=Outcome.Kind.ACTION, source_thread=thread)
    group = request.GET.get("gruppe", "")  # "new action item" on a working group's page
    initial = {"working_group": int(group)} if group.isascii() and group.isdigit() and len(group) <= 18 else {}
    if thread:
        initial = {"text": thread.title[:500], "working_group": thread.working_group_id}
    form = ActionItemForm(request.POST or None, instance=item, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = services.outcome_save(outcome=form.save(commit=False), by=person_of(request))
        messages.success(request, _("The action item has been recorded."))
        return redirect(item)
    context = network_context(request, network, form=form, thread=thread, item=None, page_title=_("New action item"))
    return render(request, "events/outcome_form.html", context, status=400 if request.method == "POST" else 200)
