"""The kinds of event email (networks.mail's registry; registered in EventsConfig.ready()).

The code is the outbox reason: ``event_<Notice.Kind>``. Every kind can be switched off.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from events.models import Notice
from networks.mail import Area, MailKind, coordinates_a_network, in_a_network

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


KINDS += [
    MailKind(
        "question_asked",
        "events",
        _("A new question for an office hour"),
        _("You receive this email because you coordinate a network on Klimanetz."),
        help=_("When a member asks a question for an office hour of a network you coordinate."),
        order=len(KINDS),
        audience=coordinates_a_network,
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


# --- Action items (events.services.tasks) -------------------------------------------------------------------

TASK_AREA = Area("tasks", _("Action items"), order=35)
_ACTION_ITEMS = _("You receive this email because you are responsible for an action item in a network on Klimanetz.")


TASK_KINDS = [
    MailKind(
        "task_assigned",
        "tasks",
        _("An action item was assigned to me"),
        _ACTION_ITEMS,
        help=_("When you or your organisation become responsible for an action item, with its due date."),
        order=1,
        audience=in_a_network,
    ),
    MailKind(
        "task_due_soon",
        "tasks",
        _("Reminder before an action item is due"),
        _ACTION_ITEMS,
        help=_("Three days before the due date of an open action item you are responsible for, once."),
        order=2,
        audience=in_a_network,
    ),
    MailKind(
        "task_overdue",
        "tasks",
        _("Reminder when an action item is overdue"),
        _ACTION_ITEMS,
        help=_("The day after the due date of an action item that is still open, once."),
        order=3,
        audience=in_a_network,
    ),
    MailKind(
        "task_comment",
        "tasks",
        _("Comments on my action items"),
        _("You receive this email because you are responsible for an action item or commented on it on Klimanetz."),
        help=_("When someone comments on an action item you are responsible for or have commented on."),
        order=4,
        audience=in_a_network,
    ),
    MailKind(
        "task_done",
        "tasks",
        _("An action item of my network is done"),
        _("You receive this email because you coordinate a network on Klimanetz."),
        help=_("When an action item of a network you coordinate is marked as done."),
        order=5,
        audience=coordinates_a_network,
    ),
]


# --- Public events without an account (events.services.guests) ----------------------------------------------

KINDS += [
    MailKind(
        "event_guest_verify",
        "events",
        _("Confirm a registration without an account"),
        _("You receive this email because this address was entered to register for a public event on Klimanetz."),
        switchable=False,
        help=_("When someone registers for a public event with this address, without an account."),
        order=len(KINDS),
        audience=lambda person: False,  # goes to addresses, never to a person's settings page
    ),
]
