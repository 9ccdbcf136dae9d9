"""Reminders with a real Celery worker on real Redis and PostgreSQL: three scans, two at the same time,
each registration gets its reminder exactly once (the Notice's unique key decides, the outbox delivers)."""

import os
import re
import time
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from config.celery import app as celery_app
from events.models import Event, Notice, Registration
from events.tasks import reminders_send
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User
from tests.integration.test_celery_outbox import QUEUE, _start_worker, _stop_worker

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

WAIT_SECONDS = 40
PARTICIPANTS = 3


def _data() -> list[Person]:
    host = Organisation.objects.create(name="Kreis Erinnerungstal", slug="kreis-erinnerungstal", kind="county")
    network = Network.objects.create(
        name="Erinnerungsnetz",
        short_name="ERN",
        slug="erinnerungsnetz",
        kind=Network.Kind.REGIONAL_TEAM,
        host=host,
        region="Musterregion",
        meeting_format=Network.MeetingFormat.ONLINE,
        description="Nur für den Integrationstest.",
    )
    start = timezone.now() + timedelta(hours=12)
    event = Event.objects.create(
        network=network,
        title="Netzwerktreffen Wärmeplanung",
        kind="network_meeting",
        format="online",
        online_url="https://meet.example.org/erinnerung",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    people = []
    for i in range(PARTICIPANTS):
        user = User.objects.create_user(email=f"teilnehmerin{i}@example.org")
        person = Person.objects.create(user=user, name=f"Teilnehmerin {i}", organisation=host)
        NetworkRole.objects.create(network=network, person=person)
        registration = Registration.objects.create(event=event, person=person, status="registered")
        Registration.objects.filter(pk=registration.pk).update(created_at=start - timedelta(days=10))
        people.append(person)
    return people


def test_worker_sends_each_reminder_once_when_scans_overlap(transactional_db, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager_before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete(QUEUE)
    mail_dir, log_path = tmp_path / "mail", tmp_path / "worker.log"
    worker = None
    try:
        people = _data()
        for _ in range(3):  # beat fired twice while a scan was still running, and once more
            reminders_send.delay()
        assert broker.llen(QUEUE) == 3
        worker = _start_worker(mail_dir=mail_dir, log_path=log_path)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            sent = OutboxMessage.objects.filter(reason="event_reminder_1d", status="sent").count()
            scans = re.findall(r"reminders_send\[[^\]]+\] succeeded", log_path.read_text(errors="replace"))
            if sent >= PARTICIPANTS and len(scans) == 3 and broker.llen(QUEUE) == 0:
                break
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"sent={sent} scans={len(scans)}\n" + log_path.read_text(errors="replace")[-4000:], pytrace=False
                )
            time.sleep(0.2)
        time.sleep(1.5)  # nothing else may arrive
    finally:
        if worker is not None:
            _stop_worker(worker)
        celery_app.conf.task_always_eager = eager_before

    log_text = log_path.read_text(errors="replace")
    results = [int(n) for n in re.findall(r"reminders_send\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)", log_text)]
    assert sum(results) == PARTICIPANTS, log_text[-4000:]  # the scans together enqueued each reminder once
    assert Notice.objects.filter(kind="reminder_1d").count() == PARTICIPANTS
    assert OutboxMessage.objects.filter(reason="event_reminder_1d").count() == PARTICIPANTS
    assert not OutboxMessage.objects.filter(reason="event_reminder_7d").exists()
    contents = [p.read_text(errors="replace") for p in sorted(mail_dir.iterdir())] if mail_dir.exists() else []
    for person in people:
        to = rf"^To: {re.escape(person.user.email)}$"
        assert sum(len(re.findall(to, text, re.MULTILINE)) for text in contents) == 1, person.user.email
    assert any("meet.example.org/erinnerung" in text for text in contents)  # registered: the link is in the mail
