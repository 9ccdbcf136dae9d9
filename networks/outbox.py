"""The outbox: every email of the portal is a row here before it is a message.

``outbox_enqueue`` runs inside the caller's transaction and is idempotent on the
unique key (recipient, reason, object, occasion). ``outbox_deliver`` claims a row
with a conditional UPDATE, so two workers (or a redelivered task) never both send it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from networks import mail
from networks.models import OutboxMessage

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=15)


def outbox_render(*, template: str, context: dict, language: str, kind: str = "") -> tuple[str, str, str]:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` in ``language``.

    ``kind`` (default: the template's name) is the registered kind of email (networks.mail); the footer every
    template includes (emails/partials/footer.*) says why it was sent and, for a switchable kind, carries the
    personal link that switches it off for ``context["person"]``."""
    with translation.override(language):
        footer = mail.footer_context(kind=kind or template, person=context.get("person"), language=language)
        ctx = {"site_url": settings.SITE_URL, "language": language, "mail_footer": footer, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", ctx).strip()
        text = render_to_string(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    return " ".join(subject.split()), text, html


def outbox_enqueue(
    *,
    recipient: str,
    reason: str,
    obj: Model | None = None,
    object_key: str = "",
    occasion: str = "",
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "de",
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Write (or find) the outbox row and schedule its delivery after commit.

    ``attachments``: dicts of ``filename``, ``mimetype`` and either ``content`` (text) or ``storage_name`` (a file
    in the default storage, read when the message is sent: a library document is not copied into every row).
    ``headers``: extra headers (``List-Id``, ``Reply-To``, a kind's own ``List-Unsubscribe``); they win over the
    ones delivery adds."""
    object_type = obj._meta.label_lower if obj is not None else "none"
    object_id = str(obj.pk) if obj is not None else object_key
    message, created = OutboxMessage.objects.get_or_create(
        recipient=recipient.strip().lower(),
        reason=reason,
        object_type=object_type,
        object_id=object_id,
        occasion=occasion,
        defaults={
            "subject": subject[:250],
            "body_text": body_text,
            "body_html": body_html,
            "language": language,
            "attachments": attachments or [],
            "headers": headers or {},
        },
    )
    if created:
        from networks.tasks import outbox_deliver_task

        queue_on_commit(outbox_deliver_task, message.pk)
    return message


def queue_on_commit(task, *args) -> None:
    """Queue ``task`` once the transaction commits. A broker that is down is logged, never raised into the
    request (the change is committed by then): beat's sweeps (outbox_send_pending, the reports watchdog)
    pick the row up later."""

    def send() -> None:
        try:
            task.delay(*args)
        except OperationalError as error:
            logger.warning("task %s%r could not be queued (broker down?): %s", task.name, args, error)

    transaction.on_commit(send)


def outbox_enqueue_template(
    *,
    recipient: str,
    reason: str,
    template: str,
    context: dict,
    language: str,
    obj: Model | None = None,
    occasion: str = "",
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Render the templates and enqueue; ``attachments`` and ``headers`` as for ``outbox_enqueue``."""
    subject, text, html = outbox_render(template=template, context=context, language=language, kind=reason)
    return outbox_enqueue(
        recipient=recipient,
        reason=reason,
        obj=obj,
        occasion=occasion,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        attachments=attachments,
        headers=headers,
    )


def _attachment_content(attachment: dict) -> str | bytes:
    if "storage_name" in attachment:
        with default_storage.open(attachment["storage_name"], "rb") as stored:
            return stored.read()
    return attachment["content"]


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def outbox_deliver(*, message_id: int) -> bool:
    """Send one message if it is still due. Returns whether this call sent it."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now)
    if not claimed:
        return False  # already sent, being sent, failed for good, or not due yet
    message = OutboxMessage.objects.get(pk=message_id)
    headers = {"Auto-Submitted": "auto-generated", "X-Klimanetz-Message": str(message.pk)}
    # A kind the recipient can switch off gets the one-click link (RFC 8058) for mail programs' "unsubscribe".
    headers.update(
        mail.list_unsubscribe_headers(recipient=message.recipient, kind=message.reason, language=message.language)
    )
    headers.update(message.headers)  # the sender's own (List-Id, Reply-To, ...) win
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        for attachment in message.attachments:
            email.attach(attachment["filename"], _attachment_content(attachment), attachment["mimetype"])
        email.send()
    except Exception as exc:  # any transport error: keep the row, retry later
        attempts = message.attempts + 1
        failed = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + _backoff(attempts),
            claimed_at=None,
        )
        logger.warning("outbox message %s failed (attempt %s): %s", message.pk, attempts, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def outbox_due_ids(*, limit: int = 200) -> list[int]:
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_release_stale(*, older_than: timedelta = STALE_CLAIM) -> int:
    """Give back rows a crashed worker claimed but never finished."""
    cutoff = timezone.now() - older_than
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=cutoff).update(
        status=OutboxMessage.Status.PENDING, claimed_at=None
    )


def outbox_retry(*, message_ids: list[int]) -> int:
    """Operator action: put failed messages back in the queue."""
    return OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
