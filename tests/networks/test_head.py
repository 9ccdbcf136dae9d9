"""HEAD is answered like GET on every page (views use require_safe): uptime checks and calendar apps ask with HEAD.
The answer has the GET's status and headers and no body; the page cache serves HEAD from the GET's entry."""

import pytest
from django.urls import reverse

from events import services
from events.models import Visibility
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True  # as in production


def _head_like_get(client, url: str):
    got = client.get(url)
    head = client.head(url)
    assert got.status_code == head.status_code == 200
    assert got.content and head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    return got, head


def test_head_on_the_home_page_is_served_from_the_page_cache(client):
    got, head = _head_like_get(client, reverse("networks:home"))
    assert got["X-Page-Cache"] == "miss" and head["X-Page-Cache"] == "hit"


def test_head_on_the_health_check(client):
    _head_like_get(client, reverse("healthz"))


def test_head_on_a_networks_calendar_feed(client, personas):
    EventFactory(network=personas.network, title="Treffen", visibility=Visibility.PUBLIC)
    got, head = _head_like_get(client, reverse("events:network-feed", args=[personas.network.slug]))
    assert "SUMMARY:Treffen" in got.content.decode()
    assert head["Cache-Control"] == got["Cache-Control"] and head["Content-Type"].startswith("text/calendar")


def test_head_on_the_personal_calendar_feed(client, personas):
    token = services.calendar_token_get(person=personas.people["member"]).token
    got, head = _head_like_get(client, reverse("events:personal-feed", args=[token]))
    assert head["ETag"] == got["ETag"]
    assert client.head(reverse("events:personal-feed", args=["x" * len(token)])).status_code == 404


@pytest.mark.parametrize("persona", ["member", "coordinator"])
def test_head_on_pages_for_logged_in_people(client, personas, persona):
    personas.login(client, persona)
    for url in (reverse("networks:home"), reverse("networks:network-detail", args=[personas.network.slug])):
        response = client.head(url)
        assert response.status_code == 200 and response.content == b""
