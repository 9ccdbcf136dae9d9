"""Writes of the webhooks: endpoints, the outbox rows (``emit``), their delivery, retries and pausing.

- ``emit`` runs inside the caller's transaction (the apps' services, which the pages and the API's token writes
  both call) and writes one ``Delivery`` per active endpoint of the owner that subscribed to the kind; each is
  queued after commit, and the beat sweep (``deliveries_sweep``) sends what a lost task left behind.
- ``delivery_attempt`` claims the row with a conditional UPDATE (``claimed_until``): one worker at a time, a
  crashed worker's claim runs out after ``CLAIM``. 2xx is delivered; anything else (another status, a timeout, a
  refused address) is retried with exponential backoff and jitter until a day has passed since the event, then
  the row fails, keeping the last answer (status, the first 2 KB of the body, the error).
- An endpoint that has had no success for ``PAUSE_AFTER`` (three days of failures) is paused; its owners (the
  organisation's editors or the network's coordinators) get an email, once per pause. Paused endpoints get no new
  deliveries; the owners resume them.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import outbound
from networks.mail import mail_wanted_by
from networks.models import Network, NetworkRole, Organisation, Person
from networks.outbox import outbox_enqueue_template, queue_on_commit
from networks.webhooks import kinds as event_types
from networks.webhooks import signing
from networks.webhooks.models import Delivery, Endpoint

logger = logging.getLogger(__name__)

RETRY_FOR = timedelta(days=1)
PAUSE_AFTER = timedelta(days=3)
CLAIM = timedelta(minutes=2)  # longer than one attempt can take (outbound's deadline)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
TIMEOUT = 10.0  # seconds for one attempt, connecting included
MAX_ANSWER = 1_000_000  # bytes of an answer read at most (2 KB of it are kept)
KEPT_ANSWER = 2048
SWEEP_BATCH = 500
KEEP_LOG = timedelta(days=90)  # finished deliveries stay in the endpoint's log this long
PAUSED_MAIL = "webhook_paused"

Payload = dict | Callable[[], dict | None]


# --- Endpoints ----------------------------------------------------------------------------------------------


def _owner_fields(owner: Organisation | Network) -> dict:
    return {"network": owner} if isinstance(owner, Network) else {"organisation": owner}


@transaction.atomic
def endpoint_create(*, owner: Organisation | Network, url: str, description: str, kinds: list[str], by: Person | None):
    endpoint = Endpoint(**_owner_fields(owner), url=url, description=description, kinds=list(kinds), created_by=by)
    endpoint.secret = signing.new_secret()
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, url: str, description: str, kinds: list[str]) -> Endpoint:
    endpoint.url, endpoint.description, endpoint.kinds = url, description, list(kinds)
    endpoint.full_clean()
    endpoint.save(update_fields=["url", "description", "kinds", "updated_at"])
    return endpoint


@transaction.atomic
def endpoint_secret_renew(*, endpoint: Endpoint) -> str:
    """A new secret, in force at once (pending deliveries are signed with it when they are sent)."""
    endpoint.secret = signing.new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint.secret


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint) -> None:
    endpoint.delete()


@transaction.atomic
def endpoint_resume(*, endpoint: Endpoint) -> bool:
    """Active again, with a clean slate: three more days before another pause. False when it was not paused."""
    resumed = Endpoint.objects.filter(pk=endpoint.pk, status=Endpoint.Status.PAUSED).update(
        status=Endpoint.Status.ACTIVE, paused_at=None, pause_reason="", failing_since=None, updated_at=timezone.now()
    )
    endpoint.refresh_from_db()
    return bool(resumed)


# --- The outbox ---------------------------------------------------------------------------------------------


def _body(kind: str, data: dict, now: datetime) -> str:
    envelope = {"type": kind, "created_at": now, "data": data}
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def emit(kind: str, obj: Model | None, payload: Payload, *, owner_id: int, now: datetime | None = None) -> int:
    """One delivery row per active endpoint of the owner (an organisation for the organisation's kinds, a network
    for the network's) that subscribed to ``kind``, in the caller's transaction; sent after commit.

    ``payload``: the event's data, or a callable that builds it only when some endpoint wants it (one query when
    none does) and returns None when the object is not public (then nothing is sent). Returns the rows written."""
    event_type = event_types.get(kind)
    if event_type is None:
        raise ValueError(f"unknown webhook event type {kind!r}")
    owner_field = "network_id" if event_type.scope == event_types.NETWORK else "organisation_id"
    endpoints = [
        e for e in Endpoint.objects.active().filter(**{owner_field: owner_id}).only("pk", "kinds") if e.wants(kind)
    ]
    if not endpoints:
        return 0
    data = payload() if callable(payload) else payload
    if data is None:
        return 0
    return len(_write(endpoints, kind, data, obj, now or timezone.now()))


Event = tuple[str, Model | None, dict]  # (kind, object, data) of one event of a batch


def emit_batch(
    kinds: list[str], build: Callable[[set[str]], list[Event]], *, owner_id: int, now: datetime | None = None
) -> int:
    """``emit`` for many events of one owner at once (a bulk write such as the measures' import): one query for
    the endpoints, ``build(kinds wanted)`` only when some endpoint wants one of ``kinds`` (it returns the events,
    public ones only), then the rows in batched INSERTs; queries do not grow with the events. Returns the rows."""
    scopes = set()
    for kind in kinds:
        event_type = event_types.get(kind)
        if event_type is None:
            raise ValueError(f"unknown webhook event type {kind!r}")
        scopes.add(event_type.scope)
    if len(scopes) != 1:
        raise ValueError("one batch, one owner: the kinds must share their scope")
    owner_field = "network_id" if scopes.pop() == event_types.NETWORK else "organisation_id"
    endpoints = list(Endpoint.objects.active().filter(**{owner_field: owner_id}).only("pk", "kinds"))
    wanted = {kind for kind in kinds if any(e.wants(kind) for e in endpoints)}
    if not wanted:
        return 0
    now = now or timezone.now()
    rows = []
    for kind, obj, data in build(wanted):
        if kind not in wanted:
            continue
        body = _body(kind, data, now)
        reference = {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)} if obj is not None else {}
        rows += [
            Delivery(endpoint=e, kind=kind, body=body, created_at=now, next_attempt_at=now, **reference)
            for e in endpoints
            if e.wants(kind)
        ]
    return len(_queue(Delivery.objects.bulk_create(rows, batch_size=BATCH)))


BATCH = 500  # delivery rows per INSERT


def _queue(rows: list[Delivery]) -> list[Delivery]:
    from networks.webhooks.tasks import delivery_send

    for row in rows:
        queue_on_commit(delivery_send, row.pk)
    return rows


def _write(endpoints: list[Endpoint], kind: str, data: dict, obj: Model | None, now: datetime) -> list[Delivery]:
    body = _body(kind, data, now)
    reference = {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)} if obj is not None else {}
    rows = Delivery.objects.bulk_create(
        Delivery(endpoint=e, kind=kind, body=body, created_at=now, next_attempt_at=now, **reference) for e in endpoints
    )
    return _queue(rows)


@transaction.atomic
def test_event_send(*, endpoint: Endpoint, by: Person | None) -> Delivery:
    """A ``ping`` to this endpoint alone (paused ones too: the owners test before they resume)."""
    data = {"message": "Klimanetz test event", "endpoint": {"description": endpoint.description, "url": endpoint.url}}
    return _write([endpoint], event_types.PING, data, None, timezone.now())[0]


# --- Delivery -----------------------------------------------------------------------------------------------


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claimed = (
        Delivery.objects.filter(free, pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .exclude(Q(endpoint__status=Endpoint.Status.PAUSED) & ~Q(kind=event_types.PING))
        .update(claimed_until=now + CLAIM)
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else is sending it. Returns what happened: "delivered",
    "retry", "failed" or "skipped"."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    body = delivery.body.encode("utf-8")
    signed_at = int(now.timestamp())
    headers = signing.headers(
        secret=endpoint.secret, delivery_id=str(delivery.uid), kind=delivery.kind, timestamp=signed_at, body=body
    )
    status_code, answer, error = None, "", ""
    try:
        response = outbound.fetch(
            "POST", endpoint.url, body=body, headers=headers, timeout=TIMEOUT, max_bytes=MAX_ANSWER
        )
        status_code = response.status
        answer = response.body[:KEPT_ANSWER].decode("utf-8", errors="replace")
        if not 200 <= status_code < 300:
            error = _("The endpoint answered with HTTP %(status)s.") % {"status": status_code}
    except outbound.OutboundFailure as exc:
        error = str(exc)
    if not error:
        return _delivered(delivery, now, status_code, answer)
    return _failed_attempt(delivery, now, status_code, answer, error)


def _delivered(delivery: Delivery, now: datetime, status_code: int, answer: str) -> str:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED,
            attempts=delivery.attempts + 1,
            last_attempt_at=now,
            delivered_at=now,
            last_status_code=status_code,
            last_response=answer,
            last_error="",
            claimed_until=None,
        )
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(failing_since=None, last_success_at=now)
    return "delivered"


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: 30 s · 2^(n-1), at most 6 h, with jitter (between half and all of it)."""
    full = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)
    return full / 2 + full / 2 * (secrets.randbelow(1001) / 1000)


def _failed_attempt(delivery: Delivery, now: datetime, status_code: int | None, answer: str, error: str) -> str:
    attempts = delivery.attempts + 1
    next_at = now + retry_delay(attempts)
    gives_up = next_at > delivery.created_at + RETRY_FOR
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED if gives_up else Delivery.Status.PENDING,
            failed_at=now if gives_up else None,
            attempts=attempts,
            last_attempt_at=now,
            next_attempt_at=next_at,
            last_status_code=status_code,
            last_response=answer,
            last_error=error[:500],
            claimed_until=None,
        )
        if delivery.kind != event_types.PING:  # a test to a broken endpoint does not count towards a pause
            Endpoint.objects.filter(pk=delivery.endpoint_id, failing_since__isnull=True).update(failing_since=now)
            endpoint_pause_if_failing(endpoint_id=delivery.endpoint_id, now=now)
    logger.info("webhook delivery %s failed (attempt %s): %s", delivery.pk, attempts, error)
    return "failed" if gives_up else "retry"


# --- Pausing ------------------------------------------------------------------------------------------------


def endpoint_pause_if_failing(*, endpoint_id: int, now: datetime | None = None) -> bool:
    """Pause the endpoint if it has failed without a success for three days and tell its owners; the conditional
    UPDATE makes this happen once per pause, whoever gets there first."""
    now = now or timezone.now()
    with transaction.atomic():
        paused = Endpoint.objects.filter(
            pk=endpoint_id, status=Endpoint.Status.ACTIVE, failing_since__lte=now - PAUSE_AFTER
        ).update(
            status=Endpoint.Status.PAUSED,
            paused_at=now,
            pause_reason=_("Deliveries failed for three days without a success."),
            updated_at=now,
        )
        if not paused:
            return False
        Delivery.objects.filter(endpoint_id=endpoint_id, status=Delivery.Status.PENDING).exclude(
            kind=event_types.PING
        ).update(
            status=Delivery.Status.FAILED,
            failed_at=now,
            last_error=_("Not sent: the endpoint was paused."),
            claimed_until=None,
        )
        _tell_owners(Endpoint.objects.select_related("organisation", "network").get(pk=endpoint_id))
    return True


def owners_of(endpoint: Endpoint) -> list[Person]:
    """Who manages the endpoint: the organisation's editors, or the network's coordinators."""
    if endpoint.network_id:
        people = Person.objects.filter(
            network_roles__network_id=endpoint.network_id, network_roles__role=NetworkRole.Role.COORDINATOR
        )
    else:
        people = Person.objects.filter(organisation_roles__organisation_id=endpoint.organisation_id)
    return list(people.select_related("user").distinct().order_by("pk"))


def _tell_owners(endpoint: Endpoint) -> int:
    people = [p for p in owners_of(endpoint) if p.user_id]
    wanted = mail_wanted_by(people, PAUSED_MAIL)
    for person in people:
        if person.pk not in wanted:
            continue
        outbox_enqueue_template(
            recipient=person.user.email,
            reason=PAUSED_MAIL,
            template=PAUSED_MAIL,
            context={
                "endpoint": endpoint,
                "owner": endpoint.organisation or endpoint.network,
                "address": endpoint.url.split("://", 1)[-1],  # no link in the mail: its host is not ours
                "person": person,
            },
            language=person.language,
            obj=endpoint,
            occasion=endpoint.paused_at.isoformat(),
        )
    return len(wanted)


# --- The sweep ----------------------------------------------------------------------------------------------


def due_ids(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    due = due.exclude(Q(endpoint__status=Endpoint.Status.PAUSED) & ~Q(kind=event_types.PING))
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def deliveries_sweep(*, now: datetime | None = None) -> int:
    """Beat: queue every due delivery (a task lost with a broker outage, a retry whose time has come), pause
    endpoints that have been failing for three days and forget finished deliveries after ``KEEP_LOG``. Safe to run
    twice: each send claims its row."""
    now = now or timezone.now()
    failing = Endpoint.objects.active().filter(failing_since__lte=now - PAUSE_AFTER).values_list("pk", flat=True)
    for endpoint_id in list(failing):
        endpoint_pause_if_failing(endpoint_id=endpoint_id, now=now)
    finished = Delivery.objects.filter(status__in=[Delivery.Status.DELIVERED, Delivery.Status.FAILED])
    old = finished.filter(created_at__lt=now - KEEP_LOG).values_list("pk", flat=True)[:SWEEP_BATCH]
    Delivery.objects.filter(pk__in=list(old)).delete()
    from networks.webhooks.tasks import delivery_send

    ids = due_ids(now=now)
    for delivery_id in ids:
        delivery_send.delay(delivery_id)
    return len(ids)


def check_target(url: str) -> None:
    """The form's check: an https:// address whose host resolves to public addresses only."""
    try:
        outbound.check_url(url, https_only=True)
    except outbound.OutboundRefused as exc:
        raise ValidationError(str(exc)) from exc
