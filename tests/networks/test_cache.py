"""The public-page cache (networks/cache.py): hits without queries, invalidation by signals, never for
logged-in users, languages apart, no CSRF token stored."""

import os
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as django_cache
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Visibility
from networks import cache
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.measures.factories import CommentFactory, MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.networks.factories import NetworkFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


@pytest.fixture
def measure():
    return MeasureFactory(title="Solaroffensive Kreishaus", roadmap=RoadmapFactory(slug="kreis-dueren"))


def urls(measure, network=None) -> dict[str, str]:
    slug = measure.roadmap.slug
    out = {
        "home": reverse("networks:home"),
        "roadmap": reverse("measures:roadmap", args=[slug]),
        "list": reverse("measures:measure-list", args=[slug]) + "?handlungsfeld=energy_supply",
        "detail": reverse("measures:measure", args=[slug, measure.slug]),
    }
    if network is not None:
        out["calendar"] = reverse("events:network-calendar", args=[network.slug])
    return out


def test_second_request_is_served_without_queries(client, measure):
    network = NetworkFactory()
    EventFactory(network=network, visibility=Visibility.PUBLIC, title="Öffentlicher Workshop")
    for name, url in urls(measure, network).items():
        first = client.get(url)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss", name
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.status_code == 200 and second["X-Page-Cache"] == "hit", name
        assert len(queries) == 0, (name, [q["sql"] for q in queries])
        assert second.content.split(b"csrfmiddlewaretoken")[0] == first.content.split(b"csrfmiddlewaretoken")[0]


def test_changing_a_measure_shows_on_the_next_request(client, measure):
    for url in urls(measure).values():
        client.get(url)
    measure.title = "Solaroffensive Schulen"
    measure.save()
    for name, url in urls(measure).items():
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", name
        if name in ("list", "detail"):
            assert "Solaroffensive Schulen" in response.content.decode(), name


def test_children_of_a_measure_invalidate_its_roadmap_only(client, measure):
    other = MeasureFactory(roadmap=RoadmapFactory(slug="kreis-euskirchen"))
    author = PersonFactory()  # people are shown on many pages: a new one renews every page
    mine, theirs = urls(measure)["detail"], urls(other)["detail"]
    client.get(mine), client.get(theirs)
    MeasureUpdateFactory(measure=measure, author=author, text="Zwanzig Dächer sind belegt.")
    assert "Zwanzig Dächer sind belegt." in client.get(mine).content.decode()
    assert client.get(theirs)["X-Page-Cache"] == "hit"
    comment = CommentFactory(measure=measure, author=author, text="Wann kommt Kreuzau dran?", status="published")
    assert "Wann kommt Kreuzau dran?" in client.get(mine).content.decode()
    comment.delete()
    assert "Wann kommt Kreuzau dran?" not in client.get(mine).content.decode()


def test_changing_a_roadmap_invalidates_its_pages(client, measure):
    url = urls(measure)["roadmap"]
    client.get(url)
    measure.roadmap.title = "Klimaschutzprogramm Düren 2035"
    measure.roadmap.save()
    assert "Klimaschutzprogramm Düren 2035" in client.get(url).content.decode()
    measure.roadmap.published = False
    measure.roadmap.save()
    assert client.get(url).status_code == 404


def test_events_and_registrations_invalidate_the_calendar_and_home(client, measure):
    network = NetworkFactory()
    event = EventFactory(network=network, visibility=Visibility.PUBLIC, title="Wärmeplanung konkret", capacity=5)
    calendar, home = urls(measure, network)["calendar"], urls(measure)["home"]
    client.get(calendar), client.get(home)
    event.title = "Wärmeplanung ganz konkret"
    event.save()
    assert "Wärmeplanung ganz konkret" in client.get(calendar).content.decode()
    assert "Wärmeplanung ganz konkret" in client.get(home).content.decode()
    RegistrationFactory(event=event)
    assert client.get(calendar)["X-Page-Cache"] == "miss"
    EventFactory(network=network, visibility=Visibility.PUBLIC, title="Neuer Termin", starts_at=in_days(3))
    assert "Neuer Termin" in client.get(calendar).content.decode()


def test_logged_in_users_never_get_the_cached_page(client, measure):
    url = urls(measure)["roadmap"]
    anonymous = client.get(url)
    assert anonymous["X-Page-Cache"] == "miss" and client.get(url)["X-Page-Cache"] == "hit"
    client.force_login(PersonFactory().user)
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "Log out" in response.content.decode() or "Abmelden" in response.content.decode()


def test_languages_are_kept_apart(client, measure):
    german = client.get("/")  # literal addresses: after /en/ reverse() would build English ones
    english = client.get("/en/")
    assert english["X-Page-Cache"] == "miss"
    assert german.content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in german.content.decode() and '<html lang="en">' in english.content.decode()
    assert '<html lang="en">' in client.get("/en/").content.decode()
    again = client.get("/")
    assert again["X-Page-Cache"] == "hit" and '<html lang="de">' in again.content.decode()


def test_query_strings_are_kept_apart(client, measure):
    MeasureFactory(roadmap=measure.roadmap, title="Radweg Rurtal", sector="mobility")
    base = reverse("measures:measure-list", args=[measure.roadmap.slug])
    assert "Radweg Rurtal" not in client.get(base + "?handlungsfeld=energy_supply").content.decode()
    assert "Radweg Rurtal" in client.get(base + "?handlungsfeld=mobility").content.decode()


def test_no_csrf_token_is_stored_and_each_visitor_gets_a_working_one(client, measure):
    url = urls(measure)["roadmap"]
    client.get(url)
    first_visitor = client.get(url)
    assert first_visitor["X-Page-Cache"] == "hit"
    assert cache.PLACEHOLDER not in first_visitor.content
    token = first_visitor.cookies.get("csrftoken")
    assert token and token.value
    other = type(client)(enforce_csrf_checks=True)
    second_visitor = other.get(url)
    html = second_visitor.content.decode()
    masked = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert masked not in first_visitor.content.decode()
    response = other.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": masked})
    assert response.status_code == 302  # the token from the cached page is valid for this visitor


def test_pending_messages_and_errors_are_not_cached(client, measure):
    url = urls(measure)["roadmap"]
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Gespeichert.")
    response = client.get("/")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "X-Page-Cache" not in client.get(url)
    del client.cookies["messages"]
    bad = reverse("measures:measure-list", args=[measure.roadmap.slug]) + "?suche=" + "x" * 500  # a form error
    assert client.get(bad).status_code == 400
    assert "X-Page-Cache" not in client.get(bad)


def test_off_where_each_process_has_its_own_cache_unless_debugging(settings):
    """Several gunicorn workers, each with a local-memory cache, would not see each other's bumps; `make run`
    (DEBUG, one process) and Redis have it on. The tests set PUBLIC_PAGE_CACHE: on, as production."""
    del settings.PUBLIC_PAGE_CACHE
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    assert not cache.enabled()
    settings.DEBUG = True
    assert cache.enabled()
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    assert cache.enabled()


def test_off_when_the_settings_say_so(client, measure, settings):
    settings.PUBLIC_PAGE_CACHE = False
    assert not cache.enabled()
    assert "X-Page-Cache" not in client.get(urls(measure)["roadmap"])


def test_bump_after_eviction_never_reuses_a_version():
    cache.bump("roadmap:x")
    first = django_cache.get("pagecache:v:roadmap:x")
    django_cache.delete("pagecache:v:roadmap:x")
    cache.bump("roadmap:x")
    assert django_cache.get("pagecache:v:roadmap:x") > first


def test_bump_counts_each_scope_once_and_starts_a_missing_one_from_the_clock():
    django_cache.set("pagecache:v:roadmap:a", 41, timeout=None)
    before = time.time_ns()
    cache.bump("roadmap:a", "home", "roadmap:a")
    assert django_cache.get("pagecache:v:roadmap:a") == 42  # named twice, counted once
    assert django_cache.get("pagecache:v:home") >= before


def test_bump_on_redis_is_one_round_trip_for_all_scopes(monkeypatch):
    from config.cache import TolerantRedisCache

    backend = caches["default"]
    if not isinstance(backend, TolerantRedisCache):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but the cache is not Redis (CACHE_URL)")
        pytest.skip("the cache is not Redis (CACHE_URL)")
    client = backend._cache.get_client(None, write=True)
    sent = []
    original = type(client).execute_command

    def execute_command(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(client), "execute_command", execute_command)
    django_cache.set("pagecache:v:network:a", 7, timeout=None)
    sent.clear()
    cache.bump("network:a", "network:b", "home")
    assert sent == ["EVALSHA"]
    assert django_cache.get("pagecache:v:network:a") == 8
    assert django_cache.get("pagecache:v:network:b") > 10**18  # from the clock (nanoseconds)
    assert client.ttl(backend.make_and_validate_key("pagecache:v:network:b")) == -1  # kept until evicted


def test_bump_while_redis_is_unreachable_is_dropped_with_a_warning(caplog):
    from config.cache import TolerantRedisCache

    backend = TolerantRedisCache("redis://127.0.0.1:1/0", {})
    backend.incr_or_start(["pagecache:v:home"], 1)  # no exception: the save that bumps goes on
    assert "incr_or_start skipped, Redis unreachable" in caplog.text


def test_remembered_computes_once_until_a_scope_is_bumped():
    calls = []

    def compute():
        calls.append(1)
        return {"role": "member"}

    assert cache.remembered("t:remembered", ["user:7"], compute) == {"role": "member"}
    assert cache.remembered("t:remembered", ["user:7"], compute) == {"role": "member"}
    assert len(calls) == 1
    cache.bump("user:8")  # another account: still the kept answer
    cache.remembered("t:remembered", ["user:7"], compute)
    assert len(calls) == 1
    cache.bump("user:7")
    cache.remembered("t:remembered", ["user:7"], compute)
    assert len(calls) == 2


def test_remembered_keeps_nothing_when_the_computation_fails_and_forgets_after_check_seconds(monkeypatch):
    def refuse():
        raise PermissionError

    with pytest.raises(PermissionError):
        cache.remembered("t:refused", ["user:9"], refuse)
    assert django_cache.get("t:refused") is None
    timeouts = []
    monkeypatch.setattr(cache.cache, "set", lambda key, value, timeout: timeouts.append(timeout))
    cache.remembered("t:kept", ["user:9"], lambda: 1)
    assert timeouts == [cache.CHECK_SECONDS]  # a bump lost while Redis was away leaves it at most this long


def test_remembered_computes_every_time_without_the_cache(settings):
    settings.PUBLIC_PAGE_CACHE = False
    calls = []
    cache.remembered("t:off", ["user:1"], lambda: calls.append(1))
    cache.remembered("t:off", ["user:1"], lambda: calls.append(1))
    assert len(calls) == 2
