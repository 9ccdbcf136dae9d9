"""A closed working group in every room, asked through the product with every persona: the group page, the
discussions (lists, thread, panels, new threads, mentions, notifications, reply by email, digest), the library
(group library, folder, document, download, upload places, digest), and opening or closing the group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.channel import digest as channel_digest
from networks.channel import services as channel
from networks.channel.models import Thread
from networks.channel.notify import readers_of
from networks.digest.preferences import set_posts
from networks.digest.sections import Request
from networks.inbound import services as inbound
from networks.inbound.models import InboundMessage
from networks.library import digest as library_digest
from networks.models import OutboxMessage
from tests.groups.conftest import GROUP_PERSONAS, READERS
from tests.inbound.conftest import address_of, inbound_on  # noqa: F401 (fixtures)
from tests.inbound.factories import reply_mail
from tests.networks.factories import NetworkRoleFactory

pytestmark = pytest.mark.django_db

SECRET = "Vertraulich: Angebot"  # in the closed group's thread title
DOCUMENT = "Angebot Wärmeplanungsbüro"


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def _status(client, closed, persona, url) -> int:
    closed.login(client, persona)
    return client.get(url).status_code


# --- the group page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_group_page(client, closed, persona):
    closed.login(client, persona)
    response = client.get(closed.group.get_absolute_url())
    expected = {"anonymous": 302, "citizen": 404, "other_network": 404, "former": 404}.get(persona, 200)
    assert response.status_code == expected
    if expected != 200:
        return
    page = _text(response)
    assert "Geschlossene Gruppe" in page and "Gruppenmitglied Steuerung" in page  # who is in it: for every member
    assert (SECRET in page) is (persona in READERS)
    assert (DOCUMENT in page) is (persona in READERS)
    assert "die Koordination nimmt Mitglieder auf" in page or "Die Koordination nimmt Mitglieder auf" in page
    assert "Arbeitsgruppe beitreten" not in page  # nobody joins a closed group themselves
    assert ("Arbeitsgruppe verlassen" in page) is (persona == "group_member")


def test_open_group_page_offers_joining(client, closed):
    closed.login(client, "member")
    page = _text(client.get(closed.open_group.get_absolute_url()))
    assert "Arbeitsgruppe beitreten" in page and "PV auf Schuldächern" in page and "Geschlossene Gruppe" not in page


def test_group_list_marks_the_closed_group(client, closed):
    closed.login(client, "member")
    page = _text(client.get(reverse("networks:working-group-list", args=[closed.network.slug])))
    assert "Steuerungsgruppe Wärmeplanung" in page and "Geschlossene Gruppe" in page


@pytest.mark.parametrize("persona", ["member", "coordinator"])
def test_join_a_closed_group_refused_open_group_joined(client, closed, persona):
    closed.login(client, persona)
    person = closed.person(persona)
    response = client.post(reverse("channel:group-join", args=[closed.network.slug, closed.group.pk]))
    assert response.status_code == 403 and not closed.group.members.filter(pk=person.pk).exists()
    response = client.post(reverse("channel:group-join", args=[closed.network.slug, closed.open_group.pk]))
    assert response.status_code == 302 and closed.open_group.members.filter(pk=person.pk).exists()


def test_a_member_leaves_a_closed_group(client, closed):
    closed.login(client, "group_member")
    client.post(reverse("channel:group-leave", args=[closed.network.slug, closed.group.pk]))
    assert not closed.group.members.filter(pk=closed.person("group_member").pk).exists()
    assert client.get(closed.thread.get_absolute_url()).status_code == 404  # and no longer reads it


def test_coordinator_closes_and_opens_a_group_and_admits_members(client, closed):
    edit = reverse("networks:working-group-edit", args=[closed.network.slug, closed.open_group.pk])
    closed.login(client, "member")
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"name": "AG PV-Kampagne"}).status_code == 403
    closed.login(client, "coordinator")
    form = _text(client.get(edit))
    assert "alle Mitglieder des Netzwerks können die Gruppe lesen und selbst beitreten" in form
    member = closed.person("member")
    response = client.post(edit, {"name": "AG PV-Kampagne", "members": [member.pk], "is_active": "on"})
    assert response.status_code == 302
    closed.open_group.refresh_from_db()
    assert not closed.open_group.is_open and list(closed.open_group.members.all()) == [member]
    response = client.post(edit, {"name": "AG PV-Kampagne", "is_open": "on", "is_active": "on"})
    closed.open_group.refresh_from_db()
    assert response.status_code == 302 and closed.open_group.is_open


# --- discussions ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_thread_page_and_post_link(client, closed, persona):
    expected = 200 if persona in READERS else 302 if persona == "anonymous" else 404
    assert _status(client, closed, persona, closed.thread.get_absolute_url()) == expected
    reply = closed.thread.posts.get(number=2)
    assert _status(client, closed, persona, reply.get_absolute_url().split("#")[0]) in {expected, 302}


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator", "staff"])
def test_thread_list_and_its_group_filter(client, closed, persona):
    closed.login(client, persona)
    target = reverse("channel:thread-list", args=[closed.network.slug])
    page = _text(client.get(target))
    assert (SECRET in page) is (persona in READERS) and "Allgemeine Frage" in page and "PV auf Schuldächern" in page
    filtered = client.get(target, {"gruppe": closed.group.pk})
    titles = {t.title for t in filtered.context["page"].object_list}
    assert (closed.thread.title in titles) is (persona in READERS)


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_network_space_never_shows_a_closed_groups_thread(client, closed, persona):
    """The network space is cached per network and role, not per person: it shows no closed group's threads or
    documents to anybody (they are on the group's page and in the lists)."""
    closed.login(client, persona)
    page = _text(client.get(reverse("networks:network-space", args=[closed.network.slug])))
    assert SECRET not in page and DOCUMENT not in page and "Allgemeine Frage" in page


@pytest.mark.parametrize("persona", ["member", "group_member"])
def test_dashboard_unread_threads(client, closed, persona):
    closed.login(client, persona)
    page = _text(client.get(reverse("networks:dashboard")))
    assert (SECRET in page) is (persona == "group_member")  # new for both, readable for one


def test_member_cannot_start_a_thread_in_a_closed_group(client, closed):
    closed.login(client, "member")
    target = reverse("channel:thread-create", args=[closed.network.slug])
    form = client.get(target, {"gruppe": closed.group.pk}).context["form"]
    assert closed.group not in form.fields["working_group"].queryset
    data = {"title": "Hineingeschrieben", "body": "Darf ich?", "working_group": closed.group.pk}
    response = client.post(target, data)
    assert response.status_code == 400 and "Darf ich?" in _text(response)  # the text is kept
    assert not Thread.objects.filter(title="Hineingeschrieben").exists()
    with pytest.raises(Exception, match="closed group|geschlossenen"):
        channel.thread_create(
            network=closed.network, author=closed.person("member"), working_group=closed.group, title="X", body="Y"
        )
    closed.login(client, "group_member")
    response = client.post(
        target, {"title": "Aus der Gruppe", "body": "Nächster Termin?", "working_group": closed.group.pk}
    )
    assert response.status_code == 302 and Thread.objects.get(title="Aus der Gruppe").working_group == closed.group


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_reply_and_follow_refused_outside_the_group(client, closed, persona):
    closed.login(client, persona)
    reply = client.post(reverse("channel:post-create", args=[closed.network.slug, closed.thread.pk]), {"body": "Hi"})
    assert reply.status_code == (302 if persona in READERS else 404)
    follow = client.post(
        reverse("channel:thread-follow", args=[closed.network.slug, closed.thread.pk]), {"state": "following"}
    )
    assert follow.status_code == (302 if persona in READERS else 404)


def test_mentions_only_resolve_readers_of_the_closed_group(closed):
    outbox = OutboxMessage.objects.filter(reason="channel_mention")
    before = set(outbox.values_list("recipient", flat=True))
    channel.post_reply(
        thread=closed.thread, author=closed.person("group_member"), body="@Mitglied und @Koordinatorin, bitte lesen."
    )
    mentioned = set(outbox.values_list("recipient", flat=True)) - before
    assert closed.person("member").user.email not in mentioned
    assert {p.pk for p in readers_of(closed.thread)} == {
        closed.person("group_member").pk,
        closed.person("coordinator").pk,
    }
    assert closed.person("member").pk in {p.pk for p in readers_of(closed.open_thread)}


def test_mention_suggestions_for_a_closed_groups_thread(client, closed):
    closed.login(client, "group_member")
    people = reverse("channel:people", args=[closed.network.slug])
    names = {p["name"] for p in client.get(people, {"q": "Mitglied", "thema": closed.thread.pk}).json()["people"]}
    assert names == {"Gruppenmitglied Steuerung"}  # not "Mitglied", who is outside the group
    names = {p["name"] for p in client.get(people, {"q": "Mitglied"}).json()["people"]}
    assert {"Mitglied", "Gruppenmitglied Steuerung"} <= names
    closed.login(client, "member")
    assert client.get(people, {"q": "Mitglied", "thema": closed.thread.pk}).status_code == 404


def test_every_post_by_email_only_to_readers(closed):
    for persona in ("member", "group_member", "coordinator"):
        set_posts(closed.person(persona), closed.network, "each")
    post = channel.post_reply(thread=closed.thread, author=closed.person("coordinator"), body="Neuer Stand.")
    rows = OutboxMessage.objects.filter(reason="channel_post", object_id=str(post.pk))
    assert set(rows.values_list("recipient", flat=True)) == {closed.person("group_member").user.email}


def test_reply_by_email_refused_for_a_network_member_outside_the_group(closed, inbound_on, address_of):  # noqa: F811
    from networks.inbound.models import InboundMessage as Row

    member, group_member = closed.person("member"), closed.person("group_member")
    result = inbound.process(reply_mail(to=address_of(member, closed.thread), sender=member.user.email))
    assert (result.outcome, result.reason) == ("refused", Row.Reason.NO_ACCESS)
    result = inbound.process(reply_mail(to=address_of(group_member, closed.thread), sender=group_member.user.email))
    assert result.outcome == "posted" and closed.thread.posts.filter(via="email").count() == 1
    # the group's member leaves it: their next reply is refused
    closed.group.members.remove(group_member)
    result = inbound.process(reply_mail(to=address_of(group_member, closed.thread), sender=group_member.user.email))
    assert (result.outcome, result.reason) == ("refused", Row.Reason.NO_ACCESS)
    assert InboundMessage.objects.count() == 3


def _digest(section, closed, persona):
    now = timezone.now()
    request = Request(
        person=closed.person(persona), networks=(closed.network,), since=now - timedelta(days=1), until=now
    )
    return {item.title for item in section([request]).get(closed.person(persona).pk, [])}


@pytest.mark.parametrize("persona", ["member", "reader", "coordinator"])
def test_digest_sections(closed, persona):
    """A closed group's threads and documents only in its readers' digests (``reader``: a second member of the
    group, who got nothing of it by email)."""
    if persona == "reader":
        reader = NetworkRoleFactory(network=closed.network, person__name="Zweites Gruppenmitglied").person
        closed.group.members.add(reader)
        closed.people["reader"] = reader
    threads = _digest(channel_digest.items_batch, closed, persona)
    assert (closed.thread.title in threads) is (persona in {"reader", "coordinator"})
    assert "Allgemeine Frage" in threads or persona == "member"  # the member wrote that one: not their news
    documents = _digest(library_digest.new_documents, closed, persona)
    assert (DOCUMENT in documents) is (persona in {"reader", "coordinator"})


# --- library ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_library_of_the_closed_group(client, closed, persona):
    slug, group, document, folder = closed.network.slug, closed.group, closed.document, closed.folder
    urls = {
        "group": reverse("library:group-library", args=[slug, group.pk]),
        "folder": reverse("library:folder-detail", args=[slug, folder.pk]),
        "document": reverse("library:document-detail", args=[slug, document.pk]),
        "download": reverse("library:document-download", args=[slug, document.pk]),
        "version": reverse("library:version-download", args=[slug, document.pk, 1]),
    }
    closed.login(client, persona)
    got = {name: client.get(url).status_code for name, url in urls.items()}
    if persona in READERS:
        assert set(got.values()) == {200}
    elif persona == "anonymous":
        assert set(got.values()) == {302}
    elif persona == "member":  # sees the group, not what is in it
        assert got == {"group": 403, "folder": 404, "document": 404, "download": 404, "version": 404}
    else:  # outside the network: its library is closed to them (403 on a public network, as for every page of it)
        assert set(got.values()) <= {403, 404}


@pytest.mark.parametrize("persona", ["member", "group_member"])
def test_library_page_and_upload_places(client, closed, persona):
    closed.login(client, persona)
    slug = closed.network.slug
    page = _text(client.get(reverse("library:library", args=[slug])))
    assert ("Steuerungsgruppe Wärmeplanung" in page) is (persona == "group_member")
    upload = reverse("library:document-upload", args=[slug])
    choices = dict(client.get(upload).context["form"].fields["place"].choices)
    assert (f"g{closed.group.pk}" in choices) is (persona == "group_member")
    assert (f"f{closed.folder.pk}" in choices) is (persona == "group_member")
    assert f"g{closed.open_group.pk}" in choices
    folder_form = client.get(reverse("library:folder-create", args=[slug]), {"ordner": closed.folder.pk})
    assert (folder_form.context["form"]["place"].value() == f"f{closed.folder.pk}") is (persona == "group_member")


def test_member_cannot_upload_into_a_closed_group(client, closed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    closed.login(client, "member")
    upload = SimpleUploadedFile("notiz.txt", b"Notiz", content_type="text/plain")
    response = client.post(
        reverse("library:document-upload", args=[closed.network.slug]),
        {"file": upload, "title": "Notiz", "place": f"g{closed.group.pk}"},
    )
    assert response.status_code == 400 and not closed.group.library_documents.filter(title="Notiz").exists()
