"""Rate limits per address and per token (429 problem details with Retry-After; the trusted-proxy setting decides
the address), and query counts of the list operations at two sizes (the public cache off: what a miss costs)."""

from __future__ import annotations

import base64

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.catalogue.factories import LibraryEntryFactory
from tests.events import factories as ef
from tests.funding.factories import programme_with_call
from tests.measures import factories as mf
from tests.monitoring import factories as mof
from tests.networks.factories import NetworkFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_rate_limit_per_address(world, settings):
    settings.API_RATE_LIMIT_IP = 3
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [client.get("/api/v1/roadmaps/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/roadmaps/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert Client(REMOTE_ADDR="203.0.113.8").get("/api/v1/roadmaps/").status_code == 200  # another address


def test_rate_limit_reads_the_trusted_proxy_setting(world, settings):
    settings.API_RATE_LIMIT_IP = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    proxy = "198.51.100.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.20")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.21")
    assert first.get("/api/v1/roadmaps/").status_code == 200
    assert second.get("/api/v1/roadmaps/").status_code == 200  # behind the same proxy, another client
    assert first.get("/api/v1/roadmaps/").status_code == 429


def test_rate_limit_per_token(world, settings):
    settings.API_RATE_LIMIT_TOKEN = 2
    cache.clear()
    client = world.client("editor", scope="read")
    assert [client.get("/api/v1/me/").status_code for _ in range(2)] == [200, 200]
    assert client.get("/api/v1/me/").status_code == 429
    assert world.client("member", scope="read").get("/api/v1/me/").status_code == 200  # its own count


def test_public_answers_come_from_the_cache_until_the_data_changes(world, django_assert_num_queries):
    url = "/api/v1/roadmaps/rm/measures/"
    assert Client().get(url)["X-Api-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert Client().get(url)["X-Api-Cache"] == "hit"
    mf.MeasureFactory(roadmap=world.roadmap, code="M-5", slug="m-5")
    fresh = Client().get(url)
    assert fresh["X-Api-Cache"] == "miss" and "M-5" in fresh.content.decode()
    assert "X-Api-Cache" not in world.client("editor", scope="read").get(url)  # with a token: never cached


def test_the_order_of_the_parameters_is_one_answer_in_the_cache(world, django_assert_num_queries):
    url = "/api/v1/roadmaps/rm/measures/"
    assert Client().get(url + "?status=in_progress&handlungsfeld=energy_supply")["X-Api-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert Client().get(url + "?handlungsfeld=energy_supply&status=in_progress")["X-Api-Cache"] == "hit"
    assert Client().get(url + "?handlungsfeld=energy_supply&status=completed")["X-Api-Cache"] == "miss"
    assert Client().get(url + "?status=in_progress", HTTP_ACCEPT_LANGUAGE="en")["X-Api-Cache"] == "miss"
    assert Client().get(url + "?status=in_progress", HTTP_ACCEPT_LANGUAGE="de")["X-Api-Cache"] == "miss"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # roadmap; the page of measures with their latest public percent and lead organisation
        ("/api/v1/roadmaps/rm/measures/", 2),
        # the same, filtered by status and sector (choices: no query of their own)
        ("/api/v1/roadmaps/rm/measures/?status=in_progress&handlungsfeld=energy_supply", 2),
        # the same, a later page by cursor
        ("/api/v1/roadmaps/rm/measures/?limit=2&cursor={cursor}", 2),
        # roadmap; indicators; their values
        ("/api/v1/roadmaps/rm/indicators/", 3),
        # roadmaps with their counts by status
        ("/api/v1/roadmaps/", 1),
        # the network; its public events of the page
        ("/api/v1/networks/{network}/events/", 2),
        # the network; the topic is known (networks.filtering); the topic (the form's choice); the events of the page
        ("/api/v1/networks/{network}/events/?art=network_meeting&format=online&thema={topic}&von=2026-01-01", 4),
        # the library's entries of the page
        ("/api/v1/library/", 1),
        # the networks of the page
        ("/api/v1/networks/", 1),
        # the programmes of the page with their next deadline; their upcoming calls
        ("/api/v1/funding/programmes/", 2),
    ],
)
def test_list_queries_do_not_grow(world, settings, django_assert_num_queries, url, expected):
    settings.PUBLIC_PAGE_CACHE = False

    def grow(n):
        for _ in range(n):
            measure = mf.MeasureFactory(roadmap=world.roadmap)
            mf.MeasureUpdateFactory(measure=measure)
            indicator = mof.IndicatorFactory(roadmap=world.roadmap, public=True)
            mof.IndicatorValueFactory(indicator=indicator)
            mf.RoadmapFactory()
            ef.EventFactory(network=world.personas.network, visibility="public").topics.add(topic)
            LibraryEntryFactory(published=True)
            NetworkFactory(is_public=True)
            programme_with_call()

    topic = TopicFactory()
    cursor = base64.urlsafe_b64encode(b'["M-0",0]').decode().rstrip("=")
    url = url.format(network=world.personas.network.slug, topic=topic.pk, cursor=cursor)
    for size in (2, 10):
        grow(size)
        with django_assert_num_queries(expected):
            answer = Client().get(url)
        assert answer.status_code == 200
        body = answer.json()
        assert body["items"] if isinstance(body, dict) else body  # the rows are there: counted with them


def test_indicator_values_are_read_from_their_table_alone(world, settings):
    """Ordered by the indicator (its Meta.ordering), the values' query joined indicator and organisation and
    sorted by their names: 11 of 12 ms for a roadmap's 2,500 values."""
    settings.PUBLIC_PAGE_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/api/v1/roadmaps/rm/indicators/").status_code == 200
    values = [q["sql"] for q in queries.captured_queries if 'FROM "monitoring_indicatorvalue"' in q["sql"]]
    assert len(values) == 1
    assert "JOIN" not in values[0]
