"""Deadline reminders: six and two weeks before a fitting call's deadline, to the measure's responsible person,
once each (the outbox's unique key: call + measure, occasion "6w"/"2w"), however often the task runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from measures.funding import services, tasks
from measures.funding.services import reminder_occasion
from networks.mail import mail_settings_set
from networks.models import OutboxMessage
from tests.funding.factories import programme_with_call
from tests.measures.factories import MeasureFactory
from tests.networks.factories import PersonFactory

pytestmark = pytest.mark.django_db
REASON = "funding_call_reminder"


@pytest.fixture
def person():
    return PersonFactory(name="Frau Verantwortlich", language="de")


@pytest.fixture
def measure(person):
    return MeasureFactory(responsible_person=person, funding_status="", sector="mobility", code="MO-1")


def sent(person) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(recipient=person.user.email, reason=REASON).order_by("pk")
    return [(row.object_id, row.occasion) for row in rows]


@pytest.mark.parametrize(
    ("days", "occasion"), [(60, None), (43, None), (42, "6w"), (15, "6w"), (14, "2w"), (0, "2w"), (-1, None)]
)
def test_occasion_windows(days, occasion):
    today = timezone.localdate()
    assert reminder_occasion(today + timedelta(days=days), today) == occasion


def test_sent_once_per_occasion_however_often_the_task_runs(measure, person, django_capture_on_commit_callbacks):
    programme = programme_with_call(40, name="Radverkehr NRW")
    call = programme.calls.get()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks():
        assert services.reminders_send(today=today) == 1
        assert services.reminders_send(today=today) == 1  # found in the outbox, not written again
        tasks.reminders_send()
    key = f"call:{call.pk}:measure:{measure.pk}"
    assert sent(person) == [(key, "6w")]
    message = OutboxMessage.objects.get(reason=REASON)
    assert "Radverkehr NRW" in message.subject and "MO-1" in message.subject
    assert f"/foerderprogramme/massnahmen/{measure.roadmap.slug}/{measure.pk}/" in message.body_text
    # across the boundary: two weeks before, the second reminder, once
    for day in (27, 28, 30):
        services.reminders_send(today=today + timedelta(days=day))
    assert sent(person) == [(key, "6w"), (key, "2w")]


def test_a_run_that_missed_the_six_weeks_sends_only_the_two_weeks(measure, person):
    programme_with_call(10)
    services.reminders_send()
    assert [occasion for _, occasion in sent(person)] == ["2w"]


def test_no_reminder_when_applied_switched_off_or_not_fitting(measure, person):
    programme_with_call(20, sectors=["buildings_heat"])  # does not fit the sector
    assert services.reminders_send() == 0
    programme_with_call(20)
    mail_settings_set(person=person, off={REASON})
    assert services.reminders_send() == 0
    mail_settings_set(person=person, off=set())
    measure.funding_status = "applied"
    measure.save(update_fields=["funding_status"])
    assert services.reminders_send() == 0
    assert sent(person) == []


def test_one_per_call_and_measure(person):
    first = MeasureFactory(responsible_person=person, funding_status="")
    second = MeasureFactory(roadmap=first.roadmap, responsible_person=person, funding_status="planned")
    programme_with_call(30)
    programme_with_call(35)
    assert services.reminders_send() == 4
    assert len(set(sent(person))) == 4
    assert {first.pk, second.pk} == {int(key.rsplit(":", 1)[1]) for key, _ in sent(person)}
