"""Fault: a Celery worker is killed with SIGKILL in the middle of sending a batch of outbox mails.

Beat's sweep (outbox_send_pending) sends 20 due messages one by one through a mail backend that records every
message to a file (so the count survives the processes). The backend hangs before the 9th message; the test
SIGKILLs the worker there. One row is left SENDING (claimed, not sent), the rest PENDING. After a restart, the
stale-claim release (once its 15 minutes have passed) and the next sweeps send every message exactly once, also
when the killed batch is delivered a second time.
"""

import time
import warnings
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from networks.models import OutboxMessage
from networks.outbox import STALE_CLAIM
from tests.integration import services as svc

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

MESSAGES = 20
KILL_AFTER = 8  # messages sent before the worker dies
WAIT_SECONDS = 30


def _send_task(redis_url: str, name: str) -> None:
    with celery_app.connection_for_write(redis_url) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # AlwaysEagerIgnored: the suite's eager setting does not apply here
        celery_app.send_task(name, connection=conn)


def _wait(condition, worker, log_path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if worker.poll() is not None or time.monotonic() > deadline:
            states = sorted(OutboxMessage.objects.values_list("status", flat=True))
            pytest.fail(f"{what}: {states}\n" + log_path.read_text(errors="replace")[-4000:], pytrace=False)
        time.sleep(0.05)


def test_worker_killed_mid_batch_then_every_message_goes_out_exactly_once(transactional_db, tmp_path):
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            recipient=f"mitglied{i}@example.org",
            reason="event_confirmation",
            object_type="events.registration",
            object_id=str(i),
            subject=f"Anmeldung {i}",
            body_text="Sie sind angemeldet.",
            next_attempt_at=now - timedelta(seconds=MESSAGES - i),  # the sweep's order
        )
        for i in range(MESSAGES)
    )
    ids = {str(pk) for pk in OutboxMessage.objects.values_list("pk", flat=True)}
    redis = svc.PrivateRedis().start()
    mail_log, log_path = tmp_path / "mail.log", tmp_path / "worker.log"
    env = svc.service_env(
        database_url=svc.test_database_url(),
        redis_url=redis.url(0),
        DJANGO_SETTINGS_MODULE="tests.integration.fault_settings",
        FAULT_MAIL_LOG=str(mail_log),
    )
    worker = None
    try:
        worker = svc.start_worker({**env, "FAULT_MAIL_HANG_AT": str(KILL_AFTER)}, log_path)
        _send_task(redis.url(0), "networks.tasks.outbox_send_pending")
        hanging = mail_log.with_name(mail_log.name + ".hanging")
        _wait(hanging.exists, worker, log_path, "the batch never reached the hanging message")
        svc.stop_worker(worker, kill=True)  # SIGKILL to the worker's process group
        assert worker.returncode == -9

        assert len(svc.recorded(mail_log)) == KILL_AFTER
        counts = {s: OutboxMessage.objects.filter(status=s).count() for s in OutboxMessage.Status.values}
        assert counts == {"sent": KILL_AFTER, "sending": 1, "pending": MESSAGES - KILL_AFTER - 1, "failed": 0}

        worker = svc.start_worker(env, log_path)  # the restarted worker (a deploy, the supervisor)
        _send_task(redis.url(0), "networks.tasks.outbox_send_pending")  # the next beat tick
        # every message but the killed run's claim sent (waiting for no PENDING left raced the last send: claimed,
        # so no longer pending, but not yet marked sent, it was a second SENDING row)
        sent_but_one = lambda: OutboxMessage.objects.filter(status="sent").count() == MESSAGES - 1  # noqa: E731
        _wait(sent_but_one, worker, log_path, "no resend")
        stuck = OutboxMessage.objects.get(status="sending")
        # The claim of the killed run is not released while it may still be alive ...
        _send_task(redis.url(0), "networks.tasks.outbox_release_stale")
        _send_task(redis.url(0), "networks.tasks.outbox_send_pending")  # the killed batch, redelivered
        time.sleep(1)
        stuck.refresh_from_db()
        assert stuck.status == OutboxMessage.Status.SENDING
        # ... but once it is older than STALE_CLAIM, the release and the next sweep send it.
        OutboxMessage.objects.filter(pk=stuck.pk).update(claimed_at=timezone.now() - STALE_CLAIM - timedelta(minutes=1))
        _send_task(redis.url(0), "networks.tasks.outbox_release_stale")
        _send_task(redis.url(0), "networks.tasks.outbox_send_pending")
        _send_task(redis.url(0), "networks.tasks.outbox_send_pending")
        _wait(lambda: OutboxMessage.objects.filter(status="sent").count() == MESSAGES, worker, log_path, "not all")
        time.sleep(0.5)
    finally:
        if worker is not None:
            svc.stop_worker(worker)
        redis.close()

    sent = svc.recorded(mail_log)
    assert len(sent) == MESSAGES, f"{len(sent)} mails for {MESSAGES} messages: {sorted(sent)}"
    assert set(sent) == ids
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
