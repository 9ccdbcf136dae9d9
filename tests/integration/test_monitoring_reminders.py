"""Monitoring reminders on a real Celery worker (Redis, PostgreSQL): two scans queued at once, running side by side
on two threads, send each reminder exactly once (the Reminder's unique key decides, the outbox delivers)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import Indicator, Reminder
from monitoring.tasks import reminders_send
from networks.models import Organisation, OrganisationRole, OutboxMessage, Person, User
from tests.integration.scans import run_queued_scans

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
    people = _data()
    # beat fired again while the first scan was queued
    run = run_queued_scans(reminders_send, 2, reason="monitoring_indicator_due", mails=EDITORS, tmp_path=tmp_path)

    results = run.results("reminders_send")
    assert len(results) == 2 and sum(results) == 2 * EDITORS, run.log[-4000:]  # together: each reminder once
    assert Reminder.objects.count() == 2 * EDITORS  # two indicators × three editors
    assert OutboxMessage.objects.filter(reason="monitoring_indicator_due").count() == EDITORS  # one mail each
    for person in people:
        assert run.mails_to(person.user.email) == 1, person.user.email
