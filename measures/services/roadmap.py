"""Writes on roadmaps and measures: saving with history, bulk status, progress updates, the nightly
'late' computation and the funding-deadline reminders."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import webhooks
from measures.models import Measure, MeasureUpdate, Milestone, Roadmap
from networks import cache
from networks.mail import mail_wanted_by
from networks.models import Person
from networks.outbox import outbox_enqueue_template
from networks.services import slugify_de

FUNDING_REMINDER_DAYS = 14  # the responsible person hears this long before an application deadline
DONE = (Measure.Status.COMPLETED, Measure.Status.DROPPED)


def measure_slug(measure: Measure) -> str:
    """A stable, readable address: code and title (ä → ae, …), unique within the roadmap."""
    base = slugify_de(f"{measure.code} {measure.title}")[:110] or "massnahme"
    slug, n = base, 2
    taken = Measure.objects.filter(roadmap_id=measure.roadmap_id).exclude(pk=measure.pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_unique(measure: Measure) -> None:
    """Code and address are unique within the roadmap (one query for both)."""
    others = Measure.objects.filter(roadmap_id=measure.roadmap_id).exclude(pk=measure.pk)
    clash = others.filter(Q(code=measure.code) | Q(slug=measure.slug)).values_list("code", "slug").first()
    if clash is None:
        return
    field = "code" if clash[0] == measure.code else "slug"
    raise ValidationError(
        {
            field: _("Another measure of this roadmap already has this %(field)s.")
            % {"field": Measure._meta.get_field(field).verbose_name}
        }
    )


def measure_save(*, measure: Measure, partners=None, by: Person | None = None) -> Measure:
    """Create or change a measure (history records who and what); validation as in the form."""
    with transaction.atomic():
        if not measure.slug:
            measure.slug = measure_slug(measure)
        # clean() mirrors the check constraints, so Django need not test each one with a query of its own;
        # the two unique ones are checked here together.
        measure.full_clean(validate_constraints=False)
        _check_unique(measure)
        if by is not None and by.user_id:
            measure._history_user = by.user
        created = measure._state.adding
        measure.save()
        if partners is not None:
            measure.partners.set(partners)
        measure_mark_late(measures=Measure.objects.filter(pk=measure.pk))
        webhooks.measure_saved(measure, created=created)  # the outbox rows, in this transaction
    return measure


def measure_bulk_status(*, roadmap: Roadmap, measure_ids: list[int], status: str, by: Person | None) -> int:
    """Give several measures of one roadmap the same status (each change lands in the history)."""
    if status not in Measure.Status.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        measures = list(roadmap.measures.filter(pk__in=measure_ids).exclude(status=status).select_for_update())
        for measure in measures:
            measure.status = status
            if by is not None and by.user_id:
                measure._history_user = by.user
            measure.save(update_fields=["status", "updated_at"])
            webhooks.measure_saved(measure, created=False)
        measure_mark_late(measures=roadmap.measures.filter(pk__in=[m.pk for m in measures]))
    return len(measures)


def update_add(
    *, measure: Measure, text: str, percent: int | None, public: bool, on: date | None = None, by: Person | None
) -> MeasureUpdate:
    update = MeasureUpdate(
        measure=measure, text=text.strip(), percent=percent, public=public, date=on or timezone.localdate(), author=by
    )
    with transaction.atomic():
        update.full_clean()
        update.save()
        webhooks.progress_reported(update)
    return update


def measure_mark_late(*, measures=None, today: date | None = None) -> int:
    """Late: still open and past its end date or a milestone's due date. Two UPDATEs, safe to repeat."""
    today = today or timezone.localdate()
    measures = Measure.objects.all() if measures is None else measures
    overdue_milestone = Milestone.objects.filter(measure=OuterRef("pk"), done_date__isnull=True, due_date__lt=today)
    late = Q(end__lt=today) | Q(Exists(overdue_milestone))
    open_measures = measures.exclude(status__in=DONE)
    changed = open_measures.filter(late, is_late=False).update(is_late=True)
    changed += (
        measures.filter(is_late=True).exclude(Q(pk__in=open_measures.filter(late).values("pk"))).update(is_late=False)
    )
    if changed:  # UPDATE sends no signals: the cached public pages show "late" from here on
        cache.bump("global")
    return changed


def funding_reminders_send(*, today: date | None = None) -> int:
    """Tell the responsible person about application deadlines within two weeks; once per deadline
    (the outbox's unique key: measure and deadline) to a person who wants it (networks.mail). Returns how many
    deadlines were looked at for someone who wants the mail."""
    today = today or timezone.localdate()
    due = (
        Measure.objects.filter(
            funding_deadline__gte=today,
            funding_deadline__lte=today + timedelta(days=FUNDING_REMINDER_DAYS),
            funding_status__in=[Measure.FundingStatus.PLANNED, Measure.FundingStatus.APPLIED],
            responsible_person__user__isnull=False,
            responsible_person__user__is_active=True,
        )
        .exclude(status__in=DONE)
        .select_related("roadmap", "responsible_person__user")
    )
    measures = list(due)
    wanted = mail_wanted_by({m.responsible_person for m in measures}, "funding_deadline")  # one query
    sent = 0
    for measure in measures:
        person = measure.responsible_person
        if person.pk not in wanted:  # switched off, or no longer to be mailed (networks.mail)
            continue
        outbox_enqueue_template(
            recipient=person.user.email,
            reason="funding_deadline",
            template="funding_deadline",
            context={"measure": measure, "person": person, "days": (measure.funding_deadline - today).days},
            language=person.language,
            obj=measure,
            occasion=measure.funding_deadline.isoformat(),
        )
        sent += 1
    return sent
