"""The body of a network's internal space from the cache (networks.views.network_space): the same for every
member (and every coordinator) of the network, renewed by every change it shows, never for outsiders. The
viewer's account (networks.backends) and access to the network (networks.access) are kept in the cache too:
every change that takes either away is in force at the next request."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from networks import cache
from networks.models import NetworkRole
from tests.events.factories import EventFactory, OutcomeFactory, in_days
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


def space(client, personas, name="member"):
    personas.login(client, name)
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code == 200
    return response


def test_second_request_is_a_hit_with_a_constant_number_of_queries(client, personas, django_assert_num_queries):
    assert space(client, personas)["X-Page-Cache"] == "miss"
    url = reverse("networks:network-space", args=[personas.network.slug])
    for size in (2, 10):
        for _ in range(size):
            f.WorkingGroupFactory(network=personas.network).members.add(f.PersonFactory())
            EventFactory(network=personas.network, starts_at=in_days(3))
        assert space(client, personas)["X-Page-Cache"] == "miss"  # renewed by the new rows
        with django_assert_num_queries(0):  # the session (config.sessions), the account and the access to the
            # network from the cache (networks.cache.remembered)
            assert client.get(url)["X-Page-Cache"] == "hit"


def test_every_change_it_shows_is_in_the_next_request(client, personas):
    network = personas.network
    space(client, personas)
    group = f.WorkingGroupFactory(network=network, name="AG Wärmewende")
    assert "AG Wärmewende" in space(client, personas).content.decode()
    group.members.add(f.PersonFactory())  # the member count of the group
    assert space(client, personas)["X-Page-Cache"] == "miss"
    f.CampaignFactory(network=network, title="Stadtradeln Westpfalz")
    assert "Stadtradeln Westpfalz" in space(client, personas).content.decode()
    EventFactory(network=network, title="Nächstes Netzwerktreffen", starts_at=in_days(1))
    assert "Nächstes Netzwerktreffen" in space(client, personas).content.decode()
    OutcomeFactory(event=EventFactory(network=network, starts_at=in_days(-3)), due_date=date.today() - timedelta(1))
    assert space(client, personas)["X-Page-Cache"] == "miss"
    new = f.NetworkRoleFactory(network=network, role=NetworkRole.Role.COORDINATOR, person__name="Neue Koordinatorin")
    assert "Neue Koordinatorin" in space(client, personas).content.decode()
    new.person.contact_visibility = "network"
    new.person.save()
    new.person.user.email = "neu@westpfalz.example"
    new.person.user.save()
    assert space(client, personas)["X-Page-Cache"] == "miss"


def test_a_login_does_not_renew_it(client, personas):
    space(client, personas)
    client.logout()
    assert space(client, personas)["X-Page-Cache"] == "hit"  # force_login saved only last_login


def test_members_never_get_the_coordinators_body(client, personas):
    create = reverse("networks:working-group-create", args=[personas.network.slug])
    assert create in space(client, personas, "coordinator").content.decode()
    client.logout()
    as_member = space(client, personas, "member")
    assert as_member["X-Page-Cache"] == "miss" and create not in as_member.content.decode()


@pytest.mark.parametrize("persona", ["citizen", "other_network", "editor"])
def test_outsiders_never_get_the_cached_body(client, personas, persona):
    EventFactory(network=personas.network, title="Internes Treffen", starts_at=in_days(2))
    assert "Internes Treffen" in space(client, personas).content.decode()
    client.logout()
    personas.login(client, persona)
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code in (403, 404) and "Internes Treffen" not in response.content.decode()


def test_the_whole_page_is_a_hit_with_the_viewers_own_csrf_token(client, personas):
    assert space(client, personas)["X-Page-Cache"] == "miss"
    strict = Client(enforce_csrf_checks=True)
    personas.login(strict, "member")  # another session, another CSRF token
    again = space(strict, personas)
    html = again.content.decode()
    assert again["X-Page-Cache"] == "hit" and cache.PLACEHOLDER.decode() not in html
    assert strict.post(reverse("account_logout"), {"csrfmiddlewaretoken": _token_in(html)}).status_code == 302


def _token_in(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_staff_and_coordinators_links_are_never_served_to_members(client, personas):
    admin, coordination = reverse("admin:index"), reverse("networks:people-manage", args=[personas.network.slug])
    staff = space(client, personas, "staff").content.decode()
    assert admin in staff and coordination in staff
    client.logout()
    coordinator = space(client, personas, "coordinator")
    assert coordinator["X-Page-Cache"] == "miss" and coordination in coordinator.content.decode()
    assert admin not in coordinator.content.decode()
    client.logout()
    member = space(client, personas, "member")
    assert member["X-Page-Cache"] == "miss"
    assert admin not in member.content.decode() and coordination not in member.content.decode()


def test_a_member_removed_from_the_network_is_refused_at_once(client, personas):
    assert space(client, personas)["X-Page-Cache"] == "miss"
    assert space(client, personas)["X-Page-Cache"] == "hit"
    NetworkRole.objects.filter(network=personas.network, person=personas.people["member"]).delete()
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code in (403, 404) and b"Internal space" not in response.content


def test_the_network_renamed_and_another_language_and_path_are_other_pages(client, personas):
    space(client, personas)
    personas.network.short_name = "KTT-Neu"
    personas.network.save()
    renewed = space(client, personas)
    assert renewed["X-Page-Cache"] == "miss" and "KTT-Neu" in renewed.content.decode()
    url = reverse("networks:network-space", args=[personas.network.slug])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", QUERY_STRING="x=1")
    assert english["X-Page-Cache"] == "miss" and '?x=1"' in english.content.decode()


def test_pending_messages_are_shown_and_the_page_with_them_is_not_stored(client, personas):
    space(client, personas)
    personas.login(client, "member")
    client.post(reverse("events:calendar-token-renew"))  # leaves a success message in the session
    shown = space(client, personas)
    assert "X-Page-Cache" not in shown and "message-success" in shown.content.decode()
    assert space(client, personas)["X-Page-Cache"] == "hit"  # the page stored before, without the message
    assert "message-success" not in space(client, personas).content.decode()


def test_a_deactivated_account_is_logged_out_at_once(client, personas):
    space(client, personas)
    space(client, personas)  # the account and the access now come from the cache
    user = personas.people["member"].user
    user.is_active = False
    user.save()
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_new_password_logs_the_other_sessions_out_at_once(client, personas):
    space(client, personas)
    space(client, personas)
    user = personas.people["member"].user
    user.set_password("ein-neues-Passwort-2026")
    user.save()
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_staff_rights_taken_away_are_in_force_at_once(client, personas):
    assert reverse("admin:index") in space(client, personas, "staff").content.decode()
    user = personas.people["staff"].user
    user.is_staff = False
    user.save()
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code == 403  # staff see every network's space; this person is no member of it


def test_a_member_promoted_to_coordinator_gets_the_coordinators_page_at_once(client, personas):
    manage = reverse("networks:people-manage", args=[personas.network.slug])
    assert manage not in space(client, personas).content.decode()
    role = NetworkRole.objects.get(network=personas.network, person=personas.people["member"])
    role.role = NetworkRole.Role.COORDINATOR
    role.save()
    assert manage in space(client, personas).content.decode()
