"""Sending announcements: every audience, once per recipient, the test to the author, the headers and parts of the
email, attachments, the digest instead of email, the recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError

from events.models import Registration
from networks.announcements import audiences, services
from networks.announcements.models import Announcement, AnnouncementRecipient
from networks.digest.preferences import announcements_by_email, one_click_read, set_announcements
from networks.library.services import document_store
from networks.models import NetworkRole, OutboxMessage
from tests.announcements.factories import AnnouncementFactory
from tests.events import factories as ef
from tests.networks import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def crowd(personas):
    """Two more members (one in a working group), a second coordinator, all in the personas' network."""
    network = personas.network
    extra = {
        "grouped": f.NetworkRoleFactory(network=network, person__name="In der AG").person,
        "plain": f.NetworkRoleFactory(network=network, person__name="Ohne AG").person,
        "co": f.NetworkRoleFactory(network=network, role=NetworkRole.Role.COORDINATOR, person__name="Ko 2").person,
    }
    group = f.WorkingGroupFactory(network=network, name="AG Wärme")
    group.members.add(extra["grouped"], personas.people["member"])
    return {**personas.people, **extra, "group": group}


def _names(people) -> set[str]:
    return {p.name for p in people}


def _send(network, audience: str, author) -> Announcement:
    announcement = AnnouncementFactory(network=network, audience=audience, author=author)
    services.announcement_send(announcement=announcement, by=author)
    return announcement


def _emails(announcement) -> set[str]:
    rows = OutboxMessage.objects.filter(object_id=str(announcement.pk), occasion="")
    return set(rows.values_list("recipient", flat=True))


# --- audiences ------------------------------------------------------------------------------------------------


def test_all_members_means_every_role_of_the_network_and_nobody_else(personas, crowd):
    people = audiences.recipients(personas.network, "members")
    assert _names(people) == {"Mitglied", "Koordinatorin", "In der AG", "Ohne AG", "Ko 2"}


def test_a_role_means_only_that_role(personas, crowd):
    coordinators = audiences.recipients(personas.network, "role:coordinator")
    members = audiences.recipients(personas.network, "role:member")
    assert _names(coordinators) == {"Koordinatorin", "Ko 2"}
    assert _names(members) == {"Mitglied", "In der AG", "Ohne AG"}


def test_a_working_group_means_its_members_who_are_still_in_the_network(personas, crowd):
    left = f.NetworkRoleFactory(network=personas.network, person__name="Ausgetreten")
    crowd["group"].members.add(left.person)
    left.delete()
    assert _names(audiences.recipients(personas.network, f"group:{crowd['group'].pk}")) == {"Mitglied", "In der AG"}


def test_a_group_or_event_of_another_network_is_no_audience(personas, crowd):
    foreign_group = f.WorkingGroupFactory(network=personas.other)
    foreign_event = ef.EventFactory(network=personas.other)
    assert audiences.people(personas.network, f"group:{foreign_group.pk}") is None
    assert audiences.people(personas.network, f"event:{foreign_event.pk}:registered") is None
    assert audiences.people(personas.network, "everyone") is None


def test_registered_and_waiting_list_are_separate_audiences(personas, crowd):
    event = ef.EventFactory(network=personas.network, capacity=1)
    ef.RegistrationFactory(event=event, person=crowd["member"], status=Registration.Status.REGISTERED)
    ef.RegistrationFactory(event=event, person=crowd["plain"], status=Registration.Status.WAITING)
    ef.RegistrationFactory(event=event, person=crowd["grouped"], status=Registration.Status.CANCELLED)
    ef.RegistrationFactory(event=event, person=crowd["citizen"], status=Registration.Status.ATTENDED)
    registered = audiences.recipients(personas.network, f"event:{event.pk}:registered")
    waiting = audiences.recipients(personas.network, f"event:{event.pk}:waiting")
    assert _names(registered) == {"Mitglied", "Bürgerin"}  # a place taken, attended included; never the cancelled
    assert _names(waiting) == {"Ohne AG"}
    assert audiences.label(personas.network, f"event:{event.pk}:waiting").startswith("Warteliste")


def test_the_compose_form_offers_groups_and_events(personas, crowd):
    event = ef.EventFactory(network=personas.network, title="Jahresplanung")
    keys = [key for _group, options in audiences.choices(personas.network) for key, _label in options]
    assert {"members", "role:coordinator", "role:member", f"group:{crowd['group'].pk}"} <= set(keys)
    assert f"event:{event.pk}:registered" in keys and f"event:{event.pk}:waiting" in keys


def test_people_who_cannot_be_mailed_are_left_out(personas, crowd):
    crowd["plain"].user.is_active = False
    crowd["plain"].user.save()
    assert "Ohne AG" not in _names(audiences.recipients(personas.network, "members"))


# --- sending once ----------------------------------------------------------------------------------------------


def test_send_writes_one_email_and_one_record_per_recipient(personas, crowd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(personas.network, "members", crowd["coordinator"])
    announcement.refresh_from_db()
    assert announcement.is_sent and announcement.sent_at is not None
    assert announcement.recipient_count == announcement.emailed_count == 5
    assert AnnouncementRecipient.objects.filter(announcement=announcement).count() == 5
    assert len(_emails(announcement)) == 5
    assert len(django_mail.outbox) == 5
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(_emails(announcement))


def test_sending_twice_sends_nothing_more(personas, crowd, django_capture_on_commit_callbacks):
    announcement = AnnouncementFactory(network=personas.network, author=crowd["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.announcement_send(announcement=announcement, by=crowd["coordinator"])
        second = services.announcement_send(announcement=Announcement.objects.get(pk=announcement.pk))
    assert (first, second) == (5, 0)
    assert OutboxMessage.objects.filter(object_id=str(announcement.pk)).count() == 5
    assert len(django_mail.outbox) == 5


def test_the_delivery_task_twice_sends_each_email_once(personas, crowd, django_capture_on_commit_callbacks):
    from networks.announcements.tasks import announcement_deliver

    announcement = AnnouncementFactory(network=personas.network, author=crowd["coordinator"])
    services.announcement_send(announcement=announcement)  # the task is not run (no on_commit in the test)
    assert announcement_deliver(announcement.pk) == 5
    assert announcement_deliver(announcement.pk) == 0
    assert len(django_mail.outbox) == 5


def test_a_sent_announcement_cannot_change(personas, crowd):
    announcement = _send(personas.network, "members", crowd["coordinator"])
    announcement.subject = "Anders"
    with pytest.raises(ValidationError):
        services.announcement_save(announcement=announcement, author=crowd["coordinator"])


def test_nobody_to_reach_sends_nothing(personas, crowd):
    empty = f.WorkingGroupFactory(network=personas.network)
    announcement = AnnouncementFactory(network=personas.network, audience=f"group:{empty.pk}")
    with pytest.raises(ValidationError):
        services.announcement_send(announcement=announcement)
    announcement.refresh_from_db()
    assert not announcement.is_sent and not OutboxMessage.objects.exists()


# --- the test to the author ---------------------------------------------------------------------------------


def test_the_test_goes_to_the_author_only_marked_and_uncounted(personas, crowd, django_capture_on_commit_callbacks):
    author = crowd["coordinator"]
    announcement = AnnouncementFactory(network=personas.network, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send_test(announcement=announcement, to=author)
        services.announcement_send_test(announcement=announcement, to=author)  # a double click: the same test
    assert [m.to for m in django_mail.outbox] == [[author.user.email]]
    assert "[TEST]" in django_mail.outbox[0].subject
    assert "TEST" in django_mail.outbox[0].body and "5" in django_mail.outbox[0].body
    announcement.refresh_from_db()
    assert not announcement.is_sent and announcement.recipient_count == 0
    assert not AnnouncementRecipient.objects.exists()
    announcement.body += "\n\nNachtrag"
    announcement.save()
    services.announcement_send_test(announcement=announcement, to=author)  # a changed text: a new test
    assert OutboxMessage.objects.filter(occasion__startswith="test:").count() == 2
    # the real sending still reaches the author once
    services.announcement_send(announcement=announcement)
    assert OutboxMessage.objects.filter(recipient=author.user.email, occasion="").count() == 1


# --- the email ----------------------------------------------------------------------------------------------


def test_headers_parts_and_the_move_to_digest_link(personas, crowd, django_capture_on_commit_callbacks):
    member = crowd["member"]
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(personas.network, "members", crowd["coordinator"])
    message = next(m for m in django_mail.outbox if m.to == [member.user.email])
    headers = message.extra_headers
    assert headers["List-Id"] == f'"{personas.network.short_name}" <{personas.network.slug}.testserver>' or (
        headers["List-Id"].endswith(f"{personas.network.slug}." + headers["List-Id"].split(".", 1)[1])
    )
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert one_click_read(token) == (member.pk, personas.network.pk, "announcements-digest")
    assert link in message.body  # the same link in the text, for people
    assert message.subject == f"[{personas.network.short_name}] {announcement.subject}"
    assert "**Wärmeplanung**" in message.body  # the text part: the Markdown as written
    html = message.alternatives[0][0]
    assert "<strong>Wärmeplanung</strong>" in html and link in html
    # another member's email carries their own link
    other = next(m for m in django_mail.outbox if m.to == [crowd["plain"].user.email])
    assert other.extra_headers["List-Unsubscribe"] != headers["List-Unsubscribe"]


def test_the_move_link_moves_announcements_to_the_digest(client, personas, crowd, django_capture_on_commit_callbacks):
    member = crowd["member"]
    with django_capture_on_commit_callbacks(execute=True):
        _send(personas.network, "members", crowd["coordinator"])
    message = next(m for m in django_mail.outbox if m.to == [member.user.email])
    link = message.extra_headers["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert announcements_by_email(personas.network, [member.pk]) == {member.pk: False}


def test_who_moved_announcements_to_the_digest_gets_no_email_but_a_record(personas, crowd):
    set_announcements(crowd["member"], personas.network, False)
    announcement = _send(personas.network, "members", crowd["coordinator"])
    assert crowd["member"].user.email not in _emails(announcement)
    record = AnnouncementRecipient.objects.get(announcement=announcement, person=crowd["member"])
    assert record.via == AnnouncementRecipient.Via.DIGEST
    announcement.refresh_from_db()
    assert (announcement.recipient_count, announcement.emailed_count) == (5, 4)


def test_a_citizen_registered_for_a_public_event_gets_it_without_a_move_link(personas, crowd):
    event = ef.EventFactory(network=personas.network, visibility="public")
    ef.RegistrationFactory(event=event, person=crowd["citizen"])
    announcement = _send(personas.network, f"event:{event.pk}:registered", crowd["coordinator"])
    row = OutboxMessage.objects.get(object_id=str(announcement.pk))
    assert row.recipient == crowd["citizen"].user.email
    assert "List-Unsubscribe" not in row.headers and services.MOVE_LINK not in row.body_text


def test_each_recipient_gets_their_language(personas, crowd):
    crowd["plain"].language = "en"
    crowd["plain"].save()
    announcement = _send(personas.network, "members", crowd["coordinator"])
    english = OutboxMessage.objects.get(object_id=str(announcement.pk), recipient=crowd["plain"].user.email)
    german = OutboxMessage.objects.get(object_id=str(announcement.pk), recipient=crowd["member"].user.email)
    assert english.language == "en" and "Announcement of" in english.body_text
    assert german.language == "de" and "Ankündigung" in german.body_text


def test_library_attachments_go_by_storage_name(personas, crowd, django_capture_on_commit_callbacks):
    document = document_store(
        network=personas.network, uploaded_by=crowd["coordinator"], name="agenda.pdf", content=PDF, title="Agenda"
    )
    announcement = AnnouncementFactory(network=personas.network, author=crowd["coordinator"])
    services.announcement_save(announcement=announcement, author=crowd["coordinator"], documents=[document])
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send(announcement=announcement)
    row = OutboxMessage.objects.filter(object_id=str(announcement.pk)).first()
    assert row.attachments == [
        {"filename": "agenda.pdf", "mimetype": "application/pdf", "storage_name": document.current.file.name}
    ]
    assert django_mail.outbox[0].attachments[0][:2] == ("agenda.pdf", PDF) or django_mail.outbox[0].attachments[0][
        1
    ] == PDF.decode("latin-1")
    assert document.get_absolute_url() in django_mail.outbox[0].body


def _counts(run) -> tuple[int, int]:
    """(queries other than INSERT, INSERT statements): bulk inserts come in batches where the database limits the
    parameters of one statement (SQLite), never one per recipient."""
    inserts = sum(q["sql"].startswith("INSERT") for q in run.captured_queries)
    return len(run.captured_queries) - inserts, inserts


def test_sending_takes_constant_queries_however_many_recipients(personas, django_assert_max_num_queries):
    f.NetworkRoleFactory.create_batch(20, network=personas.network)
    small = AnnouncementFactory(network=personas.network)
    with django_assert_max_num_queries(20) as small_run:
        services.announcement_send(announcement=small)
    f.NetworkRoleFactory.create_batch(180, network=personas.network)
    large = AnnouncementFactory(network=personas.network)
    with django_assert_max_num_queries(30) as large_run:
        services.announcement_send(announcement=large)
    assert _counts(large_run)[0] == _counts(small_run)[0]
    assert _counts(large_run)[1] <= 8  # recipients and outbox rows, in a few batches
    assert OutboxMessage.objects.filter(object_id=str(large.pk)).count() == 202


def test_personal_data_lists_what_was_received_and_deletion_forgets_it(personas, crowd):
    from networks import panels

    announcement = _send(personas.network, "members", crowd["coordinator"])
    exported = panels.personal_data(crowd["member"])["announcements_received"]
    assert exported == [
        {
            "network": personas.network.short_name,
            "subject": announcement.subject,
            "sent_at": announcement.sent_at.isoformat(),
            "delivered": "email",
        }
    ]
    panels.before_account_delete(crowd["member"])
    assert not AnnouncementRecipient.objects.filter(person=crowd["member"]).exists()
    assert Announcement.objects.filter(pk=announcement.pk).exists()
