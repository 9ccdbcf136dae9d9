"""Every write of the events app with a rule in it. Views and tasks call these.

Registration rules hold under concurrency: registering, cancelling and promoting
lock the event row (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers
with IMMEDIATE transactions), so capacity is never exceeded.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import filetype
import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models import Exists, ExpressionWrapper, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import (
    AgendaItem,
    CalendarToken,
    Document,
    Event,
    EventSeries,
    Notice,
    NotificationSetting,
    Outcome,
    Question,
    Registration,
    new_token,
)
from events.notifications import notify
from networks.models import Person

SERIES_HORIZON = timedelta(days=183)  # six months of occurrences exist ahead of today
# Changing one of these is news for the participants: SEQUENCE goes up, they get an email.
SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "format", "title")
SERIES_TEMPLATE_FIELDS = (
    "title",
    "kind",
    "format",
    "venue",
    "address",
    "online_url",
    "capacity",
    "visibility",
    "description",
)


class RegistrationError(Exception):
    MESSAGES = {
        "cancelled": gettext_lazy("This event has been cancelled; registration is no longer possible."),
        "past": gettext_lazy("This event has already started or is over; registration is closed."),
        "deadline": gettext_lazy("The registration deadline for this event has passed."),
        "not_registered": gettext_lazy("You are not registered for this event."),
    }

    def __init__(self, code: str):
        self.code = code
        super().__init__(str(self.MESSAGES[code]))


# --- Events -------------------------------------------------------------------


def event_create(*, event: Event, topics=(), agenda: list[dict] = (), by: Person | None) -> Event:
    with transaction.atomic():
        event.created_by = by
        event.full_clean()
        event.save()
        event.topics.set(topics)
        agenda_set(event=event, items=agenda)
    return event


def agenda_set(*, event: Event, items: list[dict]) -> None:
    """Replace the agenda with ``items`` (dicts of time, title, note) in the given order."""
    event.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, position=i, time=item.get("time"), title=item["title"], note=item.get("note", ""))
        for i, item in enumerate(items)
        if item.get("title")
    )


def event_update(
    *, event: Event, changed: list[str], topics=None, agenda: list[dict] | None = None, by: Person | None
) -> Event:
    """Save an edited event. A significant change raises SEQUENCE and tells the participants."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        event.full_clean()
        significant = any(name in changed for name in SIGNIFICANT_FIELDS)
        if significant:
            event.sequence = locked.sequence + 1
        if event.series_id:
            event.detached = True
        event.save()
        if topics is not None:
            event.topics.set(topics)
        if agenda is not None:
            agenda_set(event=event, items=agenda)
        if "capacity" in changed:
            _promote_waiting(event)
        if significant and not event.is_past:
            for registration in _active_registrations(event):
                notify(registration, Notice.Kind.CHANGED, occasion=f"seq{event.sequence}")
    return event


def event_cancel(*, event: Event, reason: str = "", by: Person | None) -> Event:
    """Cancel the event and tell everyone registered or waiting. Cancelling twice does nothing more."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        if event.is_cancelled:
            return event
        event.status = Event.Status.CANCELLED
        event.cancelled_reason = reason[:300]
        event.sequence += 1
        if event.series_id:
            event.detached = True
        event.save(update_fields=["status", "cancelled_reason", "sequence", "detached", "updated_at"])
        for registration in _active_registrations(event):
            notify(registration, Notice.Kind.CANCELLED)
    return event


def event_copy_initial(event: Event, *, starts_at: datetime | None = None) -> dict:
    """Form initial data for a copy of ``event``: same details, one week later unless told otherwise."""
    shift = (starts_at - event.starts_at) if starts_at else timedelta(days=7)
    local_start = timezone.localtime(event.starts_at + shift)
    local_end = timezone.localtime(event.ends_at + shift)
    initial = {name: getattr(event, name) for name in SERIES_TEMPLATE_FIELDS}
    initial.update(
        starts_at=local_start,
        ends_at=local_end,
        registration_deadline=timezone.localtime(event.registration_deadline + shift)
        if event.registration_deadline
        else None,
        topics=list(event.topics.all()),
    )
    return initial


def _active_registrations(event: Event):
    return (
        event.registrations.filter(status__in=[*Registration.TAKES_A_PLACE, Registration.Status.WAITING])
        .select_related("person__user", "event__network")
        .order_by("queued_at", "pk")
    )


# --- Registration ---------------------------------------------------------------


def _check_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise RegistrationError("cancelled")
    if event.starts_at <= now:
        raise RegistrationError("past")
    if event.registration_deadline and now > event.registration_deadline:
        raise RegistrationError("deadline")


def registration_register(*, event: Event, person: Person) -> Registration:
    """Register, or join the waiting list when the event is full. Registering again changes nothing."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        # Taken under the lock: the queue order is the order in which places were decided.
        now = timezone.now()
        _check_open(event, now)
        registration = Registration.objects.filter(event=event, person=person).first()
        if registration and registration.status != Registration.Status.CANCELLED:
            return registration
        taken = event.registrations.filter(status__in=Registration.TAKES_A_PLACE).count()
        full = event.capacity is not None and taken >= event.capacity
        status = Registration.Status.WAITING if full else Registration.Status.REGISTERED
        if registration is None:
            registration = Registration.objects.create(event=event, person=person, status=status, queued_at=now)
        else:
            registration.status, registration.queued_at = status, now
            registration.save(update_fields=["status", "queued_at", "updated_at"])
        registration.event = event
        notify(registration, Notice.Kind.CONFIRMATION, occasion=now.isoformat())
    return registration


def registration_cancel(*, event: Event, person: Person) -> Registration:
    """Give the place (or the waiting-list place) back; the first waiting person moves up."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        registration = Registration.objects.filter(
            event=event, person=person, status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING]
        ).first()
        if registration is None:
            raise RegistrationError("not_registered")
        if event.starts_at <= timezone.now():
            raise RegistrationError("past")
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        _promote_waiting(event)
    return registration


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Call with the event locked."""
    if event.is_cancelled or event.starts_at <= timezone.now():
        return []
    waiting = (
        event.registrations.filter(status=Registration.Status.WAITING)
        .select_related("person__user")
        .order_by("queued_at", "pk")
    )
    if event.capacity is not None:
        taken = event.registrations.filter(status__in=Registration.TAKES_A_PLACE).count()
        waiting = waiting[: max(event.capacity - taken, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.event = event
        registration.save(update_fields=["status", "updated_at"])
        notify(registration, Notice.Kind.PROMOTED, occasion=registration.queued_at.isoformat())
    return promoted


def attendance_set(*, event: Event, attended: set[int]) -> int:
    """Mark who attended (registration ids); everyone else with a place stays 'registered'."""
    if event.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    with transaction.atomic():
        places = event.registrations.filter(status__in=Registration.TAKES_A_PLACE)
        unknown = attended - set(places.values_list("pk", flat=True))
        if unknown:
            raise ValidationError(_("Only registered participants can be marked as attended."))
        places.filter(pk__in=attended).update(status=Registration.Status.ATTENDED, updated_at=timezone.now())
        places.exclude(pk__in=attended).update(status=Registration.Status.REGISTERED, updated_at=timezone.now())
    return len(attended)


# --- Series --------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def series_occurrences(series: EventSeries, *, until: date) -> list[datetime]:
    """The series' start times (aware, Europe/Berlin wall clock) up to ``until`` inclusive."""
    last = datetime.combine(until, series.start_time)
    if series.until:
        last = min(last, datetime.combine(series.until, series.start_time))
    if series.ended_on:
        last = min(last, datetime.combine(series.ended_on - timedelta(days=1), series.start_time))
    return [_aware(start) for start in series.rrule().between(datetime.min, last, inc=True)]


def series_materialise(series: EventSeries, *, today: date | None = None) -> int:
    """Create the occurrences up to six months ahead that do not exist yet. Safe to run twice."""
    today = today or timezone.localdate()
    horizon = today + SERIES_HORIZON
    duration = series.duration
    topics = list(series.topics.all())
    # One occurrence per day: keyed by the local date, so a series whose time changed does not double its dates.
    existing = {timezone.localdate(start) for start in series.occurrences.values_list("original_start", flat=True)}
    new = []
    for start in series_occurrences(series, until=horizon):
        if start.date() in existing or start.date() < today:
            continue
        deadline = (
            start - timedelta(hours=series.registration_closes_hours) if series.registration_closes_hours else None
        )
        new.append(
            Event(
                network_id=series.network_id,
                series=series,
                original_start=start,
                starts_at=start,
                ends_at=start + duration,
                registration_deadline=deadline,
                created_by_id=series.created_by_id,
                **{name: getattr(series, name) for name in SERIES_TEMPLATE_FIELDS},
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create(new, ignore_conflicts=True)
        created_ids = list(
            Event.objects.filter(series=series, original_start__in=[e.original_start for e in new]).values_list(
                "pk", flat=True
            )
        )
        if topics and created_ids:
            through = Event.topics.through
            through.objects.bulk_create(
                [through(event_id=pk, topic_id=t.pk) for pk in created_ids for t in topics], ignore_conflicts=True
            )
        EventSeries.objects.filter(pk=series.pk).update(materialised_until=horizon)
    return len(new)


def series_create(*, series: EventSeries, topics=(), by: Person | None) -> EventSeries:
    with transaction.atomic():
        series.created_by = by
        series.full_clean()
        series.save()
        series.topics.set(topics)
        series_materialise(series)
    return series


def series_materialise_all(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    created = 0
    for series in EventSeries.objects.filter(ended_on__isnull=True).prefetch_related("topics"):
        if series.until and series.until < today:
            continue
        created += series_materialise(series, today=today)
    return created


RULE_FIELDS = ("frequency", "interval", "weekday", "ordinal", "until", "count")


def series_update_from(
    *, series: EventSeries, from_date: date, changed: list[str], topics=None, by: Person | None
) -> EventSeries:
    """Apply the edited series to its occurrences from ``from_date`` on.

    Details and times change in place (registrations stay, participants are told).
    A new rhythm splits the series: the old one ends before ``from_date``, its later
    occurrences are cancelled (participants told) and a new series starts.
    """
    with transaction.atomic():
        series.full_clean()
        if any(name in changed for name in RULE_FIELDS + ("first_date",)):
            old = EventSeries.objects.select_for_update().get(pk=series.pk)
            _series_cancel_occurrences(old, from_date, reason=_("The series has a new rhythm."), by=by)
            old.ended_on = from_date
            old.save(update_fields=["ended_on"])
            series.pk = None
            series.id = None
            series._state.adding = True
            series.first_date = max(series.first_date, from_date)
            series.ended_on = None
            series.materialised_until = None
            series.created_by = by
            series.save()
            series.topics.set(topics if topics is not None else old.topics.all())
            series_materialise(series)
            return series
        series.save()
        if topics is not None:
            series.topics.set(topics)
        start = _aware(datetime.combine(from_date, datetime.min.time()))
        for event in series.occurrences.filter(original_start__gte=start, detached=False).exclude(
            status=Event.Status.CANCELLED
        ):
            event_changed = []
            for name in SERIES_TEMPLATE_FIELDS:
                if getattr(event, name) != getattr(series, name):
                    setattr(event, name, getattr(series, name))
                    event_changed.append(name)
            day = timezone.localtime(event.original_start).date()
            new_start = _aware(datetime.combine(day, series.start_time))
            if new_start != event.starts_at:
                event.starts_at, event.ends_at = new_start, new_start + series.duration
                event_changed += ["starts_at", "ends_at"]
            if event_changed:
                event_update(event=event, changed=event_changed, topics=topics, by=by)
                Event.objects.filter(pk=event.pk).update(detached=False)
        series_materialise(series)
    return series


def _series_cancel_occurrences(series: EventSeries, from_date: date, *, reason: str, by: Person | None) -> int:
    start = _aware(datetime.combine(from_date, datetime.min.time()))
    cancelled = 0
    for event in series.occurrences.filter(starts_at__gte=start).exclude(status=Event.Status.CANCELLED):
        if not event.registrations.exists():
            event.delete()
            continue
        event_cancel(event=event, reason=reason, by=by)
        cancelled += 1
    return cancelled


def series_cancel_from(*, series: EventSeries, from_date: date, reason: str = "", by: Person | None) -> int:
    """End the series before ``from_date``: later dates without registrations disappear, the others are cancelled."""
    with transaction.atomic():
        series = EventSeries.objects.select_for_update().get(pk=series.pk)
        count = _series_cancel_occurrences(series, from_date, reason=reason, by=by)
        series.ended_on = from_date
        series.save(update_fields=["ended_on"])
    return count


# --- Minutes, outcomes, documents -----------------------------------------------

MINUTES_TAGS = {
    "p", "br", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown to HTML, sanitised with nh3 (no scripts, no styles, links get rel=noopener)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # The minutes sit under the page's h1 and a section h2: "# Title" becomes h3, "## Item" h4, ...
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
    return nh3.clean(html, tags=MINUTES_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer")


def minutes_save(*, event: Event, text: str, publish: bool, by: Person | None) -> Event:
    """Save the minutes; the first publication tells everyone who was registered or attended."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        event.minutes = text
        first_publication = publish and event.minutes_published_at is None
        if first_publication:
            event.minutes_published_at = timezone.now()
        event.save(update_fields=["minutes", "minutes_published_at", "updated_at"])
        if first_publication:
            participants = event.registrations.filter(status__in=Registration.TAKES_A_PLACE).select_related(
                "person__user", "event__network"
            )
            for registration in participants:
                notify(registration, Notice.Kind.MINUTES)
    return event


def minutes_unpublish(*, event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(minutes_published_at=None)
    event.minutes_published_at = None
    return event


def outcome_set_status(*, outcome: Outcome, status: str) -> Outcome:
    if outcome.kind != Outcome.Kind.ACTION:
        raise ValidationError(_("Only action items have a status."))
    if status not in Outcome.Status.values:
        raise ValidationError(_("Unknown status."))
    outcome.status = status
    outcome.completed_at = timezone.now() if status == Outcome.Status.DONE else None
    outcome.save(update_fields=["status", "completed_at"])
    return outcome


# Checked against the file's content (magic bytes), not its name or the browser's claim.
ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (pptx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (xlsx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument Text (odt)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument Presentation (odp)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument Spreadsheet (ods)",
}


def document_check(upload) -> str:
    """The upload's real MIME type, or a ValidationError for wrong type or size."""
    if upload.size > Document.MAX_SIZE:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationError(
            _("This file type is not allowed. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(set(ALLOWED_DOCUMENT_TYPES.values())))},
            code="type",
        )
    return kind.mime


def document_add(*, event: Event, upload, kind: str, title: str, by: Person | None) -> Document:
    mime = document_check(upload)
    document = Document(
        event=event, kind=kind, title=title or upload.name, content_type=mime, size=upload.size, uploaded_by=by
    )
    document.file.save(upload.name, upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_delete(*, document: Document) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Office hours -----------------------------------------------------------------


def question_ask(*, event: Event, person: Person, text: str, anonymous: bool, topic=None) -> Question:
    if not event.is_office_hour:
        raise ValidationError(_("Questions can only be submitted for office hours."))
    if event.is_cancelled or event.is_past:
        raise ValidationError(_("This office hour is over or cancelled; questions are closed."))
    return Question.objects.create(
        event=event, network_id=event.network_id, author=person, text=text.strip(), anonymous=anonymous, topic=topic
    )


def question_answer(*, question: Question, answer: str, by: Person | None) -> Question:
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Please write an answer.")})
    question.answer = answer
    question.answered_at = question.answered_at or timezone.now()
    question.answered_by = by
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    return question


# --- Personal settings -----------------------------------------------------------


def calendar_token_get(*, person: Person) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(person=person)
    return token


def calendar_token_renew(*, person: Person) -> CalendarToken:
    """A new secret: the old feed URL stops working at once."""
    token, created = CalendarToken.objects.get_or_create(person=person)
    if not created:
        token.token = new_token()
        token.save(update_fields=["token", "created_at"])
    return token


def notification_settings_set(*, person: Person, enabled: set[str]) -> None:
    """Store the switched-off kinds; kinds not listed in ``enabled`` are off."""
    with transaction.atomic():
        NotificationSetting.objects.filter(person=person).delete()
        NotificationSetting.objects.bulk_create(
            NotificationSetting(person=person, kind=kind, enabled=False)
            for kind in Notice.Kind.values
            if kind not in enabled
        )
    person.__dict__.pop("_disabled_kinds", None)


# --- Reminders --------------------------------------------------------------------

REMINDERS = (
    # kind, sent from this long before the start, until this long before the start
    (Notice.Kind.REMINDER_7D, timedelta(days=7), timedelta(days=1)),
    (Notice.Kind.REMINDER_1D, timedelta(days=1), timedelta(0)),
)


def reminders_due(kind: str, lead: timedelta, stop: timedelta, *, now: datetime):
    """Registrations that are due for reminder ``kind`` and have not had it (one indexed query)."""
    return (
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            event__status=Event.Status.PLANNED,
            event__starts_at__gt=now + stop,
            event__starts_at__lte=now + lead,
            created_at__lt=ExpressionWrapper(F("event__starts_at") - lead, output_field=DateTimeOutput()),
        )
        .exclude(Exists(Notice.objects.filter(registration=OuterRef("pk"), kind=kind, occasion="")))
        .select_related("event__network", "person__user")
        .order_by("pk")
    )


def reminders_send(*, now: datetime | None = None, batch: int = 500) -> int:
    """Scan what is due and enqueue each reminder at most once. Run by beat every few minutes."""
    now = now or timezone.now()
    sent = 0
    for kind, lead, stop in REMINDERS:
        while True:
            rows = list(reminders_due(kind, lead, stop, now=now)[:batch])
            if not rows:
                break
            with transaction.atomic():
                for registration in rows:
                    sent += notify(registration, kind)
    return sent
