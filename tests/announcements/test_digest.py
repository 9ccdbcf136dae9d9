"""The announcements' section of the digest: what a person moved into the digest, once; nothing they got by email."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from networks.announcements import services
from networks.digest.preferences import set_announcements
from networks.digest.sections import Request, get
from tests.announcements.factories import AnnouncementFactory
from tests.networks import factories as f


def _items(person, network, since, until):
    section = get("announcements")
    return section.collect([Request(person=person, networks=(network,), since=since, until=until)]).get(person.pk, [])


def test_moved_announcements_come_once_in_the_digest_and_emailed_ones_never(personas):
    network, member, coordinator = personas.network, personas.people["member"], personas.people["coordinator"]
    set_announcements(member, network, False)
    before = timezone.now() - timedelta(seconds=1)
    announcement = AnnouncementFactory(network=network, subject="Ins Digest")
    services.announcement_send(announcement=announcement)
    after = timezone.now() + timedelta(seconds=1)
    items = _items(member, network, before, after)
    assert [(i.title, i.url, i.key) for i in items] == [
        ("Ins Digest", announcement.get_absolute_url(), f"announcements.announcement:{announcement.pk}")
    ]
    assert "Wärmeplanung" in items[0].summary
    assert _items(member, network, after, after + timedelta(days=1)) == []  # the next digest: not again
    assert _items(coordinator, network, before, after) == []  # had it by email


def test_the_section_reads_a_whole_batch_in_one_query(personas, django_assert_num_queries):
    network = personas.network
    people = [f.NetworkRoleFactory(network=network).person for _ in range(6)]
    for person in people:
        set_announcements(person, network, False)
    before = timezone.now() - timedelta(seconds=1)
    for _ in range(3):
        services.announcement_send(announcement=AnnouncementFactory(network=network))
    requests = [Request(person=p, networks=(network,), since=before, until=timezone.now()) for p in people]
    with django_assert_num_queries(1):
        found = get("announcements").collect(requests)
    assert {pk: len(items) for pk, items in found.items()} == {p.pk: 3 for p in people}
