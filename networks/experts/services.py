"""Questions to experts through the portal (issue 17 §4): asked, answered and blocked without an address shown.

- ``question_ask``: a signed-in network member asks a person they find in "Wer weiß was" (selectors.findable_by)
  who takes questions (mailable, the kind not switched off, the asker not blocked). The question and its first
  message are stored and one email goes to the expert through the outbox (key: the message, so exactly once).
- ``message_add``: either party writes again (on the portal, or by replying to the email: the Reply-To is a reply
  address of networks.inbound of kind ``ask`` for that person and question, ``reply_by_email``); the other party
  gets it by email. No email carries the other's address.
- Rate limits per person: ``QUESTIONS_PER_HOUR``/``QUESTIONS_PER_DAY`` new questions, ``MESSAGES_PER_HOUR``
  messages in all. Blocking (``block``) stops new questions and messages from the blocked person at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.citizens import is_citizen
from networks.experts import mail_kinds
from networks.experts.models import Block, Question, QuestionMessage
from networks.experts.selectors import findable_by
from networks.inbound import tokens
from networks.mail import mail_wanted
from networks.models import Person
from networks.outbox import outbox_enqueue_template

ROUTE = "ask"  # the kind of reply address (networks.inbound.tokens.register_route)
QUESTIONS_PER_HOUR = 5
QUESTIONS_PER_DAY = 20
MESSAGES_PER_HOUR = 30
HOUR = timedelta(hours=1)


def is_blocked(*, person: Person, by: Person) -> bool:
    return Block.objects.filter(person=by, blocked=person).exists()


def why_not_ask(*, asker: Person, expert: Person) -> str:
    """ "" when ``asker`` may ask ``expert`` a question now, else the reason in words."""
    if asker.pk == expert.pk:
        return _("You cannot ask yourself a question.")
    if asker.user is None or is_citizen(asker.user):
        return _("Only members of a network can ask questions through the portal.")
    if not findable_by(asker.user, expert):
        return _("This person cannot be asked by you.")
    if not mail_wanted(expert, mail_kinds.QUESTION) or is_blocked(person=asker, by=expert):
        return _("This person does not take questions through the portal.")
    return ""


def _check_rate(person: Person, *, new_question: bool) -> None:
    now = timezone.now()
    if new_question:
        times = list(
            Question.objects.filter(asker=person, created_at__gte=now - timedelta(days=1)).values_list(
                "created_at", flat=True
            )
        )
        if sum(1 for t in times if t >= now - HOUR) >= QUESTIONS_PER_HOUR or len(times) >= QUESTIONS_PER_DAY:
            raise ValidationError(
                _("You have asked many questions recently. Please wait a while before the next one."),
                code="rate_limited",
            )
    recent = QuestionMessage.objects.filter(author=person, created_at__gte=now - HOUR).count()
    if recent >= MESSAGES_PER_HOUR:
        raise ValidationError(
            _("You have written many messages in the last hour. Please wait a while before the next one."),
            code="rate_limited",
        )


def _notify(message: QuestionMessage, *, first: bool) -> None:
    """One email to the other party (outbox key: the message), with a reply address back into the conversation."""
    question = message.question
    recipient = question.other_party(message.author)
    kind = mail_kinds.QUESTION if first else mail_kinds.MESSAGE
    if not mail_wanted(recipient, kind):
        return
    reply_to = tokens.routed_reply_address(ROUTE, recipient, question.pk)
    outbox_enqueue_template(
        recipient=recipient.user.email,
        reason=kind,
        template=kind,
        context={
            "person": recipient,
            "question": question,
            "message": message,
            "author": message.author,
            "by_email": bool(reply_to),
        },
        language=recipient.language or "de",
        obj=message,
        headers={"Reply-To": reply_to} if reply_to else {},
    )


@transaction.atomic
def question_ask(*, asker: Person, expert: Person, subject: str, body: str, topic=None) -> Question:
    reason = why_not_ask(asker=asker, expert=expert)
    if reason:
        raise ValidationError(reason, code="not_askable")
    _check_rate(asker, new_question=True)
    question = Question(asker=asker, expert=expert, topic=topic, subject=subject.strip())
    question.full_clean(exclude=["asker", "expert"])
    question.save()
    message = QuestionMessage(question=question, author=asker, body=body.strip())
    message.full_clean(exclude=["question", "author"])
    message.save()
    _notify(message, first=True)
    return question


@transaction.atomic
def message_add(*, question: Question, author: Person, body: str, via: str = QuestionMessage.Via.WEB):
    if author.pk not in (question.asker_id, question.expert_id):
        raise PermissionDenied
    other = question.other_party(author)
    if is_blocked(person=author, by=other):
        raise ValidationError(_("The other person does not take messages from you any more."), code="blocked")
    if is_blocked(person=other, by=author):
        raise ValidationError(_("You have blocked the other person. Unblock them to write again."), code="blocked")
    _check_rate(author, new_question=False)
    message = QuestionMessage(question=question, author=author, body=body.strip(), via=via)
    message.full_clean(exclude=["question", "author"])
    message.save()
    Question.objects.filter(pk=question.pk).update(last_message_at=message.created_at)
    _notify(message, first=False)
    return message


def reply_by_email(*, person: Person, object_id: int, text: str) -> QuestionMessage:
    """networks.inbound's route ``ask``: an answer by email to a question's email (the token names both)."""
    question = Question.objects.select_related("asker__user", "expert__user").filter(pk=object_id).first()
    if question is None:
        raise ValidationError(_("This conversation no longer exists."), code="gone")
    if person.pk not in (question.asker_id, question.expert_id):
        raise PermissionDenied
    author = question.asker if person.pk == question.asker_id else question.expert
    return message_add(question=question, author=author, body=text, via=QuestionMessage.Via.EMAIL)


def block(*, person: Person, blocked: Person) -> Block:
    if person.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    row, _created = Block.objects.get_or_create(person=person, blocked=blocked)
    return row


def unblock(*, person: Person, blocked: Person) -> None:
    Block.objects.filter(person=person, blocked=blocked).delete()


def personal_data(person: Person) -> dict:
    """The person's questions and messages, for their data export (networks.panels.register_personal_data)."""
    questions = Question.objects.filter(Q(asker=person) | Q(expert=person)).order_by("created_at")
    own = QuestionMessage.objects.filter(author=person).order_by("created_at").values_list("question_id", "body")
    bodies: dict[int, list[str]] = {}
    for question_id, body in own:
        bodies.setdefault(question_id, []).append(body)
    return {
        "questions_to_experts": [
            {
                "subject": q.subject,
                "role": "asker" if q.asker_id == person.pk else "asked",
                "asked": q.created_at.isoformat(),
                "my_messages": bodies.get(q.pk, []),
            }
            for q in questions
        ]
    }


def before_account_delete(person: Person) -> None:
    """A deleted account's conversations go with it (private between two people; the emails were delivered)."""
    Question.objects.filter(asker=person).delete()
    Question.objects.filter(expert=person).delete()
    Block.objects.filter(person=person).delete()
    Block.objects.filter(blocked=person).delete()
