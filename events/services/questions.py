"""Office-hour questions: asking, the asker's edit and delete while unanswered, the coordination's answer and
removal (spam, duplicates), and the two emails: the coordinators hear of a new question, the asker of the answer.

Each email is one outbox row keyed by (recipient, kind, question): a question mails its coordinators once, an
answer its asker once; editing the answer later mails nobody.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Question
from networks.access import is_member
from networks.mail import absolute_url, mail_wanted, mail_wanted_by
from networks.models import NetworkRole, Person
from networks.outbox import outbox_enqueue_template

ASKED = "question_asked"  # the mail kinds (events.mail_kinds), also the outbox reasons and template names
ANSWERED = "question_answered"


def _locked(question: Question) -> Question:
    """The question re-read under a row lock: an edit and an answer at the same moment see each other."""
    locked = Question.objects.select_for_update(of=("self",))  # the author is an outer join: lock the question only
    return locked.select_related("event__network", "author__user").get(pk=question.pk)


def _check_open(event: Event) -> None:
    if event.is_cancelled or event.is_past:
        raise ValidationError(_("This office hour is over or cancelled; questions are closed."))


def _check_own_and_open(question: Question, by: Person) -> None:
    if question.author_id is None or question.author_id != by.pk:
        raise PermissionDenied
    if question.is_removed:
        raise ValidationError(_("The coordination has removed this question."))
    if question.is_answered:
        raise ValidationError(_("This question has been answered; it can no longer be changed."))


def question_ask(*, event: Event, person: Person, text: str, anonymous: bool, topic=None) -> Question:
    if not event.is_office_hour:
        raise ValidationError(_("Questions can only be submitted for office hours."))
    _check_open(event)
    with transaction.atomic():
        question = Question.objects.create(
            event=event, network_id=event.network_id, author=person, text=text.strip(), anonymous=anonymous, topic=topic
        )
        _tell_coordinators(question)
    return question


def question_edit(*, question: Question, by: Person, text: str, anonymous: bool, topic=None) -> Question:
    """The asker changes their question while it is unanswered and the office hour has not ended."""
    with transaction.atomic():
        question = _locked(question)
        _check_own_and_open(question, by)
        _check_open(question.event)
        question.text, question.anonymous, question.topic = text.strip(), anonymous, topic
        question.edited_at = timezone.now()
        question.save(update_fields=["text", "anonymous", "topic", "edited_at"])
    return question


def question_delete(*, question: Question, by: Person) -> None:
    """The asker withdraws their question while it is unanswered (its history keeps the deletion)."""
    with transaction.atomic():
        question = _locked(question)
        _check_own_and_open(question, by)
        question.delete()


def question_remove(*, question: Question, by: Person | None, reason: str) -> Question:
    """The coordination removes a question (spam, a duplicate): hidden from every list, kept in the admin with the
    reason and who removed it. Removing it again changes nothing."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"removed_reason": _("Please give a reason for the removal.")})
    with transaction.atomic():
        question = _locked(question)
        if question.is_removed:
            return question
        question.removed_at, question.removed_by, question.removed_reason = timezone.now(), by, reason
        question.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    return question


def question_answer(*, question: Question, answer: str, by: Person | None) -> Question:
    """Save the answer; the first answer tells the asker (an edit of the answer does not mail again)."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Please write an answer.")})
    with transaction.atomic():
        question = _locked(question)
        if question.is_removed:
            raise ValidationError(_("The coordination has removed this question."))
        first = question.answered_at is None
        question.answer = answer
        question.answered_at = question.answered_at or timezone.now()
        question.answered_by = by
        question.save(update_fields=["answer", "answer_html", "answered_at", "answered_by"])
        if first:
            _tell_asker(question)
    return question


# --- the emails --------------------------------------------------------------------------------------------


def _event_url(event: Event, language: str, anchor: str) -> str:
    return absolute_url("events:event-detail", language, slug=event.network.slug, pk=event.pk) + anchor


def _tell_coordinators(question: Question) -> None:
    event = question.event
    coordinators = [
        role.person
        for role in NetworkRole.objects.filter(network_id=event.network_id, role=NetworkRole.Role.COORDINATOR)
        .exclude(person_id=question.author_id)
        .select_related("person__user")
    ]
    wanted = mail_wanted_by(coordinators, ASKED)
    for person in coordinators:
        if person.pk not in wanted:
            continue
        language = person.language
        outbox_enqueue_template(
            recipient=person.user.email,
            reason=ASKED,
            template=ASKED,
            context={
                "question": question,
                "event": event,
                "network": event.network,
                "asker": question.author,
                "person": person,
                "answer_url": absolute_url("events:question-answer", language, slug=event.network.slug, pk=question.pk),
                "remove_url": absolute_url("events:question-remove", language, slug=event.network.slug, pk=question.pk),
            },
            language=language,
            obj=question,
            occasion="asked",  # once per question and coordinator
        )


def _tell_asker(question: Question) -> None:
    asker = question.author
    if asker is None or not mail_wanted(asker, ANSWERED) or not is_member(asker.user, question.event.network):
        return  # no account any more, switched off, or no longer a member of the network (the answer is internal)
    language = asker.language
    outbox_enqueue_template(
        recipient=asker.user.email,
        reason=ANSWERED,
        template=ANSWERED,
        context={
            "question": question,
            "event": question.event,
            "network": question.event.network,
            "person": asker,
            "question_url": _event_url(question.event, language, f"#question-{question.pk}"),
            "faq_url": absolute_url("events:faq", language, slug=question.event.network.slug),
        },
        language=language,
        obj=question,
        occasion="answered",  # once per question: a later edit of the answer finds this row
    )
