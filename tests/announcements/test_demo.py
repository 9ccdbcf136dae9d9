"""The demo's announcements: the KEK's next meeting in its archive, the Klima.Taten.Team's annual planning workshop
with its invitation (one email with the .ics per member), nothing twice when loaded again."""

from __future__ import annotations

import pytest

from networks.announcements import demo
from networks.announcements.models import INVITATION, Announcement
from networks.models import NetworkRole, OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_announces_and_invites_once(demo_once):
    kek = Announcement.objects.sent().get(network__slug="kek-dortmund")
    assert kek.subject.startswith("Unser nächstes Netzwerktreffen") and kek.author.user.email.startswith("kek.")
    invitation = Announcement.objects.sent().get(reason=INVITATION, network__slug="klima-taten-team-westpfalz")
    members = set(NetworkRole.objects.filter(network=invitation.network).values_list("person__user__email", flat=True))
    rows = OutboxMessage.objects.filter(reason=INVITATION, object_id=str(invitation.pk), occasion="")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(members)
    assert all(row.attachments[0]["filename"] == "termin.ics" for row in rows)
    before = (Announcement.objects.count(), OutboxMessage.objects.count())
    demo.load()
    assert (Announcement.objects.count(), OutboxMessage.objects.count()) == before
