"""Monitoring reminders on a real Celery worker (Redis, PostgreSQL): two scans queued at once, running side by side
on two threads, send each reminder exactly once (the Reminder's unique key decides, the outbox delivers)."""

import os
import re
import time
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from config.celery import app as celery_app
from monitoring.models import Indicator, Reminder
from monitoring.tasks import reminders_send
from networks.models import Organisation, OrganisationRole, OutboxMessage, Person, User
from tests.integration.test_celery_outbox import QUEUE, _start_worker, _stop_worker

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

WAIT_SECONDS = 40
EDITORS = 3


def _data() -> list[Person]:
    organisation = Organisation.objects.create(
        name="Gemeinde Erinnerungsdorf", slug="erinnerungsdorf", kind="municipality"
    )
    due = timezone.localdate() + timedelta(days=3)
    for name in ("Installierte PV-Leistung", "Öffentliche Ladepunkte"):
        Indicator.objects.create(
            organisation=organisation, scope=Indicator.Scope.ORGANISATION, name=name, unit="MWp", next_due=due
        )
    people = []
    for i in range(EDITORS):
        user = User.objects.create_user(email=f"redaktion{i}@example.org")
        person = Person.objects.create(user=user, name=f"Redakteurin {i}", organisation=organisation)
        OrganisationRole.objects.create(organisation=organisation, person=person)
        people.append(person)
    return people


def test_two_scans_at_once_send_each_reminder_once(transactional_db, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager_before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete(QUEUE)
    mail_dir, log_path = tmp_path / "mail", tmp_path / "worker.log"
    worker = None
    try:
        people = _data()
        reminders_send.delay()
        reminders_send.delay()  # beat fired again while the first scan was queued
        assert broker.llen(QUEUE) == 2
        worker = _start_worker(mail_dir=mail_dir, log_path=log_path)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            sent = OutboxMessage.objects.filter(reason="monitoring_indicator_due", status="sent").count()
            scans = re.findall(r"reminders_send\[[^\]]+\] succeeded", log_path.read_text(errors="replace"))
            if sent >= EDITORS and len(scans) == 2 and broker.llen(QUEUE) == 0:
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
    assert len(results) == 2 and sum(results) == 2 * EDITORS, log_text[-4000:]  # together: each reminder once
    assert Reminder.objects.count() == 2 * EDITORS  # two indicators × three editors
    assert OutboxMessage.objects.filter(reason="monitoring_indicator_due").count() == EDITORS  # one mail each
    contents = [p.read_text(errors="replace") for p in sorted(mail_dir.iterdir())] if mail_dir.exists() else []
    for person in people:
        to = rf"^To: {re.escape(person.user.email)}$"
        assert sum(len(re.findall(to, text, re.MULTILINE)) for text in contents) == 1, person.user.email
