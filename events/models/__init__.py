"""The events app's models; import them from here."""

from events.models.event import (
    AgendaItem,
    Event,
    EventFields,
    EventQuerySet,
    EventSeries,
    Format,
    Kind,
    Registration,
    Visibility,
    holds_a_place,
)
from events.models.followup import (
    CalendarToken,
    Document,
    Notice,
    Outcome,
    OutcomeQuerySet,
    Question,
    TaskComment,
    _document_path,
    new_token,
)

__all__ = [
    "AgendaItem",
    "CalendarToken",
    "Document",
    "Event",
    "EventFields",
    "EventQuerySet",
    "EventSeries",
    "Format",
    "Kind",
    "Notice",
    "Outcome",
    "OutcomeQuerySet",
    "Question",
    "Registration",
    "TaskComment",
    "Visibility",
    "_document_path",
    "holds_a_place",
    "new_token",
]
