"""Services of the events app: registration rules, series, cancellation, reminders, notifications."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.models import Event, EventSeries, Notice, Registration
from networks.mail import mail_settings_set
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, EventSeriesFactory, RegistrationFactory, in_days
from tests.networks.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _mails(reason: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(reason=reason).order_by("pk"))


# --- Registration ----------------------------------------------------------------------------------


def test_capacity_fills_then_waiting_list_in_order():
    event = EventFactory(capacity=2)
    people = PersonFactory.create_batch(4)
    statuses = [services.registration_register(event=event, person=p).status for p in people]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    assert len(_mails("event_confirmation")) == 4


def test_cancellation_promotes_first_waiting_and_tells_them():
    event = EventFactory(capacity=1)
    first, second, third = PersonFactory.create_batch(3)
    for person in (first, second, third):
        services.registration_register(event=event, person=person)
    services.registration_cancel(event=event, person=first)
    status = dict(Registration.objects.filter(event=event).values_list("person_id", "status"))
    assert status == {first.pk: "cancelled", second.pk: "registered", third.pk: "waiting"}
    promoted = _mails("event_promoted")
    assert [m.recipient for m in promoted] == [second.user.email]
    assert promoted[0].attachments and promoted[0].attachments[0]["filename"] == "termin.ics"


def test_registering_twice_is_idempotent_and_reregistering_after_cancel_queues_again():
    event = EventFactory(capacity=1)
    a, b = PersonFactory.create_batch(2)
    services.registration_register(event=event, person=a)
    services.registration_register(event=event, person=a)
    assert Registration.objects.filter(event=event).count() == 1
    services.registration_register(event=event, person=b)  # waiting
    services.registration_cancel(event=event, person=a)  # b moves up
    again = services.registration_register(event=event, person=a)
    assert again.status == "waiting"
    assert Registration.objects.filter(event=event).count() == 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"starts_at": in_days(-1), "ends_at": in_days(-1) + timedelta(hours=1)}, "past"),
        ({"registration_deadline": timezone.now() - timedelta(hours=1)}, "deadline"),
    ],
)
def test_closed_registration_writes_nothing(change, code):
    event = EventFactory(**change)
    with pytest.raises(services.RegistrationError) as excinfo:
        services.registration_register(event=event, person=PersonFactory())
    assert excinfo.value.code == code
    assert str(excinfo.value)  # a message for the user
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_cancel_without_registration_is_an_error():
    with pytest.raises(services.RegistrationError):
        services.registration_cancel(event=EventFactory(), person=PersonFactory())


def test_raising_capacity_promotes_waiting_people():
    event = EventFactory(capacity=1)
    people = PersonFactory.create_batch(3)
    for person in people:
        services.registration_register(event=event, person=person)
    event.capacity = 3
    services.event_update(event=event, changed=["capacity"], by=None)
    assert Registration.objects.filter(event=event, status="registered").count() == 3
    assert len(_mails("event_promoted")) == 2


def test_attendance_only_after_start_and_only_for_participants():
    event = EventFactory(starts_at=in_days(-1), ends_at=in_days(-1) + timedelta(hours=2))
    here, absent = RegistrationFactory(event=event), RegistrationFactory(event=event)
    stranger = RegistrationFactory()
    with pytest.raises(ValidationError):
        services.attendance_set(event=event, attended={stranger.pk})
    services.attendance_set(event=event, attended={here.pk})
    here.refresh_from_db(), absent.refresh_from_db()
    assert (here.status, absent.status) == ("attended", "registered")
    with pytest.raises(ValidationError):
        services.attendance_set(event=EventFactory(), attended=set())


# --- Changes and cancellation ------------------------------------------------------------------------


def test_significant_change_raises_sequence_and_tells_participants_once_per_revision():
    registration = RegistrationFactory()
    event = registration.event
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    services.event_update(event=event, changed=["starts_at", "ends_at"], by=None)
    event.refresh_from_db()
    assert event.sequence == 1
    event.description = "Neu"
    services.event_update(event=event, changed=["description"], by=None)
    event.refresh_from_db()
    assert event.sequence == 1  # a new description is not news for calendars
    assert len(_mails("event_changed")) == 1


def test_cancel_event_notifies_registered_and_waiting_once():
    event = EventFactory(capacity=1)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event, status="waiting")
    RegistrationFactory(event=event, status="cancelled")
    services.event_cancel(event=event, reason="Krankheit", by=None)
    services.event_cancel(event=event, reason="again", by=None)
    event.refresh_from_db()
    assert event.status == "cancelled" and event.sequence == 1 and event.cancelled_reason == "Krankheit"
    assert sorted(m.recipient for m in _mails("event_cancelled")) == sorted([a.person.user.email, b.person.user.email])


def test_switched_off_kind_sends_nothing_but_is_decided():
    person = PersonFactory()
    mail_settings_set(person=person, off={f"event_{kind}" for kind in Notice.Kind.values if kind != "promoted"})
    registration = services.registration_register(event=EventFactory(), person=person)
    assert not _mails("event_confirmation")
    assert Notice.objects.get(registration=registration, kind="confirmation").skipped


def test_minutes_published_once():
    event = EventFactory(starts_at=in_days(-2), ends_at=in_days(-2) + timedelta(hours=1))
    RegistrationFactory(event=event, status="attended")
    RegistrationFactory(event=event, status="registered")
    RegistrationFactory(event=event, status="cancelled")
    services.minutes_save(event=event, text="# Wärmeplanung", publish=True, by=None)
    services.minutes_save(event=event, text="# Wärmeplanung, ergänzt", publish=True, by=None)
    assert len(_mails("event_minutes")) == 2


def test_minutes_save_stores_the_sanitised_html():
    event = EventFactory()
    text = "**fett** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>"
    services.minutes_save(event=event, text=text, publish=False, by=None)
    event.refresh_from_db()
    html = event.minutes_html
    assert event.minutes == text and "<strong>fett</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html


# --- Series -----------------------------------------------------------------------------------------


def _series(**kwargs):
    series = EventSeriesFactory.build(network=kwargs.pop("network", None) or EventFactory().network, **kwargs)
    return services.series_create(series=series, by=None)


def test_fortnightly_series_materialises_six_months_14_days_apart():
    series = _series(first_date=date.today() + timedelta(days=1))
    starts = [timezone.localtime(e.starts_at) for e in series.occurrences.order_by("starts_at")]
    assert 12 <= len(starts) <= 14
    assert all(b.date() - a.date() == timedelta(days=14) for a, b in zip(starts, starts[1:], strict=False))
    assert all(s.weekday() == 1 and s.time() == time(10) for s in starts)  # Tuesday 10:00 local, across DST
    assert services.series_materialise(series) == 0  # idempotent
    series.refresh_from_db()
    assert series.materialised_until == timezone.localdate() + services.SERIES_HORIZON


def test_series_materialise_adds_new_dates_as_time_passes():
    series = _series(first_date=date.today() + timedelta(days=1))
    before = series.occurrences.count()
    later = timezone.localdate() + timedelta(days=60)
    created = services.series_materialise(series, today=later)
    assert created >= 4
    assert series.occurrences.count() == before + created


def test_monthly_nth_weekday_series_with_count():
    series = _series(
        frequency=EventSeries.Frequency.MONTHLY,
        interval=1,
        weekday=EventSeries.Weekday.THURSDAY,
        ordinal=EventSeries.Ordinal.FIRST,
        count=3,
        first_date=date.today() + timedelta(days=1),
    )
    starts = [timezone.localtime(e.starts_at).date() for e in series.occurrences.order_by("starts_at")]
    assert len(starts) == 3
    assert all(d.weekday() == 3 and d.day <= 7 for d in starts)
    assert series.rrule_text.startswith("FREQ=MONTHLY") and "BYDAY=+1TH" in series.rrule_text


def test_series_until_limits_occurrences_and_invalid_rules_are_rejected():
    start = date.today() + timedelta(days=1)
    series = _series(first_date=start, interval=1, until=start + timedelta(days=21))
    assert series.occurrences.count() in (3, 4)
    with pytest.raises(ValidationError):
        _series(first_date=start, frequency=EventSeries.Frequency.MONTHLY, ordinal=None)
    with pytest.raises(ValidationError):
        _series(first_date=start, start_time=time(11), end_time=time(10))


def test_one_occurrence_changed_alone_survives_series_change():
    series = _series(first_date=date.today() + timedelta(days=1))
    first, second = series.occurrences.order_by("starts_at")[:2]
    first.venue, first.format = "Umweltamt Dortmund", "hybrid"
    services.event_update(event=first, changed=["venue", "format"], by=None)
    series.title = "Klima.Taten.Talk (neu)"
    services.series_update_from(series=series, from_date=date.today(), changed=["title"], by=None)
    first.refresh_from_db(), second.refresh_from_db()
    assert first.detached and first.title == "Klima.Taten.Talk"
    assert second.title == "Klima.Taten.Talk (neu)" and not second.detached


def test_series_time_change_from_date_moves_later_dates_and_tells_participants():
    series = _series(first_date=date.today() + timedelta(days=1))
    occurrences = list(series.occurrences.order_by("starts_at"))
    RegistrationFactory(event=occurrences[3])
    pivot = timezone.localtime(occurrences[2].starts_at).date()
    series.start_time, series.end_time = time(14), time(15)
    services.series_update_from(series=series, from_date=pivot, changed=["start_time", "end_time"], by=None)
    hours = [timezone.localtime(e.starts_at).hour for e in series.occurrences.order_by("starts_at")]
    assert hours[:2] == [10, 10] and set(hours[2:]) == {14}
    assert len(_mails("event_changed")) == 1


def test_series_new_rhythm_splits_the_series():
    series = _series(first_date=date.today() + timedelta(days=1))
    occurrences = list(series.occurrences.order_by("starts_at"))
    booked = occurrences[4]
    RegistrationFactory(event=booked)
    pivot = timezone.localtime(occurrences[2].starts_at).date()
    series.interval = 1
    series.weekday = EventSeries.Weekday.WEDNESDAY
    new = services.series_update_from(series=series, from_date=pivot, changed=["interval", "weekday"], by=None)
    old = EventSeries.objects.get(pk=occurrences[0].series_id)
    assert new.pk != old.pk and old.ended_on == pivot
    booked.refresh_from_db()
    assert booked.status == "cancelled"  # had a registration: cancelled, not deleted
    assert old.occurrences.filter(starts_at__gte=booked.starts_at).exclude(status="cancelled").count() == 0
    assert all(timezone.localtime(e.starts_at).weekday() == 2 for e in new.occurrences.all())
    assert services.series_materialise(old) == 0  # an ended series grows no more dates


def test_series_cancel_from_date():
    series = _series(first_date=date.today() + timedelta(days=1))
    occurrences = list(series.occurrences.order_by("starts_at"))
    RegistrationFactory(event=occurrences[5])
    pivot = timezone.localtime(occurrences[3].starts_at).date()
    cancelled = services.series_cancel_from(series=series, from_date=pivot, reason="Pause", by=None)
    assert cancelled == 1
    remaining = series.occurrences.exclude(status="cancelled")
    assert remaining.count() == 3
    assert services.series_materialise_all(today=date.today()) == 0


# --- Reminders --------------------------------------------------------------------------------------


def _registered(days_ahead: float, *, booked_days_before: float = 20) -> Registration:
    start = timezone.now() + timedelta(days=days_ahead)
    registration = RegistrationFactory(event=EventFactory(starts_at=start, ends_at=start + timedelta(hours=2)))
    Registration.objects.filter(pk=registration.pk).update(created_at=start - timedelta(days=booked_days_before))
    return registration


def test_reminders_are_sent_once_at_the_right_time():
    week = _registered(6.5)  # within 7 days: the 7-day reminder
    day = _registered(0.5)  # within 1 day: the 1-day reminder
    late = _registered(6.5, booked_days_before=3)  # booked inside the 7-day window: confirmation was enough
    far = _registered(10)
    waiting = _registered(0.5)
    Registration.objects.filter(pk=waiting.pk).update(status="waiting")
    assert services.reminders_send() == 2
    assert services.reminders_send() == 0  # the second scan finds nothing
    sent = {(n.registration_id, n.kind) for n in Notice.objects.filter(kind__startswith="reminder")}
    assert sent == {(week.pk, "reminder_7d"), (day.pk, "reminder_1d")}
    assert late.pk not in {r for r, _ in sent} and far.pk not in {r for r, _ in sent}
    assert OutboxMessage.objects.filter(reason__startswith="event_reminder").count() == 2


def test_reminder_1d_follows_the_7d_one_as_time_passes():
    registration = _registered(6.5)
    services.reminders_send()
    services.reminders_send(now=timezone.now() + timedelta(days=6))
    kinds = sorted(Notice.objects.filter(registration=registration).values_list("kind", flat=True))
    assert kinds == ["reminder_1d", "reminder_7d"]


def test_reminder_not_sent_for_cancelled_event():
    registration = _registered(0.5)
    Event.objects.filter(pk=registration.event_id).update(status="cancelled")
    assert services.reminders_send() == 0


def test_document_check_by_content():
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("folien.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    assert services.document_check(pdf) == "application/pdf"
    fake = SimpleUploadedFile("folien.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    with pytest.raises(ValidationError):
        services.document_check(fake)
    exe = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    with pytest.raises(ValidationError):
        services.document_check(exe)


def test_series_occurrences_keep_wall_clock_across_dst():
    series = EventSeriesFactory.build(first_date=date(2026, 10, 13), interval=1, weekday=1, count=3)
    starts = services.series_occurrences(series, until=date(2026, 12, 31))
    assert [s.hour for s in starts] == [10, 10, 10]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=2), timedelta(hours=2), timedelta(hours=1)]
    assert starts[0] == timezone.make_aware(datetime(2026, 10, 13, 10))


def test_email_links_follow_the_recipients_language():
    english = PersonFactory(language="en")
    german = PersonFactory(language="de")
    event = EventFactory()
    for person in (english, german):
        services.registration_register(event=event, person=person)
    bodies = {m.recipient: m.body_text for m in _mails("event_confirmation")}
    assert f"/en/netzwerke/{event.network.slug}/termine/{event.pk}/" in bodies[english.user.email]
    assert "/en/" not in bodies[german.user.email]


def test_switched_off_reminder_is_decided_once_and_not_sent():
    registration = _registered(0.5)
    mail_settings_set(person=registration.person, off={"event_reminder_1d"})
    assert services.reminders_send() == 0
    assert Notice.objects.get(registration=registration, kind="reminder_1d").skipped
    assert not OutboxMessage.objects.filter(reason="event_reminder_1d").exists()
    assert services.reminders_send() == 0  # a skipped reminder is not considered again


def test_account_deletion_gives_future_places_back_and_export_lists_registrations():
    from networks.services import account_delete, person_export

    event = EventFactory(capacity=1)
    leaving, waiting = PersonFactory(), PersonFactory()
    services.registration_register(event=event, person=leaving)
    services.registration_register(event=event, person=waiting)
    mail_settings_set(person=leaving, off={f"event_{kind}" for kind in Notice.Kind.values})
    services.calendar_token_get(person=leaving)
    data = person_export(person=leaving)
    assert [r["event"] for r in data["event_registrations"]] == [event.title]
    assert data["calendar_feed"] is True and "event_reminder_1d" in data["email_notifications_switched_off"]

    account_delete(user=leaving.user)
    assert Registration.objects.get(person=leaving).status == "cancelled"
    assert Registration.objects.get(person=waiting).status == "registered"
    assert [m.recipient for m in _mails("event_promoted")] == [waiting.user.email]
    assert not leaving.mail_opt_outs.exists()


def test_a_change_notifying_many_builds_the_ics_once_per_link_visibility(monkeypatch):
    from events import ical

    built = []
    original = ical.event_ics
    monkeypatch.setattr(
        ical, "event_ics", lambda event, *, show_link: built.append(show_link) or original(event, show_link=show_link)
    )
    event = EventFactory(capacity=3)
    RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory(event=event, status="waiting")
    services.event_cancel(event=event, reason="Sturm", by=None)
    assert sorted(built) == [False, True]  # place holders share one file, the waiting person the other
    assert OutboxMessage.objects.filter(reason="event_cancelled").count() == 4
