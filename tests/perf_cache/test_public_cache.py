"""The public-page cache's entries (networks/cache.py): one cache read per hit, bytes stored, versions
checked, an expired page renewed by one request while the others get the old copy; the Redis client is
made once (config/cache.py); sessions read from the cache live there at most five minutes (config/sessions.py)."""

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse

from config import sessions
from networks import cache
from tests.measures.factories import MeasureFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


@pytest.fixture
def url():
    measure = MeasureFactory(title="Solaroffensive Kreishaus", roadmap=RoadmapFactory(slug="kreis-dueren"))
    return reverse("measures:measure", args=[measure.roadmap.slug, measure.slug]), measure


def entry_key(client, path):
    response = client.get(path)
    return cache._page_key(response.wsgi_request)


def test_a_hit_is_one_cache_read_of_versions_and_page(client, url, monkeypatch):
    path, _measure = url
    client.get(path)
    reads, inside = [], []
    get_many, get = django_cache.get_many, django_cache.get

    def counted_get_many(keys, **kwargs):
        reads.append(list(keys))
        inside.append(True)  # the local-memory cache reads a key at a time inside get_many
        try:
            return get_many(keys, **kwargs)
        finally:
            inside.pop()

    def counted_get(key, *args, **kwargs):
        if not inside:
            reads.append([key])
        return get(key, *args, **kwargs)

    monkeypatch.setattr(django_cache, "get_many", counted_get_many)
    monkeypatch.setattr(django_cache, "get", counted_get)
    assert client.get(path)["X-Page-Cache"] == "hit"
    assert len(reads) == 1 and any(":page:" in k for k in reads[0]) and any(":v:global" in k for k in reads[0])


def test_the_body_is_stored_as_bytes_with_its_versions(client, url):
    path, _measure = url
    key = entry_key(client, path)
    versions, fresh_until, body, headers, has_token = django_cache.get(key)
    assert isinstance(body, bytes) and b"Solaroffensive Kreishaus" in body and has_token
    assert len(versions) == 2 and headers["Content-Type"].startswith("text/html")


def test_an_expired_page_is_renewed_by_one_request_the_others_get_the_old_copy(client, url):
    path, measure = url
    key = entry_key(client, path)
    versions, _fresh, body, headers, has_token = django_cache.get(key)
    cache.store(key, versions, 0, body.replace(b"Kreishaus", b"Altbestand"), headers, has_token)  # expired
    assert django_cache.add(f"{key}:renew", 1)  # another request is renewing it
    stale = client.get(path)
    assert stale["X-Page-Cache"] == "stale" and "Altbestand" in stale.content.decode()
    assert cache.PLACEHOLDER not in stale.content  # the visitor's own token, as on a hit
    django_cache.delete(f"{key}:renew")
    renewed = client.get(path)  # this request renews it
    assert renewed["X-Page-Cache"] == "miss" and "Kreishaus" in renewed.content.decode()
    assert client.get(path)["X-Page-Cache"] == "hit"


def test_an_expired_page_whose_data_changed_is_never_served(client, url):
    path, measure = url
    key = entry_key(client, path)
    versions, _fresh, body, headers, has_token = django_cache.get(key)
    cache.store(key, versions, 0, body, headers, has_token)
    django_cache.add(f"{key}:renew", 1)
    measure.title = "Solaroffensive Schulen"
    measure.save()
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss" and "Solaroffensive Schulen" in response.content.decode()


def test_redis_client_is_made_once_per_pool():
    from config.cache import TolerantRedisCache

    backend = TolerantRedisCache("redis://127.0.0.1:1/0", {})  # never connected: Redis() does not connect
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


def test_sessions_live_in_the_cache_at_most_five_minutes(settings, monkeypatch):
    timeouts = []
    store = sessions.SessionStore()
    real = store._cache._cache.set
    monkeypatch.setattr(store._cache._cache, "set", lambda k, v, t=None: timeouts.append(t) or real(k, v, t))
    store["answer"] = 42
    store.save()
    assert settings.SESSION_COOKIE_AGE > sessions.CACHED_SECONDS and set(timeouts) == {sessions.CACHED_SECONDS}
    again = sessions.SessionStore(store.session_key)
    assert again["answer"] == 42
    again.delete()
    assert sessions.SessionStore(store.session_key).get("answer") is None
