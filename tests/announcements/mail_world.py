"""The announcements' part of the world that sends every kind of email (tests/mail/conftest.py send_everything):
an announcement to the members and an event's invitation, to each person (German and English)."""

from __future__ import annotations

from events.announcements import invitation_send
from networks.announcements import services
from networks.announcements.models import Announcement
from networks.models import NetworkRole
from tests.events.factories import EventFactory


def send_announcements(people, network) -> None:
    for person in people:
        NetworkRole.objects.get_or_create(network=network, person=person)
    announcement = Announcement(network=network, audience="members", subject="Klimafrühstück", body="Klimafrühstück.")
    services.announcement_save(announcement=announcement, author=None)
    services.announcement_send(announcement=announcement)
    invitation_send(event=EventFactory(network=network, title="Klimafrühstück Frühjahr"), by=None)
