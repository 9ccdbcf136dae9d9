"""Reminders with a real Celery worker on real Redis and PostgreSQL: three scans, two at the same time,
each registration gets its reminder exactly once (the Notice's unique key decides, the outbox delivers)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Notice, Registration
from events.tasks import reminders_send
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User
from tests.integration.scans import run_queued_scans

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
    people = _data()
    # beat fired twice while a scan was still running, and once more
    run = run_queued_scans(reminders_send, 3, reason="event_reminder_1d", mails=PARTICIPANTS, tmp_path=tmp_path)

    assert sum(run.results("reminders_send")) == PARTICIPANTS, run.log[-4000:]  # each reminder enqueued once
    assert Notice.objects.filter(kind="reminder_1d").count() == PARTICIPANTS
    assert OutboxMessage.objects.filter(reason="event_reminder_1d").count() == PARTICIPANTS
    assert not OutboxMessage.objects.filter(reason="event_reminder_7d").exists()
    for person in people:
        assert run.mails_to(person.user.email) == 1, person.user.email
    assert any("meet.example.org/erinnerung" in text for text in run.mails)  # registered: the link is in the mail
