"""The kinds of event email (networks.mail's registry; registered in EventsConfig.ready()).

The code is the outbox reason: ``event_<Notice.Kind>``. Every kind can be switched off.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from events.models import Notice
from networks.mail import MailKind
from networks.models import NetworkRole

_REGISTERED = _("You receive this email because of your registration for an event on Klimanetz.")

# What each kind is, in plain words: label, when it comes (the settings page), why (the footer).
EXPLANATIONS = {
    Notice.Kind.CONFIRMATION: (
        _("Confirmation of my registration"),
        _("When you register for an event or join its waiting list. The date is attached for your calendar."),
    ),
    Notice.Kind.PROMOTED: (
        _("A place has become free for me"),
        _("When someone cancels and you move up from the waiting list: you then have a place."),
    ),
    Notice.Kind.REMINDER_7D: (
        _("Reminder one week before"),
        _("Seven days before an event you are registered for."),
    ),
    Notice.Kind.REMINDER_1D: (
        _("Reminder the day before"),
        _("One day before an event you are registered for, with the online link if there is one."),
    ),
    Notice.Kind.CHANGED: (
        _("Changes to an event"),
        _("When the date, time, place or online link of an event you are registered for changes."),
    ),
    Notice.Kind.CANCELLED: (
        _("Cancelled events"),
        _("When an event you are registered for or waiting for is cancelled."),
    ),
    Notice.Kind.MINUTES: (
        _("Minutes published"),
        _("When the minutes of an event you took part in are published."),
    ),
}


def code(kind: str) -> str:
    """The mail kind (outbox reason) of a Notice kind."""
    return f"event_{kind}"


KINDS = [
    MailKind(code(kind), "events", label, _REGISTERED, help=help_text, order=n)
    for n, (kind, (label, help_text)) in enumerate(EXPLANATIONS.items())
]


# --- Office-hour questions (events.services.questions) -------------------------------------------------------


def _coordinates(person) -> bool:
    return person.network_roles.filter(role=NetworkRole.Role.COORDINATOR).exists()


KINDS += [
    MailKind(
        "question_asked",
        "events",
        _("A new question for an office hour"),
        _("You receive this email because you coordinate a network on Klimanetz."),
        help=_("When a member asks a question for an office hour of a network you coordinate."),
        order=len(KINDS),
        audience=_coordinates,
    ),
    MailKind(
        "question_answered",
        "events",
        _("My question has been answered"),
        _("You receive this email because you asked a question for an office hour on Klimanetz."),
        help=_("When the coordination answers a question you asked for an office hour (once; not when it edits it)."),
        order=len(KINDS) + 1,
    ),
]
