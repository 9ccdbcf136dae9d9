"""Data-entry reminders: who gets them (responsible person → editors → coordinators), once per period, in the
recipient's language; anonymised people and inactive accounts get nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from measures.models import Measure
from measures.selectors import months_before
from monitoring.models import Reminder
from monitoring.services.reminders import DUE_WITHIN_DAYS, reminders_send
from networks.models import NetworkRole, OutboxMessage
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.monitoring.factories import IndicatorFactory
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _person(**kwargs):
    return f.PersonFactory(**kwargs)


def _mails(reason="monitoring_indicator_due"):
    return list(OutboxMessage.objects.filter(reason=reason).order_by("recipient"))


def _indicator(today, *, days=5, **kwargs):
    return IndicatorFactory(next_due=today + timedelta(days=days), **kwargs)


def test_indicator_due_reminds_the_responsible_person_once(today):
    person = _person(language="en", name="Ana")
    indicator = _indicator(today, responsible=person)
    f.OrganisationRoleFactory(organisation=indicator.organisation)  # an editor: not asked while someone is named

    assert reminders_send(today=today) == 1
    assert reminders_send(today=today) == 0  # the second run sends nothing

    reminder = Reminder.objects.get()
    assert (reminder.recipient, reminder.kind, reminder.item) == (person, "indicator_due", f"indicator:{indicator.pk}")
    assert reminder.period == indicator.next_due.isoformat()
    [mail] = _mails()
    assert mail.recipient == person.user.email
    assert mail.language == "en"
    assert mail.subject == "Indicator values due: 1 indicator"
    assert "Hello Ana," in mail.body_text
    assert indicator.name in mail.body_text and indicator.name in mail.body_html
    with translation.override("en"):
        entry = reverse("monitoring:values-entry", args=[indicator.organisation.slug])
    assert entry in mail.body_text and entry in mail.body_html
    assert (mail.object_type, mail.object_id, mail.occasion) == (
        "monitoring.reminder",
        str(reminder.pk),
        reminder.period,
    )


def test_the_mail_is_in_the_recipients_language(today):
    german = _person(language="de", name="Berta")
    english = _person(language="en", name="Carl")
    _indicator(today, responsible=german)
    _indicator(today, responsible=english)

    reminders_send(today=today)

    by_recipient = {m.recipient: m for m in _mails()}
    assert "Guten Tag Berta," in by_recipient[german.user.email].body_text
    assert "Hello Carl," in by_recipient[english.user.email].body_text
    assert by_recipient[german.user.email].language == "de"


def test_due_window_is_fourteen_days_and_overdue_counts(today):
    person = _person()
    soon = _indicator(today, days=DUE_WITHIN_DAYS, responsible=person)
    overdue = _indicator(today, days=-40, responsible=person)
    _indicator(today, days=DUE_WITHIN_DAYS + 1, responsible=person)  # not yet
    IndicatorFactory(next_due=None, responsible=person)  # no due date: never

    assert reminders_send(today=today) == 2

    assert set(Reminder.objects.values_list("item", flat=True)) == {f"indicator:{soon.pk}", f"indicator:{overdue.pk}"}
    [mail] = _mails()  # one mail lists both
    assert soon.name in mail.body_text and overdue.name in mail.body_text
    assert mail.subject.endswith("2 Indikatoren") or mail.subject.endswith("2 indicators")


def test_a_new_due_date_is_a_new_period(today):
    person = _person()
    indicator = _indicator(today, responsible=person)
    reminders_send(today=today)
    indicator.next_due = today + timedelta(days=10)
    indicator.save(update_fields=["next_due"])

    assert reminders_send(today=today) == 1
    assert reminders_send(today=today) == 0
    assert sorted(Reminder.objects.values_list("period", flat=True)) == sorted(
        [(today + timedelta(days=5)).isoformat(), (today + timedelta(days=10)).isoformat()]
    )
    assert len(_mails()) == 2


def test_without_a_reachable_responsible_person_the_editors_are_reminded(today):
    gone = _person(user__is_active=False)
    indicator = _indicator(today, responsible=gone)
    editors = [f.OrganisationRoleFactory(organisation=indicator.organisation).person for _ in range(2)]
    anonymised = f.OrganisationRoleFactory(organisation=indicator.organisation).person
    anonymised.anonymised_at = timezone.now()
    anonymised.save(update_fields=["anonymised_at"])
    f.OrganisationRoleFactory()  # an editor of another organisation

    assert reminders_send(today=today) == 2

    assert {m.recipient for m in _mails()} == {e.user.email for e in editors}
    assert not Reminder.objects.filter(recipient__in=[gone, anonymised]).exists()


def test_without_editors_the_coordinators_of_current_networks_are_reminded(today, personas):
    indicator = _indicator(today)  # nobody responsible, no editor
    organisation = indicator.organisation
    f.MembershipFactory(network=personas.network, organisation=organisation, since=today - timedelta(days=400))
    ended = f.NetworkFactory()
    f.MembershipFactory(
        network=ended, organisation=organisation, since=today - timedelta(days=800), until=today - timedelta(days=1)
    )
    former = f.NetworkRoleFactory(network=ended, role=NetworkRole.Role.COORDINATOR).person
    no_account = f.NetworkRoleFactory(network=personas.network, role=NetworkRole.Role.COORDINATOR, person__user=None)

    assert reminders_send(today=today) == 1

    [reminder] = Reminder.objects.all()
    assert reminder.recipient == personas.people["coordinator"]
    assert former != reminder.recipient and no_account.person != reminder.recipient
    assert [m.recipient for m in _mails()] == [personas.people["coordinator"].user.email]


def test_nobody_to_remind_sends_nothing(today):
    _indicator(today)  # no responsible person, no editor, no network
    assert reminders_send(today=today) == 0
    assert not OutboxMessage.objects.exists()


def _stale_measure(today, **kwargs):
    measure = MeasureFactory(**kwargs)
    MeasureUpdateFactory(measure=measure, date=months_before(today, 7))
    return measure


def test_stale_measure_reminds_the_responsible_person_once_a_month(today):
    person = _person(language="en")
    measure = _stale_measure(today, responsible_person=person)
    fresh = MeasureFactory(roadmap=measure.roadmap, responsible_person=person)
    MeasureUpdateFactory(measure=fresh, date=today - timedelta(days=20))
    _stale_measure(today, roadmap=measure.roadmap, responsible_person=person, status=Measure.Status.COMPLETED)

    assert reminders_send(today=today) == 1
    assert reminders_send(today=today) == 0
    [reminder] = Reminder.objects.all()
    assert (reminder.kind, reminder.item, reminder.period) == (
        "measure_stale",
        f"measure:{measure.pk}",
        today.strftime("%Y-%m"),
    )
    [mail] = _mails("monitoring_measure_stale")
    assert mail.subject == "1 measure without a progress report"
    assert measure.title in mail.body_text and fresh.title not in mail.body_text
    with translation.override("en"):
        edit = reverse("measures:measure-edit", args=[measure.roadmap.slug, measure.pk])
    assert edit in mail.body_text

    next_month = today.replace(day=1) + timedelta(days=32)
    assert reminders_send(today=next_month) == 1  # a new month, a new reminder
    assert Reminder.objects.filter(kind="measure_stale").count() == 2


def test_stale_measure_without_a_responsible_person_goes_to_the_roadmaps_editors(today):
    roadmap = RoadmapFactory()
    editor = f.OrganisationRoleFactory(organisation=roadmap.organisation).person
    _stale_measure(today, roadmap=roadmap, responsible_person=None)
    _stale_measure(today, roadmap=roadmap, responsible_person=_person(user=None))  # no account: editors too

    assert reminders_send(today=today) == 2

    [mail] = _mails("monitoring_measure_stale")
    assert mail.recipient == editor.user.email
    assert Reminder.objects.filter(recipient=editor).count() == 2
