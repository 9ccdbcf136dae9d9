"""Pages of the discussions: access (networks.channel.access) → form or service → render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks.access import access_network, access_working_group
from networks.channel import access, hooks, selectors, services
from networks.channel.forms import (
    CategoryForm,
    FaqForm,
    FollowForm,
    PostEditForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    ThreadFilterForm,
    ThreadForm,
    ThreadMoveForm,
)
from networks.channel.models import Category, Post, PostRevision, ThreadFollow
from networks.library.services import document_store
from networks.models import Person, WorkingGroup
from networks.pages import network_context


def _person(request: HttpRequest) -> Person | None:
    """The signed-in user's person, with ``person.user`` the request's user (its staff powers as the request has
    them)."""
    try:
        return request.user.person
    except Person.DoesNotExist:
        return None


def _form_errors(form, error: ValidationError, *, field: str | None = None) -> None:
    """The service's errors on the form: by field where they name one, else on ``field`` (or the whole form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, error)


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- the list and a new thread -------------------------------------------------------------------------------


@login_required
@require_safe
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_discussions(request.user, slug)
    categories = list(Category.objects.filter(network=network))
    groups = list(WorkingGroup.objects.filter(network=network).readable_by(request.user))
    filters = ThreadFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    category = next((c for c in categories if c.slug == chosen.get("kategorie")), None)
    group = next((g for g in groups if g.pk == chosen.get("gruppe")), None)
    page = selectors.thread_page(request, network, _person(request), category=category, group=group)
    context = network_context(
        request, network, page=page, categories=categories, groups=groups, category=category, group=group
    )
    return render(request, "channel/thread_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_discussions(request.user, slug)
    initial = {"working_group": request.GET.get("gruppe"), "category": request.GET.get("kategorie")}
    form = ThreadForm(request.POST or None, network=network, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(network=network, author=_person(request), **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your thread has been started. You follow it: replies come by email."))
            return redirect(thread)
    return render(
        request, "channel/thread_form.html", network_context(request, network, form=form), status=_status(request)
    )


# --- a thread -------------------------------------------------------------------------------------------------


def _quote(thread, number: str | None, user) -> str:
    """The "> " quotation of post ``number`` for the composer ("" when there is none to quote)."""
    if not number or not number.isdigit():
        return ""
    post = Post.objects.filter(thread=thread, number=int(number), hidden_at__isnull=True).select_related("author")
    post = post.first()
    if post is None:
        return ""
    name = post.author.name if post.author else _("Someone")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return _("%(name)s wrote in post %(number)s:") % {"name": name, "number": post.number} + f"\n{quoted}\n\n"


def _thread_page(request: HttpRequest, network, thread, *, reply_form=None, status: int = 200) -> HttpResponse:
    user, person = request.user, _person(request)
    follow = selectors.follow_of(thread, person)
    page = selectors.post_page(request, thread, user)
    last_read = follow.last_read_number if follow else 0
    first_unread = last_read + 1 if 0 < last_read < thread.post_count else None
    if person is not None and page.posts and page.posts[-1].number > last_read:
        services.mark_read(thread=thread, person=person, number=page.posts[-1].number)
    may_post = access.can_post(user, thread)
    if reply_form is None and may_post:
        reply_form = ReplyForm(initial={"body": _quote(thread, request.GET.get("zitat"), user)})
    context = network_context(
        request,
        network,
        thread=thread,
        page=page,
        first_unread=first_unread,
        first_unread_url=thread.url_of(first_unread) if first_unread else "",
        follow_state=follow.state if follow else ThreadFollow.State.NORMAL,
        follow_states=ThreadFollow.State.choices,
        reply_form=reply_form if may_post else None,
        can_moderate=access.can_moderate(user, network),
        can_mark_answer=access.can_moderate(user, network) or (person is not None and thread.author_id == person.pk),
        viewer=person,
        actions=hooks.thread_actions(user, thread),
    )
    return render(request, "channel/thread_detail.html", context, status=status)


@login_required
@require_safe
def thread_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    return _thread_page(request, network, access.access_thread(request.user, network, pk))


@login_required
@require_POST
def post_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The reply form at the bottom of the thread; on an error the thread page again, with the text kept."""
    network = access_network(request.user, slug)
    thread = access.access_thread(request.user, network, pk)
    if not access.can_post(request.user, thread):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = _reply_with_file(thread, _person(request), form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error, field="attachment")
        else:
            return redirect(post.get_absolute_url())
    return _thread_page(request, network, thread, reply_form=form, status=400)


@transaction.atomic
def _reply_with_file(thread, person, data: dict):
    """The reply and its file in one transaction: a refused reply leaves no document behind, nor the reverse."""
    upload = data.get("attachment")
    documents = []
    if upload:
        documents.append(
            document_store(
                network=thread.network,
                working_group=thread.working_group,
                uploaded_by=person,
                name=upload.name,
                content=upload,
            )
        )
    return services.post_reply(thread=thread, author=person, body=data["body"], attachments=documents)


@login_required
@require_POST
def thread_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    thread = access.access_thread(request.user, network, pk)
    form = FollowForm(request.POST)
    if not form.is_valid() or _person(request) is None:
        return HttpResponse(_("Unknown choice."), status=400)
    services.follow_set(thread=thread, person=_person(request), state=form.cleaned_data["state"])
    messages.success(request, _("Your notifications for this thread have been changed."))
    return redirect(thread)


@login_required
@require_POST
def thread_pin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    thread = access.access_thread(request.user, network, pk, moderate=True)
    services.thread_pin(thread=thread, by=request.user, pinned=request.POST.get("pinned") == "1")
    return redirect(thread)


@login_required
@require_POST
def thread_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    thread = access.access_thread(request.user, network, pk, moderate=True)
    services.thread_close(thread=thread, by=request.user, closed=request.POST.get("closed") == "1")
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    thread = access.access_thread(request.user, network, pk, moderate=True)
    initial = {"title": thread.title, "category": thread.category_id, "working_group": thread.working_group_id}
    form = ThreadMoveForm(request.POST or None, network=network, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_move(thread=thread, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The thread has been moved."))
            return redirect(thread)
    context = network_context(
        request, network, thread=thread, form=form, title=_("Move or rename the thread"), button=_("Save")
    )
    return render(request, "channel/thread_move.html", context, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def faq_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take the thread's answer into the network's FAQ (coordinators)."""
    network = access_network(request.user, slug)
    thread = access.access_thread(request.user, network, pk, moderate=True)
    if thread.answer_id is None:
        messages.error(request, _("Mark a reply as the answer first."))
        return redirect(thread)
    entry = getattr(thread, "faq_entry", None)
    initial = {"question": entry.question if entry else thread.title, "topic": entry.topic_id if entry else None}
    form = FaqForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.faq_from_answer(thread=thread, by=request.user, **form.cleaned_data)
        messages.success(request, _("The answer is now in the network's FAQ."))
        return redirect(thread)
    context = network_context(
        request,
        network,
        thread=thread,
        form=form,
        entry=entry,
        title=_("Take the answer into the FAQ"),
        button=_("Save"),
    )
    return render(request, "channel/faq_form.html", context, status=_status(request))


# --- a post ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    post = access.access_post_edit(request.user, network, pk)
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, editor=_person(request), body=form.cleaned_data["body"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your post has been changed; the earlier version is kept in its history."))
            return redirect(post.get_absolute_url())
    context = network_context(
        request, network, post=post, thread=post.thread, form=form, title=_("Edit your post"), button=_("Save")
    )
    return render(request, "channel/post_edit.html", context, status=_status(request))


@login_required
@require_safe
def post_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    post = access.access_post(request.user, network, pk)
    revisions = PostRevision.objects.filter(post=post).select_related("replaced_by")
    context = network_context(request, network, post=post, thread=post.thread, revisions=revisions)
    return render(request, "channel/post_history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    post = access.access_post(request.user, network, pk)
    person = _person(request)
    if person is None or post.author_id == person.pk or post.is_hidden:
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_report(post=post, reporter=person, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The network's coordination will look at the post."))
        return redirect(post.get_absolute_url())
    context = network_context(
        request, network, post=post, thread=post.thread, form=form, title=_("Report a post"), button=_("Report")
    )
    return render(request, "channel/post_report.html", context, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def post_hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    post = access.access_post(request.user, network, pk)
    if not access.can_moderate(request.user, network):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The post has been hidden; its author has been told why."))
            return redirect(post.get_absolute_url())
    context = network_context(
        request, network, post=post, thread=post.thread, form=form, title=_("Hide a post"), button=_("Hide the post")
    )
    return render(request, "channel/post_hide.html", context, status=_status(request))


@login_required
@require_POST
def post_unhide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    post = access.access_post(request.user, network, pk)
    services.post_unhide(post=post, by=request.user)
    messages.success(request, _("The post is visible again."))
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def post_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Mark the post as the thread's answer, or (``unmark``) no answer any more."""
    network = access_network(request.user, slug)
    post = access.access_post(request.user, network, pk)
    chosen = None if request.POST.get("unmark") else post
    try:
        services.mark_answer(thread=post.thread, post=chosen, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(post.get_absolute_url())


# --- coordination: categories and reports ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The categories, and a form to add one (coordinators)."""
    network = access.access_discussions(request.user, slug)
    if not access.can_moderate(request.user, network):
        raise PermissionDenied
    form = CategoryForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The category has been added."))
        return redirect("channel:category-list", slug=network.slug)
    categories = Category.objects.filter(network=network)
    context = network_context(request, network, categories=categories, form=form)
    return render(request, "channel/category_list.html", context, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_discussions(request.user, slug)
    if not access.can_moderate(request.user, network):
        raise PermissionDenied
    category = get_object_or_404(Category, network=network, pk=pk)
    form = CategoryForm(request.POST or None, instance=category, network=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The category has been saved."))
        return redirect("channel:category-list", slug=network.slug)
    context = network_context(request, network, category=category, form=form)
    return render(request, "channel/category_form.html", context, status=_status(request))


@login_required
@require_POST
def category_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_discussions(request.user, slug)
    if not access.can_moderate(request.user, network):
        raise PermissionDenied
    services.category_delete(category=get_object_or_404(Category, network=network, pk=pk), by=request.user)
    messages.success(request, _("The category has been deleted; its threads are kept without a category."))
    return redirect("channel:category-list", slug=network.slug)


@login_required
@require_safe
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_discussions(request.user, slug)
    if not access.can_moderate(request.user, network):
        raise PermissionDenied
    reports = list(selectors.open_reports(network))
    for report in reports:
        report.post.thread.network = network
    return render(request, "channel/report_list.html", network_context(request, network, reports=reports))


@login_required
@require_POST
def report_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_discussions(request.user, slug)
    if not access.can_moderate(request.user, network):
        raise PermissionDenied
    report = get_object_or_404(selectors.open_reports(network), pk=pk)
    services.report_resolve(report=report, by=request.user)
    messages.success(request, _("The report has been closed; the post stays."))
    return redirect("channel:report-list", slug=network.slug)


# --- mentions and working groups -----------------------------------------------------------------------------


@login_required
@require_safe
def people(request: HttpRequest, slug: str) -> JsonResponse:
    """The composer's @-autocomplete: people of the network (who may read the thread ?thema=) whose name contains
    ?q= (names only)."""
    network = access.access_discussions(request.user, slug)
    group = None
    thread_id = request.GET.get("thema", "")
    if thread_id.isascii() and thread_id.isdigit() and len(thread_id) <= 18:  # a thread: who may read it
        group = access.access_thread(request.user, network, int(thread_id)).working_group
    found = selectors.people_to_mention(network, request.GET.get("q", ""), group=group)
    return JsonResponse({"people": found})


@login_required
@require_POST
def group_join(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    group = access_working_group(request.user, network, pk)
    person = _person(request)
    if person is None:
        raise PermissionDenied
    services.working_group_join(group=group, person=person)
    messages.success(request, _("You have joined the working group."))
    return redirect(group)


@login_required
@require_POST
def group_leave(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    group = access_working_group(request.user, network, pk)
    person = _person(request)
    if person is not None:
        services.working_group_leave(group=group, person=person)
        messages.success(request, _("You have left the working group."))
    return redirect(group)
