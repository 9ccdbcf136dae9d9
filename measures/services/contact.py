"""Citizens write to a measure's contact person: the message goes through the outbox, the address is never shown.

The contact is the measure's responsible person when the editors left that field public and the person agreed to be
named in public (``contact_of``: the one rule the page and the form use). The sender is signed in with a verified
address; the contact sees it (as Reply-To) only when the sender agreed. Rate-limited per sender.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import ContactMessage, Measure
from measures.public import PublicMeasure
from networks.models import Person
from networks.outbox import outbox_enqueue_template

RATE_LIMIT = 3  # messages per sender and hour (to any contact)
RATE_WINDOW = timedelta(hours=1)
DAY_LIMIT = 10  # and per day
KIND = "measure_contact"
KEPT = timedelta(days=90)  # the privacy page says so (networks/pages/privacy_participation.html)


def contact_of(measure: Measure) -> Person | None:
    """The person citizens may write to about ``measure``, or None (the caller has fetched responsible_person)."""
    if PublicMeasure(measure).is_hidden("responsible_person"):
        return None
    person = measure.responsible_person
    if person is None or not person.is_publicly_named:
        return None
    return person


def _check_rate(sender: Person) -> None:
    now = timezone.now()
    recent = ContactMessage.objects.filter(sender=sender, created_at__gte=now - timedelta(days=1)).values_list(
        "created_at", flat=True
    )
    times = list(recent)
    in_hour = sum(1 for sent in times if sent >= now - RATE_WINDOW)
    if in_hour >= RATE_LIMIT or len(times) >= DAY_LIMIT:
        raise ValidationError(
            _("You have sent %(count)s messages to contact persons recently. Please wait a while before the next one.")
            % {"count": in_hour if in_hour >= RATE_LIMIT else len(times)},
            code="rate_limited",
        )


@transaction.atomic
def contact_message_send(*, measure: Measure, sender: Person, text: str, reply_to_sender: bool) -> ContactMessage:
    """Store the message and put one email to the contact in the outbox (exactly once: the message is its key)."""
    recipient = contact_of(measure)
    if recipient is None or not recipient.can_be_mailed or not measure.published:
        raise ValidationError(_("This measure has no contact person who can be written to."), code="no_contact")
    text = text.strip()
    _check_rate(sender)
    message = ContactMessage(measure=measure, sender=sender, recipient=recipient, text=text)
    message.reply_to_sender = reply_to_sender
    message.full_clean()
    message.save()
    headers = {"Reply-To": sender.user.email} if reply_to_sender else {}
    outbox_enqueue_template(
        recipient=recipient.user.email,
        reason=KIND,
        template=KIND,
        context={"person": recipient, "message": message, "measure": measure, "sender": sender},
        language=recipient.language or "de",
        obj=message,
        headers=headers,
    )
    return message


def export(person: Person) -> dict:
    """The person's messages to contact persons, for their data export (networks.panels.register_personal_data)."""
    messages = ContactMessage.objects.filter(sender=person).select_related("measure").order_by("created_at")
    return {
        "messages_to_contact_persons": [
            {
                "measure": f"{m.measure.code} {m.measure.title}",
                "text": m.text,
                "contact_may_answer_by_email": m.reply_to_sender,
                "sent": m.created_at.isoformat(),
            }
            for m in messages
        ]
    }


def before_account_delete(person: Person) -> None:
    """A deleted account's messages go with it (they were delivered; nothing else refers to them)."""
    ContactMessage.objects.filter(sender=person).delete()


def contact_messages_purge(*, now=None) -> int:
    """Messages to contact persons, and the emails that carried them, are deleted 90 days after they were sent
    (the contact has the email; the row served the rate limit and questions about delivery). Idempotent (daily);
    an email not sent yet stays with its message until it is."""
    from networks.models import OutboxMessage

    cutoff = (now or timezone.now()) - KEPT
    ids = list(ContactMessage.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:5000])
    if not ids:
        return 0
    done = (OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED)
    with transaction.atomic():
        waiting = set(
            OutboxMessage.objects.filter(
                reason=KIND, object_type=ContactMessage._meta.label_lower, object_id__in=[str(pk) for pk in ids]
            )
            .exclude(status__in=done)
            .values_list("object_id", flat=True)
        )
        ids = [pk for pk in ids if str(pk) not in waiting]
        OutboxMessage.objects.filter(
            reason=KIND, object_type=ContactMessage._meta.label_lower, object_id__in=[str(pk) for pk in ids]
        ).delete()
        return ContactMessage.objects.filter(pk__in=ids).delete()[0]
