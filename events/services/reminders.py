"""Reminders 7 days and 1 day before: a scan run by beat every few minutes, each at most once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models import Exists, ExpressionWrapper, F, OuterRef
from django.utils import timezone

from events.models import Event, Notice, Registration
from events.notifications import notify
from networks.mail import mail_preload

REMINDERS = (
    # kind, sent from this long before the start, until this long before the start
    (Notice.Kind.REMINDER_7D, timedelta(days=7), timedelta(days=1)),
    (Notice.Kind.REMINDER_1D, timedelta(days=1), timedelta(0)),
)


def reminders_due(kind: str, lead: timedelta, stop: timedelta, *, now: datetime):
    """Registrations that are due for reminder ``kind`` and have not had it.

    Driven by the events starting in the window (index on starts_at), then their registrations
    (index on event, status): the cost follows what is due, not the size of the table.
    """
    starting = Event.objects.filter(
        status=Event.Status.PLANNED, starts_at__gt=now + stop, starts_at__lte=now + lead
    ).values("pk")
    return (
        Registration.objects.filter(
            event_id__in=starting,
            status=Registration.Status.REGISTERED,
            created_at__lt=ExpressionWrapper(F("event__starts_at") - lead, output_field=DateTimeOutput()),
        )
        .exclude(Exists(Notice.objects.filter(registration=OuterRef("pk"), kind=kind, occasion="")))
        .select_related("event__network", "event__working_group", "person__user")
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
            mail_preload(r.person for r in rows)  # the switched-off kinds of the batch in one query
            with transaction.atomic():
                for registration in rows:
                    sent += notify(registration, kind)
    return sent
