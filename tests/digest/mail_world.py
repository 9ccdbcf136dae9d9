"""The digest's part of the world that sends every kind of email (tests/mail/conftest.py send_everything)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from events.models import Event
from networks.digest import build, preferences
from tests.events.factories import EventFactory
from tests.networks import factories as f


def send_digests(people, network) -> None:
    """A daily digest (``network``) and a weekly one (a second network they chose weekly for) to each person:
    the minutes of a meeting in each network were published an hour ago."""
    now = timezone.now()
    weekly = f.NetworkFactory(name="Klimafrühstück Netzwerk", short_name="Klimafrühstück")
    for person in people:
        f.NetworkRoleFactory(network=network, person=person)
        f.NetworkRoleFactory(network=weekly, person=person)
        preferences.set_posts(person, weekly, "weekly")
    for where in (network, weekly):
        event = EventFactory(network=where, title="Klimafrühstück Protokoll", starts_at=now - timedelta(days=2))
        Event.objects.filter(pk=event.pk).update(minutes_published_at=now - timedelta(hours=1))
    for period in ("daily", "weekly"):
        key = build.period_key(period, build.local_now(now))
        build.digest_build_batch(
            person_ids=[p.pk for p in people], period=period, key=key, now=now + timedelta(minutes=5)
        )
