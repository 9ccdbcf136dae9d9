"""A network's events in the API, filtered as on the events page (events.filters.EventFilter): kind, format, topic,
a date range; ``past`` turns the default round; unknown values are ignored and named, bad ones are a 400."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Format, Kind, Visibility
from tests.events import factories as ef
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    network = world.personas.network
    network.is_public = True
    network.save(update_fields=["is_public"])
    topic = f.TopicFactory(slug="waermeplanung", name="Wärmeplanung", name_en="Heat planning")

    def event(title, days, **fields):
        fields.setdefault("visibility", Visibility.PUBLIC)
        return ef.EventFactory(network=network, title=title, starts_at=ef.in_days(days), **fields)

    made = {
        "workshop": event("Werkstatt Wärme", 10, kind=Kind.WORKSHOP, format=Format.ON_SITE),
        "meeting": event("Netzwerktreffen online", 20, kind=Kind.NETWORK_MEETING, format=Format.ONLINE),
        "later": event("Netzwerktreffen vor Ort", 60, kind=Kind.NETWORK_MEETING, format=Format.ON_SITE),
        "past_workshop": event("Werkstatt im Frühjahr", -40, kind=Kind.WORKSHOP, format=Format.ON_SITE),
        "past_meeting": event("Treffen im Frühjahr", -30, kind=Kind.NETWORK_MEETING, format=Format.ONLINE),
        "internal": event("Werkstatt nur für Mitglieder", 15, kind=Kind.WORKSHOP, visibility=Visibility.NETWORK),
    }
    made["meeting"].topics.add(topic)
    made["past_meeting"].topics.add(topic)
    made["topic"] = topic
    made["url"] = f"/api/v1/networks/{network.slug}/events/"
    return made


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_without_filters_the_upcoming_public_events_by_start(events):
    answer = Client().get(events["url"])
    assert titles(answer) == ["Werkstatt Wärme", "Netzwerktreffen online", "Netzwerktreffen vor Ort"]
    assert answer.json()["ignored"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("art=workshop", ["Werkstatt Wärme"]),
        ("art=network_meeting&format=on_site", ["Netzwerktreffen vor Ort"]),
        ("format=online", ["Netzwerktreffen online"]),
        ("thema={topic}", ["Netzwerktreffen online"]),
        ("past=true", ["Werkstatt im Frühjahr", "Treffen im Frühjahr"]),
        ("past=true&art=network_meeting", ["Treffen im Frühjahr"]),
        ("past=true&thema={topic}", ["Treffen im Frühjahr"]),
        # a date range replaces "not ended yet": from 35 days ago until in 30 days
        ("von={ago35}&bis={in30}", ["Treffen im Frühjahr", "Werkstatt Wärme", "Netzwerktreffen online"]),
        ("past=true&von={ago35}", ["Treffen im Frühjahr"]),
        ("bis={in30}", ["Werkstatt Wärme", "Netzwerktreffen online"]),
    ],
)
def test_filters_are_the_events_pages_filters(events, query, expected):
    today = timezone.localdate()
    query = query.format(topic=events["topic"].pk, ago35=today - timedelta(days=35), in30=today + timedelta(days=30))
    assert titles(Client().get(f"{events['url']}?{query}")) == expected


def test_filters_apply_to_what_the_token_may_see(events, world):
    url = f"{events['url']}?art=workshop"
    assert titles(world.client("member", scope="read").get(url)) == ["Werkstatt Wärme", "Werkstatt nur für Mitglieder"]
    assert titles(world.client("other_network", scope="read").get(url)) == ["Werkstatt Wärme"]
    assert titles(Client().get(url)) == ["Werkstatt Wärme"]


def test_unknown_values_are_ignored_and_named(events):
    answer = Client().get(f"{events['url']}?art=grillfest&thema=999999&format=online")
    assert titles(answer) == ["Netzwerktreffen online"]
    assert answer.json()["ignored"] == [
        "Unbekannter Filterwert ignoriert: Art „grillfest“",
        "Unbekannter Filterwert ignoriert: Thema „999999“",
    ]


def test_the_network_of_the_address_is_not_filtered_away(events, world):
    other = world.personas.other
    answer = Client().get(f"{events['url']}?netzwerk={other.pk}")
    assert titles(answer) == ["Werkstatt Wärme", "Netzwerktreffen online", "Netzwerktreffen vor Ort"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("von=2026-02-30", "von"),  # no date
        ("von=1500-01-01", "von"),  # outside the years the page accepts
        ("von=2026-05-01&bis=2026-04-01", "bis"),  # the end before the start
    ],
)
def test_values_that_are_no_values_are_a_400_naming_the_field(events, query, field):
    answer = Client().get(f"{events['url']}?{query}", HTTP_ACCEPT_LANGUAGE="de")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert field in {error["field"].split(".")[-1] for error in answer.json()["errors"]}
