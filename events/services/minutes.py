"""Minutes (Markdown, sanitised), outcomes and action items, documents, office-hour questions."""

from __future__ import annotations

import re

import filetype
import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import (
    Document,
    Event,
    Notice,
    Outcome,
    Question,
    Registration,
)
from events.notifications import notify
from networks.models import Person

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
                "person__user"
            )  # .event is this instance (related manager), network already joined
            for registration in participants:
                notify(registration, Notice.Kind.MINUTES)
    return event


def minutes_unpublish(*, event: Event) -> Event:
    event.minutes_published_at = None
    event.save(update_fields=["minutes_published_at", "updated_at"])  # a save, so that the history keeps it
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
