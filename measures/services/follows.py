"""Follows of roadmaps, measures and proposals and their notifications.

Events (FollowEvent) are recorded once when something happens: a measure's status changes, a public progress report
is added (signals, connected in MeasuresConfig.ready()), an official answer is given or a proposal's state changes
(the services). Two thin tasks mail them: ``follows_notify`` (every few minutes: one email per event and follower who
chose "immediately") and ``follows_weekly`` (Monday morning: one email per person with last week's events of the
follows they chose "weekly" for). The outbox's unique key (recipient, reason, object, occasion) makes each email
exactly-once however often a task runs. A roadmap's followers hear of its measures and proposals too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures.models import Follow, FollowEvent, FollowKind, Frequency, Measure, MeasureUpdate, Proposal, Roadmap
from networks import mail
from networks.mail import mail_wanted_by
from networks.models import Person
from networks.outbox import outbox_enqueue_template

TOKEN_SALT = "measures.follow.unsubscribe"  # noqa: S105 (a signing salt, no secret)
IMMEDIATE_LOOKBACK = timedelta(days=2)  # events older than this are not mailed immediately any more


def kind_of(obj) -> str:
    if isinstance(obj, Roadmap):
        return FollowKind.ROADMAP
    if isinstance(obj, Measure):
        return FollowKind.MEASURE
    if isinstance(obj, Proposal):
        return FollowKind.PROPOSAL
    raise TypeError(f"cannot follow {type(obj).__name__}")


def following(person: Person | None, obj) -> Follow | None:
    if person is None:
        return None
    return Follow.objects.filter(person=person, kind=kind_of(obj), object_id=obj.pk).first()


def follow(*, person: Person, obj, frequency: str | None = None) -> Follow:
    """Follow ``obj`` (once per person; a second call changes only the frequency). Without a frequency, the one the
    person chose last (per person), else immediately."""
    if frequency is not None and frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Unknown frequency.")})
    kind = kind_of(obj)
    existing = Follow.objects.filter(person=person, kind=kind, object_id=obj.pk).first()
    if existing is not None:
        if frequency and existing.frequency != frequency:
            existing.frequency = frequency
            existing.save(update_fields=["frequency"])
        return existing
    if frequency is None:
        last = Follow.objects.filter(person=person).order_by("-created_at", "-pk").values_list("frequency", flat=True)
        frequency = last.first() or Frequency.IMMEDIATELY
    try:
        with transaction.atomic():
            return Follow.objects.create(person=person, kind=kind, object_id=obj.pk, frequency=frequency)
    except IntegrityError:  # a double click: the other request made it
        return Follow.objects.get(person=person, kind=kind, object_id=obj.pk)


def unfollow(*, person: Person, obj) -> bool:
    return Follow.objects.filter(person=person, kind=kind_of(obj), object_id=obj.pk).delete()[0] > 0


def unsubscribe_token(follow_: Follow) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign_object({"f": follow_.pk, "p": follow_.person_id})


def unsubscribe_read(token: str) -> Follow | None:
    try:
        data = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int) or not isinstance(data.get("p"), int):
        return None
    return Follow.objects.filter(pk=data["f"], person_id=data["p"]).select_related("person").first()


def target_of(follow_: Follow):
    model = {FollowKind.ROADMAP: Roadmap, FollowKind.MEASURE: Measure, FollowKind.PROPOSAL: Proposal}[follow_.kind]
    return model.objects.filter(pk=follow_.object_id).first()


# --- recording events -----------------------------------------------------------------------------


def _remember_status(sender, instance, **kwargs) -> None:
    instance._follow_status = instance.__dict__.get("status")


def _measure_saved(sender, instance, created, raw=False, **kwargs) -> None:
    old = getattr(instance, "_follow_status", None)
    if raw or created or old is None or old == instance.status:
        instance._follow_status = instance.status
        return
    instance._follow_status = instance.status
    if not instance.published:
        return
    with translation.override("de"):
        summary = f"{Measure.Status(old).label} → {Measure.Status(instance.status).label}"
    FollowEvent.objects.create(
        kind=FollowEvent.Kind.STATUS, roadmap_id=instance.roadmap_id, measure=instance, summary=str(summary)[:300]
    )


def _update_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created or not instance.public:
        return
    FollowEvent.objects.create(
        kind=FollowEvent.Kind.PROGRESS,
        roadmap_id=instance.measure.roadmap_id,
        measure_id=instance.measure_id,
        summary=instance.text[:300],
    )


def connect() -> None:
    from django.db.models.signals import post_init, post_save

    post_init.connect(_remember_status, sender=Measure, dispatch_uid="follows-measure-status")
    post_save.connect(_measure_saved, sender=Measure, dispatch_uid="follows-measure-saved")
    post_save.connect(_update_saved, sender=MeasureUpdate, dispatch_uid="follows-update-saved")


# --- mailing ----------------------------------------------------------------------------------------


def _targets(event: FollowEvent) -> Q:
    """The follows an event concerns: its measure or proposal, and its roadmap."""
    q = Q(kind=FollowKind.ROADMAP, object_id=event.roadmap_id)
    if event.measure_id:
        q |= Q(kind=FollowKind.MEASURE, object_id=event.measure_id)
    if event.proposal_id:
        q |= Q(kind=FollowKind.PROPOSAL, object_id=event.proposal_id)
    return q


def _visible(event: FollowEvent) -> bool:
    """Only what the public sees is mailed to followers."""
    if not event.roadmap.published:
        return False
    if event.measure_id and not event.measure.published:
        return False
    return not (event.proposal_id and not event.proposal.is_published)


def follows_notify(*, now: datetime | None = None) -> int:
    """Immediate emails: every event not yet sent, to each follower who chose "immediately" and followed before it
    happened; one email per (person, event). Returns the number of emails enqueued (new or found)."""
    now = now or timezone.now()
    events = list(
        FollowEvent.objects.filter(sent_at__isnull=True, created_at__gte=now - IMMEDIATE_LOOKBACK, created_at__lte=now)
        .select_related("roadmap", "measure", "proposal")
        .order_by("created_at", "pk")
    )
    sent = 0
    for event in events:
        with transaction.atomic():
            if _visible(event):
                follows = (
                    Follow.objects.filter(
                        _targets(event), frequency=Frequency.IMMEDIATELY, created_at__lte=event.created_at
                    )
                    .select_related("person__user")
                    .order_by("pk")
                )
                by_person: dict[int, Follow] = {}
                for follow_ in follows:
                    # the most specific follow wins (its unsubscribe link): measure/proposal before roadmap
                    if follow_.person_id not in by_person or follow_.kind != FollowKind.ROADMAP:
                        by_person[follow_.person_id] = follow_
                people = [f.person for f in by_person.values()]
                wanted = mail_wanted_by(people, "follow_update")
                for follow_ in by_person.values():
                    if follow_.person_id in wanted:
                        _send_one(follow_, event)
                        sent += 1
            FollowEvent.objects.filter(pk=event.pk).update(sent_at=now)
    return sent


def _link(obj, language: str) -> str:
    from django.conf import settings

    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def _unsubscribe_url(follow_: Follow, language: str) -> str:
    return mail.absolute_url("measures:follow-unsubscribe", language, token=unsubscribe_token(follow_))


def _headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send_one(follow_: Follow, event: FollowEvent) -> None:
    person = follow_.person
    language = person.language
    url = _unsubscribe_url(follow_, language)
    outbox_enqueue_template(
        recipient=person.user.email,
        reason="follow_update",
        template="follow_update",
        context={
            "person": person,
            "event": event,
            "subject": event.subject,
            "link": _link(event.subject, language),
            "unfollow_url": url,
        },
        language=language,
        obj=event,
        headers=_headers(url),
    )


def week_key(now: datetime) -> tuple[str, datetime, datetime]:
    """The ISO week before ``now``'s week and its bounds [since, until)."""
    local = timezone.localtime(now)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    since = monday - timedelta(days=7)
    year, week, _day = since.isocalendar()
    return f"{year}-W{week:02d}", since, monday


def follows_weekly(*, now: datetime | None = None) -> int:
    """One email per person with last week's events of the follows they chose "weekly" for (none when nothing
    happened). The key (person, week) makes it once per week however often the task runs."""
    key, since, until = week_key(now or timezone.now())
    follows = list(Follow.objects.filter(frequency=Frequency.WEEKLY).select_related("person__user").order_by("pk"))
    if not follows:
        return 0
    events = list(
        FollowEvent.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("roadmap", "measure", "proposal")
        .order_by("created_at", "pk")
    )
    events = [e for e in events if _visible(e)]
    index: dict[tuple[str, int], list[FollowEvent]] = defaultdict(list)
    for event in events:
        index[(FollowKind.ROADMAP, event.roadmap_id)].append(event)
        if event.measure_id:
            index[(FollowKind.MEASURE, event.measure_id)].append(event)
        if event.proposal_id:
            index[(FollowKind.PROPOSAL, event.proposal_id)].append(event)
    per_person: dict[int, dict[int, FollowEvent]] = defaultdict(dict)
    people: dict[int, Person] = {}
    for follow_ in follows:
        for event in index.get((follow_.kind, follow_.object_id), []):
            if event.created_at >= follow_.created_at:
                per_person[follow_.person_id][event.pk] = event
                people[follow_.person_id] = follow_.person
    wanted = mail_wanted_by(people.values(), "follow_weekly")
    sent = 0
    for person_id, found in per_person.items():
        if person_id not in wanted:
            continue
        person = people[person_id]
        language = person.language
        items = [
            {"event": event, "subject": event.subject, "link": _link(event.subject, language)}
            for event in sorted(found.values(), key=lambda e: (e.created_at, e.pk))
        ]
        outbox_enqueue_template(
            recipient=person.user.email,
            reason="follow_weekly",
            template="follow_weekly",
            context={"person": person, "items": items, "week": key, "follows_url": _follows_url(language)},
            language=language,
            obj=person,
            occasion=key,
        )
        sent += 1
    return sent


def _follows_url(language: str) -> str:
    return mail.absolute_url("measures:follows", language)
