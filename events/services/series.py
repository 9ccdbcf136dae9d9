"""Recurring series: occurrences materialised six months ahead, changes and ends from a date on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import webhooks
from events.models import (
    AgendaItem,
    Event,
    EventSeries,
)
from events.services.events import SERIES_TEMPLATE_FIELDS, agenda_set, event_cancel, event_update
from networks import cache
from networks.models import Person

SERIES_HORIZON = timedelta(days=183)  # six months of occurrences exist ahead of today


# --- Series --------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def series_occurrences(series: EventSeries, *, until: date) -> list[datetime]:
    """The series' start times (aware, Europe/Berlin wall clock) up to ``until`` inclusive."""
    last = datetime.combine(until, series.start_time)
    if series.until:
        last = min(last, datetime.combine(series.until, series.start_time))
    if series.ended_on:
        last = min(last, datetime.combine(series.ended_on - timedelta(days=1), series.start_time))
    return [_aware(start) for start in series.rrule().between(datetime.min, last, inc=True)]


def series_materialise(series: EventSeries, *, today: date | None = None) -> int:
    """Create the occurrences up to six months ahead that do not exist yet. Safe to run twice."""
    today = today or timezone.localdate()
    horizon = today + SERIES_HORIZON
    duration = series.duration
    topics = list(series.topics.all())
    # One occurrence per day: keyed by the local date, so a series whose time changed does not double its dates.
    existing = {timezone.localdate(start) for start in series.occurrences.values_list("original_start", flat=True)}
    new = []
    for start in series_occurrences(series, until=horizon):
        if start.date() in existing or start.date() < today:
            continue
        deadline = (
            start - timedelta(hours=series.registration_closes_hours) if series.registration_closes_hours else None
        )
        new.append(
            Event(
                network_id=series.network_id,
                series=series,
                original_start=start,
                starts_at=start,
                ends_at=start + duration,
                registration_deadline=deadline,
                created_by_id=series.created_by_id,
                **{name: getattr(series, name) for name in SERIES_TEMPLATE_FIELDS},
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create(new, ignore_conflicts=True)
        created_ids = list(
            Event.objects.filter(series=series, original_start__in=[e.original_start for e in new]).values_list(
                "pk", flat=True
            )
        )
        if created_ids:  # bulk_create writes no history: the new occurrences get their first record here
            recorded = Event.history.filter(id__in=created_ids).values("id")
            fresh = list(Event.objects.filter(pk__in=created_ids).exclude(pk__in=recorded))
            Event.history.bulk_history_create(fresh)
            webhooks.events_created(fresh, network_id=series.network_id)  # the outbox rows, in this transaction
        agenda = series.agenda_items()
        if agenda and created_ids:  # each new date gets the series' agenda (a date that has one keeps it)
            with_agenda = set(AgendaItem.objects.filter(event_id__in=created_ids).values_list("event_id", flat=True))
            AgendaItem.objects.bulk_create(
                AgendaItem(event_id=pk, position=i, time=item["time"], title=item["title"], note=item["note"])
                for pk in created_ids
                if pk not in with_agenda
                for i, item in enumerate(agenda)
            )
        if topics and created_ids:
            through = Event.topics.through
            through.objects.bulk_create(
                [through(event_id=pk, topic_id=t.pk) for pk in created_ids for t in topics], ignore_conflicts=True
            )
        EventSeries.objects.filter(pk=series.pk).update(materialised_until=horizon)
        if created_ids:  # bulk_create sends no signals: the cached calendars learn of the new dates here
            transaction.on_commit(lambda: cache.bump("global"))
    return len(new)


def series_create(*, series: EventSeries, topics=(), by: Person | None) -> EventSeries:
    with transaction.atomic():
        series.created_by = by
        series.full_clean()
        series.save()
        series.topics.set(topics)
        series_materialise(series)
    return series


def series_materialise_all(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    created = 0
    for series in EventSeries.objects.filter(ended_on__isnull=True).prefetch_related("topics"):
        if series.until and series.until < today:
            continue
        created += series_materialise(series, today=today)
    return created


RULE_FIELDS = ("frequency", "interval", "weekday", "ordinal", "until", "count")


def series_update_from(
    *, series: EventSeries, from_date: date, changed: list[str], topics=None, by: Person | None
) -> EventSeries:
    """Apply the edited series to its occurrences from ``from_date`` on.

    Details and times change in place (registrations stay, participants are told).
    A new rhythm splits the series: the old one ends before ``from_date``, its later
    occurrences are cancelled (participants told) and a new series starts.
    """
    with transaction.atomic():
        series.full_clean()
        if any(name in changed for name in RULE_FIELDS + ("first_date",)):
            old = EventSeries.objects.select_for_update().get(pk=series.pk)
            _series_cancel_occurrences(old, from_date, reason=_("The series has a new rhythm."), by=by)
            old.ended_on = from_date
            old.save(update_fields=["ended_on"])
            series.pk = None
            series.id = None
            series._state.adding = True
            series.first_date = max(series.first_date, from_date)
            series.ended_on = None
            series.materialised_until = None
            series.created_by = by
            series.save()
            series.topics.set(topics if topics is not None else old.topics.all())
            series_materialise(series)
            return series
        series.save()
        if topics is not None:
            series.topics.set(topics)
        start = _aware(datetime.combine(from_date, datetime.min.time()))
        for event in series.occurrences.filter(original_start__gte=start, detached=False).exclude(
            status=Event.Status.CANCELLED
        ):
            event_changed = []
            for name in SERIES_TEMPLATE_FIELDS:
                if getattr(event, name) != getattr(series, name):
                    setattr(event, name, getattr(series, name))
                    event_changed.append(name)
            day = timezone.localtime(event.original_start).date()
            new_start = _aware(datetime.combine(day, series.start_time))
            if new_start != event.starts_at:
                event.starts_at, event.ends_at = new_start, new_start + series.duration
                event_changed += ["starts_at", "ends_at"]
            if event_changed:
                event_update(event=event, changed=event_changed, topics=topics, by=by, detach=False)
            if "agenda" in changed:
                agenda_set(event=event, items=series.agenda_items())
        series_materialise(series)
    return series


def _series_cancel_occurrences(series: EventSeries, from_date: date, *, reason: str, by: Person | None) -> int:
    start = _aware(datetime.combine(from_date, datetime.min.time()))
    cancelled = 0
    for event in series.occurrences.filter(starts_at__gte=start).exclude(status=Event.Status.CANCELLED):
        if not event.registrations.exists():
            event.delete()
            continue
        event_cancel(event=event, reason=reason, by=by)
        cancelled += 1
    return cancelled


def series_cancel_from(*, series: EventSeries, from_date: date, reason: str = "", by: Person | None) -> int:
    """End the series before ``from_date``: later dates without registrations disappear, the others are cancelled."""
    with transaction.atomic():
        series = EventSeries.objects.select_for_update().get(pk=series.pk)
        count = _series_cancel_occurrences(series, from_date, reason=reason, by=by)
        series.ended_on = from_date
        series.save(update_fields=["ended_on"])
    return count
