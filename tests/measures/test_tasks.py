"""Beat tasks of the measures app: the nightly 'late' computation and the funding-deadline reminder."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from measures import tasks
from measures.models import Measure
from networks.models import OutboxMessage
from tests.measures.factories import MeasureFactory, MilestoneFactory
from tests.networks.factories import PersonFactory

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def late(measure: Measure) -> bool:
    measure.refresh_from_db(fields=["is_late"])
    return measure.is_late


# --- Late --------------------------------------------------------------------------------------------------


def test_an_overdue_milestone_makes_a_measure_late():
    measure = MeasureFactory(end=days(300))
    MilestoneFactory(measure=measure, due_date=days(-1))
    on_time = MeasureFactory(end=days(300))
    MilestoneFactory(measure=on_time, due_date=days(0))  # due today: not overdue yet
    assert tasks.measures_mark_late() == 1
    assert late(measure) and not late(on_time)


def test_a_passed_end_date_makes_a_measure_late():
    measure = MeasureFactory(end=days(-1))
    ends_today = MeasureFactory(end=days(0))
    continuous = MeasureFactory(end=None, continuous=True)
    tasks.measures_mark_late()
    assert late(measure) and not late(ends_today) and not late(continuous)


@pytest.mark.parametrize("status", [Measure.Status.COMPLETED, Measure.Status.DROPPED])
def test_completed_or_dropped_measures_are_never_late(status):
    measure = MeasureFactory(end=days(-30), status=status)
    MilestoneFactory(measure=measure, due_date=days(-10))
    was_late = MeasureFactory(end=days(-30), status=status)
    Measure.objects.filter(pk=was_late.pk).update(is_late=True)  # late before it was completed
    tasks.measures_mark_late()
    assert not late(measure) and not late(was_late)


@pytest.mark.parametrize(
    "status", [Measure.Status.NOT_STARTED, Measure.Status.PLANNED, Measure.Status.PAUSED, Measure.Status.BLOCKED]
)
def test_every_open_status_can_be_late(status):
    measure = MeasureFactory(end=days(-1), status=status)
    tasks.measures_mark_late()
    assert late(measure)


def test_a_measure_is_no_longer_late_once_its_milestone_is_done():
    measure = MeasureFactory(end=days(300))
    milestone = MilestoneFactory(measure=measure, due_date=days(-5))
    tasks.measures_mark_late()
    assert late(measure)
    milestone.done_date = days(0)
    milestone.save(update_fields=["done_date"])
    assert tasks.measures_mark_late() == 1
    assert not late(measure)


def test_an_override_reason_hides_late_but_keeps_the_computation():
    measure = MeasureFactory(end=days(-1), late_override_reason="Der Kreistag hat die Frist verlängert.")
    tasks.measures_mark_late()
    measure.refresh_from_db()
    assert measure.is_late and not measure.shows_late
    measure.late_override_reason = ""
    assert measure.shows_late


def test_running_twice_changes_nothing_the_second_time():
    overdue = MeasureFactory(end=days(300))
    MilestoneFactory(measure=overdue, due_date=days(-2))
    MeasureFactory(end=days(-1))
    MeasureFactory(end=days(100))
    MeasureFactory(end=days(-1), status=Measure.Status.COMPLETED)
    assert tasks.measures_mark_late() == 2
    before = list(Measure.objects.order_by("pk").values_list("pk", "is_late", "updated_at"))
    history = sum(m.history.count() for m in Measure.objects.all())
    assert tasks.measures_mark_late() == 0
    assert list(Measure.objects.order_by("pk").values_list("pk", "is_late", "updated_at")) == before
    assert sum(m.history.count() for m in Measure.objects.all()) == history  # 'late' is not a change of the sheet


# --- Funding deadline reminder --------------------------------------------------------------------------------


@pytest.fixture
def responsible():
    return PersonFactory(name="Klara Klimaschutz", user__email="klara@kreis-dueren.example", language="en")


def funded(responsible, **fields):
    defaults = {
        "code": "GW-03",
        "title": "Kommunale Wärmeplanung",
        "responsible_person": responsible,
        "funding_programme": "Kommunalrichtlinie",
        "funding_status": Measure.FundingStatus.APPLIED,
        "funding_deadline": days(10),
    }
    return MeasureFactory(**(defaults | fields))


def reminders():
    return OutboxMessage.objects.filter(reason="funding_deadline")


def test_a_deadline_in_ten_days_reminds_the_responsible_person_once(responsible):
    measure = funded(responsible)
    tasks.funding_reminders_send()
    message = reminders().get()
    assert message.recipient == "klara@kreis-dueren.example"
    assert message.object_id == str(measure.pk) and message.occasion == days(10).isoformat()
    assert message.subject == "Application deadline in 10 days: GW-03 Kommunale Wärmeplanung"
    edit_path = f"/en/klima-roadmaps/{measure.roadmap.slug}/redaktion/massnahmen/{measure.pk}/"
    assert "Hello Klara Klimaschutz," in message.body_text and "in 10 days" in message.body_text
    assert "Funding programme: Kommunalrichtlinie" in message.body_text and edit_path in message.body_text
    assert f'<a href="{settings.SITE_URL}{edit_path}"' in message.body_html and "Roadmap: " in message.body_text

    tasks.funding_reminders_send()
    assert reminders().count() == 1


def test_a_moved_deadline_is_reminded_again(responsible):
    measure = funded(responsible)
    tasks.funding_reminders_send()
    measure.funding_deadline = days(12)
    measure.save(update_fields=["funding_deadline"])
    tasks.funding_reminders_send()
    assert sorted(reminders().values_list("occasion", flat=True)) == [days(10).isoformat(), days(12).isoformat()]


@pytest.mark.parametrize(
    "fields",
    [
        {"funding_deadline": days(20)},
        {"funding_deadline": days(-1)},
        {"funding_status": Measure.FundingStatus.GRANTED},
        {"funding_status": Measure.FundingStatus.REJECTED},
        {"funding_status": Measure.FundingStatus.NONE},
        {"status": Measure.Status.COMPLETED},
        {"responsible_person": None},
    ],
)
def test_no_reminder_when_nothing_is_due(responsible, fields):
    funded(responsible, **fields)
    tasks.funding_reminders_send()
    assert not reminders().exists()


def test_the_reminder_is_in_the_persons_language_and_escapes_html(responsible):
    responsible.language = "de"
    responsible.save(update_fields=["language"])
    measure = funded(responsible, title="Wärme <b>jetzt</b>", funding_deadline=days(1))
    tasks.funding_reminders_send()
    message = reminders().get()
    edit_path = f"/klima-roadmaps/{measure.roadmap.slug}/redaktion/massnahmen/{measure.pk}/"
    assert message.language == "de" and edit_path in message.body_text and "/en/" not in message.body_text
    assert "Wärme &lt;b&gt;jetzt&lt;/b&gt;" in message.body_html and "<b>jetzt" not in message.body_html
    assert "Wärme <b>jetzt</b>" in message.body_text  # plain text is not escaped


def test_a_deadline_today_says_today(responsible):
    funded(responsible, funding_deadline=days(0))
    tasks.funding_reminders_send()
    assert reminders().get().subject == "Application deadline today: GW-03 Kommunale Wärmeplanung"
