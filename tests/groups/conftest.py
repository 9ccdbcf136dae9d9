"""A closed working group in the personas' network (tests/conftest.py), with what every room keeps of it.

``group_member`` is a member of the network in the closed group; the personas' ``member`` is a member of the network
outside it; ``former`` is still in the group but has lost their role in the network.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from networks.channel import services as channel
from networks.library import services as library
from networks.models import WorkingGroup
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


@pytest.fixture
def closed(personas) -> ClosedWorld:
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
