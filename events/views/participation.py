"""Registration and waiting list, participant list and exports, attendance, office-hour questions, FAQ."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events import access, exports, services
from events.forms.participation import (
    AnswerForm,
    AttendanceForm,
    FaqFilter,
    ModeForm,
    QuestionForm,
    QuestionRemoveForm,
    WalkInForm,
)
from events.models import Event, Format, Kind, Question, Registration
from events.views.guests import walk_in_people
from networks import access as network_access
from networks.channel import selectors as channel_selectors
from networks.filtering import ignore_unknown
from networks.models import Network
from networks.pages import network_context, page_of, person_of

# --- Registration ---------------------------------------------------------------


def _position_of(registration: Registration) -> int:
    return Registration.objects.with_waiting_position().get(pk=registration.pk).waiting_position


def _registering(request: HttpRequest, slug: str, pk: int):
    """The event (404 for outsiders) and the viewer's person; 403 when their role may not register."""
    network = network_access.access_network(request.user, slug)
    event = access.access_event(request.user, network, pk)
    if not access.can_register(request.user, event):
        raise PermissionDenied
    return event, person_of(request)


@login_required
@require_POST
def register(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, person = _registering(request, slug, pk)
    if person is None:
        messages.error(request, _("Your account has no profile yet. Please complete your profile first."))
        return redirect(event)
    mode = ModeForm(request.POST, event=event)  # hybrid events: on site or online
    if not mode.is_valid():
        messages.error(request, " ".join(e for errors in mode.errors.values() for e in errors))
        return redirect(event.get_absolute_url() + "#registration")
    already = Registration.objects.filter(event=event, person=person).exclude(
        status__in=[Registration.Status.CANCELLED, Registration.Status.PENDING]
    )
    was_active = already.exists()
    try:
        registration = services.registration_register(event=event, person=person, mode=mode.chosen_mode)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event)
    if registration.status == Registration.Status.WAITING:
        text = _(
            "“%(title)s” is fully booked. You are number %(position)s on the waiting list; "
            "we will email you when a place becomes free."
        ) % {"title": event.title, "position": _position_of(registration)}
    elif was_active:
        text = _("You are already registered for “%(title)s”.") % {"title": event.title}
    else:
        text = _("You are registered for “%(title)s”. A confirmation is on its way by email.") % {"title": event.title}
    messages.success(request, text)
    return redirect(event)


@login_required
@require_POST
def unregister(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, person = _registering(request, slug, pk)
    if person is None:
        messages.error(request, str(services.RegistrationError("not_registered")))
        return redirect(event)
    try:
        services.registration_cancel(event=event, person=person)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event)
    messages.success(request, _("You have cancelled your registration for “%(title)s”.") % {"title": event.title})
    return redirect(event)


# --- Participants, exports, attendance --------------------------------------------


def _managing(request: HttpRequest, slug: str, pk: int) -> tuple[Network, Event]:
    network = network_access.access_network(request.user, slug)
    return network, access.access_event_manage(request.user, network, pk)


def _participants(event: Event) -> list[Registration]:
    """All registrations, places first, then the waiting list in its order, then cancellations."""
    order = {Registration.Status.ATTENDED: 0, Registration.Status.REGISTERED: 0, Registration.Status.WAITING: 1}
    registrations = list(
        event.registrations.select_related("person__organisation", "person__user").order_by(*Registration.QUEUE_ORDER)
    )
    return sorted(registrations, key=lambda r: order.get(r.status, 2))


@login_required
@require_safe
def participant_list(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, event = _managing(request, slug, pk)
    registrations = _participants(event)
    positions = exports.waiting_positions(registrations)
    for registration in registrations:
        registration.waiting_position = positions.get(registration.pk)
    counts = dict.fromkeys(Registration.Status.values, 0)
    for registration in registrations:
        counts[registration.status] += 1
    places = [r for r in registrations if r.takes_a_place and not r.walk_in]
    started = event.has_started
    holding = [r for r in registrations if r.takes_a_place]
    modes = [
        (label, sum(1 for r in holding if r.mode == value)) for value, label in Registration.Mode.choices
    ]  # hybrid events: how many come on site, how many online (of those holding a place)
    context = network_context(
        request,
        network,
        event=event,
        registrations=registrations,
        counts=[
            (label, counts[value], value)
            for value, label in Registration.Status.choices
            if counts[value] or value != Registration.Status.PENDING
        ],
        holding=counts[Registration.Status.REGISTERED] + counts[Registration.Status.ATTENDED],
        modes=modes if event.format == Format.HYBRID else [],
        started=started,
        attendance_form=AttendanceForm(registrations=places) if started and places else None,
        walk_ins=[r for r in registrations if r.walk_in],
        walk_in_form=WalkInForm(event=event, people=walk_in_people(network))
        if started and not event.is_cancelled
        else None,
    )
    return render(request, "events/participant_list.html", context)


@login_required
@require_safe
def participant_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    _network, event = _managing(request, slug, pk)
    registrations = _participants(event)
    if fmt == "xlsx":
        return exports.as_xlsx(event, registrations)
    if fmt == "csv":
        return exports.as_csv(event, registrations)
    raise Http404


@login_required
@require_POST
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _network, event = _managing(request, slug, pk)
    places = list(
        event.registrations.filter(status__in=Registration.TAKES_A_PLACE, walk_in=False)
        .select_related("person")
        .order_by("pk")
    )
    form = AttendanceForm(request.POST, registrations=places)
    back = reverse("events:participant-list", args=[event.network.slug, event.pk])
    if not form.is_valid():
        messages.error(request, _("Only registered participants can be marked as attended."))
        return redirect(back)
    try:
        count = services.attendance_set(event=event, attended=set(form.cleaned_data["attended"]))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request, _("Attendance saved: %(count)s of %(total)s attended.") % {"count": count, "total": len(places)}
    )
    return redirect(back)


# --- Office hours and FAQ ----------------------------------------------------------


@login_required
@require_POST
def question_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = network_access.access_network(request.user, slug)
    event = access.access_event_internal(request.user, network, pk)
    if event.kind != Kind.OFFICE_HOUR:
        raise Http404
    person = person_of(request)
    form = QuestionForm(request.POST)
    back = event.get_absolute_url() + "#questions"
    if person is None or not form.is_valid():
        errors = [error for field in form.errors.values() for error in field] if person else []
        messages.error(request, " ".join([_("Your question could not be saved."), *errors]))
        return redirect(back)
    try:
        services.question_ask(event=event, person=person, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("Thank you, your question has been submitted for the office hour."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = network_access.access_network(request.user, slug)
    question = access.access_question_answer(request.user, network, pk)
    question.event.network = network
    if question.is_removed:
        messages.info(request, _("The coordination has removed this question."))
        return redirect(question.event.get_absolute_url() + "#questions")
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(question=question, answer=form.cleaned_data["answer"], by=person_of(request))
        except ValidationError as error:
            form.add_error("answer", error.messages[0])
        else:
            messages.success(request, _("The answer has been saved; it now appears in the FAQ."))
            return redirect(question.event.get_absolute_url() + "#questions")
    return render(
        request, "events/question_answer.html", network_context(request, network, question=question, form=form)
    )


def _own_question(request: HttpRequest, slug: str, pk: int):
    """The network, the viewer's own question (its event's network set: no second query) and the viewer."""
    network = network_access.access_network(request.user, slug)
    person = person_of(request)
    question = access.access_question_own(request.user, network, pk, person=person)
    question.event.network = network
    return network, question, person


def _back_to_questions(question: Question) -> str:
    return question.event.get_absolute_url() + "#questions"


def _closed_for_change(request: HttpRequest, question: Question) -> HttpResponse | None:
    """Answered questions belong to the FAQ: the asker is told so instead of a form."""
    if question.is_answered:
        messages.info(request, _("This question has been answered; it can no longer be changed."))
        return redirect(_back_to_questions(question))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, question, person = _own_question(request, slug, pk)
    if closed := _closed_for_change(request, question):
        return closed
    if question.event.is_cancelled or question.event.is_past:
        messages.info(request, _("This office hour is over or cancelled; questions are closed."))
        return redirect(_back_to_questions(question))
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_edit(question=question, by=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your question has been changed."))
            return redirect(_back_to_questions(question))
    context = network_context(request, network, question=question, form=form)
    return render(request, "events/question_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, question, person = _own_question(request, slug, pk)
    if closed := _closed_for_change(request, question):
        return closed
    if request.method == "POST":
        try:
            services.question_delete(question=question, by=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your question has been withdrawn."))
        return redirect(_back_to_questions(question))
    return render(request, "events/question_delete.html", network_context(request, network, question=question))


@login_required
@require_http_methods(["GET", "POST"])
def question_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = network_access.access_network(request.user, slug)
    question = access.access_question_answer(request.user, network, pk)
    question.event.network = network
    if question.is_removed:
        messages.info(request, _("The coordination has removed this question."))
        return redirect(_back_to_questions(question))
    form = QuestionRemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.question_remove(question=question, by=person_of(request), reason=form.cleaned_data["removed_reason"])
        messages.success(request, _("The question has been removed; it is kept with the reason in the admin."))
        return redirect(_back_to_questions(question))
    context = network_context(request, network, question=question, form=form)
    return render(request, "events/question_remove.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def faq(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_access.access_network_internal(request.user, slug)
    answered = (
        Question.objects.listed()  # not removed by the coordination
        .filter(network=network, answered_at__isnull=False)
        .select_related("event", "topic", "author")
        .order_by("-answered_at", "-pk")
    )
    search = FaqFilter(request.GET, queryset=answered)
    notes = ignore_unknown(search)  # an unknown topic is ignored with a note, as in every list
    # one list with the answers taken from the network's discussions (networks.channel), newest first
    chosen = search.form.cleaned_data if search.is_valid() else {}
    rows = channel_selectors.faq_rows(search.qs, network, words=chosen.get("q") or "", topic=chosen.get("topic"))
    page = page_of(request, rows)
    page.object_list = channel_selectors.faq_items(page.object_list, answered)
    context = network_context(request, network, filter=search, filter_notes=notes, page=page)
    if context["can_manage"]:
        context["open_questions"] = (
            Question.objects.listed()
            .filter(network=network, answered_at__isnull=True, event__ends_at__gte=timezone.now())
            .exclude(event__status=Event.Status.CANCELLED)
            .select_related("event", "topic", "author")
            .order_by("event__starts_at", "created_at", "pk")
        )
    return render(request, "events/faq.html", context)
