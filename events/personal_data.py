"""What the events app adds to a person's data export and does when the person deletes the account
(registered with networks.panels in EventsConfig.ready())."""

from __future__ import annotations

from django.utils import timezone

from events import services
from events.models import CalendarToken, Outcome, Question, Registration
from networks.models import Person


def export(person: Person) -> dict:
    return {
        "event_registrations": [
            {
                "event": r.event.title,
                "network": r.event.network.name,
                "starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "registered_at": r.created_at.isoformat(),
            }
            for r in person.registrations.select_related("event__network").order_by("event__starts_at")
        ],
        "office_hour_questions": [
            {
                "event": q.event.title,
                "question": q.text,
                "anonymous": q.anonymous,
                "answer": q.answer,
                "asked_at": q.created_at.isoformat(),
            }
            for q in Question.objects.filter(author=person).select_related("event").order_by("created_at")
        ],
        "action_items": [
            {
                "text": o.text,
                "network": o.network.name,
                "event": o.event.title if o.event_id else "",
                "due_date": o.due_date and o.due_date.isoformat(),
                "status": o.status,
            }
            for o in Outcome.objects.action_items().filter(owner_person=person).select_related("event", "network")
        ],
        "calendar_feed": CalendarToken.objects.filter(person=person).exists(),
    }


def before_delete(person: Person) -> None:
    """Future places go back (the waiting list moves up); the feed secret goes (the switched-off kinds of email
    are networks.mail's: it deletes them)."""
    upcoming = person.registrations.filter(
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING], event__starts_at__gt=timezone.now()
    ).select_related("event")
    for registration in upcoming:
        services.registration_cancel(event=registration.event, person=person)
    CalendarToken.objects.filter(person=person).delete()
