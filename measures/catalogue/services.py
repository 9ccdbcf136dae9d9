"""Writes of the measure library: offering and withdrawing a measure, keeping its entry in step, curating
entries from no roadmap, and copying an entry into a roadmap (the lineage). Each in one transaction."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import services as measure_services
from measures.catalogue.models import MILESTONES_MAX, Adoption, LibraryEntry
from measures.models import Measure, Milestone, Roadmap
from networks import cache
from networks.models import Person
from networks.services import slugify_de

CATALOGUE_SCOPE = "catalogue"  # the cached library pages (networks.cache)


def entry_slug(entry: LibraryEntry) -> str:
    base = slugify_de(entry.title)[:110] or "eintrag"
    slug, n = base, 2
    taken = LibraryEntry.objects.exclude(pk=entry.pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _history_user(entry: LibraryEntry, by: Person | None) -> None:
    if by is not None and by.user_id:
        entry._history_user = by.user


def milestone_template_of(measure: Measure) -> list[dict]:
    """The measure's milestones as months after its start (or after its first milestone without a start)."""
    milestones = list(measure.milestones.order_by("due_date", "pk")[:MILESTONES_MAX])
    if not milestones:
        return []
    start = measure.start or milestones[0].due_date
    template = []
    for milestone in milestones:
        delta = relativedelta(milestone.due_date, start)
        template.append({"title": milestone.title, "months": max(0, delta.years * 12 + delta.months)})
    return template


def _travel(entry: LibraryEntry, measure: Measure) -> None:
    """Copy what travels from the measure onto the entry; fields marked internal stay behind (empty)."""
    internal = set(measure.internal_fields or [])
    entry.title = measure.title
    entry.summary = measure.summary
    entry.description = measure.description
    entry.sector = measure.sector
    entry.target_groups = "" if "target_groups" in internal else measure.target_groups
    entry.participation_level = measure.participation_level
    costs = None if "cost_estimate" in internal else measure.cost_estimate
    entry.cost_low = entry.cost_high = costs
    entry.funding = "" if "funding" in internal else measure.funding_programme[:300]
    effect = "effect" not in internal
    entry.effect_expected = measure.effect_expected if effect and (measure.effect_expected or 0) >= 0 else None
    entry.effect_low = measure.effect_low if effect and (measure.effect_low or 0) >= 0 else None
    entry.effect_high = measure.effect_high if effect and (measure.effect_high or 0) >= 0 else None
    entry.effect_method = measure.effect_method if effect else ""
    entry.effect_source = measure.effect_source if effect else ""
    entry.milestone_template = milestone_template_of(measure)
    entry.source_organisation_id = measure.roadmap.organisation_id
    entry.source_code = measure.code
    entry.published = entry.offered and measure.published and measure.roadmap.published


def _bump() -> None:
    cache.bump_now_and_on_commit([CATALOGUE_SCOPE])


def entry_offer(*, measure: Measure, by: Person | None) -> LibraryEntry:
    """Offer a published measure to the library (again): its entry is made or renewed and published."""
    if not (measure.published and measure.roadmap.published):
        raise ValidationError(_("Only a published measure of a published roadmap can be offered to the library."))
    with transaction.atomic():
        entry = LibraryEntry.objects.select_for_update().filter(source_measure=measure).first()
        entry = entry or LibraryEntry(source_measure=measure)
        entry.offered = True
        entry.withdrawn_at = None
        _travel(entry, measure)
        if not entry.slug:
            entry.slug = entry_slug(entry)
        _history_user(entry, by)
        entry.save()
        _bump()
    return entry


def entry_withdraw(*, measure: Measure, by: Person | None) -> LibraryEntry | None:
    """Take the measure's entry out of the library; its adoptions stay (shown as "entry withdrawn")."""
    with transaction.atomic():
        entry = LibraryEntry.objects.select_for_update().filter(source_measure=measure, offered=True).first()
        if entry is None:
            return None
        entry.offered = False
        entry.published = False
        entry.withdrawn_at = timezone.now()
        _history_user(entry, by)
        entry.save()
        _bump()
    return entry


def entry_sync(*, measure: Measure) -> LibraryEntry | None:
    """Keep an offered entry in step with its measure (called after the measure or a milestone was saved): the
    travelling fields are copied again; the entry is listed only while the measure is public."""
    entry = LibraryEntry.objects.filter(source_measure_id=measure.pk, offered=True).first()
    if entry is None:
        return None
    measure = Measure.objects.select_related("roadmap").get(pk=measure.pk)
    _travel(entry, measure)
    entry.save()
    _bump()
    return entry


def entry_save(*, entry: LibraryEntry, by: Person | None) -> LibraryEntry:
    """Create or change a curated entry (staff, coordinators): validated, with history."""
    if entry.pk is None:
        entry.curator = by
    elif not entry.is_curated:
        raise PermissionDenied  # an offered entry follows its measure
    with transaction.atomic():
        if not entry.slug:
            entry.slug = entry_slug(entry)
        entry.full_clean(validate_constraints=False)
        _history_user(entry, by)
        entry.save()
        _bump()
    return entry


def _free_code(roadmap: Roadmap, wanted: str) -> str:
    wanted = (wanted or "BIB").strip()[:16]
    taken = set(roadmap.measures.values_list("code", flat=True))
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def entry_adopt(*, entry: LibraryEntry, roadmap: Roadmap, by: Person | None, today: date | None = None) -> Measure:
    """Copy the entry into the roadmap: a draft measure (not published, not started) through measures' own
    service, its milestones from the template (months from today), and the lineage recorded."""
    if not entry.published:
        raise ValidationError(_("This entry is no longer in the library."))
    today = today or timezone.localdate()
    with transaction.atomic():
        Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()  # one copy at a time per roadmap
        measure = Measure(
            roadmap=roadmap,
            code=_free_code(roadmap, entry.source_code),
            title=entry.title,
            summary=entry.summary,
            description=entry.description,
            target_groups=entry.target_groups,
            sector=entry.sector,
            participation_level=entry.participation_level,
            cost_estimate=entry.cost_middle,
            effect_expected=entry.effect_expected,
            effect_low=entry.effect_low,
            effect_high=entry.effect_high,
            effect_method=entry.effect_method,
            effect_source=entry.effect_source,
            status=Measure.Status.NOT_STARTED,
            origin=Measure.Origin.ADMINISTRATION,
            published=False,
            internal_note=_("Copied from the measure library: %(title)s") % {"title": entry.title},
        )
        measure_services.measure_save(measure=measure, by=by)
        for step in entry.milestone_template[:MILESTONES_MAX]:
            milestone = Milestone(
                measure=measure,
                title=str(step.get("title", ""))[:200] or _("Milestone"),
                due_date=today + relativedelta(months=int(step.get("months") or 0)),
            )
            if by is not None and by.user_id:
                milestone._history_user = by.user
            milestone.save()
        Adoption.objects.create(entry=entry, measure=measure, organisation_id=roadmap.organisation_id, created_by=by)
        _bump()
    return measure
