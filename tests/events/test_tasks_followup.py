"""Follow-up of action items (issue 15 §4): who is told when, exactly once; comments with files; editing with
history; the minutes email with decisions and the recipient's own tasks."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events import services
from events.models import Outcome, Registration, TaskComment
from networks.mail import mail_settings_set
from networks.models import NetworkRole, OutboxMessage
from tests.events.factories import EventFactory, OutcomeFactory, RegistrationFactory, in_days
from tests.networks import factories as f

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def mails(reason: str, person=None):
    rows = OutboxMessage.objects.filter(reason=reason)
    if person is not None:
        rows = rows.filter(recipient=person.user.email.lower())
    return list(rows)


def new_item(personas, *, owner=None, organisation=None, due_in=14, by=None, **extra) -> Outcome:
    item = Outcome(
        network=personas.network,
        kind=Outcome.Kind.ACTION,
        text="Musterausschreibung für die Wärmeplanung teilen",
        owner_person=owner,
        owner_organisation=organisation,
        due_date=timezone.localdate() + timedelta(days=due_in) if due_in is not None else None,
        **extra,
    )
    return services.outcome_save(outcome=item, by=by)


@pytest.fixture
def member(personas):
    return personas.people["member"]


@pytest.fixture
def coordinator(personas):
    return personas.people["coordinator"]


# --- Assignment ---------------------------------------------------------------------------------------------


def test_owner_is_told_once_when_assigned(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    [mail] = mails("task_assigned", member)
    assert item.text in mail.body_text and item.text in mail.body_html
    assert item.get_absolute_url() in mail.body_text
    services.outcome_save(outcome=item, by=coordinator)  # saved again without a new owner: nothing new
    item.text = "Musterausschreibung teilen (mit Anlage)"
    services.outcome_save(outcome=item, by=coordinator)
    assert len(mails("task_assigned")) == 1


def test_reassignment_tells_the_new_owner_and_again_the_first_when_it_comes_back(personas, member, coordinator):
    other = f.NetworkRoleFactory(network=personas.network, person__name="Zweite").person
    item = new_item(personas, owner=member, by=coordinator)
    item.owner_person = other
    services.outcome_save(outcome=item, by=coordinator)
    assert len(mails("task_assigned", other)) == 1
    item.owner_person = member
    services.outcome_save(outcome=item, by=coordinator)
    assert len(mails("task_assigned", member)) == 2  # a new assignment, a new email
    assert len(mails("task_assigned", other)) == 1


def test_nobody_is_told_of_their_own_assignment(personas, member):
    new_item(personas, owner=member, by=member)
    assert mails("task_assigned") == []


def test_organisation_owner_means_its_people_in_the_network(personas, coordinator):
    organisation = f.OrganisationFactory(name="Stadtwerke")
    inside = f.NetworkRoleFactory(network=personas.network, person__organisation=organisation).person
    f.PersonFactory(organisation=organisation)  # the organisation's person without a role in the network
    outside = f.NetworkRoleFactory(network=personas.other, person__organisation=organisation).person
    new_item(personas, organisation=organisation, by=coordinator)
    assert [m.recipient for m in mails("task_assigned")] == [inside.user.email.lower()]
    assert mails("task_assigned", outside) == []


def test_switched_off_assignment_mail_is_respected(personas, member, coordinator):
    mail_settings_set(person=member, off={"task_assigned"})
    new_item(personas, owner=member, by=coordinator)
    assert mails("task_assigned") == []


def test_decisions_tell_nobody(personas, coordinator):
    item = Outcome(network=personas.network, kind=Outcome.Kind.DECISION, text="Treffen reihum bei den Mitgliedern")
    services.outcome_save(outcome=item, by=coordinator)
    assert OutboxMessage.objects.count() == 0


# --- Reminders ----------------------------------------------------------------------------------------------


def test_reminders_before_and_after_the_due_date_once_each(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator, due_in=10)
    today = timezone.localdate()
    assert services.task_reminders_send(today=today) == 0  # ten days ahead: not yet
    assert services.task_reminders_send(today=item.due_date - timedelta(days=3)) == 1
    assert services.task_reminders_send(today=item.due_date - timedelta(days=2)) == 0  # once
    assert services.task_reminders_send(today=item.due_date) == 0
    assert services.task_reminders_send(today=item.due_date + timedelta(days=1)) == 1
    assert services.task_reminders_send(today=item.due_date + timedelta(days=2)) == 0  # once
    [soon] = mails("task_due_soon", member)
    [late] = mails("task_overdue", member)
    assert item.text in soon.body_text and item.text in late.body_text


def test_a_new_due_date_gets_its_own_reminders(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator, due_in=10)
    services.task_reminders_send(today=item.due_date + timedelta(days=1))
    item.refresh_from_db()
    item.due_date += timedelta(days=14)
    services.outcome_save(outcome=item, by=coordinator)
    assert services.task_reminders_send(today=item.due_date + timedelta(days=1)) == 1
    assert len(mails("task_overdue", member)) == 2


def test_no_reminders_for_done_or_dropped_items(personas, member, coordinator):
    done = new_item(personas, owner=member, by=coordinator, due_in=10)
    dropped = new_item(personas, owner=member, by=coordinator, due_in=10)
    services.outcome_set_status(outcome=done, status=Outcome.Status.DONE, by=member)
    services.outcome_set_status(outcome=dropped, status=Outcome.Status.DROPPED, by=coordinator)
    for days in (-3, 1, 2):
        assert services.task_reminders_send(today=done.due_date + timedelta(days=days)) == 0
    assert mails("task_due_soon") == [] and mails("task_overdue") == []


def test_no_due_soon_right_after_an_assignment_that_names_the_near_date(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator, due_in=2)
    assert services.task_reminders_send(today=timezone.localdate()) == 0
    assert services.task_reminders_send(today=item.due_date + timedelta(days=1)) == 1  # overdue still comes


def test_old_overdue_items_are_not_dug_up(personas, member, coordinator):
    OutcomeFactory(
        event=EventFactory(network=personas.network, starts_at=in_days(-60)),
        owner_person=member,
        due_date=timezone.localdate() - timedelta(days=30),
    )
    assert services.task_reminders_send() == 0


def test_switched_off_reminders_are_respected_and_not_retried(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator, due_in=10)
    mail_settings_set(person=member, off={"task_overdue"})
    assert services.task_reminders_send(today=item.due_date + timedelta(days=1)) == 0
    mail_settings_set(person=member, off=set())
    assert services.task_reminders_send(today=item.due_date + timedelta(days=2)) == 0  # decided once


def test_the_beat_task_runs_the_scan(personas, member, coordinator):
    from events.tasks import task_reminders_send

    new_item(personas, owner=member, by=coordinator, due_in=1)
    Outcome.objects.update(reminded_before_for=None)
    assert task_reminders_send() == 1
    assert task_reminders_send() == 0


# --- Done ---------------------------------------------------------------------------------------------------


def test_coordinators_are_told_once_when_done(personas, member, coordinator):
    second = f.NetworkRoleFactory(network=personas.network, role=NetworkRole.Role.COORDINATOR).person
    item = new_item(personas, owner=member, by=coordinator)
    services.outcome_set_status(outcome=item, status=Outcome.Status.DONE, by=member)
    services.outcome_set_status(outcome=item, status=Outcome.Status.DONE, by=member)  # again: no change
    assert {m.recipient for m in mails("task_done")} == {coordinator.user.email.lower(), second.user.email.lower()}
    assert len(mails("task_done")) == 2
    item.refresh_from_db()
    assert item.completed_at is not None


def test_done_by_a_coordinator_is_not_told_to_that_coordinator(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    services.outcome_set_status(outcome=item, status=Outcome.Status.DONE, by=coordinator)
    assert mails("task_done") == []


def test_dropped_tells_no_coordinator_and_done_kind_can_be_switched_off(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    services.outcome_set_status(outcome=item, status=Outcome.Status.DROPPED, by=member)
    assert mails("task_done") == []
    mail_settings_set(person=coordinator, off={"task_done"})
    services.outcome_set_status(outcome=item, status=Outcome.Status.DONE, by=member)
    assert mails("task_done") == []


# --- Comments -------------------------------------------------------------------------------------------------


def test_comment_without_file_tells_the_owner(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    comment = services.task_comment_add(item=item, author=coordinator, text="Bitte bis Freitag, danke!")
    assert comment.text_html.startswith("<p>") and comment.attachment is None
    [mail] = mails("task_comment", member)
    assert "Bitte bis Freitag" in mail.body_text
    services.task_comment_add(item=item, author=member, text="Ist erledigt, siehe Anlage.")
    assert len(mails("task_comment", coordinator)) == 1  # an earlier commenter hears of the reply
    assert len(mails("task_comment", member)) == 1  # not of their own comment


def test_comment_with_file_goes_to_the_library(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    upload = SimpleUploadedFile("ausschreibung.pdf", PDF, content_type="application/pdf")
    comment = services.task_comment_add(item=item, author=member, text="", upload=upload)
    document = comment.attachment
    assert document is not None and document.network == personas.network
    assert document.title == "ausschreibung.pdf"


def test_comment_with_a_refused_file_writes_nothing(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    upload = SimpleUploadedFile("tool.exe", EXE, content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.task_comment_add(item=item, author=member, text="Das Programm", upload=upload)
    assert TaskComment.objects.count() == 0


def test_empty_comment_is_refused(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    with pytest.raises(ValidationError):
        services.task_comment_add(item=item, author=member, text="   ")


# --- Editing with history -------------------------------------------------------------------------------------


def test_edits_are_kept_in_the_history(personas, member, coordinator):
    item = new_item(personas, owner=member, by=coordinator)
    item.text = "Musterausschreibung teilen, mit Leistungsverzeichnis"
    item.due_date += timedelta(days=7)
    services.outcome_save(outcome=item, by=coordinator)
    latest, first = list(item.history.all()[:2])
    changed = {c.field for c in latest.diff_against(first).changes}
    assert changed == {"text", "due_date"}


def test_an_outcome_without_event_needs_its_network(personas, member):
    item = Outcome(network=personas.network, kind=Outcome.Kind.ACTION, text="Ohne Termin", owner_person=member)
    services.outcome_save(outcome=item, by=None)
    assert item.pk and item.event_id is None


def test_working_group_of_another_network_is_refused(personas, member):
    group = f.WorkingGroupFactory(network=personas.other)
    with pytest.raises(ValidationError):
        new_item(personas, owner=member, working_group=group)


# --- Minutes published ----------------------------------------------------------------------------------------


def test_minutes_email_lists_decisions_and_the_recipients_own_tasks(personas, member, coordinator):
    event = EventFactory(network=personas.network, starts_at=in_days(-1), title="Netzwerktreffen Wärme")
    other = f.NetworkRoleFactory(network=personas.network, person__name="Andere").person
    for person in (member, other):
        RegistrationFactory(event=event, person=person, status=Registration.Status.ATTENDED)
    OutcomeFactory(
        event=event, kind=Outcome.Kind.DECISION, text="Wir treffen uns reihum", owner_person=None, due_date=None
    )
    OutcomeFactory(event=event, text="Leitfaden Wärmeplanung verschicken", owner_person=member)
    OutcomeFactory(event=event, text="Förderaufruf prüfen", owner_person=other)
    OutcomeFactory(event=event, text="Erledigte Aufgabe", owner_person=member, status=Outcome.Status.DONE)
    services.minutes_save(event=event, text="## Protokoll\n\nEs wurde viel besprochen.", publish=True, by=coordinator)
    [mail] = mails("event_minutes", member)
    for part in (mail.body_text, mail.body_html):
        assert "Wir treffen uns reihum" in part
        assert "Leitfaden Wärmeplanung verschicken" in part
        assert "Förderaufruf prüfen" not in part and "Erledigte Aufgabe" not in part
    [theirs] = mails("event_minutes", other)
    assert "Förderaufruf prüfen" in theirs.body_text and "Leitfaden" not in theirs.body_text
