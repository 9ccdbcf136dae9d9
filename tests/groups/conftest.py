"""A closed working group in the personas' network (tests/conftest.py), with what every room keeps of it.

``group_member`` is a member of the network in the closed group; the personas' ``member`` is a member of the network
outside it; ``former`` is still in the group but has lost their role in the network.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from networks.channel import services as channel
from networks.library import services as library
from networks.models import WorkingGroup
from tests.conftest import added_once, built_once
from tests.helpers import login_persona
from tests.networks.factories import NetworkRoleFactory, PersonFactory, WorkingGroupFactory

# Who is asked, for every room: the personas of DESIGN §4 and the group's own people.
GROUP_PERSONAS = ["anonymous", "citizen", "other_network", "member", "group_member", "former", "coordinator", "staff"]
READERS = {"group_member", "coordinator", "staff"}  # who may read the closed group's discussion and documents


@dataclass
class ClosedWorld:
    personas: object
    group: WorkingGroup
    open_group: WorkingGroup
    thread: object  # the closed group's thread (with a reply)
    open_thread: object  # a thread of the open group
    network_thread: object  # a thread of the whole network
    document: object  # the closed group's library document
    folder: object  # the closed group's folder
    media: Path | None = None  # the files of a world built once for the module

    @property
    def network(self):
        return self.personas.network

    def person(self, name: str):
        return self.people[name]

    @property
    def people(self) -> dict:
        return self.personas.people

    def user(self, name: str):
        return None if name == "anonymous" else self.people[name].user

    def login(self, client, name: str) -> None:
        login_persona(client, name, self.user(name))

    def request_user(self, client, name: str):
        """The user as a request sees it (staff with their powers), signed in through ``client``."""
        from django.contrib.auth.models import AnonymousUser

        if name == "anonymous":
            return AnonymousUser()
        self.login(client, name)
        return client.get("/").wsgi_request.user


def run_commit_hooks() -> None:
    """Run what the set-up left for the commit (the search index's batch, the notifications), as a commit would;
    later changes then start a batch of their own (captured with django_capture_on_commit_callbacks)."""
    callbacks, connection.run_on_commit = connection.run_on_commit, []
    for _savepoints, callback, _robust in callbacks:
        callback()


@pytest.fixture(scope="module")
def _closed_once(_personas_once, django_db_blocker) -> Iterator[ClosedWorld | None]:
    """The closed group's world built once for the module on its personas (tests/conftest.py), with what it left for
    the commit run (run_commit_hooks), inside a block rolled back at the module's end with a media directory of its
    own (tests.conftest.built_once); None in a module with a test that commits."""
    if _personas_once is None:
        yield None
        return
    with built_once(django_db_blocker, "klimanetz-groups-") as media:
        world = build_closed(_personas_once)
        world.media = media
        run_commit_hooks()
        yield world


@pytest.fixture
def closed(request, db, settings, _closed_once) -> ClosedWorld:
    return for_the_test(_closed_once, settings, lambda: build_closed(request.getfixturevalue("personas")))


def added_to_closed(closed_once: ClosedWorld | None, add, django_db_blocker) -> Iterator[ClosedWorld | None]:
    """For a module fixture (``yield from``): ``add(world)`` once on the module's closed group's world (added_once);
    None where the module has a test that commits."""
    if closed_once is None:
        yield None
        return
    with added_once(django_db_blocker):
        yield add(closed_once)


def for_the_test(world: ClosedWorld | None, settings, build) -> ClosedWorld:
    """A world built once for the module, as the test's own copy (a change in memory changes nothing for the next
    test; its rows go back with the test's savepoint) with MEDIA_ROOT at its files; ``build()`` for the test where
    the module has a test that commits and nothing is built once."""
    if world is None:
        return build()
    settings.MEDIA_ROOT = str(world.media)
    return copy.deepcopy(world)


def build_closed(personas) -> ClosedWorld:
    network = personas.network
    group_member = NetworkRoleFactory(network=network, person__name="Gruppenmitglied Steuerung").person
    former = PersonFactory(name="Ehemals Steuerung")
    personas.people["group_member"], personas.people["former"] = group_member, former
    group = WorkingGroupFactory(network=network, name="Steuerungsgruppe Wärmeplanung", is_open=False)
    group.members.add(group_member, former)
    open_group = WorkingGroupFactory(network=network, name="AG PV-Kampagne")
    thread = channel.thread_create(
        network=network,
        author=group_member,
        working_group=group,
        title="Vertraulich: Angebot Wärmeplanungsbüro",
        body="Das Angebot liegt bei 80.000 Euro.",
    )
    channel.post_reply(thread=thread, author=personas.people["coordinator"], body="Danke, wir beraten am Montag.")
    open_thread = channel.thread_create(
        network=network,
        author=personas.people["member"],
        working_group=open_group,
        title="PV auf Schuldächern",
        body="Wer macht mit?",
    )
    network_thread = channel.thread_create(
        network=network, author=personas.people["member"], title="Allgemeine Frage", body="Hallo zusammen."
    )
    folder = library.folder_create(
        network=network, name="Angebote", created_by=group_member, parent=None, working_group=group
    )
    document = library.document_store(
        network=network,
        working_group=group,
        folder=folder,
        uploaded_by=group_member,
        name="angebot.txt",
        content=b"Angebot Waermeplanung vertraulich",
        title="Angebot Wärmeplanungsbüro",
    )
    return ClosedWorld(personas, group, open_group, thread, open_thread, network_thread, document, folder)
