"""Data-entry reminders through the outbox, once per (recipient, item, period).

Two kinds, scanned daily by beat (monitoring.tasks.reminders_send):
- indicator values due: indicators whose next due date is within 14 days or passed. To the responsible
  person; without one who can be reached, to the organisation's editors; without those, to the
  coordinators of the networks the organisation is a current member of. The period is the due date,
  so a new due date brings a new reminder.
- measures without a progress report for STALE_MONTHS months (measures.selectors.stale_measures, the one
  rule): to the measure's responsible person, else the roadmap organisation's editors. The period is the
  month, so at most one reminder a month.

A Reminder row (unique: monitoring_reminder_once) is written for every item and the mail is enqueued in the
same transaction; a recipient gets one mail per run listing all their new items, keyed in the outbox by the
first new Reminder row, so neither a second run nor a second worker sends anything twice. Anonymised people
and inactive accounts are never reminded; nor is anyone who switched the kind off (networks.mail: kinds
``monitoring_indicator_due`` and ``monitoring_measure_stale``), and nobody is reminded in their place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from measures.models import Measure
from measures.selectors import STALE_MONTHS, stale_cutoff, stale_measures
from monitoring.models import Indicator, Reminder
from networks.mail import mail_wanted_by
from networks.models import Membership, NetworkRole, OrganisationRole, Person
from networks.outbox import outbox_enqueue_template

DUE_WITHIN_DAYS = 14
LIST_LIMIT = 20  # items listed per organisation or roadmap in one mail; the rest are counted

Kind = Reminder.Kind


@dataclass
class Item:
    key: str  # "indicator:<pk>" or "measure:<pk>"
    period: str  # the due date (ISO) or the month ("2026-11")
    obj: Indicator | Measure
    recipients: list[Person] = field(default_factory=list)


def reachable(person: Person | None) -> bool:
    return person is not None and person.can_be_mailed


def _editors(organisation_ids: set[int]) -> dict[int, list[Person]]:
    """The reachable editors per organisation (1 query)."""
    editors: dict[int, list[Person]] = defaultdict(list)
    roles = (
        OrganisationRole.objects.filter(organisation_id__in=organisation_ids)
        .select_related("person__user")
        .order_by("person_id")
    )
    for role in roles:
        if reachable(role.person):
            editors[role.organisation_id].append(role.person)
    return editors


def _coordinators(organisation_ids: set[int], today: date) -> dict[int, list[Person]]:
    """The reachable coordinators of the networks each organisation is a current member of (2 queries)."""
    networks_of: dict[int, set[int]] = defaultdict(set)
    for organisation_id, network_id in (
        Membership.objects.current(today)
        .filter(organisation_id__in=organisation_ids)
        .values_list("organisation_id", "network_id")
    ):
        networks_of[organisation_id].add(network_id)
    network_ids = {n for ids in networks_of.values() for n in ids}
    by_network: dict[int, list[Person]] = defaultdict(list)
    roles = (
        NetworkRole.objects.filter(network_id__in=network_ids, role=NetworkRole.Role.COORDINATOR)
        .select_related("person__user")
        .order_by("person_id")
    )
    for role in roles:
        if reachable(role.person):
            by_network[role.network_id].append(role.person)
    coordinators: dict[int, list[Person]] = {}
    for organisation_id, ids in networks_of.items():
        people = {p.pk: p for n in sorted(ids) for p in by_network[n]}
        coordinators[organisation_id] = list(people.values())
    return coordinators


def indicator_items(today: date) -> list[Item]:
    """Indicators due within DUE_WITHIN_DAYS days or overdue, each with whom to remind (4 queries)."""
    indicators = list(
        Indicator.objects.filter(next_due__isnull=False, next_due__lte=today + timedelta(days=DUE_WITHIN_DAYS))
        .select_related("organisation", "responsible__user")
        .order_by("organisation__name", "next_due", "name", "pk")
    )
    organisation_ids = {i.organisation_id for i in indicators}
    editors = _editors(organisation_ids)
    coordinators = _coordinators(organisation_ids, today)
    items = []
    for indicator in indicators:
        if reachable(indicator.responsible):
            recipients = [indicator.responsible]
        else:
            recipients = editors.get(indicator.organisation_id) or coordinators.get(indicator.organisation_id, [])
        items.append(Item(f"indicator:{indicator.pk}", indicator.next_due.isoformat(), indicator, recipients))
    return items


def measure_items(today: date) -> list[Item]:
    """Active measures without a progress report for STALE_MONTHS months, with whom to remind (2 queries)."""
    measures = list(
        stale_measures(Measure.objects.annotate(last_update=Max("updates__date")), stale_cutoff(today))
        .select_related("roadmap__organisation", "responsible_person__user")
        .order_by("roadmap__title", "roadmap_id", "code", "pk")
    )
    editors = _editors({m.roadmap.organisation_id for m in measures})
    period = today.strftime("%Y-%m")
    items = []
    for measure in measures:
        if reachable(measure.responsible_person):
            recipients = [measure.responsible_person]
        else:
            recipients = editors.get(measure.roadmap.organisation_id, [])
        items.append(Item(f"measure:{measure.pk}", period, measure, recipients))
    return items


def _groups(kind: str, items: list[Item]) -> list[dict]:
    """The items of one mail by organisation (indicators) or roadmap (measures), at most LIST_LIMIT listed each."""
    groups: dict[int, dict] = {}
    for item in items:
        owner = item.obj.organisation if kind == Kind.INDICATOR_DUE else item.obj.roadmap
        group = groups.setdefault(owner.pk, {"owner": owner, "items": [], "more": 0})
        if len(group["items"]) < LIST_LIMIT:
            group["items"].append(item.obj)
        else:
            group["more"] += 1
    return list(groups.values())


def _send(kind: str, items: list[Item], *, template: str, today: date) -> int:
    """Write each (recipient, item, period) once and enqueue one mail per recipient with their new items."""
    existing = set(
        Reminder.objects.filter(
            kind=kind, item__in={i.key for i in items}, period__in={i.period for i in items}
        ).values_list("recipient_id", "item", "period")
    )
    recipients = {person.pk: person for item in items for person in item.recipients}
    wanted = mail_wanted_by(recipients.values(), f"monitoring_{kind}")  # one query for the run
    people: dict[int, Person] = {}
    todo: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        for person in item.recipients:
            if person.pk in wanted and (person.pk, item.key, item.period) not in existing:
                people[person.pk] = person
                todo[person.pk].append(item)
    sent = 0
    for person_id in sorted(todo):  # one order for every worker: concurrent runs wait for each other, never deadlock
        person = people[person_id]
        with transaction.atomic():
            created = []
            for item in sorted(todo[person_id], key=lambda i: (i.key, i.period)):
                reminder, is_new = Reminder.objects.get_or_create(
                    recipient=person, kind=kind, item=item.key, period=item.period
                )
                if is_new:
                    created.append((reminder, item))
            if not created:
                continue  # another run was faster
            new_items = [item for _reminder, item in created]
            order = {id(item): n for n, item in enumerate(todo[person_id])}
            new_items.sort(key=lambda i: order[id(i)])
            outbox_enqueue_template(
                recipient=person.user.email,
                reason=f"monitoring_{kind}",
                template=template,
                context={
                    "person": person,
                    "groups": _groups(kind, new_items),
                    "count": len(new_items),
                    "today": today,
                    "months": STALE_MONTHS,
                },
                language=person.language,
                obj=created[0][0],
                occasion=created[0][0].period,
            )
            sent += len(created)
    return sent


def reminders_send(*, today: date | None = None) -> int:
    """Scan indicators due and stale measures; returns how many reminders (recipient × item) were new."""
    today = today or timezone.localdate()
    sent = _send(Kind.INDICATOR_DUE, indicator_items(today), template="monitoring_indicator_due", today=today)
    sent += _send(Kind.MEASURE_STALE, measure_items(today), template="monitoring_measure_stale", today=today)
    return sent
