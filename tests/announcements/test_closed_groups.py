"""A closed working group's announcements (audience "group:<id>", and invitations to the group's meetings) only for
the group's readers (networks.access.group_allows): the announcement page, the archive and its search, the panels,
the one search and the digest. Everyone else of the network gets 404 / does not see them; an open group's
announcements stay the whole network's. Opening, closing and deleting the group reindex them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from events import announcements as event_announcements
from networks.announcements import services
from networks.announcements.models import Announcement, AnnouncementRecipient
from networks.digest.preferences import set_announcements
from networks.digest.sections import Request, get
from networks.models import WorkingGroup
from networks.search.query import search
from tests.announcements.factories import AnnouncementFactory
from tests.events.factories import EventFactory, in_days
from tests.groups.conftest import (  # noqa: F401 - the closed group's world and its fixtures
    GROUP_PERSONAS,
    READERS,
    _closed_once,
    added_to_closed,
    closed,
    for_the_test,
    run_commit_hooks,
)
from tests.helpers import assert_flat

pytestmark = pytest.mark.django_db

SECRET = "Vertrauliche Angebotsrunde Quarzblick"  # the closed group's announcement
OPEN = "PV-Kampagne Sonnenstrahlwoche"  # the open group's announcement
NETWORK = "Netzwerktreffen Herbstlaub"  # the whole network's
MEETING = "Steuerungsrunde Angebotsvergleich"
# The closed group's own people and the network: who sees what where. Staff reads everything.
DENIED = [p for p in GROUP_PERSONAS if p not in READERS]
NETWORK_READERS = {"member", "group_member", "coordinator", "staff"}  # may open the network's space at all


@pytest.fixture(scope="module")
def _sent_once(_closed_once, django_db_blocker):  # noqa: F811 - the fixture imported above
    """The three announcements, sent once for the module in its closed group's world."""
    yield from added_to_closed(_closed_once, send_announcements, django_db_blocker)


@pytest.fixture
def sent(request, db, settings, _sent_once):
    return for_the_test(_sent_once, settings, lambda: send_announcements(request.getfixturevalue("closed")))


def send_announcements(closed):  # noqa: F811 - the world, not the fixture
    network = closed.network
    closed.open_group.members.add(closed.person("member"))
    secret = AnnouncementFactory(network=network, audience=f"group:{closed.group.pk}", subject=SECRET)
    services.announcement_save(announcement=secret, author=closed.person("coordinator"))
    services.announcement_send(announcement=secret)
    public = AnnouncementFactory(network=network, audience=f"group:{closed.open_group.pk}", subject=OPEN)
    services.announcement_save(announcement=public, author=closed.person("coordinator"))
    services.announcement_send(announcement=public)
    whole = AnnouncementFactory(network=network, subject=NETWORK)
    services.announcement_send(announcement=whole)
    run_commit_hooks()
    closed.secret, closed.open_announcement, closed.whole = secret, public, whole
    return closed


def _get(client, world, persona, url):
    world.login(client, persona)
    response = client.get(url)
    return response.status_code, response.content.decode()


def _found(user, query: str) -> set[int]:
    return {hit.object_id for hit in search(user, query).hits if hit.kind == "announcement"}


def _user(client, world, persona):
    if persona == "staff":
        return world.request_user(client, persona)
    return world.user(persona) or AnonymousUser()


def test_the_group_is_known_from_the_audience(sent):
    assert Announcement.objects.get(pk=sent.secret.pk).working_group == sent.group
    assert Announcement.objects.get(pk=sent.open_announcement.pk).working_group == sent.open_group
    assert Announcement.objects.get(pk=sent.whole.pk).working_group is None


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_the_announcement_page(client, sent, persona):
    status, body = _get(client, sent, persona, sent.secret.get_absolute_url())
    if persona == "anonymous":
        assert status == 302 and SECRET not in body
    elif persona in READERS:
        assert status == 200 and SECRET in body
    elif persona == "member":  # in the network, outside the group: it does not exist for them
        assert status == 404 and SECRET not in body
    else:  # outside the network (the former group member lost their role): the network's own answer
        assert status == 403 and SECRET not in body, persona
    status, body = _get(client, sent, persona, sent.open_announcement.get_absolute_url())
    assert (status == 200) is (persona in NETWORK_READERS), persona
    assert (OPEN in body) is (persona in NETWORK_READERS)


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_the_archive(client, sent, persona):
    status, body = _get(client, sent, persona, reverse("announcements:announcement-list", args=[sent.network.slug]))
    assert (status == 200) is (persona in NETWORK_READERS), persona
    assert (SECRET in body) is (persona in READERS and persona in NETWORK_READERS), persona
    assert (OPEN in body) is (persona in NETWORK_READERS), persona
    assert (NETWORK in body) is (persona in NETWORK_READERS), persona


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_the_archives_search(client, sent, persona):
    url = reverse("announcements:announcement-list", args=[sent.network.slug])
    status, body = _get(client, sent, persona, url + "?q=Quarzblick")
    assert status == 200 and ("Angebotsrunde" in body) is (persona in READERS), persona


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_the_one_search(client, sent, persona):
    user = _user(client, sent, persona)
    assert (sent.secret.pk in _found(user, "Quarzblick")) is (persona in READERS), persona
    assert (sent.open_announcement.pk in _found(user, "Sonnenstrahlwoche")) is (persona in NETWORK_READERS), persona


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator", "staff"])
def test_the_network_space_panel(client, sent, persona):
    """Cached per role: members (in the group or not) do not see the closed group's announcement there (they find
    it on the group's page and in the archive); the coordination does."""
    status, body = _get(client, sent, persona, reverse("networks:network-space", args=[sent.network.slug]))
    assert status == 200 and OPEN in body and NETWORK in body
    assert (SECRET in body) is (persona in {"coordinator", "staff"}), persona


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_the_group_page_panel(client, sent, persona):
    url = reverse("networks:working-group-detail", args=[sent.network.slug, sent.group.pk])
    status, body = _get(client, sent, persona, url)
    assert status == 200 and (SECRET in body) is (persona in READERS), persona
    status, body = _get(
        client, sent, persona, reverse("networks:working-group-detail", args=[sent.network.slug, sent.open_group.pk])
    )
    assert status == 200 and OPEN in body and SECRET not in body


def test_the_digest_leaves_it_out_for_who_left_the_group(sent):
    """The recipient rows say who got it in the digest; who may no longer read the group does not get it there."""
    network, reader = sent.network, sent.person("group_member")
    set_announcements(reader, network, False)
    before = timezone.now() - timedelta(seconds=1)
    again = AnnouncementFactory(network=network, audience=f"group:{sent.group.pk}", subject="Zweite Runde Quarzblick")
    services.announcement_send(announcement=again)
    assert AnnouncementRecipient.objects.filter(announcement=again, person=reader, via="digest").exists()
    request = Request(person=reader, networks=(network,), since=before, until=timezone.now() + timedelta(seconds=1))
    assert [i.title for i in get("announcements").collect([request]).get(reader.pk, [])] == ["Zweite Runde Quarzblick"]
    sent.group.members.remove(reader)
    assert get("announcements").collect([request]).get(reader.pk, []) == []


def test_an_invitation_to_the_groups_meeting_is_the_groups(client, sent):
    meeting = EventFactory(network=sent.network, working_group=sent.group, title=MEETING, starts_at=in_days(5))
    event_announcements.invitation_send(event=meeting, by=sent.person("coordinator"))
    invitation = event_announcements.invitation_of(meeting)
    assert invitation.is_sent and invitation.working_group == sent.group
    assert _get(client, sent, "member", invitation.get_absolute_url())[0] == 404
    assert _get(client, sent, "group_member", invitation.get_absolute_url())[0] == 200
    status, body = _get(client, sent, "member", reverse("announcements:announcement-list", args=[sent.network.slug]))
    assert status == 200 and MEETING not in body


def test_opening_closing_and_deleting_the_group_reindex(sent, django_capture_on_commit_callbacks):
    member = sent.user("member")
    assert sent.secret.pk not in _found(member, "Quarzblick")
    group = WorkingGroup.objects.get(pk=sent.group.pk)  # loaded: the save sees that its openness changed
    with django_capture_on_commit_callbacks(execute=True):
        group.is_open = True
        group.save()
    assert sent.secret.pk in _found(member, "Quarzblick")
    group = WorkingGroup.objects.get(pk=sent.group.pk)
    with django_capture_on_commit_callbacks(execute=True):
        group.is_open = False
        group.save()
    assert sent.secret.pk not in _found(member, "Quarzblick")
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    assert sent.secret.pk in _found(member, "Quarzblick")  # the network's now, as the group's threads
    assert Announcement.objects.get(pk=sent.secret.pk).working_group is None


def test_the_group_page_keeps_its_queries_as_announcements_grow(client, sent, django_assert_num_queries):
    """The group's panel: one query for its latest announcements, however many there are."""
    group, coordinator = sent.group, sent.person("coordinator")

    def grow(n: int) -> None:
        for _ in range(n):
            announcement = AnnouncementFactory(network=sent.network, audience=f"group:{group.pk}")
            services.announcement_save(announcement=announcement, author=coordinator)
            services.announcement_send(announcement=announcement)

    sent.login(client, "group_member")
    url = reverse("networks:working-group-detail", args=[sent.network.slug, group.pk])
    assert_flat(client, url, grow, django_assert_num_queries, 16)
