"""Writes of the funding radar: programmes, calls, the kinds of a measure, the deadline reminders."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from measures.funding.matching import candidates, programme_index
from measures.funding.models import FundingCall, FundingProgramme, MeasureFunding
from measures.models import Measure
from networks.mail import mail_wanted_by
from networks.models import Person
from networks.outbox import outbox_enqueue, outbox_render
from networks.services import slugify_de

REMINDERS = (("6w", 42), ("2w", 14))  # occasion, days before the deadline: sent once each (the outbox's key)
REASON = "funding_call_reminder"


RESERVED_SLUGS = {"neu", "import", "fristen", "massnahmen"}  # the list's own addresses (urls.py)


def free_slug(name: str, *, exclude: int | None = None) -> str:
    base = slugify_de(name)[:110].strip("-") or "programm"
    if base in RESERVED_SLUGS:
        base = f"{base}-programm"
    taken = set(
        FundingProgramme.objects.filter(slug__startswith=base).exclude(pk=exclude).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def programme_save(*, programme: FundingProgramme, by: Person | None) -> FundingProgramme:
    """Create or update (the form has validated it); history through simple_history, with the user."""
    if not programme.slug:
        programme.slug = free_slug(programme.name, exclude=programme.pk)
    if programme.pk is None:
        programme.created_by = by
    programme._history_user = by.user if by else None
    programme.save()
    return programme


@transaction.atomic
def call_save(*, call: FundingCall, by: Person | None) -> FundingCall:
    call._history_user = by.user if by else None
    call.save()
    return call


@transaction.atomic
def call_delete(*, call: FundingCall, by: Person | None) -> None:
    call._history_user = by.user if by else None
    call.delete()


@transaction.atomic
def measure_kinds_set(*, measure: Measure, kinds: list[str], by: Person | None) -> MeasureFunding:
    row, _created = MeasureFunding.objects.get_or_create(measure=measure)
    row.kinds = sorted(set(kinds))
    row._history_user = by.user if by else None
    row.save()
    return row


def reminder_occasion(deadline: date, today: date) -> str | None:
    """ "6w" from six weeks until two weeks before the deadline, "2w" from two weeks before until the day itself;
    a run that missed a day still sends the reminder of its window, and never the earlier one late."""
    days = (deadline - today).days
    if days < 0:
        return None
    for occasion, before in reversed(REMINDERS):
        if days <= before:
            return occasion
    return None


def reminders_send(*, today: date | None = None) -> int:
    """For every fit of an open-funding measure whose next deadline is within six weeks: an email to the measure's
    responsible person, once per (call, measure, occasion) by the outbox's unique key. Safe to run any number of
    times a day. Returns how many reminders were enqueued or found already enqueued."""
    today = today or timezone.localdate()
    index = programme_index(today)
    horizon = today + timedelta(days=REMINDERS[0][1])
    if not any(call and call.deadline <= horizon for call in index.calls):
        return 0
    measures = list(
        candidates()
        .filter(responsible_person__user__isnull=False, responsible_person__user__is_active=True)
        .select_related("responsible_person__user")
    )
    wanted = mail_wanted_by({m.responsible_person for m in measures}, REASON)  # one query
    count = 0
    for measure in measures:
        person = measure.responsible_person
        if person.pk not in wanted:
            continue
        for fit in index.fits_for(measure):
            occasion = fit.call and fit.call.deadline <= horizon and reminder_occasion(fit.call.deadline, today)
            if occasion:
                _remind(person=person, measure=measure, fit=fit, occasion=occasion, today=today)
                count += 1
    return count


def _remind(*, person: Person, measure: Measure, fit, occasion: str, today: date) -> None:
    context = {
        "person": person,
        "measure": measure,
        "programme": fit.programme,
        "call": fit.call,
        "days": (fit.call.deadline - today).days,
    }
    subject, text, html = outbox_render(template=REASON, context=context, language=person.language, kind=REASON)
    with transaction.atomic():
        outbox_enqueue(
            recipient=person.user.email,
            reason=REASON,
            object_key=f"call:{fit.call.pk}:measure:{measure.pk}",
            occasion=occasion,
            subject=subject,
            body_text=text,
            body_html=html,
            language=person.language,
        )
