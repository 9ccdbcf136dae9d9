"""Registration with capacity and waiting list, cancellation, promotion, attendance.

The rules hold under concurrency: registering, cancelling and promoting lock the event row
(SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions),
so capacity is never exceeded and the waiting list keeps its order.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from events.models import (
    Event,
    Notice,
    Registration,
)
from events.notifications import notify
from networks.models import Person


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


# --- Registration ---------------------------------------------------------------


def _check_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise RegistrationError("cancelled")
    if event.starts_at <= now:
        raise RegistrationError("past")
    if event.registration_deadline and now > event.registration_deadline:
        raise RegistrationError("deadline")


def _place_or_wait(event: Event) -> str:
    """The status of a new registration: a place while there is one, else the waiting list. Call with the event
    locked."""
    taken = event.registrations.filter(status__in=Registration.TAKES_A_PLACE).count()
    full = event.capacity is not None and taken >= event.capacity
    return Registration.Status.WAITING if full else Registration.Status.REGISTERED


def registration_register(*, event: Event, person: Person, mode: str = "") -> Registration:
    """Register, or join the waiting list when the event is full. Registering again changes nothing.
    ``mode``: on site or online, asked for hybrid events."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        # Taken under the lock: the queue order is the order in which places were decided.
        now = timezone.now()
        _check_open(event, now)
        registration = Registration.objects.filter(event=event, person=person).first()
        if registration and registration.status not in (Registration.Status.CANCELLED, Registration.Status.PENDING):
            return registration
        status = _place_or_wait(event)
        if registration is None:
            registration = Registration.objects.create(
                event=event, person=person, status=status, queued_at=now, mode=mode
            )
        else:
            registration.status, registration.queued_at, registration.mode = status, now, mode
            registration.save(update_fields=["status", "queued_at", "mode", "updated_at"])
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
        if event.has_started:
            raise RegistrationError("past")
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        _promote_waiting(event)
    return registration


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Call with the event locked."""
    if event.is_cancelled or event.has_started:
        return []
    waiting = (
        event.registrations.filter(status=Registration.Status.WAITING)
        .select_related("person__user")
        .order_by(*Registration.QUEUE_ORDER)
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
    if not event.has_started:
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    with transaction.atomic():
        places = list(event.registrations.filter(status__in=Registration.TAKES_A_PLACE, walk_in=False))
        if attended - {registration.pk for registration in places}:
            raise ValidationError(_("Only registered participants can be marked as attended."))
        now, changed = timezone.now(), []
        for registration in places:
            status = Registration.Status.ATTENDED if registration.pk in attended else Registration.Status.REGISTERED
            if registration.status != status:
                registration.status, registration.updated_at = status, now
                changed.append(registration)
        bulk_update_with_history(changed, Registration, ["status", "updated_at"], batch_size=500)  # with history
    return len(attended)
