"""Event emails through the outbox, once per (registration, kind, occasion).

``notify`` is called inside the transaction of the change that causes it. The
Notice row's unique key decides "once"; the outbox's own unique key backs it up.
A kind the person switched off (networks.mail: kind ``event_<kind>``), or a person who cannot be
mailed, gets a skipped Notice and no email. A closed working group's meeting mails only who may read the group
(events.access.person_may_see: its members, the coordination); guests of such a meeting get nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from events import ical
from events.access import person_may_see
from events.mail_kinds import code
from events.models import Notice, Registration
from networks.mail import mail_wanted
from networks.outbox import outbox_enqueue_template

# Kinds whose email carries the event as an .ics attachment.
WITH_ICS = {Notice.Kind.CONFIRMATION, Notice.Kind.PROMOTED, Notice.Kind.CHANGED, Notice.Kind.CANCELLED}


def _event_ics(event, *, show_link: bool) -> str:
    """The .ics attachment; built once per event and link visibility when a change notifies many people."""
    built = event.__dict__.setdefault("_ics_attachments", {})
    if show_link not in built:
        built[show_link] = ical.event_ics(event, show_link=show_link).decode()
    return built[show_link]


def _url_in(event, language: str) -> str:
    """The event's path in the recipient's language (English under /en/), whatever language the sender uses."""
    with translation.override(language):
        return event.get_absolute_url()


class Guest:
    """A guest without an account as the email templates and the footer see a person: a name, no settings."""

    pk = None

    def __init__(self, registration: Registration):
        self.name = registration.guest_name
        self.language = registration.guest_language or settings.LANGUAGE_CODE


def _guest_url(name: str, registration: Registration, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, args=[registration.guest_token])


def notify(registration: Registration, kind: str, *, occasion: str = "", extra: dict | None = None) -> bool:
    """Decide and enqueue one email; returns whether an email was enqueued now. A guest (no account) is mailed at
    the confirmed address, with the cancel link; a walk-in without an address is not mailed."""
    if not person_may_see(registration.person, registration.event):
        # recorded as skipped, so that the scans (reminders) do not find it again
        Notice.objects.get_or_create(
            registration=registration, kind=kind, occasion=occasion, defaults={"skipped": True}
        )
        return False
    if registration.is_guest:
        return _notify_guest(registration, kind, occasion=occasion, extra=extra)
    person = registration.person
    skipped = not mail_wanted(person, code(kind))
    notice, created = Notice.objects.get_or_create(
        registration=registration, kind=kind, occasion=occasion, defaults={"skipped": skipped}
    )
    if not created or skipped:
        return False
    event = registration.event
    holds_place = registration.takes_a_place
    context = {
        "event": event,
        "registration": registration,
        "person": person,
        "event_url": settings.SITE_URL.rstrip("/") + _url_in(event, person.language),
        "show_link": holds_place and bool(event.online_url),
        **(extra or {}),
    }
    _enqueue(registration, kind, recipient=person.user.email, person=person, occasion=occasion, context=context)
    return True


def _notify_guest(registration: Registration, kind: str, *, occasion: str, extra: dict | None) -> bool:
    if not registration.guest_email or registration.verified_at is None:
        return False
    _notice, created = Notice.objects.get_or_create(registration=registration, kind=kind, occasion=occasion)
    if not created:
        return False
    guest = Guest(registration)
    event = registration.event
    context = {
        "event": event,
        "registration": registration,
        "person": guest,
        "event_url": settings.SITE_URL.rstrip("/") + _url_in(event, guest.language),
        "show_link": registration.takes_a_place and bool(event.online_url),
        "cancel_url": _guest_url("events:guest-cancel", registration, guest.language),
        **(extra or {}),
    }
    _enqueue(registration, kind, recipient=registration.guest_email, person=guest, occasion=occasion, context=context)
    return True


def _enqueue(registration, kind: str, *, recipient: str, person, occasion: str, context: dict) -> None:
    event, holds_place = registration.event, registration.takes_a_place
    attachments = []
    if kind in WITH_ICS and (holds_place or kind == Notice.Kind.CANCELLED):
        attachments.append(
            {
                "filename": "termin.ics",
                "mimetype": "text/calendar; charset=utf-8; method=PUBLISH",
                "content": _event_ics(event, show_link=holds_place),
            }
        )
    outbox_enqueue_template(
        recipient=recipient,
        reason=code(kind),
        template=code(kind),
        context=context,
        language=person.language,
        obj=registration,
        occasion=f"{kind}:{occasion}",
        attachments=attachments,
    )
