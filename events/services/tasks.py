"""Follow-up of outcomes (issue 15 §4): saving decisions and action items with their notifications, comments with a
file from the library, and the reminders before and after an action item's due date.

Who is told (each email exactly once: the outbox key names the item and the occasion):
- assigned: the owner when an open action item gets an owner (created, or the owner changed). An organisation as
  owner means its people who have a role in the item's network: they are the ones who can open the item and
  change its status (events.access.owns_action_item). Nobody is told of their own doing.
- due soon: the owner, REMIND_BEFORE days before the due date (not when the assignment came that late: its email
  says the date); overdue: the owner, the day after the due date (up to OVERDUE_WINDOW days late, so that old
  items are not dug up). Once per due date each; nothing for items that are done or dropped.
- done: the network's coordinators, when an action item is marked as done (not the one who marked it).
- comment: the owner and everyone who commented before, but not the comment's author.
Every kind can be switched off (networks.mail, area "tasks").
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.access import owns_action_item, person_may_see_outcome
from events.models import Outcome, TaskComment
from networks.mail import mail_wanted_by
from networks.models import NetworkRole, Person
from networks.outbox import outbox_enqueue_template

REMIND_BEFORE = 3  # days before the due date
OVERDUE_AFTER = 1  # days after the due date
OVERDUE_WINDOW = 7  # an item overdue for longer than this gets no first reminder any more


# --- Who is told ---------------------------------------------------------------------------------------------


def owner_people(item: Outcome) -> list[Person]:
    """The people who answer for an action item: the person named, or the organisation's people in the network."""
    if item.owner_person_id:
        return list(Person.objects.filter(pk=item.owner_person_id).select_related("user"))
    if item.owner_organisation_id:
        return list(
            Person.objects.filter(organisation_id=item.owner_organisation_id, network_roles__network_id=item.network_id)
            .select_related("user")
            .distinct()
        )
    return []


def _coordinators(item: Outcome) -> list[Person]:
    return list(
        Person.objects.filter(
            network_roles__network_id=item.network_id, network_roles__role=NetworkRole.Role.COORDINATOR
        )
        .select_related("user")
        .distinct()
    )


def _absolute(path_of, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + path_of()


def _tell(people, *, kind: str, item: Outcome, occasion: str, by: Person | None = None, extra: dict | None = None):
    """One email of ``kind`` about ``item`` to each of ``people`` who wants it (not to ``by``); returns how many."""
    people = [p for p in people if (by is None or p.pk != by.pk) and person_may_see_outcome(p, item)]
    wanted = mail_wanted_by(people, kind)
    sent = 0
    for person in people:
        if person.pk not in wanted:
            continue
        context = {
            "person": person,
            "item": item,
            "network": item.network,
            "by": by,
            "item_url": _absolute(item.get_absolute_url, person.language),
            **(extra or {}),
        }
        outbox_enqueue_template(
            recipient=person.user.email,
            reason=kind,
            template=kind,
            context=context,
            language=person.language,
            obj=item,
            occasion=occasion,
        )
        sent += 1
    return sent


def _latest_change(item: Outcome) -> int:
    """The id of the item's newest history record: it names one change (an assignment, a completion) for ever."""
    return item.history.values_list("history_id", flat=True).first() or 0


# --- Saving outcomes ---------------------------------------------------------------------------------------


def outcome_save(*, outcome: Outcome, by: Person | None) -> Outcome:
    """Create or change an outcome (decision, idea or action item) and tell who needs to know.

    The row as it was is read inside the transaction, so the notifications follow what really changed: a new
    owner of an open action item is told; a change to "done" tells the coordinators."""
    with transaction.atomic():
        before = None
        if outcome.pk:
            before = (
                Outcome.objects.select_for_update()
                .filter(pk=outcome.pk)
                .values("owner_person_id", "owner_organisation_id", "status")
                .first()
            )
        if outcome.event_id and not outcome.network_id:
            outcome.network_id = outcome.event.network_id
        if before is None and outcome.created_by_id is None and by is not None:
            outcome.created_by = by
        status_changed = before is not None and before["status"] != outcome.status
        if before is None or status_changed:
            outcome.completed_at = timezone.now() if outcome.status == Outcome.Status.DONE else None
        outcome.full_clean(exclude=["network", "event", "source_thread", "created_by"])
        outcome.save()
        owner = (outcome.owner_person_id, outcome.owner_organisation_id)
        reassigned = before is None or owner != (before["owner_person_id"], before["owner_organisation_id"])
        if outcome.is_action and outcome.status == Outcome.Status.OPEN and outcome.owner and reassigned:
            _assigned(outcome, by)
        if status_changed and outcome.status == Outcome.Status.DONE and outcome.is_action:
            occasion = f"done:{_latest_change(outcome)}"
            _tell(_coordinators(outcome), kind="task_done", item=outcome, occasion=occasion, by=by)
    return outcome


def _assigned(item: Outcome, by: Person | None) -> None:
    _tell(owner_people(item), kind="task_assigned", item=item, occasion=f"assigned:{_latest_change(item)}", by=by)
    if item.due_date and item.due_date <= timezone.localdate() + timedelta(days=REMIND_BEFORE):
        # The assignment names the near due date: no "due soon" reminder right after it.
        Outcome.objects.filter(pk=item.pk).update(reminded_before_for=item.due_date)


def outcome_set_status(*, outcome: Outcome, status: str, by: Person | None = None) -> Outcome:
    if outcome.kind != Outcome.Kind.ACTION:
        raise ValidationError(_("Only action items have a status."))
    if status not in Outcome.Status.values:
        raise ValidationError(_("Unknown status."))
    if outcome.status == status:
        return outcome
    outcome.status = status
    return outcome_save(outcome=outcome, by=by)


# --- Comments -------------------------------------------------------------------------------------------------


def may_comment(user, person: Person | None, item: Outcome, *, coordinator: bool) -> bool:
    """Coordinators on every outcome; the owner (person or their organisation) on their action item."""
    return coordinator or (item.is_action and owns_action_item(person, item))


def task_comment_add(*, item: Outcome, author: Person, text: str, upload=None) -> TaskComment:
    """A comment, with ``upload`` stored in the network's library (networks.library.services.document_store:
    the one upload rule; a refused file is a ValidationError and nothing is written)."""
    text = (text or "").strip()
    if not text and upload is None:
        raise ValidationError({"text": _("Write a comment or attach a file.")})
    if author is None:
        raise PermissionDenied
    with transaction.atomic():
        comment = TaskComment(item=item, author=author, text=text)
        if upload is not None:
            comment.attachment = _store(item=item, author=author, upload=upload)
        comment.full_clean(exclude=["item", "author", "attachment"])
        comment.save()
        earlier = Person.objects.filter(
            pk__in=TaskComment.objects.filter(item=item).exclude(pk=comment.pk).values("author")
        ).select_related("user")
        people = {p.pk: p for p in [*owner_people(item), *earlier]}
        _tell(
            people.values(),
            kind="task_comment",
            item=item,
            occasion=f"comment:{comment.pk}",
            by=author,
            extra={"comment": comment},
        )
    return comment


def _store(*, item: Outcome, author: Person, upload):
    from networks.library.services import document_store

    return document_store(
        network=item.network,
        working_group=item.working_group,
        uploaded_by=author,
        name=upload.name,
        content=upload,
        title=upload.name,
    )


# --- Reminders ------------------------------------------------------------------------------------------------


def _due_soon(today: date):
    return (
        Outcome.objects.open()
        .filter(due_date__gte=today, due_date__lte=today + timedelta(days=REMIND_BEFORE))
        .exclude(reminded_before_for=F("due_date"))
    )


def _overdue(today: date):
    return (
        Outcome.objects.open()
        .filter(
            due_date__lte=today - timedelta(days=OVERDUE_AFTER),
            due_date__gte=today - timedelta(days=OVERDUE_WINDOW),
        )
        .exclude(reminded_after_for=F("due_date"))
    )


REMINDERS = (
    # kind, the items due for it, the column that records the due date it was sent for
    ("task_due_soon", _due_soon, "reminded_before_for"),
    ("task_overdue", _overdue, "reminded_after_for"),
)


def task_reminders_send(*, today: date | None = None, batch: int = 200) -> int:
    """Enqueue the reminders that are due, each at most once per item and due date (claimed with a conditional
    UPDATE in the transaction that enqueues the emails: a second run, or two at once, send nothing twice).
    Run by beat every hour; returns how many emails were enqueued."""
    today = today or timezone.localdate()
    sent = 0
    for kind, due, column in REMINDERS:
        while True:
            items = list(due(today).select_related("network", "working_group", "event__working_group")[:batch])
            if not items:
                break
            for item in items:
                with transaction.atomic():
                    claimed = (
                        Outcome.objects.filter(pk=item.pk, status=Outcome.Status.OPEN, due_date=item.due_date)
                        .exclude(**{column: F("due_date")})
                        .update(**{column: F("due_date")})
                    )
                    if claimed:
                        occasion = f"{kind}:{item.due_date.isoformat()}"
                        sent += _tell(owner_people(item), kind=kind, item=item, occasion=occasion)
    return sent
