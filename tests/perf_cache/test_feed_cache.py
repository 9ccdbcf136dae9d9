"""The personal calendar feed from the cache (events/views/calendar.py, networks.cache.fetch_checked): every change
of what it shows is in the next fetch, the token is checked on every request, ETag and 304."""

import hashlib

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse

from events import services
from events.models import Event, Registration, Visibility
from networks import cache
from networks.models import NetworkRole
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


def feed_url(person) -> str:
    return reverse("events:personal-feed", args=[services.calendar_token_get(person=person).token])


def feed_key(url: str) -> str:
    return (
        f"pagecache:feed:{hashlib.sha256(url.rstrip('/').rsplit('/', 1)[-1].removesuffix('.ics').encode()).hexdigest()}"
    )


def fetch(client, person, **headers):
    response = client.get(feed_url(person), **headers)
    assert response.status_code in (200, 304)
    return response


def test_second_fetch_is_a_hit_without_a_query(client, personas, django_assert_num_queries):
    member = personas.people["member"]
    EventFactory(network=personas.network, title="Netzwerktreffen")
    assert fetch(client, member)["X-Page-Cache"] == "miss"
    url = feed_url(member)
    with django_assert_num_queries(0):  # the entry; the versions of its scopes and the mark of a recent check
        again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and "Netzwerktreffen" in again.content.decode()


def test_the_token_is_checked_again_once_the_mark_has_expired(client, personas, django_assert_num_queries):
    member = personas.people["member"]
    url = feed_url(member)
    fetch(client, member)
    django_cache.delete(f"{feed_key(url)}:checked")  # CHECK_SECONDS later
    with django_assert_num_queries(1):  # the token with person and user
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_renewal_whose_bump_was_lost_is_caught_by_the_next_check(client, personas, monkeypatch):
    """Redis unreachable while the token was renewed: the entry is served at most until the mark expires."""
    member = personas.people["member"]
    old_url = feed_url(member)
    fetch(client, member)
    with monkeypatch.context() as patched:
        patched.setattr(cache, "bump", lambda *scopes: None)
        services.calendar_token_renew(person=member)
    assert client.get(old_url).status_code == 200  # the lost bump: still the old entry
    django_cache.delete(f"{feed_key(old_url)}:checked")
    assert client.get(old_url).status_code == 404


def test_an_entry_is_not_stored_when_its_scopes_changed_while_it_was_built(personas):
    """A role added between the first look at the scopes and the rows rendered: not stored (its network's
    changes would not renew it)."""
    names = iter([["person:1"], ["person:1", "network:neu"]])
    payload, state = cache.fetch_checked("pagecache:test", 60, lambda: "subject", lambda s: next(names), lambda s: (1,))
    assert (payload, state) == ((1,), "miss") and django_cache.get("pagecache:test") is None


def test_new_moved_and_cancelled_events_of_my_network_show(client, personas):
    member = personas.people["member"]
    event = EventFactory(network=personas.network, title="Netzwerktreffen", starts_at=in_days(5))
    fetch(client, member)
    EventFactory(network=personas.network, title="Neues Treffen")
    assert "Neues Treffen" in fetch(client, member).content.decode()
    event.starts_at, event.ends_at = in_days(6), in_days(6, hour=12)
    event.save()
    assert in_days(6).strftime("%Y%m%d") in fetch(client, member).content.decode()
    event.status = Event.Status.CANCELLED
    event.save()
    assert "STATUS:CANCELLED" in fetch(client, member).content.decode()


def test_registrations_elsewhere_show_and_go(client, personas):
    citizen = personas.people["citizen"]
    elsewhere = EventFactory(network=f.NetworkFactory(), title="Anderswo öffentlich", visibility=Visibility.PUBLIC)
    assert "Anderswo" not in fetch(client, citizen).content.decode()
    registration = RegistrationFactory(event=elsewhere, person=citizen)
    body = fetch(client, citizen).content.decode()
    assert "Anderswo öffentlich" in body and elsewhere.online_url in body
    # the event of another network changes: it is in the feed's scopes through the registration
    elsewhere.title = "Anderswo umbenannt"
    elsewhere.save()
    assert "Anderswo umbenannt" in fetch(client, citizen).content.decode()
    registration.status = Registration.Status.CANCELLED
    registration.save()
    assert "Anderswo" not in fetch(client, citizen).content.decode()


def test_a_new_role_and_a_new_language_show(client, personas):
    member = personas.people["member"]
    foreign = EventFactory(network=personas.other, title="Im anderen Netzwerk")
    assert foreign.title not in fetch(client, member).content.decode()
    role = NetworkRole.objects.create(network=personas.other, person=member, role=NetworkRole.Role.COORDINATOR)
    body = fetch(client, member).content.decode()
    assert foreign.title in body and foreign.online_url in body  # coordinators get the links
    role.delete()
    assert foreign.title not in fetch(client, member).content.decode()
    member.language = "en"
    member.save(update_fields=["language"])
    assert "my events" in fetch(client, member).content.decode()


def test_nobody_gets_a_feed_cached_for_someone_else(client, personas):
    member, outsider = personas.people["member"], personas.people["other_network"]
    EventFactory(network=personas.network, title="Nur für KTT")
    assert "Nur für KTT" in fetch(client, member).content.decode()
    assert fetch(client, member)["X-Page-Cache"] == "hit"
    theirs = fetch(client, outsider)
    assert theirs["X-Page-Cache"] == "miss" and "Nur für KTT" not in theirs.content.decode()


def test_a_cached_feed_is_not_served_for_a_renewed_token_or_a_deactivated_account(client, personas):
    member = personas.people["member"]
    old_url = feed_url(member)
    fetch(client, member), fetch(client, member)
    services.calendar_token_renew(person=member)
    assert client.get(old_url).status_code == 404
    url = feed_url(member)
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_a_cached_feed_is_not_served_once_the_account_is_deleted_or_the_token_removed(client, personas):
    member, citizen = personas.people["member"], personas.people["citizen"]
    url = feed_url(member)
    fetch(client, member), fetch(client, member)
    member.calendar_token.delete()
    assert client.get(url).status_code == 404
    url = feed_url(citizen)
    assert fetch(client, citizen)["X-Page-Cache"] == "miss" and fetch(client, citizen)["X-Page-Cache"] == "hit"
    citizen.user.delete()
    assert client.get(url).status_code == 404


def test_etag_and_not_modified(client, personas):
    member = personas.people["member"]
    first = fetch(client, member)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "private, max-age=300"
    unchanged = fetch(client, member, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged["ETag"] == etag and not unchanged.content
    EventFactory(network=personas.network, title="Neu seit dem letzten Abruf")
    changed = fetch(client, member, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Neu seit dem letzten Abruf" in changed.content.decode()
