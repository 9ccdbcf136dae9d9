"""Views of questions to experts: ask, the list of one's questions ("Meine Anfragen"), a conversation, blocking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks import services as network_services
from networks.citizens import is_citizen
from networks.experts import services
from networks.experts.forms import MessageForm, QuestionForm
from networks.experts.models import Block, Question
from networks.experts.selectors import expertise_visible_to
from networks.models import Person
from networks.pages import page_of


def _member(request: HttpRequest) -> Person:
    if is_citizen(request.user):
        raise PermissionDenied(_("Only members of a network can ask experts through the portal."))
    return network_services.person_ensure(user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, person: int) -> HttpResponse:
    asker = _member(request)
    topics = list(expertise_visible_to(request.user).filter(person_id=person))
    if not topics:  # not found by this user in "Wer weiß was": as if it did not exist
        raise Http404
    expert = topics[0].person
    topic = None
    if request.GET.get("topic", "").isdigit():
        topic = next((t.topic for t in topics if t.topic_id == int(request.GET["topic"])), None)
    reason = services.why_not_ask(asker=asker, expert=expert)
    form = QuestionForm(
        request.POST if request.method == "POST" else None, initial={"subject": topic.label if topic else ""}
    )
    if request.method == "POST" and not reason and form.is_valid():
        try:
            question = services.question_ask(asker=asker, expert=expert, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your question has been sent. You will get the answer by email."))
            return redirect(question)
    context = {"expert": expert, "topics": topics, "topic": topic, "form": form, "reason": reason}
    return render(request, "experts/ask.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def question_list(request: HttpRequest) -> HttpResponse:
    person = network_services.person_ensure(user=request.user)
    rows = (
        Question.objects.filter(Q(asker=person) | Q(expert=person))
        .select_related("asker__organisation", "expert__organisation", "topic")
        .annotate(message_count=Count("messages"))
        .order_by("-last_message_at", "-pk")
    )
    context = {"page": page_of(request, rows), "person": person}
    return render(request, "experts/question_list.html", context)


def _question_of(request: HttpRequest, pk: int) -> tuple[Question, Person]:
    person = network_services.person_ensure(user=request.user)
    question = get_object_or_404(
        Question.objects.select_related("asker__organisation", "expert__organisation", "topic"),
        Q(asker=person) | Q(expert=person),
        pk=pk,
    )
    return question, person


@login_required
@require_http_methods(["GET", "POST"])
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question, person = _question_of(request, pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_add(question=question, author=person, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(question)
    other = question.other_party(person)
    context = {
        "question": question,
        "person": person,
        "other": other,
        "thread": question.messages.select_related("author"),
        "form": form,
        "blocked": Block.objects.filter(person=person, blocked=other).exists(),
    }
    return render(request, "experts/question_detail.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def block_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    question, person = _question_of(request, pk)
    other = question.other_party(person)
    if request.POST.get("unblock"):
        services.unblock(person=person, blocked=other)
        messages.success(request, _("%(name)s can write to you again.") % {"name": other.name})
    else:
        services.block(person=person, blocked=other)
        messages.success(
            request, _("%(name)s is blocked: they can no longer ask you or write to you.") % {"name": other.name}
        )
    return redirect(question)
