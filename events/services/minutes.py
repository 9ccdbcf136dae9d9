"""Minutes (Markdown, rendered when saved: networks.markdown), outcomes and action items, documents (office-hour
questions: events.services.questions)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from events.access import owns_action_item
from events.library import texts_forget as library_texts_forget
from events.library import texts_queue as library_texts_queue
from events.models import (
    Document,
    Event,
    Notice,
    Outcome,
    Registration,
)
from events.notifications import notify
from networks.library.uploads import ALLOWED_TYPES, check_upload
from networks.models import Person

# --- Minutes, outcomes, documents -----------------------------------------------


def minutes_save(*, event: Event, text: str, publish: bool, by: Person | None) -> Event:
    """Save the minutes; the first publication tells everyone who was registered or attended."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
        event.minutes = text
        first_publication = publish and event.minutes_published_at is None
        if first_publication:
            event.minutes_published_at = timezone.now()
        event.save(update_fields=["minutes", "minutes_html", "minutes_published_at", "updated_at"])
        if first_publication:
            participants = event.registrations.filter(status__in=Registration.TAKES_A_PLACE).select_related(
                "person__user"
            )  # .event is this instance (related manager), network already joined
            outcomes = list(event.outcomes.for_list())
            decisions = [o for o in outcomes if o.kind == Outcome.Kind.DECISION]
            tasks = [o for o in outcomes if o.kind == Outcome.Kind.ACTION and o.status == Outcome.Status.OPEN]
            for registration in participants:
                mine = [o for o in tasks if owns_action_item(registration.person, o)]
                notify(registration, Notice.Kind.MINUTES, extra={"decisions": decisions, "my_tasks": mine})
    return event


def minutes_unpublish(*, event: Event) -> Event:
    event.minutes_published_at = None
    event.save(update_fields=["minutes_published_at", "updated_at"])  # a save, so that the history keeps it
    return event


# The one upload rule (networks.library.uploads): type by content, size; event documents and the library share it.
ALLOWED_DOCUMENT_TYPES = ALLOWED_TYPES


def document_check(upload) -> str:
    """The upload's real MIME type, or a ValidationError for wrong type or size."""
    return check_upload(upload.name, upload)


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
    library_texts_queue(document.file.name)
    return document


def document_delete(*, document: Document) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    library_texts_forget([name])
    transaction.on_commit(lambda: storage.delete(name))
