"""Events' digest sections: upcoming events with free places, the person's action items, new minutes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import digest as events_digest
from events.models import Event, Outcome
from networks.digest import build
from networks.digest import sections as registry
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, OutcomeFactory, RegistrationFactory
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now() + timedelta(minutes=5)  # what a test creates is older than the build


@pytest.fixture
def member(personas):
    return personas.people["member"]


def request_for(person, networks, now, days=1):
    return registry.Request(person, tuple(networks), now - timedelta(days=days), now)


def titles(found, person):
    return sorted(i.title for i in found.get(person.pk, []))


def created(obj, when):
    type(obj).objects.filter(pk=obj.pk).update(created_at=when)


def test_upcoming_events_with_free_places_once(member, network, other_network, now):
    new = EventFactory(network=network, title="Neu", starts_at=now + timedelta(days=5), capacity=10)
    created(new, now - timedelta(hours=2))
    full = EventFactory(network=network, title="Voll", starts_at=now + timedelta(days=5), capacity=1)
    created(full, now - timedelta(hours=2))
    RegistrationFactory(event=full)
    mine = EventFactory(network=network, title="Angemeldet", starts_at=now + timedelta(days=5))
    created(mine, now - timedelta(hours=2))
    RegistrationFactory(event=mine, person=member)
    later = EventFactory(network=network, title="Spaeter", starts_at=now + timedelta(days=20, hours=12))
    created(later, now - timedelta(hours=2))
    near = EventFactory(network=network, title="Rueckt-naeher", starts_at=now + timedelta(days=13, hours=12))
    created(near, now - timedelta(days=30))
    cancelled = EventFactory(network=network, title="Abgesagt", status=Event.Status.CANCELLED)
    created(cancelled, now - timedelta(hours=2))
    foreign = EventFactory(network=other_network, title="Fremd", starts_at=now + timedelta(days=5))
    created(foreign, now - timedelta(hours=2))
    found = events_digest.upcoming_events([request_for(member, [network], now)])
    assert titles(found, member) == ["Neu", "Rueckt-naeher"]
    item = next(i for i in found[member.pk] if i.title == "Neu")
    assert "10 Plätze frei" in item.summary and item.url == new.get_absolute_url()
    # the next day's window does not show them again; "Spaeter" comes when it is 14 days ahead
    tomorrow = events_digest.upcoming_events([request_for(member, [network], now + timedelta(days=1))])
    assert titles(tomorrow, member) == []
    in_a_week = events_digest.upcoming_events([request_for(member, [network], now + timedelta(days=7))])
    assert titles(in_a_week, member) == ["Spaeter"]


def test_my_tasks_new_and_overdue(member, network, now):
    today = timezone.localdate()
    assigned = OutcomeFactory(event__network=network, owner_person=member, text="Neu zugewiesen")
    overdue = OutcomeFactory(
        event__network=network, owner_person=member, text="Ueberfaellig", due_date=today - timedelta(days=1)
    )
    created(overdue, now - timedelta(days=20))
    done = OutcomeFactory(event__network=network, owner_person=member, text="Erledigt", status=Outcome.Status.DONE)
    someone = OutcomeFactory(event__network=network, text="Jemand anderes")
    organisation = OutcomeFactory(
        event__network=network, owner_person=None, owner_organisation=member.organisation, text="Meine Organisation"
    )
    assert assigned and done and someone and organisation
    found = events_digest.my_tasks([request_for(member, [network], now)])
    assert titles(found, member) == ["Meine Organisation", "Neu zugewiesen", "Ueberfaellig"]
    late = OutcomeFactory(
        event__network=network, owner_person=member, text="Spaet zugewiesen", due_date=today - timedelta(days=5)
    )
    found = events_digest.my_tasks([request_for(member, [network], now)])
    assert late.pk and len(found[member.pk]) == 4
    badges = {i.title: i.extra["badge"] for i in found[member.pk] if i.title != "Spaet zugewiesen"}
    assert next(i for i in found[member.pk] if i.title == "Spaet zugewiesen").extra["badge"] == "überfällig"
    assert badges == {"Neu zugewiesen": "neu", "Ueberfaellig": "überfällig", "Meine Organisation": "neu"}


def test_new_minutes(member, network, now):
    fresh = EventFactory(network=network, title="Frisch", starts_at=now - timedelta(days=3))
    Event.objects.filter(pk=fresh.pk).update(minutes_published_at=now - timedelta(hours=1))
    old = EventFactory(network=network, title="Alt", starts_at=now - timedelta(days=9))
    Event.objects.filter(pk=old.pk).update(minutes_published_at=now - timedelta(days=3))
    found = events_digest.new_minutes([request_for(member, [network], now)])
    assert titles(found, member) == ["Frisch"]
    assert found[member.pk][0].url.endswith("#minutes")


def test_a_whole_batch_in_constant_queries(network, now, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(registry, "_SECTIONS", {})
    events_digest.register()
    for n in range(3):
        event = EventFactory(network=network, title=f"Termin {n}", starts_at=now + timedelta(days=3))
        created(event, now - timedelta(hours=1))
        Event.objects.filter(pk=event.pk).update(minutes_published_at=now - timedelta(hours=1))
    for size in (2, 8):
        people = [f.NetworkRoleFactory(network=network).person for _ in range(size)]
        for person in people:
            OutcomeFactory(event__network=network, owner_person=person)
        # 6 reads of the batch, then the sections: tasks 1, upcoming events 2 (events, registrations), minutes 1;
        # then the write: 7
        with django_assert_num_queries(17):
            build.digest_build_batch(
                person_ids=[p.pk for p in people], period="daily", key=f"k{size}", now=now, deliver=False
            )
        sent = OutboxMessage.objects.filter(occasion=f"k{size}")
        assert sent.count() == size
        assert all("Termin 2" in m.body_text and "Musterausschreibung" in m.body_text for m in sent)
