"""Delivery preferences: defaults, changes, one query per network, the one-click tokens."""

import pytest

from networks.digest import preferences
from networks.digest.models import DeliveryPreference, PostsMode

pytestmark = pytest.mark.django_db


def test_defaults_without_a_row(personas, network, django_assert_num_queries):
    ids = [personas.people["member"].pk, personas.people["coordinator"].pk]
    with django_assert_num_queries(1):
        assert preferences.post_modes(network, ids) == dict.fromkeys(ids, "daily")
    with django_assert_num_queries(1):
        assert preferences.announcements_by_email(network, ids) == dict.fromkeys(ids, True)
    assert not DeliveryPreference.objects.exists()


def test_no_people_no_query(network, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert preferences.post_modes(network, []) == {}
        assert preferences.announcements_by_email(network, []) == {}


def test_choices_are_per_network(personas, network, other_network):
    member = personas.people["member"]
    preferences.set_posts(member, network, PostsMode.EACH)
    preferences.set_announcements(member, network, False)
    assert preferences.post_modes(network, [member.pk]) == {member.pk: "each"}
    assert preferences.announcements_by_email(network, [member.pk]) == {member.pk: False}
    assert preferences.post_modes(other_network, [member.pk]) == {member.pk: "daily"}
    # changing one part keeps the other; calling twice changes nothing more
    preferences.set_posts(member, network, PostsMode.WEEKLY)
    preferences.set_posts(member, network, PostsMode.WEEKLY)
    pref = DeliveryPreference.objects.get(person=member, network=network)
    assert (pref.posts, pref.announcements_by_email) == ("weekly", False)


def test_unknown_mode_is_refused(personas, network):
    with pytest.raises(ValueError):
        preferences.set_posts(personas.people["member"], network, "hourly")


def test_one_click_token_round_trip_and_forgery(personas, network):
    member = personas.people["member"]
    token = preferences.one_click_token(member, network, "announcements-digest")
    assert preferences.one_click_read(token) == (member.pk, network.pk, "announcements-digest")
    assert preferences.one_click_read(token[:-2] + "xx") is None
    assert preferences.one_click_read("garbage") is None
    everywhere = preferences.one_click_token(member, None, "posts-off")
    assert preferences.one_click_read(everywhere) == (member.pk, None, "posts-off")
