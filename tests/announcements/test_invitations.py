"""Event invitations (events.announcements): "Mitglieder einladen" when creating an event or on its page, the .ics
attached, once per event and person; one reminder to those who have not answered, never to those who did."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from events import announcements as invitations
from events.models import Event, Registration
from networks.announcements.models import INVITATION, Announcement, AnnouncementRecipient
from networks.digest.preferences import set_announcements
from networks.models import OutboxMessage
from tests.announcements.html import page as parse
from tests.events import factories as ef
from tests.helpers import messages_of
from tests.networks import factories as f


@pytest.fixture
def members(personas):
    """Three more members of the personas' network."""
    return [f.NetworkRoleFactory(network=personas.network, person__name=f"Mitglied {n}").person for n in range(3)]


def _create_form(**changes) -> dict:
    start = timezone.localtime(ef.in_days(30))
    return {
        "title": "Jahresplanungsworkshop 2027",
        "kind": "workshop",
        "format": "on_site",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Kreisverwaltung Kusel",
        "visibility": "network",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        **changes,
    }


def _invitation_rows(invitation, occasion: str = ""):
    return OutboxMessage.objects.filter(reason=INVITATION, object_id=str(invitation.pk), occasion=occasion).order_by(
        "recipient"
    )


def test_creating_an_event_with_the_box_ticked_invites_every_member_once(
    client, personas, members, django_capture_on_commit_callbacks
):
    personas.login(client, "coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:event-create", args=[personas.network.slug]), _create_form(invite_members="on")
        )
    assert response.status_code == 302
    event = Event.objects.get()
    assert "Die Einladung wurde an 5 Mitglieder gesendet." in messages_of(response)
    invitation = invitations.invitation_of(event)
    assert invitation.is_sent and invitation.recipient_count == 5 and invitation.about == f"event:{event.pk}"
    assert len(django_mail.outbox) == 5
    assert len({m.to[0] for m in django_mail.outbox}) == 5
    message = django_mail.outbox[0]
    assert message.subject == "[KTT] Einladung: Jahresplanungsworkshop 2027"
    assert "Kreisverwaltung Kusel" in message.body and event.get_absolute_url() in message.body
    assert message.extra_headers["List-Id"].startswith('"KTT"')
    (name, content, mimetype) = message.attachments[0]
    assert name == "termin.ics" and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    vevent = next(component for component in calendar.walk("VEVENT"))
    assert str(vevent["summary"]) == "Jahresplanungsworkshop 2027"
    assert vevent.decoded("dtstart") == event.starts_at
    # the button on the event page sends nothing more; the page says when and to how many
    again = client.post(reverse("events:event-invite", args=[personas.network.slug, event.pk]))
    assert "Die Mitglieder wurden zu dieser Veranstaltung bereits eingeladen." in messages_of(again)
    assert _invitation_rows(invitation).count() == 5
    detail = parse(client.get(event.get_absolute_url()).content)
    status = detail.select_one(".invitation-status").text
    assert "Einladung gesendet am" in status and "an 5 Mitglieder" in status


def test_without_the_box_nobody_is_invited_until_the_button(client, personas, members):
    personas.login(client, "coordinator")
    client.post(reverse("events:event-create", args=[personas.network.slug]), _create_form())
    event = Event.objects.get()
    assert invitations.invitation_of(event) is None and not OutboxMessage.objects.exists()
    ef.RegistrationFactory(event=event, person=members[0])  # answered already: not invited
    response = client.post(reverse("events:event-invite", args=[personas.network.slug, event.pk]))
    assert "Die Einladung wurde an 4 Mitglieder gesendet." in messages_of(response)
    assert members[0].user.email not in _invitation_rows(invitations.invitation_of(event)).values_list(
        "recipient", flat=True
    )


def test_the_new_event_form_offers_the_box_and_the_edit_form_does_not(client, personas):
    personas.login(client, "coordinator")
    create = parse(client.get(reverse("events:event-create", args=[personas.network.slug])).content)
    assert create.select_one("#id_invite_members") is not None
    event = ef.EventFactory(network=personas.network)
    edit = parse(client.get(reverse("events:event-edit", args=[personas.network.slug, event.pk])).content)
    assert edit.select_one("#id_invite_members") is None


def test_no_invitation_for_a_cancelled_or_past_event(personas, members):
    cancelled = ef.EventFactory(network=personas.network, status=Event.Status.CANCELLED)
    past = ef.EventFactory(network=personas.network, starts_at=ef.in_days(-2))
    assert invitations.invitation_send(event=cancelled, by=None) == 0
    assert invitations.invitation_send(event=past, by=None) == 0
    assert not OutboxMessage.objects.exists()


def test_the_invitation_is_in_the_archive(client, personas, members):
    event = ef.EventFactory(network=personas.network, title="Frühjahrstreffen")
    invitations.invitation_send(event=event, by=personas.people["coordinator"])
    personas.login(client, "member")
    archive = parse(client.get(reverse("announcements:announcement-list", args=[personas.network.slug])).content)
    assert [a.text for a in archive.select(".announcement-list h2 a")] == ["Einladung: Frühjahrstreffen"]


def test_each_member_gets_the_invitation_in_their_language(personas, members):
    members[0].language = "en"
    members[0].save()
    event = ef.EventFactory(network=personas.network, title="Workshop")
    invitations.invitation_send(event=event, by=None)
    english = OutboxMessage.objects.get(recipient=members[0].user.email)
    assert english.subject == "[KTT] Invitation: Workshop" and "/en/" in english.body_text


# --- the reminder ---------------------------------------------------------------------------------------------


@pytest.fixture
def invited(personas, members):
    """An event whose registration closes in 5 days, invited 10 days ago; member 0 registered, member 1 cancelled."""
    event = ef.EventFactory(
        network=personas.network, starts_at=ef.in_days(12), registration_deadline=ef.in_days(5), capacity=None
    )
    invitations.invitation_send(event=event, by=personas.people["coordinator"])
    invitation = invitations.invitation_of(event)
    Announcement.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=10))
    ef.RegistrationFactory(event=event, person=members[0])
    ef.RegistrationFactory(event=event, person=members[1], status=Registration.Status.CANCELLED)
    return event, invitation


def test_the_reminder_goes_once_to_those_who_have_not_answered(personas, members, invited):
    _event, invitation = invited
    assert invitations.invitation_reminders_send() == 3  # member 2, the personas' member and the coordinator
    assert invitations.invitation_reminders_send() == 0  # beat runs again: nothing more
    reminded = set(_invitation_rows(invitation, "reminder").values_list("recipient", flat=True))
    assert reminded == {p.user.email for p in (members[2], personas.people["member"], personas.people["coordinator"])}
    row = _invitation_rows(invitation, "reminder").first()
    assert row.subject.startswith("[KTT] Erinnerung: Einladung zu")
    assert row.attachments[0]["filename"] == "termin.ics"


def test_no_reminder_before_its_time_nor_after_the_deadline(personas, members, invited):
    event, invitation = invited
    early = timezone.now() - timedelta(days=3)  # 8 days before the deadline
    assert invitations.invitation_reminders_send(now=early) == 0
    late = event.registration_deadline + timedelta(minutes=1)
    assert invitations.invitation_reminders_send(now=late) == 0
    assert not _invitation_rows(invitation, "reminder").exists()


def test_no_reminder_when_the_invitation_itself_came_late(personas, members):
    event = ef.EventFactory(network=personas.network, starts_at=ef.in_days(3))
    invitations.invitation_send(event=event, by=None)  # 3 days before: the invitation is the reminder
    assert invitations.invitation_reminders_send() == 0


def test_no_reminder_for_who_left_the_network(personas, members, invited):
    _event, invitation = invited
    members[2].network_roles.all().delete()
    assert invitations.invitation_reminders_send() == 2
    assert members[2].user.email not in _invitation_rows(invitation, "reminder").values_list("recipient", flat=True)


def test_who_moved_announcements_to_the_digest_gets_the_invitation_there(personas, members):
    set_announcements(members[0], personas.network, False)
    event = ef.EventFactory(network=personas.network)
    invitations.invitation_send(event=event, by=None)
    invitation = invitations.invitation_of(event)
    assert AnnouncementRecipient.objects.get(announcement=invitation, person=members[0]).via == "digest"
    assert not OutboxMessage.objects.filter(recipient=members[0].user.email).exists()


@pytest.mark.parametrize("occasion", ["", "reminder"])
def test_the_invitation_links_the_event_page_once_in_each_part(personas, members, invited, occasion):
    event, invitation = invited
    if occasion:
        invitations.invitation_reminders_send()
    row = _invitation_rows(invitation, occasion).filter(recipient=members[2].user.email).get()
    url = event.get_absolute_url()
    assert row.body_text.count(url) == 1
    assert "Anmeldung auf der Veranstaltungsseite:" in row.body_text
    links = [a["href"] for a in parse(row.body_html.encode()).select("a") if url in a["href"]]
    assert len(links) == 1
