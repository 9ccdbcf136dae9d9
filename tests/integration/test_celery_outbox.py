"""A real Celery worker on real Redis delivers an outbox email once, even when its task is queued twice.

The data must be committed for the worker (a separate process) to see it, hence ``transactional_db``
and PostgreSQL: the worker connects to pytest-django's test database, not to ``klimanetz`` (in CI through
PgBouncer in transaction mode, as in production: tests/integration/services.process_database_env).
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

from config.celery import app as celery_app
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User
from networks.services import invitation_create
from networks.tasks import outbox_deliver_task
from tests.integration import services as svc

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

QUEUE = "celery"  # Celery's default queue: a Redis list of that name
WAIT_SECONDS = 30
RECIPIENT = "neues.mitglied@example.org"


def _start_worker(*, mail_dir: Path, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        **svc.process_database_env(),  # through PgBouncer when CI runs one (TEST_PGBOUNCER_URL)
        "REDIS_URL": os.environ["REDIS_URL"],
        "EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CONN_MAX_AGE": "0",
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("EMAIL_URL", None)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        # Two threads: both copies of the task may run at the same time; the conditional UPDATE
        # that claims the outbox row must still let only one of them send.
        "--pool=threads",
        "--concurrency=2",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--queues={QUEUE}",
        "--hostname=integration@%h",
        "--loglevel=INFO",
    ]
    log = log_path.open("wb")
    try:
        return subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()  # the child has its own copy of the descriptor


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # warm shutdown
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=5)


def _invitation_fixture_data() -> Person:
    host = Organisation.objects.create(
        name="Gemeinde Integrationstal", slug="gemeinde-integrationstal", kind=Organisation.Kind.MUNICIPALITY
    )
    network = Network.objects.create(
        name="Integrationsnetz Musterregion",
        short_name="INM",
        slug="integrationsnetz",
        kind=Network.Kind.REGIONAL_TEAM,
        host=host,
        region="Musterregion",
        meeting_format=Network.MeetingFormat.ONLINE,
        description="Ein Netzwerk nur für den Integrationstest.",
    )
    user = User.objects.create_user(email="koordination@example.org")
    coordinator = Person.objects.create(user=user, name="Kora Koordination", organisation=host)
    NetworkRole.objects.create(network=network, person=coordinator, role=NetworkRole.Role.COORDINATOR)
    return coordinator


def _succeeded(log_text: str) -> list[str]:
    """Return values of finished outbox_deliver_task runs, from the worker's INFO log."""
    return re.findall(r"outbox_deliver_task\[[^\]]+\] succeeded in [\d.e-]+s: (\w+)", log_text)


def test_worker_delivers_invitation_exactly_once_when_task_is_queued_twice(
    transactional_db, settings, tmp_path, services_required
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager_before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete(QUEUE)  # nothing left over from earlier runs
    mail_dir, log_path = tmp_path / "mail", tmp_path / "worker.log"
    worker = None
    try:
        coordinator = _invitation_fixture_data()
        network = coordinator.network_roles.get().network

        # invitation_create is atomic: on commit, outbox_enqueue queues the first delivery in Redis.
        invitation = invitation_create(
            network=network, email=RECIPIENT, role=NetworkRole.Role.MEMBER, invited_by=coordinator, language="de"
        )
        message = OutboxMessage.objects.get(reason="invitation", object_id=str(invitation.pk))
        assert message.status == OutboxMessage.Status.PENDING
        assert broker.llen(QUEUE) == 1, "the on_commit hook did not queue the delivery task in Redis"

        outbox_deliver_task.delay(message.pk)  # a duplicate: a redelivery, a second beat run, ...
        assert broker.llen(QUEUE) == 2

        worker = _start_worker(mail_dir=mail_dir, log_path=log_path)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            message.refresh_from_db()
            drained = broker.llen(QUEUE) == 0 and broker.hlen("unacked") == 0
            finished = len(_succeeded(log_path.read_text(errors="replace")))
            if message.status == OutboxMessage.Status.SENT and drained and finished >= 2:
                break
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"worker {'exited with ' + str(worker.returncode) if worker.poll() is not None else 'timed out'}: "
                    f"status={message.status} queued={broker.llen(QUEUE)} finished_tasks={finished}\n"
                    + log_path.read_text(errors="replace")[-4000:],
                    pytrace=False,
                )
            time.sleep(0.2)
        time.sleep(1)  # a little longer: nothing else may arrive
    finally:
        if worker is not None:
            _stop_worker(worker)
        celery_app.conf.task_always_eager = eager_before

    log_text = log_path.read_text(errors="replace")
    assert sorted(_succeeded(log_text)) == ["False", "True"], log_text[-4000:]

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.last_error == ""

    # The file backend writes one file per connection; count messages by their To: header.
    files = sorted(mail_dir.iterdir()) if mail_dir.exists() else []
    contents = [path.read_text(errors="replace") for path in files]
    to_headers = sum(len(re.findall(rf"^To: {re.escape(RECIPIENT)}$", text, re.MULTILINE)) for text in contents)
    assert to_headers == 1, f"{to_headers} messages to {RECIPIENT} in {[p.name for p in files]}"
    mail = next(text for text in contents if f"To: {RECIPIENT}" in text)
    assert f"X-Klimanetz-Message: {message.pk}" in mail
    assert invitation.token in mail  # the acceptance link
