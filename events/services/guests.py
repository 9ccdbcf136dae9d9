"""Public events without an account: a guest registers with a name and an email, confirms the address by a link,
and then holds a place (or a waiting-list place) by the same first-come-first-served rules as members; the
confirmation carries a cancel link. Walk-ins: people who came without registering, added to the attendance.

The answer to a registration is always the same ("check your inbox"): whether an address is registered shows
only in the mailbox of its owner. Registrations are rate-limited per client address and per email address.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event, Notice, Registration
from events.models.event import new_guest_token
from events.notifications import notify
from events.services.registration import RegistrationError, _check_open, _place_or_wait, _promote_waiting
from networks.models import Person
from networks.outbox import outbox_enqueue_template

GUEST_VERIFY = "event_guest_verify"  # the mail kind (networks.mail) and its template
RATE_PER_CLIENT = 10  # registrations per client address and hour
RATE_WINDOW = timedelta(hours=1)


class GuestRateLimited(Exception):
    """Too many registrations from one client address in the window."""


def _rate_key(client: str) -> str:
    return "events:guest-rate:" + hashlib.sha256(client.encode()).hexdigest()[:32]


def _check_rate(client: str) -> None:
    """Count the client's registrations in a fixed window (cache); over the limit: refused."""
    key = _rate_key(client)
    seconds = int(RATE_WINDOW.total_seconds())
    if cache.add(key, 1, seconds):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return
    if count > RATE_PER_CLIENT:
        raise GuestRateLimited


def guest_url(name: str, registration: Registration, language: str) -> str:
    """The absolute verification or cancel link of a guest registration, in the guest's language."""
    with translation.override(language):
        path = reverse(name, args=[registration.guest_token])
    return settings.SITE_URL.rstrip("/") + path


def can_register_as_guest(event: Event) -> bool:
    """Only public events of public networks take registrations without an account."""
    return event.is_public and event.network.is_public


def guest_register(*, event: Event, name: str, email: str, mode: str = "", language: str, client: str) -> None:
    """Ask the address's owner to confirm: a new registration waits as 'pending' (no place yet). An address already
    registered gets a reminder with its cancel link instead. Returns nothing: the caller says the same either way."""
    if not can_register_as_guest(event):
        raise RegistrationError("cancelled" if event.is_cancelled else "past")
    _check_rate(client)
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        _check_open(event, now)
        registration = Registration.objects.filter(event=event, person=None, guest_email=email).first()
        already = registration is not None and registration.status in (
            Registration.Status.REGISTERED,
            Registration.Status.WAITING,
        )
        if registration is None:
            registration = Registration.objects.create(
                event=event,
                status=Registration.Status.PENDING,
                guest_name=name.strip(),
                guest_email=email,
                guest_language=language,
                guest_token=new_guest_token(),
                mode=mode,
                queued_at=now,
            )
        elif not already:  # pending again or after a cancellation: the new name and choice count
            registration.status = Registration.Status.PENDING
            registration.guest_name, registration.mode, registration.guest_language = name.strip(), mode, language
            registration.save(update_fields=["status", "guest_name", "mode", "guest_language", "updated_at"])
        registration.event = event
        # at most one such email per address, event and hour: the form cannot be used to flood a mailbox
        hour = now.replace(minute=0, second=0, microsecond=0).isoformat()
        outbox_enqueue_template(
            recipient=email,
            reason=GUEST_VERIFY,
            template=GUEST_VERIFY,
            context={
                "event": event,
                "registration": registration,
                "person": None,
                "name": registration.guest_name,
                "already": already,
                "confirm_url": guest_url("events:guest-confirm", registration, language),
                "cancel_url": guest_url("events:guest-cancel", registration, language),
                "event_url": settings.SITE_URL.rstrip("/") + _event_path(event, language),
            },
            language=language,
            obj=registration,
            occasion=hour,
        )


def _event_path(event: Event, language: str) -> str:
    with translation.override(language):
        return event.get_absolute_url()


def guest_by_token(token: str) -> Registration | None:
    if not token:
        return None
    return (
        Registration.objects.filter(guest_token=token, person=None)
        .select_related("event__network")
        .with_waiting_position()
        .first()
    )


def guest_confirm(*, registration: Registration) -> Registration:
    """The address is confirmed: a place or the waiting list, in the order of confirmation. Twice changes nothing."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            registration.event = event
            return registration
        now = timezone.now()
        _check_open(event, now)
        registration.status = _place_or_wait(event)
        registration.verified_at = registration.queued_at = now
        registration.save(update_fields=["status", "verified_at", "queued_at", "updated_at"])
        registration.event = event
        notify(registration, Notice.Kind.CONFIRMATION, occasion=now.isoformat())
    return registration


def guest_cancel(*, registration: Registration) -> Registration:
    """The guest gives the place back (the first waiting moves up); cancelling twice changes nothing."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if registration.status not in (
            Registration.Status.PENDING,
            Registration.Status.REGISTERED,
            Registration.Status.WAITING,
        ):
            raise RegistrationError("not_registered")
        if event.has_started:
            raise RegistrationError("past")
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        _promote_waiting(event)
    return registration


# --- Walk-ins -----------------------------------------------------------------------------------------


def walk_in_add(*, event: Event, name: str = "", person: Person | None = None, mode: str = "") -> Registration:
    """Someone who came without registering: attended, by name or linked to a person. A person already on the
    list (registered, waiting, cancelled) is marked as attended instead of getting a second row."""
    if not event.has_started:
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    if person is None and not name.strip():
        raise ValidationError(_("Please give a name or choose a person."))
    with transaction.atomic():
        existing = Registration.objects.filter(event=event, person=person).first() if person is not None else None
        if existing is not None:
            existing.status = Registration.Status.ATTENDED
            existing.mode = mode or existing.mode
            existing.save(update_fields=["status", "mode", "updated_at"])
            return existing
        return Registration.objects.create(
            event=event,
            person=person,
            guest_name="" if person is not None else name.strip()[:200],
            status=Registration.Status.ATTENDED,
            walk_in=True,
            mode=mode,
        )


def walk_in_remove(*, registration: Registration) -> None:
    """Take a walk-in off the attendance again (a typo, a wrong person)."""
    if not registration.walk_in:
        raise ValidationError(_("Only people added as walk-ins can be removed here."))
    registration.delete()


# --- Retention ---------------------------------------------------------------------------------------------

GUEST_RETENTION = timedelta(days=90)  # the consent says: deleted three months after the event
FORGOTTEN_NAME = "–"


def guests_forget(*, now=None) -> int:
    """Erase the names and addresses of guests (and walk-ins without a person) three months after their event,
    in the rows and in their history; the row stays for the counts. Idempotent (daily task)."""
    now = now or timezone.now()
    rows = Registration.objects.filter(person=None, event__ends_at__lt=now - GUEST_RETENTION).exclude(
        guest_name=FORGOTTEN_NAME, guest_email=""
    )
    ids = list(rows.values_list("pk", flat=True)[:5000])
    if not ids:
        return 0
    with transaction.atomic():
        Registration.objects.filter(pk__in=ids).update(
            guest_name=FORGOTTEN_NAME, guest_email="", guest_token="", updated_at=now
        )
        Registration.history.filter(id__in=ids).update(guest_name=FORGOTTEN_NAME, guest_email="")
    return len(ids)


# --- A guest's own data: a copy and erasure at once (GDPR Art. 15, 17, 20) ---------------------------------------
#
# A guest has no account, so no profile page with "download my data" and "delete my account": every email about
# their registration carries the link to it (the token), and its page leads to their data (privacy page: "Events
# without an account").


def _mails_of(registration: Registration):
    from networks.models import OutboxMessage

    return OutboxMessage.objects.filter(
        object_type=Registration._meta.label_lower, object_id=str(registration.pk), recipient=registration.guest_email
    )


def guest_data(registration: Registration) -> dict:
    """All that is stored about a guest's registration, as the download gives it (JSON)."""
    event = registration.event

    def moment(value):
        return value.isoformat() if value else None

    mails = _mails_of(registration).order_by("created_at", "pk").values_list("subject", "created_at", "sent_at")
    return {
        "registration": {
            "event": event.title,
            "event_starts": moment(event.starts_at),
            "network": event.network.name,
            "name": registration.guest_name,
            "email": registration.guest_email,
            "language": registration.guest_language,
            "status": registration.status,
            "taking_part": registration.mode,
            "registered": moment(registration.created_at),
            "email_confirmed": moment(registration.verified_at),
            "erased_automatically_after": (event.ends_at + GUEST_RETENTION).date().isoformat(),
        },
        "emails": [
            {"subject": subject, "queued": moment(queued), "sent": moment(sent)} for subject, queued, sent in mails
        ],
    }


def guest_erase(*, registration: Registration) -> Registration:
    """The guest's name and address erased now, in the row, its history and the emails kept about it, and the link
    (token) made invalid; a place not used yet is given back first (the first waiting moves up). The row stays,
    nameless, for the event's counts, as after the automatic erasure (guests_forget)."""
    from networks.models import OutboxMessage

    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        Status = Registration.Status
        gives_back = registration.status in (Status.PENDING, Status.REGISTERED, Status.WAITING)
        if gives_back and (registration.status == Status.PENDING or not event.has_started):
            registration.status = Status.CANCELLED
            registration.save(update_fields=["status", "updated_at"])  # signals: the places left, the caches
            _promote_waiting(event)
        OutboxMessage.objects.filter(pk__in=_mails_of(registration).values("pk")).delete()
        Registration.objects.filter(pk=registration.pk).update(
            guest_name=FORGOTTEN_NAME, guest_email="", guest_token="", updated_at=timezone.now()
        )
        Registration.history.filter(id=registration.pk).update(guest_name=FORGOTTEN_NAME, guest_email="")
    registration.refresh_from_db()
    return registration
