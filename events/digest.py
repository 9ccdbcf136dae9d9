"""Events' sections of the digest (networks.digest.sections): upcoming events with free places, the person's open
and overdue action items, new minutes. Registered in EventsConfig.ready().

Each section answers a whole batch of people with a constant number of queries (``items_batch``) and keeps
"nothing twice" without state of its own: an item is dated by the moment it became news for the digest, and the
digest takes what falls in the person's window (since, until]:
- an upcoming event: when it was created or came within ``AHEAD`` of its start, whichever is later; shown while
  its registration is open, places are free and the person is not registered yet;
- an action item: when it was assigned (created), and again on the day after its due date (overdue), if open;
- minutes: when they were published.

A closed working group's meetings, minutes and tasks go only to who may read the group (networks.access.
ClosedGroupReaders, the batch form of the group rule; at most three more queries, none without group items).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Outcome, Registration
from networks.access import ClosedGroupReaders
from networks.digest import sections

AHEAD = timedelta(days=14)
BERLIN = ZoneInfo("Europe/Berlin")


def _bounds(requests: list[sections.Request]) -> tuple[datetime, datetime, set[int]]:
    since = min(r.since for r in requests)
    until = max(r.until for r in requests)
    networks = {n.pk for r in requests for n in r.networks}
    return since, until, networks


def _when(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(BERLIN), "SHORT_DATETIME_FORMAT")


def _day(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# --- upcoming events with free places -------------------------------------------------------------------------


def _event_summary(event: Event) -> str:
    parts = [_when(event.starts_at)]
    if event.venue:
        parts.append(event.venue)
    left = event.places_left
    if left is not None:
        parts.append(_("%(count)s places free") % {"count": left} if left != 1 else _("1 place free"))
    if event.registration_deadline:
        parts.append(_("register by %(date)s") % {"date": _when(event.registration_deadline)})
    return " · ".join(parts)


def upcoming_events(requests: list[sections.Request]) -> dict[int, list[sections.Item]]:
    """Two queries for the batch: the candidate events with their counts, the batch's registrations for them."""
    since, until, network_ids = _bounds(requests)
    events = list(
        Event.objects.filter(network_id__in=network_ids, status=Event.Status.PLANNED)
        .filter(starts_at__gt=since, starts_at__lte=until + AHEAD, created_at__lte=until)
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gt=since))
        .select_related("network", "working_group")
        .with_counts()
        .order_by("starts_at", "pk")
    )
    if not events:
        return {}
    groups = ClosedGroupReaders([r.person.pk for r in requests], {e.working_group_id for e in events})
    registered = set(
        Registration.objects.filter(event__in=events, person_id__in=[r.person.pk for r in requests])
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("person_id", "event_id")
    )
    items = {event.pk: _event_item(event) for event in events}  # built once for the batch, not per person
    out: dict[int, list[sections.Item]] = defaultdict(list)
    for r in requests:
        mine = {n.pk for n in r.networks}
        for event in events:
            item = items[event.pk]
            if (
                event.network_id in mine
                and r.since < item.date <= r.until
                and event.starts_at > r.until
                and (event.registration_deadline is None or event.registration_deadline > r.until)
                and (event.places_left is None or event.places_left > 0)
                and (r.person.pk, event.pk) not in registered
                and groups.may(r.person.pk, event.working_group_id)
            ):
                out[r.person.pk].append(item)
    return out


def _event_item(event: Event) -> sections.Item:
    return sections.Item(
        network=event.network_id,
        title=event.title,
        url=event.get_absolute_url(),
        date=max(event.created_at, event.starts_at - AHEAD),
        summary=_event_summary(event),
        key=f"events.event:{event.pk}",
    )


# --- the person's open and overdue action items ---------------------------------------------------------------


def _overdue_at(due) -> datetime:
    """An item due on a day is overdue from the next midnight in Berlin."""
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=BERLIN)


def my_tasks(requests: list[sections.Request]) -> dict[int, list[sections.Item]]:
    """One query for the batch: the open action items of the batch's people (or their organisations)."""
    since, until, network_ids = _bounds(requests)
    person_ids = {r.person.pk for r in requests}
    organisation_ids = {r.person.organisation_id for r in requests if r.person.organisation_id}
    became_overdue = Q(due_date__gte=(since - timedelta(days=1)).astimezone(BERLIN).date()) & Q(
        due_date__lt=until.astimezone(BERLIN).date()
    )
    tasks = list(
        Outcome.objects.open()
        .filter(network_id__in=network_ids)
        .filter(Q(owner_person_id__in=person_ids) | Q(owner_organisation_id__in=organisation_ids))
        .filter(Q(created_at__gt=since, created_at__lte=until) | became_overdue)
        .select_related("network", "event")
        .order_by("due_date", "pk")
    )
    groups = ClosedGroupReaders(
        person_ids, {t.working_group_id for t in tasks} | {t.event.working_group_id for t in tasks if t.event_id}
    )
    items: dict[tuple, sections.Item] = {}  # built once for the batch

    def item(task: Outcome, became_overdue: bool, is_overdue: bool) -> sections.Item:
        """Dated by what brought it into the window; marked overdue when it is (also one assigned late)."""
        if (task.pk, became_overdue, is_overdue) not in items:
            items[task.pk, became_overdue, is_overdue] = sections.Item(
                network=task.network_id,
                title=task.text,
                url=task.get_absolute_url(),
                date=_overdue_at(task.due_date) if became_overdue else task.created_at,
                summary=_("due %(date)s") % {"date": _day(task.due_date)} if task.due_date else "",
                key=f"events.outcome:{task.pk}",
                extra={"badge": _("overdue") if is_overdue else _("new"), "alert": is_overdue},
            )
        return items[task.pk, became_overdue, is_overdue]

    out: dict[int, list[sections.Item]] = defaultdict(list)
    for r in requests:
        mine = {n.pk for n in r.networks}
        person = r.person
        for task in tasks:
            owned = task.owner_person_id == person.pk or (
                task.owner_organisation_id is not None and task.owner_organisation_id == person.organisation_id
            )
            if not owned or task.network_id not in mine:
                continue
            if not groups.may(person.pk, task.working_group_id) or (
                task.event_id and not groups.may(person.pk, task.event.working_group_id)
            ):
                continue  # a closed working group's task for who may not read the group (events.access)
            overdue_at = _overdue_at(task.due_date) if task.due_date else None
            became_overdue = overdue_at is not None and r.since < overdue_at <= r.until
            if became_overdue or r.since < task.created_at <= r.until:
                out[person.pk].append(item(task, became_overdue, overdue_at is not None and overdue_at <= r.until))
    return out


# --- new minutes ------------------------------------------------------------------------------------------------


def new_minutes(requests: list[sections.Request]) -> dict[int, list[sections.Item]]:
    """One query for the batch: the events whose minutes were published in the widest window."""
    since, until, network_ids = _bounds(requests)
    events = list(
        Event.objects.filter(
            network_id__in=network_ids, minutes_published_at__gt=since, minutes_published_at__lte=until
        )
        .select_related("network")
        .order_by("-minutes_published_at", "pk")
    )
    groups = ClosedGroupReaders([r.person.pk for r in requests], {e.working_group_id for e in events})
    items = {
        event.pk: sections.Item(
            network=event.network_id,
            title=event.title,
            url=event.get_absolute_url() + "#minutes",
            date=event.minutes_published_at,
            summary=_("Meeting of %(date)s") % {"date": _when(event.starts_at)},
            key=f"events.minutes:{event.pk}",
        )
        for event in events
    }
    out: dict[int, list[sections.Item]] = defaultdict(list)
    for r in requests:
        mine = {n.pk for n in r.networks}
        for event in events:
            if (
                event.network_id in mine
                and r.since < event.minutes_published_at <= r.until
                and groups.may(r.person.pk, event.working_group_id)
            ):
                out[r.person.pk].append(items[event.pk])
    return out


def register() -> None:
    sections.register(key="events-tasks", title=gettext_lazy("Your action items"), order=15, items_batch=my_tasks)
    sections.register(
        key="events-upcoming",
        title=gettext_lazy("Upcoming events with free places"),
        order=30,
        items_batch=upcoming_events,
    )
    sections.register(key="events-minutes", title=gettext_lazy("New minutes"), order=40, items_batch=new_minutes)
