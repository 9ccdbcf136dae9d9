"""A reply by email becomes a post, or goes back to its sender with a short explanation.

``process(raw)`` takes one RFC 5322 message (the bytes from the mailbox) and, in one transaction:
1. takes it at most once: an ``InboundMessage`` row keyed by its Message-ID (or a hash of its bytes); a message
   seen before is left alone (``Result.duplicate``);
2. drops machine-written mail silently: auto-replies, bounces, mail from lists and the portal's own mails (a
   refusal to a machine starts a mail loop);
3. refuses, with one short email to the sender (outbox key: the row, so once per message; at most
   ``REFUSALS_PER_HOUR`` per sender address, so never a loop with a robot that answers every mail): a message to
   the mailbox without a reply token, an unknown or forged token, a sender address that is not the address of the
   person the token was made for, a person who may no longer read or write in the thread, a closed thread, and a
   reply without text above the quote;
4. posts everything else with ``networks.channel.services.post_reply(..., via="email")``. Attachments go into the
   thread's library space first (``networks.library.services.document_store``: the portal's upload rule); those
   the rule refuses are listed in a short notice to the sender, and the post goes in without them.

The sender's address is compared with the person's account address and their other confirmed addresses,
case-insensitively. The From header can be forged like any header; the token (which only the recipient of the
notification has) is the real proof, the address check keeps a forwarded notification from posting in the name
of its first recipient.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from networks.inbound import tokens
from networks.inbound.models import InboundMessage
from networks.inbound.parsing import ParsedMessage, message_key, parse_message
from networks.models import Person
from networks.outbox import outbox_enqueue_template, queue_on_commit

logger = logging.getLogger(__name__)

REFUSALS_PER_HOUR = 5  # per sender address
REFUSALS_PER_DAY = 20
MAX_ATTACHMENTS = 10
Reason = InboundMessage.Reason
Outcome = InboundMessage.Outcome
REFUSED_KIND = "inbound_refused"
ATTACHMENTS_KIND = "inbound_attachments_refused"
# Refusals that may show the thread and the person's own text: the sender is the person the token was made for.
KNOWN_SENDER_REASONS = {Reason.NO_ACCESS, Reason.CLOSED, Reason.EMPTY, Reason.INVALID, Reason.TOO_LARGE}


@dataclass
class Result:
    outcome: str  # an InboundMessage.Outcome, or "duplicate"
    reason: str = ""
    message: InboundMessage | None = None

    @property
    def duplicate(self) -> bool:
        return self.outcome == "duplicate"


def _own_addresses() -> set[str]:
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), parseaddr(settings.SERVER_EMAIL)[1].lower()}
    return {address for address in own if address}


def _is_own_sender(address: str) -> bool:
    if address in _own_addresses():
        return True
    return tokens.token_in_address(address) is not None and address.endswith("@" + tokens.reply_domain())


def _is_persons_address(person: Person, address: str) -> bool:
    """The account's address, or another address the person confirmed (case-insensitively)."""
    user = person.user
    if user is None or not address:
        return False
    if user.email.lower() == address:
        return True
    return EmailAddress.objects.filter(user=user, verified=True, email__iexact=address).exists()


def _found_token(parsed: ParsedMessage) -> str | None:
    for address in parsed.recipients:
        token = tokens.token_in_address(address)
        if token:
            return token
    return None


def _refusals_exceeded(sender: str) -> bool:
    now = timezone.now()
    sent = InboundMessage.objects.filter(sender=sender, refusal_sent=True)
    return (
        sent.filter(received_at__gte=now - timedelta(hours=1)).count() >= REFUSALS_PER_HOUR
        or sent.filter(received_at__gte=now - timedelta(days=1)).count() >= REFUSALS_PER_DAY
    )


def _reply_headers(parsed: ParsedMessage, original_id: str) -> dict[str, str]:
    headers = {"Auto-Submitted": "auto-replied"}  # RFC 3834: an answer to a message, not to be answered
    if original_id.startswith("<"):
        headers["In-Reply-To"] = original_id
        headers["References"] = original_id
    return headers


def _refuse(row: InboundMessage, parsed: ParsedMessage, reason: str, *, detail: str = "", thread=None) -> None:
    row.outcome = Outcome.REFUSED
    row.reason = reason
    row.detail = detail[:2000]
    recipient = parsed.from_address
    if not recipient or "@" not in recipient:
        row.detail = (row.detail + "\nNo sender address: no refusal sent.").strip()
        return
    if _refusals_exceeded(recipient):
        row.detail = (row.detail + "\nToo many refusals to this address: no refusal sent.").strip()
        return
    person = row.person if reason in KNOWN_SENDER_REASONS else None
    language = person.language if person is not None else settings.LANGUAGE_CODE
    outbox_enqueue_template(
        recipient=recipient,
        reason=REFUSED_KIND,
        template=REFUSED_KIND,
        context={
            "reason": reason,
            "person": person,
            "thread": thread if person is not None else None,
            "text": parsed.reply if person is not None and reason != Reason.EMPTY else "",
            "subject": parsed.subject,
            "detail": detail if reason == Reason.INVALID else "",
        },
        language=language,
        obj=row,
        headers=_reply_headers(parsed, row.message_id),
    )
    row.refusal_sent = True


def _store_attachments(parsed: ParsedMessage, *, thread, person: Person) -> tuple[list, list[dict]]:
    from networks.library.services import document_store

    stored, refused = [], []
    for number, attachment in enumerate(parsed.attachments):
        if number >= MAX_ATTACHMENTS:
            with translation.override(person.language):  # the reason goes into the person's notice
                reason = gettext("More than %(count)s attachments per email.") % {"count": MAX_ATTACHMENTS}
            refused.append({"filename": attachment.filename, "reason": reason})
            continue
        try:
            # the upload rule's refusal is said in the person's language (the notice quotes it)
            with transaction.atomic(), translation.override(person.language):
                document = document_store(
                    network=thread.network,
                    working_group=thread.working_group,
                    uploaded_by=person,
                    name=attachment.filename,
                    content=attachment.content,
                )
        except ValidationError as error:
            refused.append({"filename": attachment.filename, "reason": " ".join(error.messages)})
            continue
        stored.append(document)
    return stored, refused


def _forget_files(documents: list) -> None:
    """The files of documents whose rows a rollback took back (document_store writes the file first)."""
    for document in documents:
        current = getattr(document, "current", None)
        if current is not None and current.file:
            try:
                current.file.storage.delete(current.file.name)
            except OSError:
                logger.warning("could not delete %s after a refused reply", current.file.name)


def _post(row: InboundMessage, parsed: ParsedMessage, *, thread, person: Person) -> None:
    from networks.channel.services import post_reply

    documents, refused = [], []
    try:
        with transaction.atomic():
            documents, refused = _store_attachments(parsed, thread=thread, person=person)
            post = post_reply(
                thread=thread, author=person, body=parsed.reply, via="email", attachments=documents, notify_now=False
            )
    except PermissionDenied:
        _forget_files(documents)
        _refuse(row, parsed, _denied_reason(person, thread), thread=thread)
        return
    except ValidationError as error:
        _forget_files(documents)
        _refuse(row, parsed, Reason.INVALID, detail=" ".join(error.messages), thread=thread)
        return
    row.outcome = Outcome.POSTED
    row.post = post
    row.attachments_refused = refused
    if refused:
        outbox_enqueue_template(
            recipient=parsed.from_address,
            reason=ATTACHMENTS_KIND,
            template=ATTACHMENTS_KIND,
            context={"person": person, "thread": thread, "post": post, "refused": refused},
            language=person.language,
            obj=row,
            headers=_reply_headers(parsed, row.message_id),
        )


def _denied_reason(person: Person, thread) -> str:
    """Why ``person`` may not post in ``thread``: it is closed (and they may read it), or they lost access."""
    from networks.channel.access import can_read_thread, person_may_post

    if not person.can_be_mailed or not can_read_thread(person.user, thread):
        return Reason.NO_ACCESS
    if not person_may_post(person, thread):
        thread.refresh_from_db(fields=["closed"])
        return Reason.CLOSED if thread.closed else Reason.NO_ACCESS
    return ""


def _decide(row: InboundMessage, parsed: ParsedMessage) -> None:
    from networks.channel.models import Thread

    if _is_own_sender(parsed.from_address):
        row.outcome, row.reason = Outcome.DROPPED, Reason.OURS
        return
    if parsed.automatic:
        row.outcome, row.reason = Outcome.DROPPED, parsed.automatic
        return
    token = _found_token(parsed)
    if token is None:
        _refuse(row, parsed, Reason.NO_TOKEN)
        return
    routed = tokens.read_routed_token(token)
    if routed is not None:  # another room's conversation (tokens.register_route)
        _route(row, parsed, token, *routed)
        return
    read = tokens.read_token(token)
    person = thread = None
    if read is not None:
        person = Person.objects.select_related("user").filter(pk=read.person_id).first()
        thread = Thread.objects.select_related("network", "working_group").filter(pk=read.thread_id).first()
    if person is None or thread is None:
        _refuse(row, parsed, Reason.FORGED_TOKEN, detail=f"token {token!r}")
        return
    row.person, row.thread = person, thread
    if not _is_persons_address(person, parsed.from_address):
        _refuse(row, parsed, Reason.WRONG_SENDER)
        return
    # Channel's rule for a reply by email (person_may_post: a role in the network; staff are no exception) first;
    # post_reply checks read access and the closed state again under the thread's lock (PermissionDenied: _post
    # refuses). With attachments or without text, read access is checked before anything is stored or said.
    from networks.channel.access import person_may_post

    if not person_may_post(person, thread) or not parsed.reply.strip() or parsed.attachments or parsed.too_large:
        denied = _denied_reason(person, thread)
        if denied:
            _refuse(row, parsed, denied, thread=thread)
            return
    if parsed.too_large:
        _refuse(row, parsed, Reason.TOO_LARGE, thread=thread)
        return
    if not parsed.reply.strip():
        _refuse(row, parsed, Reason.EMPTY, thread=thread)
        return
    _post(row, parsed, thread=thread, person=person)


def _route(row: InboundMessage, parsed: ParsedMessage, token: str, kind: str, handler, read) -> None:
    """A reply to a routed address: the same checks as a thread's (token, sender, text), then the kind's handler."""
    person = None
    if read is not None:
        person = Person.objects.select_related("user").filter(pk=read.person_id).first()
    if person is None:
        _refuse(row, parsed, Reason.FORGED_TOKEN, detail=f"token {token!r}")
        return
    row.person = person
    if not _is_persons_address(person, parsed.from_address):
        _refuse(row, parsed, Reason.WRONG_SENDER)
        return
    if parsed.too_large:
        _refuse(row, parsed, Reason.TOO_LARGE)
        return
    if not parsed.reply.strip():
        _refuse(row, parsed, Reason.EMPTY)
        return
    try:
        with transaction.atomic(), translation.override(person.language):
            handler(person=person, object_id=read.thread_id, text=parsed.reply)
    except PermissionDenied:
        _refuse(row, parsed, Reason.NO_ACCESS)
        return
    except ValidationError as error:
        _refuse(row, parsed, Reason.INVALID, detail=" ".join(error.messages))
        return
    row.outcome = Outcome.POSTED
    row.detail = f"{kind} {read.thread_id}"
    if parsed.attachments:  # a routed conversation takes text only
        row.detail += f" ({len(parsed.attachments)} attachments not taken)"


def process(raw: bytes, *, posted: list[int] | None = None) -> Result:
    """Take one message from the mailbox: post it, refuse it or drop it; at most once per Message-ID.

    The readers' emails of a new post are not written here (they were about half the time of a reply): they go to
    ``networks.channel.tasks.posts_notify`` after the commit. ``posted``: a list of a batch (networks.inbound.fetch)
    that collects the new post's id, and the batch hands all of them to one task at its end."""
    try:
        parsed = parse_message(raw)
    except Exception as error:  # noqa: BLE001 (a message the email package cannot read at all)
        logger.warning("inbound message could not be parsed: %s", error)
        row, created = InboundMessage.objects.get_or_create(
            message_id=message_key(raw, ""),
            defaults={"outcome": Outcome.FAILED, "reason": Reason.ERROR, "detail": f"{type(error).__name__}: {error}"},
        )
        return Result("duplicate" if not created else Outcome.FAILED, Reason.ERROR, row)
    row = InboundMessage(message_id=parsed.message_id, sender=parsed.from_address[:254], subject=parsed.subject)
    try:
        with transaction.atomic():
            row.save(force_insert=True)  # the first statement: a message taken before stops here
            _decide(row, parsed)
            row.save(update_fields=[f.name for f in row._meta.concrete_fields if f.name not in ("id", "message_id")])
    except IntegrityError:
        taken = InboundMessage.objects.filter(message_id=parsed.message_id).first()
        if taken is None:
            raise
        return Result("duplicate", message=taken)
    logger.info("inbound %s from %s: %s %s", row.message_id, row.sender, row.outcome, row.reason)
    if row.outcome == Outcome.POSTED and row.post_id is not None:
        if posted is not None:
            posted.append(row.post_id)
        else:
            notify_posts([row.post_id])
    return Result(row.outcome, row.reason, row)


def notify_posts(post_ids: list[int]) -> None:
    """Hand the readers' emails of these posts to the worker once the transaction commits (at once outside one)."""
    from networks.channel.tasks import posts_notify

    if post_ids:
        queue_on_commit(posts_notify, list(post_ids))


def record_failure(raw: bytes, error: Exception) -> Result:
    """A message whose processing raised: recorded as failed (once), so the fetch moves it on instead of failing
    on it every minute. The operator sees it in the admin (incoming emails) with the error."""
    try:
        parsed = parse_message(raw)
        key, sender, subject = parsed.message_id, parsed.from_address[:254], parsed.subject
    except Exception:  # noqa: BLE001
        key, sender, subject = message_key(raw, ""), "", ""
    row, created = InboundMessage.objects.get_or_create(
        message_id=key,
        defaults={
            "sender": sender,
            "subject": subject,
            "outcome": Outcome.FAILED,
            "reason": Reason.ERROR,
            "detail": f"{type(error).__name__}: {error}"[:2000],
        },
    )
    return Result(Outcome.FAILED if created else "duplicate", Reason.ERROR, row)
