"""One event and its series: detail page, create, edit, copy, cancel (coordinators)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from events import access, announcements, services, structured_data
from events.forms.events import (
    AgendaFormSet,
    EventCancelForm,
    EventForm,
    SeriesCancelForm,
    SeriesChangeForm,
    SeriesForm,
    agenda_check,
    agenda_initial,
    agenda_items,
    agenda_stored,
)
from events.forms.participation import GuestRegistrationForm, ModeForm
from events.models import Event, Format, Registration
from events.services import guests
from events.views.tasks import source_thread, thread_initial
from networks.access import access_network, access_network_manage
from networks.models import Topic
from networks.pages import network_context, person_of

# --- One event --------------------------------------------------------------------------------------


@require_safe
def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    event = access.access_event(request.user, network, pk, queryset=Event.objects.with_counts())
    person = person_of(request)
    registration = (
        Registration.objects.filter(event=event, person=person).with_waiting_position().first() if person else None
    )
    waiting = registration is not None and registration.status == Registration.Status.WAITING
    waiting_position = registration.waiting_position if waiting else None
    context = network_context(request, network, event=event)
    is_member, can_manage = context["is_member"], context["can_manage"]
    minutes_visible = bool(event.minutes_published_at or can_manage) and bool(event.minutes)
    context.update(
        registration=registration,
        can_register=access.can_register(request.user, event),
        waiting_position=waiting_position,
        show_link=access.can_see_link(request.user, event, registration),
        agenda=list(event.agenda.all()),
        topics=list(event.topics.all()),
        documents=list(event.documents.all()) if (is_member or event.is_public) else [],
        minutes_visible=minutes_visible,
        minutes_html=event.minutes_html if minutes_visible else "",  # rendered and sanitised when saved
        outcomes=list(
            event.outcomes.group_readable_by(request.user).select_related("owner_person", "owner_organisation")
        )
        if (event.minutes_published_at or can_manage)
        else [],
        questions=list(event.questions.listed_for(person).select_related("author", "topic"))
        if is_member and event.is_office_hour
        else [],
        all_topics=list(Topic.objects.order_by("name")) if is_member and event.is_office_hour else [],
        now=timezone.now(),
        invitation=announcements.invitation_of(event) if can_manage else None,
        # public events: schema.org JSON-LD; people without an account register with their email
        json_ld=structured_data.json_ld_script(event) if guests.can_register_as_guest(event) else "",
        guest_form=GuestRegistrationForm(event=event)
        if not request.user.is_authenticated and guests.can_register_as_guest(event) and event.registration_open
        else None,
        mode_form=ModeForm(event=event) if event.format == Format.HYBRID else None,
    )
    return render(request, "events/event_detail.html", context)


def _valid(form: EventForm, agenda) -> bool:
    """Event and agenda, each reporting its errors; the agenda's times within the event."""
    valid = [form.is_valid(), agenda.is_valid()]
    return all(valid) and agenda_check(
        agenda, starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"]
    )


def _event_form_page(
    request, network, form, agenda, *, title: str, event=None, action: str = "", thread=None
) -> HttpResponse:
    context = network_context(
        request, network, form=form, agenda=agenda, page_title=title, event=event, form_action=action, thread=thread
    )
    return render(request, "events/event_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network_manage(request.user, slug)
    thread = source_thread(request, network)  # "plan as an event" on a discussion thread (events.channel)
    form = EventForm(request.POST or None, network=network, initial=thread_initial(request, thread))
    form.instance.source_thread = thread
    agenda = AgendaFormSet(request.POST or None, prefix="agenda")
    if request.method == "POST" and _valid(form, agenda):
        event = services.event_create(
            event=form.save(commit=False),
            topics=form.cleaned_data["topics"],
            agenda=agenda_items(agenda),
            by=person_of(request),
        )
        messages.success(request, _("The event has been created."))
        if form.cleaned_data.get("invite_members"):
            invited = announcements.invitation_send(event=event, by=person_of(request))
            if invited:
                messages.success(request, announcements.invited_message(invited))
        return redirect(event)
    return _event_form_page(request, network, form, agenda, title=_("New event"), thread=thread)


@login_required
@require_safe
def event_copy(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The create form, filled with the details of an existing event one week later; it posts to event_create."""
    network = access_network(request.user, slug)
    source = access.access_event_manage(request.user, network, pk)
    form = EventForm(initial=services.event_copy_initial(source), network=network)
    agenda = AgendaFormSet(
        prefix="agenda", initial=[{"time": a.time, "title": a.title, "note": a.note} for a in source.agenda.all()]
    )
    title = _("Copy of “%(title)s”") % {"title": source.title}
    return _event_form_page(
        request, network, form, agenda, title=title, action=reverse("events:event-create", args=[network.slug])
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    event = access.access_event_manage(request.user, network, pk)
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be changed any more."))
        return redirect(event)
    form = EventForm(request.POST or None, instance=event, network=network)
    agenda = AgendaFormSet(
        request.POST or None,
        prefix="agenda",
        initial=[{"time": a.time, "title": a.title, "note": a.note} for a in event.agenda.all()],
    )
    if request.method == "POST" and _valid(form, agenda):
        changed = [name for name in form.changed_data if name != "note"]
        event = form.save(commit=False)
        told = services.event_update(
            event=event,
            changed=changed,
            topics=form.cleaned_data["topics"],
            agenda=agenda_items(agenda),
            note=form.cleaned_data.get("note", ""),
            by=person_of(request),
        )
        messages.success(request, _changed_message(told))
        return redirect(event)
    return _event_form_page(request, network, form, agenda, title=_("Edit event"), event=event)


def _changed_message(told: int) -> str:
    if not told:
        return _("The event has been saved.")
    return ngettext(
        "The event has been changed; %(count)s participant has been notified.",
        "The event has been changed; %(count)s participants have been notified.",
        told,
    ) % {"count": told}


def _cancelled_message(told: int) -> str:
    if not told:
        return _("The event has been cancelled; nobody needed to be notified.")
    return ngettext(
        "The event has been cancelled; %(count)s person has been notified.",
        "The event has been cancelled; %(count)s people have been notified.",
        told,
    ) % {"count": told}


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    event = access.access_event_manage(request.user, network, pk)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if event.is_cancelled:
            messages.info(request, _("This event had already been cancelled."))
        else:
            told = services.event_cancel(event=event, reason=form.cleaned_data["reason"], by=person_of(request))
            messages.success(request, _cancelled_message(told))
        return redirect(event)
    holders = event.registrations.filter(status__in=[*Registration.TAKES_A_PLACE, Registration.Status.WAITING]).count()
    return render(
        request,
        "events/event_cancel.html",
        network_context(request, network, event=event, form=form, holders=holders),
    )


# --- Series -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network_manage(request.user, slug)
    form = SeriesForm(request.POST or None, network=network)
    agenda = _series_agenda(request)
    if request.method == "POST" and _series_valid(form, agenda):
        series = form.save(commit=False)
        series.agenda = agenda_stored(agenda) if agenda.is_bound else []
        series = services.series_create(series=series, topics=form.cleaned_data["topics"], by=person_of(request))
        count = series.occurrences.count()
        messages.success(
            request, _("The series has been created with %(count)s dates for the next six months.") % {"count": count}
        )
        return redirect(series)
    return render(
        request,
        "events/series_form.html",
        network_context(request, network, form=form, agenda=agenda, page_title=_("New series")),
        status=400 if request.method == "POST" else 200,
    )


def _series_agenda(request: HttpRequest, series=None):
    """The agenda formset of the series form; a POST without its rows (an older form, a script) leaves the agenda
    as it is."""
    posted = request.method == "POST" and "agenda-TOTAL_FORMS" in request.POST
    return AgendaFormSet(request.POST if posted else None, prefix="agenda", initial=agenda_initial(series))


def _series_valid(form, agenda) -> bool:
    """Series and agenda, each reporting its errors; the agenda's times within one date of the series."""
    if not agenda.is_bound:
        return form.is_valid()
    valid = [form.is_valid(), agenda.is_valid()]
    if not all(valid):
        return False
    data, zone = form.cleaned_data, timezone.get_current_timezone()
    day = data.get("first_date")
    return agenda_check(
        agenda,
        starts_at=timezone.make_aware(datetime.combine(day, data["start_time"]), zone),
        ends_at=timezone.make_aware(datetime.combine(day, data["end_time"]), zone),
    )


@login_required
@require_safe
def series_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    series = access.access_series_manage(request.user, network, pk)
    occurrences = series.occurrences.with_counts().select_related("network").order_by("starts_at")
    upcoming = [e for e in occurrences if not e.is_past]
    past = [e for e in occurrences if e.is_past][-5:]
    return render(
        request,
        "events/series_detail.html",
        network_context(request, network, series=series, upcoming=upcoming, past=past),
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    series = access.access_series_manage(request.user, network, pk)
    if series.ended_on:
        messages.error(request, _("This series has ended and cannot be changed."))
        return redirect(series)
    form = SeriesChangeForm(
        request.POST or None, instance=series, network=network, initial={"from_date": timezone.localdate()}
    )
    agenda = _series_agenda(request, series)
    if request.method == "POST" and _series_valid(form, agenda):
        changed = [name for name in form.changed_data if name != "from_date"]
        stored = agenda_stored(agenda) if agenda.is_bound else series.agenda
        if stored != series.agenda:
            changed.append("agenda")
        series = form.save(commit=False)
        series.agenda = stored
        result = services.series_update_from(
            series=series,
            from_date=form.cleaned_data["from_date"],
            changed=changed,
            topics=form.cleaned_data["topics"],
            by=person_of(request),
        )
        when = date_format(form.cleaned_data["from_date"], "SHORT_DATE_FORMAT")
        messages.success(request, _("The series has been changed from %(date)s on.") % {"date": when})
        return redirect(result)
    return render(
        request,
        "events/series_form.html",
        network_context(request, network, form=form, agenda=agenda, series=series, page_title=_("Change series")),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    series = access.access_series_manage(request.user, network, pk)
    form = SeriesCancelForm(request.POST or None, initial={"from_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        cancelled = services.series_cancel_from(
            series=series,
            from_date=form.cleaned_data["from_date"],
            reason=form.cleaned_data["reason"],
            by=person_of(request),
        )
        messages.success(
            request,
            _("The series has ended. %(count)s dates with registrations were cancelled and the participants told.")
            % {"count": cancelled},
        )
        return redirect("events:network-calendar", network.slug)
    return render(
        request,
        "events/series_cancel.html",
        network_context(request, network, series=series, form=form),
        status=400 if request.method == "POST" else 200,
    )
