"""Building digests: per person and period, in their language, grouped by network, newest first, nothing twice,
never an empty mail, exactly once.

- Who is due (``due_person_ids``): the person's hour (Europe/Berlin) has come today (daily) or their weekday and
  hour have come this ISO week (weekly), and there is no ``DigestRun`` for this period yet. The hour is compared
  with the local hour, so a DST day changes nothing: on the spring day without 2:00 a person with hour 2 is due at
  3:00, on the autumn day with two 2:00 the period key (the date) is the same for both.
- The batch (``digest_build_batch``): a constant number of queries per batch (people, runs, roles, networks,
  preferences, then each section once per language), never per person. Each person's window is
  (their last run's ``until``, now − ``LAG``]; ``LAG`` lets transactions that were open at the build commit
  first, so their items fall into the next window instead of into none.
- Exactly once: the batch inserts its ``DigestRun`` rows ignoring conflicts with a claim of its own and keeps only
  the rows that carry it; the outbox rows of those people are written in the same transaction, with the key
  (recipient, "digest_daily"/"digest_weekly", the person, the period key). A batch run twice, or beside itself,
  or after a worker died before the commit, sends each digest once; after the commit the outbox delivers.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, Max, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from networks import mail
from networks.digest import sections as registry
from networks.digest.models import (
    DEFAULT_HOUR,
    DEFAULT_POSTS,
    DEFAULT_WEEKDAY,
    DeliveryPreference,
    DigestRun,
    PostsMode,
)
from networks.digest.preferences import one_click_headers, preferences_of
from networks.models import Network, NetworkRole, OutboxMessage, Person
from networks.outbox import outbox_render, queue_on_commit

BERLIN = ZoneInfo("Europe/Berlin")
LAG = timedelta(minutes=2)
FIRST_WINDOW = {DigestRun.Period.DAILY: timedelta(days=1), DigestRun.Period.WEEKLY: timedelta(days=7)}
REASON = {DigestRun.Period.DAILY: "digest_daily", DigestRun.Period.WEEKLY: "digest_weekly"}
BATCH_SIZE = 500
WRITE_SIZE = 100


def local_now(now: datetime | None = None) -> datetime:
    return (now or timezone.now()).astimezone(BERLIN)


def period_key(period: str, local: datetime) -> str:
    """ "2026-12-07" for a daily digest, "2026-W50" (ISO week) for a weekly one, from a Berlin time."""
    if period == DigestRun.Period.DAILY:
        return local.date().isoformat()
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def due_person_ids(period: str, *, now: datetime | None = None) -> tuple[str, list[int]]:
    """The period key and the ids of the people whose digest of ``period`` is due and not built yet (one query)."""
    local = local_now(now)
    key = period_key(period, local)
    people = Person.objects.filter(anonymised_at__isnull=True, user__is_active=True).annotate(
        d_hour=Coalesce("digest_settings__hour", Value(DEFAULT_HOUR)),
        d_weekday=Coalesce("digest_settings__weekday", Value(DEFAULT_WEEKDAY)),
        has_role=Exists(NetworkRole.objects.filter(person=OuterRef("pk"))),
        has_run=Exists(DigestRun.objects.filter(person=OuterRef("pk"), period=period, period_key=key)),
    )
    people = people.filter(has_role=True, has_run=False)
    if period == DigestRun.Period.DAILY:
        people = people.filter(d_hour__lte=local.hour)
    else:
        weekly = DeliveryPreference.objects.filter(person=OuterRef("pk"), posts=PostsMode.WEEKLY)
        people = people.filter(Exists(weekly)).filter(
            Q(d_weekday__lt=local.weekday()) | Q(d_weekday=local.weekday(), d_hour__lte=local.hour)
        )
    return key, list(people.order_by("pk").values_list("pk", flat=True))


# --- which networks feed which stream of which digest ---------------------------------------------------------


def _digest_of(mode: str) -> str | None:
    """The digest a network's news go to for a posts mode (None: no news of that network)."""
    return {
        PostsMode.EACH: DigestRun.Period.DAILY,
        PostsMode.DAILY: DigestRun.Period.DAILY,
        PostsMode.WEEKLY: DigestRun.Period.WEEKLY,
    }.get(mode)


def streams_for(period: str, choices: dict[int, tuple[str, bool]]) -> dict[str, list[int]]:
    """For one person: the network ids of each stream in the digest of ``period``, from their choices
    {network_id: (posts mode, announcements by email)}. Announcements never get lost: those moved out of email go
    to the daily digest unless the network's digest is the weekly one."""
    streams: dict[str, list[int]] = {s: [] for s in registry.STREAMS}
    for network_id, (mode, by_email) in sorted(choices.items()):
        if mode == period:
            streams[registry.POSTS].append(network_id)
        if _digest_of(mode) == period:
            streams[registry.NEWS].append(network_id)
        announcements_go_to = DigestRun.Period.WEEKLY if mode == PostsMode.WEEKLY else DigestRun.Period.DAILY
        if not by_email and announcements_go_to == period:
            streams[registry.ANNOUNCEMENTS].append(network_id)
    return streams


# --- the batch -------------------------------------------------------------------------------------------------


@dataclass
class Plan:
    person: Person
    since: datetime
    until: datetime
    streams: dict[str, tuple]  # stream -> Network objects
    items: dict[str, list] = field(default_factory=dict)  # section key -> items

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.items.values())


@dataclass
class BatchResult:
    sent: int = 0  # digests this call enqueued
    empty: int = 0  # nothing new: recorded, no mail
    skipped: int = 0  # already built (another run) or not mailable


def _plans(people: list[Person], period: str, until: datetime, first_since: datetime | None = None) -> list[Plan]:
    ids = [p.pk for p in people]
    last = dict(
        DigestRun.objects.filter(person_id__in=ids, period=period)
        .values("person_id")
        .annotate(last=Max("until"))
        .values_list("person_id", "last")
    )
    memberships: dict[int, list[int]] = defaultdict(list)
    for person_id, network_id in NetworkRole.objects.filter(person_id__in=ids).values_list("person_id", "network_id"):
        memberships[person_id].append(network_id)
    networks = Network.objects.in_bulk({n for found in memberships.values() for n in found})
    stored = preferences_of(ids)
    plans = []
    for person in people:
        mine = stored.get(person.pk, {})
        choices = {n: mine.get(n, (str(DEFAULT_POSTS), True)) for n in memberships.get(person.pk, ())}
        streams = {s: tuple(networks[n] for n in found) for s, found in streams_for(period, choices).items()}
        since = last.get(person.pk) or first_since or until - FIRST_WINDOW[period]
        plans.append(Plan(person=person, since=min(since, until), until=until, streams=streams))
    return plans


def _collect(plans: list[Plan]) -> None:
    """Ask every section once per language for all the plans of the batch; keep each item once, in its window."""
    by_language: dict[str, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_language[plan.person.language or settings.LANGUAGE_CODE].append(plan)
    by_person = {plan.person.pk: plan for plan in plans}
    for language, group in by_language.items():
        with translation.override(language):
            for section in registry.all_sections():
                requests = [
                    registry.Request(p.person, p.streams[section.stream], p.since, p.until)
                    for p in group
                    if p.streams[section.stream]
                ]
                for person_id, found in section.collect(requests).items():
                    plan = by_person[person_id]
                    allowed = {n.pk for n in plan.streams[section.stream]}
                    plan.items[section.key] = [
                        i for i in found if plan.since < i.date <= plan.until and i.network_id in allowed
                    ]
    for plan in plans:
        seen: set[str] = set()
        for key, found in plan.items.items():
            kept = []
            for item in found:
                if item.key and item.key in seen:
                    continue
                seen.add(item.key)
                kept.append(item)
            plan.items[key] = kept


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def digest_context(plan: Plan, period: str) -> dict:
    """The template's view of a digest: networks in the order of their newest item, each with its sections in
    their order and the items newest first."""
    networks = {n.pk: n for found in plan.streams.values() for n in found}
    grouped: dict[int, list[dict]] = defaultdict(list)
    for section in registry.all_sections():
        per_network: dict[int, list] = defaultdict(list)
        for item in plan.items.get(section.key, ()):
            per_network[item.network_id].append(item)
        for network_id, found in per_network.items():
            found.sort(key=lambda i: i.date, reverse=True)
            entries = [{"item": i, "url": _absolute(i.url)} for i in found]
            grouped[network_id].append({"key": section.key, "title": section.title, "entries": entries})
    newest = {n: max(e["item"].date for s in secs for e in s["entries"]) for n, secs in grouped.items()}
    order = sorted(grouped, key=lambda n: newest[n], reverse=True)
    return {
        "person": plan.person,
        "period": period,
        "groups": [{"network": networks[n], "sections": grouped[n]} for n in order],
        "count": plan.count,
        "network_names": ", ".join(networks[n].short_name for n in order),
        "since": plan.since.astimezone(BERLIN),
        "until": plan.until.astimezone(BERLIN),
    }


def _render_sections(context: dict, language: str, fragments: dict) -> None:
    """Render each (network, section) part once per batch and language: the people of a batch share most of
    them (the same network's threads, events and minutes), so a digest is mostly assembled, not rendered."""
    with translation.override(language):
        for group in context["groups"]:
            for section in group["sections"]:
                items = tuple((e["item"], e["item"].extra.get("badge", "")) for e in section["entries"])
                key = (language, section["key"], group["network"].pk, items)
                if key not in fragments:
                    fragments[key] = (
                        render_to_string("emails/digest_section.html", section),
                        render_to_string("emails/digest_section.txt", section),
                    )
                section["html"], section["text"] = fragments[key]


def _message(plan: Plan, period: str, key: str, fragments: dict) -> OutboxMessage:
    language = plan.person.language or settings.LANGUAGE_CODE
    reason = REASON[period]
    context = digest_context(plan, period)
    _render_sections(context, language, fragments)
    headers = one_click_headers(plan.person, None, "digest-off", language)
    context["settings_url"] = mail.absolute_url("digest:settings", language)
    context["digest_off_url"] = headers["List-Unsubscribe"].strip("<>")
    subject, text, html = outbox_render(template=reason, context=context, language=language, kind=reason)
    if len(context["groups"]) == 1:
        headers["List-Id"] = mail.list_id(context["groups"][0]["network"])
    return OutboxMessage(
        recipient=plan.person.user.email.strip().lower(),
        reason=reason,
        object_type=Person._meta.label_lower,
        object_id=str(plan.person.pk),
        occasion=key,
        subject=subject[:250],
        body_text=text,
        body_html=html,
        language=language,
        headers=headers,
    )


def _write(plans: list[Plan], period: str, key: str, *, deliver: bool) -> set[int]:
    """Record every plan's run and enqueue the digests of those with items, in one transaction; returns the ids
    of the people this call claimed (the others were built by someone else meanwhile)."""
    claim = uuid.uuid4().hex
    fragments: dict = {}
    messages = {p.person.pk: _message(p, period, key, fragments) for p in plans if p.count}
    with transaction.atomic():
        DigestRun.objects.bulk_create(
            [
                DigestRun(
                    person=p.person,
                    period=period,
                    period_key=key,
                    since=p.since,
                    until=p.until,
                    items=p.count,
                    sections={k: len(v) for k, v in p.items.items() if v},
                    claim=claim,
                )
                for p in plans
            ],
            ignore_conflicts=True,
        )
        runs = dict(
            DigestRun.objects.filter(
                person_id__in=[p.person.pk for p in plans], period=period, period_key=key, claim=claim
            ).values_list("person_id", "pk")
        )
        mine = [m for person_id, m in messages.items() if person_id in runs]
        if mine:
            # in parts: one INSERT of 500 whole emails would hold them several times over in the worker's memory
            OutboxMessage.objects.bulk_create(mine, ignore_conflicts=True, batch_size=WRITE_SIZE)
            outbox_ids = dict(
                OutboxMessage.objects.filter(
                    reason=REASON[period],
                    object_type=Person._meta.label_lower,
                    object_id__in=[m.object_id for m in mine],
                    occasion=key,
                ).values_list("object_id", "pk")
            )
            DigestRun.objects.filter(pk__in=[runs[int(o)] for o in outbox_ids]).update(
                outbox_id=Case(*(When(pk=runs[int(o)], then=Value(pk)) for o, pk in outbox_ids.items()))
            )
            if deliver:
                from networks.tasks import outbox_deliver_task

                for message_id in sorted(outbox_ids.values()):
                    queue_on_commit(outbox_deliver_task, message_id)
    return set(runs)


def digest_build_batch(
    *,
    person_ids: list[int],
    period: str,
    key: str,
    now: datetime | None = None,
    deliver: bool = True,
    first_since: datetime | None = None,
) -> BatchResult:
    """Build and enqueue the digests of ``period``/``key`` for ``person_ids`` (safe to call twice).

    ``first_since``: where the window of a person's first digest of this kind starts (default: one period back;
    the demo looks two weeks back so that its first digests show the lived-in channel)."""
    result = BatchResult()
    people = [p for p in Person.objects.filter(pk__in=person_ids).select_related("user") if p.can_be_mailed]
    built = set(
        DigestRun.objects.filter(person_id__in=[p.pk for p in people], period=period, period_key=key).values_list(
            "person_id", flat=True
        )
    )
    todo = [p for p in people if p.pk not in built]
    result.skipped = len(set(person_ids)) - len(todo)
    if not todo:
        return result
    plans = _plans(todo, period, (now or timezone.now()) - LAG, first_since)
    _collect(plans)
    claimed = _write(plans, period, key, deliver=deliver)
    result.skipped += len(todo) - len(claimed)
    result.sent = sum(1 for p in plans if p.person.pk in claimed and p.count)
    result.empty = sum(1 for p in plans if p.person.pk in claimed and not p.count)
    return result


def digest_for(person: Person, period: str = DigestRun.Period.DAILY, *, now: datetime | None = None) -> BatchResult:
    """One person's digest of the current period (the demo and the "send me the digest now" path)."""
    key = period_key(period, local_now(now))
    return digest_build_batch(person_ids=[person.pk], period=period, key=key, now=now)


def preview(person: Person, period: str = DigestRun.Period.DAILY, *, now: datetime | None = None) -> dict:
    """What the person's next digest would show now (nothing written): the settings page's preview."""
    until = (now or timezone.now()) - LAG
    plans = _plans([person], period, until)
    _collect(plans)
    return {**digest_context(plans[0], period), "streams": plans[0].streams}


def chunks(ids: list[int], size: int = BATCH_SIZE) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
