"""The working groups' one read rule (networks.access): its forms agree with each other for every persona, and
with what each room's own rule answers (channel, library, search scopes, digests)."""

from __future__ import annotations

import pytest

from networks import access
from networks.channel.access import can_read_thread, person_may_post
from networks.channel.models import Thread
from networks.library.models import Document
from networks.models import NetworkRole, WorkingGroup
from networks.search import scopes
from networks.search.selectors import viewer_scopes
from tests.groups.conftest import GROUP_PERSONAS, READERS

pytestmark = pytest.mark.django_db

PEOPLE = ["citizen", "other_network", "member", "group_member", "former", "coordinator"]  # persons, without staff


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_queryset_and_object_check_agree(client, closed, persona):
    user = closed.request_user(client, persona)
    groups = [closed.group, closed.open_group]
    readable = set(WorkingGroup.objects.readable_by(user).values_list("pk", flat=True))
    assert readable == {g.pk for g in groups if access.can_read_working_group(user, g)}
    expected_open = persona in {"member", "group_member", "coordinator", "staff"}
    assert (closed.open_group.pk in readable) is expected_open
    assert (closed.group.pk in readable) is (persona in READERS)


@pytest.mark.parametrize("persona", PEOPLE)
def test_person_forms_agree_with_the_user_form(client, closed, persona):
    person = closed.person(persona)
    user = closed.request_user(client, persona)
    for group in (closed.group, closed.open_group):
        by_user = access.can_read_working_group(user, group)
        assert access.person_may_read_working_group(person, group) is by_user
        assert access.working_group_readers(group).filter(pk=person.pk).exists() is by_user
        if persona in ("member", "group_member", "coordinator"):  # the digest asks only about the person's networks
            batch = access.ClosedGroupReaders([person.pk], [group.pk])
            assert batch.may(person.pk, group.pk) is by_user


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_the_rooms_follow_the_rule(client, closed, persona):
    user = closed.request_user(client, persona)
    reads = persona in READERS
    threads = set(Thread.objects.visible_to(user).values_list("pk", flat=True))
    assert (closed.thread.pk in threads) is reads is can_read_thread(user, closed.thread)
    in_place = Document.objects.filter(access.in_readable_place(user), pk=closed.document.pk).exists()
    assert in_place is reads
    # the search: the closed group's items carry group:<id> and coordinators:<network>, which meet the readers'
    held = viewer_scopes(user)
    item = scopes.internal(closed.network.pk, closed.group)
    assert item == {scopes.group(closed.group.pk), scopes.coordinators(closed.network.pk)}
    assert ("*" in held or bool(held & item)) is reads


def test_a_member_who_lost_the_network_role_loses_the_group(client, closed):
    group_member = closed.person("group_member")
    assert person_may_post(group_member, closed.thread)
    NetworkRole.objects.filter(person=group_member).delete()
    user = type(group_member.user).objects.get(pk=group_member.user.pk)  # the next request
    assert not access.can_read_working_group(user, closed.group)
    assert scopes.group(closed.group.pk) not in viewer_scopes(user)
    assert not person_may_post(closed.person("group_member"), closed.thread)


def test_opening_the_group_gives_it_to_every_member(client, closed):
    member = closed.request_user(client, "member")
    assert not can_read_thread(member, closed.thread)
    closed.group.is_open = True
    closed.group.save()
    assert can_read_thread(member, closed.thread)
    assert access.working_group_readers(closed.group).filter(pk=closed.person("member").pk).exists()
    assert scopes.internal(closed.network.pk, closed.group) == {scopes.members(closed.network.pk)}


def test_batch_readers_cost_nothing_without_groups(django_assert_num_queries, closed):
    with django_assert_num_queries(0):
        assert access.ClosedGroupReaders([closed.person("member").pk], [None]).may(closed.person("member").pk, None)
    with django_assert_num_queries(3):
        readers = access.ClosedGroupReaders(
            [closed.person(p).pk for p in PEOPLE], [closed.group.pk, closed.open_group.pk]
        )
    with_role = ["member", "group_member", "coordinator"]  # a digest asks only about the person's networks
    assert {p for p in with_role if readers.may(closed.person(p).pk, closed.group.pk)} == {
        "group_member",
        "coordinator",
    }
    assert all(readers.may(closed.person(p).pk, closed.open_group.pk) for p in with_role)
