"""Search answers in the cache (networks.search.answers): served again only to the same scopes, never stale."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Visibility
from networks.models import NetworkRole
from networks.search import registry, scopes
from networks.search.query import search
from networks.search.selectors import viewer_scopes
from tests.events.factories import EventFactory
from tests.measures.factories import MeasureFactory
from tests.networks import factories as f

pytestmark = pytest.mark.django_db

WORD = "Abwärmekataster"


def _found(user, q=WORD, **filters) -> set[str]:
    """The titles found, without highlighting and without a measure's code ("M-001 ")."""
    titles = (h.title_html.replace("<mark>", "").replace("</mark>", "") for h in search(user, q, **filters).hits)
    return {re.sub(r"^[A-Z]+-\d+ ", "", title) for title in titles}


def _statements(user, q=WORD) -> int:
    """How many full-text statements one search runs (0 when its answer comes from the cache)."""
    with CaptureQueriesContext(connection) as captured:
        search(type(user).objects.get(pk=user.pk) if user.is_authenticated else user, q)
    return sum(1 for query in captured.captured_queries if "search_searchentry" in query["sql"])


@pytest.fixture
def world(personas, django_capture_on_commit_callbacks):
    # Indexed as after a commit (the registry's batch of this transaction is flushed, so the tests' own
    # changes start a batch of their own).
    with django_capture_on_commit_callbacks(execute=True):
        MeasureFactory(title=f"{WORD} für alle")
        EventFactory(network=personas.network, title=f"{WORD} intern")
        EventFactory(network=personas.other, title=f"{WORD} im anderen Netzwerk")
    registry.reindex()
    return personas


def test_a_repeated_search_runs_no_statement(world):
    member = world.user("member")
    assert _statements(member) == 1
    assert _statements(member) == 0
    assert _statements(member, WORD + " intern") == 1  # other words: another answer


def test_viewers_with_the_same_scopes_share_one_answer_others_do_not(world):
    anonymous = AnonymousUser()
    assert _statements(anonymous) == 1
    assert _statements(AnonymousUser()) == 0  # every anonymous visitor holds the same scopes
    member, other = world.user("member"), world.user("other_network")
    assert _found(member) == {f"{WORD} für alle", f"{WORD} intern"}
    assert _found(other) == {f"{WORD} für alle", f"{WORD} im anderen Netzwerk"}
    assert _statements(world.user("coordinator")) == 1  # coordinators hold one scope more


def test_a_new_item_is_found_at_once(world, django_capture_on_commit_callbacks):
    member = world.user("member")
    assert f"{WORD} neu" not in _found(member)
    with django_capture_on_commit_callbacks(execute=True):
        MeasureFactory(title=f"{WORD} neu")
    assert f"{WORD} neu" in _found(type(member).objects.get(pk=member.pk))
    assert f"{WORD} neu" in _found(AnonymousUser())


def test_an_item_that_leaves_a_scope_is_gone_at_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(network=world.network, title=f"{WORD} Fachtag", visibility=Visibility.PUBLIC)
    assert f"{WORD} Fachtag" in _found(AnonymousUser())
    with django_capture_on_commit_callbacks(execute=True):
        event.visibility = Visibility.NETWORK
        event.save()
    assert f"{WORD} Fachtag" not in _found(AnonymousUser())  # the public answer was not served again
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert f"{WORD} Fachtag" not in _found(world.user("member"))


def test_a_role_lost_is_a_different_key(world):
    member = world.user("member")
    assert f"{WORD} intern" in _found(member)
    NetworkRole.objects.filter(person__user=member).delete()
    assert f"{WORD} intern" not in _found(type(member).objects.get(pk=member.pk))


def test_a_new_member_finds_the_network_at_once(world):
    outsider = world.user("citizen")
    assert f"{WORD} intern" not in _found(outsider)
    f.NetworkRoleFactory(network=world.network, person=outsider.person)
    assert f"{WORD} intern" in _found(type(outsider).objects.get(pk=outsider.pk))


def _scopes(user) -> tuple[frozenset[str], int]:
    """The scopes of ``user`` as the next request reads them, and how many queries that took."""
    with CaptureQueriesContext(connection) as captured:
        held = viewer_scopes(type(user).objects.get(pk=user.pk))
    return held, len(captured.captured_queries) - 1  # without the user's own row


def test_the_scopes_are_kept_until_a_working_group_membership_changes(world):
    member = world.user("member")
    group = f.WorkingGroupFactory(network=world.network)
    held, queries = _scopes(member)
    assert queries == 1
    assert _scopes(member) == (held, 0)  # the next request reads them from the cache
    assert scopes.group(group.pk) not in held
    group.members.add(member.person)
    assert _scopes(member) == (held | {scopes.group(group.pk)}, 1)
    member.person.working_groups.remove(group)  # from the other side
    assert _scopes(member) == (held, 1)
    group.members.add(member.person)
    group.members.clear()
    assert _scopes(member) == (held, 1)
    assert _scopes(member) == (held, 0)


def test_a_renamed_network_is_named_at_once(world):
    member = world.user("member")
    labels = [facet.label for facet in search(member, WORD).networks]
    assert labels == [world.network.short_name or world.network.name]
    assert _statements(member) == 0
    world.network.name, world.network.short_name = "Klimanetzwerk Rureifel", "KNR"
    world.network.save()
    assert [facet.label for facet in search(type(member).objects.get(pk=member.pk), WORD).networks] == ["KNR"]
    hits = search(type(member).objects.get(pk=member.pk), WORD).hits
    assert {hit.network.label for hit in hits if hit.network} == {"KNR"}


def test_off_means_every_search_runs(world, settings):
    settings.PUBLIC_PAGE_CACHE = False
    member = world.user("member")
    assert _statements(member) == 1
    assert _statements(member) == 1
