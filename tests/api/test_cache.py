"""The public cache's hits are served right after WhiteNoise (api.middleware.ApiCacheMiddleware), before sessions,
locale, CSRF, authentication, allauth and CSP: the same answers as the whole stack gives, header for header."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from tests.events import factories as ef

REQUESTS = "klimanetz_http_request_duration_seconds_count"

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/roadmaps/rm/measures/?status=in_progress",
    "/api/v1/roadmaps/rm/indicators/",
    "/api/v1/roadmaps/rm/measures/m-1/",  # with Last-Modified
]


def headers(response) -> dict:
    """All headers but the cache's mark and the request's id (observability's, made for each request)."""
    return {name: value for name, value in response.items() if name not in ("X-Api-Cache", "X-Request-ID")}


def test_a_hit_is_the_answer_of_the_whole_stack(world, settings, django_assert_num_queries):
    for language in ("de", "en-GB,en;q=0.8"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_COOKIE="django_language=en")  # the API reads no cookie
        settings.PUBLIC_PAGE_CACHE = False
        stack = {url: client.get(url) for url in URLS}
        stack_304 = {url: client.get(url, HTTP_IF_NONE_MATCH=stack[url]["ETag"]) for url in URLS}
        settings.PUBLIC_PAGE_CACHE = True
        for url in URLS:
            assert client.get(url)["X-Api-Cache"] == "miss"
            with django_assert_num_queries(0):
                hit = client.get(url)
                not_modified = client.get(url, HTTP_IF_NONE_MATCH=stack[url]["ETag"])
                head = client.head(url)
            assert hit["X-Api-Cache"] == "hit" and hit.content == stack[url].content
            assert headers(hit) == headers(stack[url])
            assert {"Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Vary"} <= set(headers(hit))
            assert not_modified.status_code == stack_304[url].status_code == 304
            assert headers(not_modified) == headers(stack_304[url])
            assert head.content == b"" and head["Content-Length"] == str(len(hit.content))
        assert hit["Content-Language"] == language[:2]


def test_tokens_preconditions_and_limits_pass_the_cache_by(world, settings):
    url = "/api/v1/roadmaps/rm/measures/"
    assert Client().get(url)["X-Api-Cache"] == "miss"
    assert "X-Api-Cache" not in world.client("editor", scope="read").get(url)
    assert Client().get(url, HTTP_IF_MATCH='"nope"').status_code == 412  # answered by the stack
    assert Client(HTTP_HOST="evil.example").get(url).status_code == 400  # not an allowed host
    assert Client().get(url + "?" + "&".join(f"f{n}=1" for n in range(1001))).status_code == 400  # too many fields
    settings.API_RATE_LIMIT_IP = 0
    refused = Client(REMOTE_ADDR="203.0.113.9").get(url)
    assert refused.status_code == 429 and "X-Api-Cache" not in refused


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_events_list_is_cached_under_the_networks_version(world):
    network = world.personas.network
    url = f"/api/v1/networks/{network.slug}/events/"
    view = {"view": "api:network-event-list", "method": "GET", "status": "200"}
    hits, answers = sample("klimanetz_cache_lookups_total", cache="api", result="hit"), sample(REQUESTS, **view)
    assert Client().get(url)["X-Api-Cache"] == "miss"
    assert Client().get(url)["X-Api-Cache"] == "hit"
    # the metrics count the hit, under the operation's name (not resolved again: stored with the entry)
    assert sample("klimanetz_cache_lookups_total", cache="api", result="hit") == hits + 1
    assert sample(REQUESTS, **view) == answers + 2
    ef.EventFactory(network=network, visibility="public", title="Neu im Kalender")
    fresh = Client().get(url)
    assert fresh["X-Api-Cache"] == "miss" and "Neu im Kalender" in fresh.content.decode()
