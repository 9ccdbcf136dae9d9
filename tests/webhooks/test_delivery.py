"""Deliveries over real HTTPS to a receiving server on 127.0.0.1: signature, retries, giving up, pausing, SSRF."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from measures.services.roadmap import measure_save
from networks.models import OutboxMessage
from networks.webhooks import services, signing
from networks.webhooks.models import Delivery, Endpoint
from tests.helpers import de
from tests.measures.factories import MeasureFactory
from tests.networks import factories as f
from tests.outbound.server import Answer
from tests.webhooks.factories import endpoint_of

pytestmark = pytest.mark.django_db


def _snippet_verify():
    scope: dict = {}
    exec(signing.PYTHON_SNIPPET, scope)  # noqa: S102 (the documented snippet, run as a receiver would)
    return scope["verify"]


def test_a_real_delivery_verifies_with_the_documented_python_snippet(
    endpoint, receiver, roadmap, django_capture_on_commit_callbacks
):
    measure = MeasureFactory.build(roadmap=roadmap, code="M-7", title="Balkon-PV für Mieter*innen")
    with django_capture_on_commit_callbacks(execute=True):
        measure_save(measure=measure)
    (received,) = receiver.received
    assert received.path == "/hooks/klimanetz"
    assert received.headers["klimanetz-event"] == "measure.created"
    delivery = Delivery.objects.get()
    assert received.headers["klimanetz-webhook-id"] == str(delivery.uid)
    assert delivery.status == Delivery.Status.DELIVERED and delivery.last_status_code == 200
    verify = _snippet_verify()
    assert verify(endpoint.secret, received.raw_headers, received.body)
    assert not verify("whsec_wrong", received.raw_headers, received.body)
    assert not verify(endpoint.secret, received.raw_headers, received.body + b" ")
    data = json.loads(received.body)
    assert data["type"] == "measure.created"
    assert data["data"]["measure"]["title"] == "Balkon-PV für Mieter*innen"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_the_documented_shell_snippet_computes_the_same_signature(endpoint, receiver, roadmap, send_all, tmp_path):
    services.test_event_send(endpoint=endpoint, by=None)
    assert send_all() == ["delivered"]
    (received,) = receiver.received
    (tmp_path / "body.json").write_bytes(received.body)
    env = {"SECRET": endpoint.secret, "TIMESTAMP": received.headers["klimanetz-timestamp"], "PATH": "/usr/bin:/bin"}
    out = subprocess.run(  # noqa: S603 (our own snippet)
        ["/bin/sh", "-c", signing.SHELL_SNIPPET], cwd=tmp_path, env=env, capture_output=True, check=True, text=True
    )
    assert received.headers["klimanetz-signature"] == f"v1={out.stdout.strip()}"


def test_the_readme_shows_the_snippets_the_tests_run():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert signing.PYTHON_SNIPPET in readme
    assert signing.SHELL_SNIPPET in readme


def test_a_500_is_retried_with_growing_waits_and_then_delivered(endpoint, receiver, send_all):
    answers = iter([Answer(500, b"Datenbank nicht erreichbar"), Answer(503, b"x" * 5000), Answer(204, b"")])
    receiver.handler = lambda r: next(answers)
    delivery = services.test_event_send(endpoint=endpoint, by=None)
    start = delivery.created_at
    assert send_all(now=start) == ["retry"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_response == "Datenbank nicht erreichbar"
    first_wait = delivery.next_attempt_at - start
    assert timedelta(seconds=15) <= first_wait <= timedelta(seconds=30)
    assert send_all(now=start + timedelta(seconds=10)) == []  # not due yet
    later = delivery.next_attempt_at
    assert send_all(now=later) == ["retry"]
    delivery.refresh_from_db()
    assert len(delivery.last_response) == 2048  # the first 2 KB of the answer
    assert delivery.next_attempt_at - later >= timedelta(seconds=30)  # twice as long, at least half of it
    assert send_all(now=delivery.next_attempt_at) == ["delivered"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert [r.headers["klimanetz-webhook-id"] for r in receiver.received] == [str(delivery.uid)] * 3


def test_a_timeout_is_retried(endpoint, receiver, send_all, monkeypatch):
    monkeypatch.setattr(services, "TIMEOUT", 0.5)
    receiver.handler = lambda r: Answer(delay=2)
    delivery = services.test_event_send(endpoint=endpoint, by=None)
    assert send_all() == ["retry"]
    delivery.refresh_from_db()
    assert delivery.last_status_code is None
    assert delivery.last_error == de("No answer within the time limit.")


def test_retries_stop_after_a_day_and_the_row_fails_with_its_last_answer(endpoint, receiver, send_all):
    receiver.handler = lambda r: Answer(502, b"Bad Gateway vom Proxy")
    delivery = services.test_event_send(endpoint=endpoint, by=None)
    now, outcomes = delivery.created_at, []
    while not outcomes or outcomes[-1] == "retry":
        outcomes += send_all(now=now)
        delivery.refresh_from_db()
        now = delivery.next_attempt_at
    assert outcomes[-1] == "failed"
    assert 8 <= len(outcomes) <= 16  # 30 s doubling to at most 6 h, for a day
    assert delivery.failed_at - delivery.created_at <= timedelta(days=1)
    assert (delivery.status, delivery.last_status_code) == ("failed", 502)
    assert delivery.last_response == "Bad Gateway vom Proxy"
    assert "502" in delivery.last_error


def test_retry_delays_double_with_jitter_up_to_six_hours():
    for attempts, full in ((1, 30), (2, 60), (5, 480), (12, 6 * 3600), (20, 6 * 3600)):
        delays = {services.retry_delay(attempts).total_seconds() for _ in range(30)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jitter


def test_an_endpoint_failing_for_three_days_is_paused_and_its_editors_are_told(endpoint, receiver, roadmap, send_all):
    editors = [f.OrganisationRoleFactory(organisation=roadmap.organisation).person for _ in range(2)]
    receiver.handler = lambda r: Answer(500, b"kaputt")
    first = services.test_event_send(endpoint=endpoint, by=None)
    Delivery.objects.filter(pk=first.pk).update(kind="measure.changed")  # a real event, not a test
    assert send_all(now=first.created_at) == ["retry"]
    endpoint.refresh_from_db()
    assert endpoint.failing_since == first.created_at and endpoint.status == "active"
    # two days and 23 hours later a new event fails as well: not yet paused
    later = first.created_at + timedelta(days=2, hours=23)
    Delivery.objects.filter(pk=first.pk).update(status="failed")
    services.emit("measure.changed", None, {"x": 1}, owner_id=roadmap.organisation_id, now=later)
    assert send_all(now=later) == ["retry"]
    endpoint.refresh_from_db()
    assert endpoint.status == "active"
    # past three days: the sweep pauses it, once; the waiting delivery fails; the editors get one email each
    services.deliveries_sweep(now=first.created_at + timedelta(days=3, minutes=1))
    services.deliveries_sweep(now=first.created_at + timedelta(days=3, minutes=2))
    endpoint.refresh_from_db()
    assert endpoint.status == "paused" and endpoint.paused_at
    assert not Delivery.objects.filter(status="pending").exists()
    mails = OutboxMessage.objects.filter(reason="webhook_paused")
    assert sorted(m.recipient for m in mails) == sorted(p.user.email for p in editors)
    assert endpoint.url.split("://")[1] in mails[0].body_text  # the address, not a link
    # nothing new is written for a paused endpoint; after resuming, it is
    assert services.emit("measure.changed", None, {"x": 2}, owner_id=roadmap.organisation_id) == 0
    assert services.endpoint_resume(endpoint=endpoint)
    assert endpoint.failing_since is None and endpoint.status == "active"
    assert services.emit("measure.changed", None, {"x": 3}, owner_id=roadmap.organisation_id) == 1


def test_a_success_clears_the_failing_clock(endpoint, receiver, send_all):
    answers = iter([Answer(500), Answer(200)])
    receiver.handler = lambda r: next(answers)
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(days=2))
    services.emit("measure.changed", None, {"x": 1}, owner_id=endpoint.organisation_id)
    assert send_all() == ["retry"]
    assert send_all(now=timezone.now() + timedelta(minutes=1)) == ["delivered"]
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.last_success_at


def test_a_network_endpoint_pause_tells_the_coordinators(receiver, personas, send_all):
    hook = endpoint_of(personas.network, receiver.url(), kinds=["event.created"])
    Endpoint.objects.filter(pk=hook.pk).update(failing_since=timezone.now() - timedelta(days=4))
    assert services.endpoint_pause_if_failing(endpoint_id=hook.pk)
    recipients = set(OutboxMessage.objects.filter(reason="webhook_paused").values_list("recipient", flat=True))
    assert recipients == {personas.people["coordinator"].user.email}


def test_private_targets_are_refused_by_default(endpoint, receiver, settings, send_all):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    delivery = services.test_event_send(endpoint=endpoint, by=None)
    assert send_all() == ["retry"]
    delivery.refresh_from_db()
    assert "loopback" in delivery.last_error.lower()
    assert receiver.received == []


def test_a_redirect_is_not_followed(endpoint, receiver, send_all):
    receiver.handler = lambda r: Answer(307, b"", {"Location": "https://10.0.0.1/intern"})
    services.test_event_send(endpoint=endpoint, by=None)
    assert send_all() == ["retry"]
    assert len(receiver.received) == 1
    assert Delivery.objects.get().last_status_code == 307


def test_a_row_is_sent_by_one_worker_at_a_time(endpoint, receiver):
    delivery = services.test_event_send(endpoint=endpoint, by=None)
    now = timezone.now()
    assert services._claim(delivery.pk, now) is not None
    assert services._claim(delivery.pk, now) is None  # a second worker, a redelivered task
    assert services.delivery_attempt(delivery_id=delivery.pk, now=now) == "skipped"
    assert services.due_ids(now=now) == []
    # a worker that died: its claim runs out and the sweep finds the row again
    assert services.due_ids(now=now + services.CLAIM + timedelta(seconds=1)) == [delivery.pk]
    assert receiver.received == []


def test_the_sweep_sends_what_a_lost_task_left(endpoint, receiver):
    services.emit("measure.changed", None, {"x": 1}, owner_id=endpoint.organisation_id)  # no commit: no task
    assert services.deliveries_sweep() == 1  # tasks run in-process in the tests
    assert Delivery.objects.get().status == "delivered"
    assert services.deliveries_sweep() == 0
    assert len(receiver.received) == 1


def test_the_sweep_forgets_finished_deliveries_after_90_days(endpoint):
    now = timezone.now()
    for age, status in ((91, "delivered"), (91, "failed"), (89, "delivered"), (91, "pending")):
        Delivery.objects.create(
            endpoint=endpoint, kind="measure.changed", body="{}", status=status, created_at=now - timedelta(days=age),
            next_attempt_at=now + timedelta(days=1),
        )  # fmt: skip
    services.deliveries_sweep(now=now)
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["delivered", "pending"]
