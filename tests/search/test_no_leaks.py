"""The search leaks nothing (issue 15 §6): for every persona, every hit, snippet and count is of an object the
persona can open, and every object the persona can open is found.

The world holds objects of every registered source with one rare word, visible to different audiences: public,
network A's members (the personas' network), its coordination, network B's members (the other network, made
private here), the editors of one organisation. "Can open" is asked of the product itself: the persona's client
GETs the hit's address and must get a 200 with the rare word on the page (minutes of an event the persona sees
but whose minutes are still unpublished do not count as opened).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events.models import Document, Visibility
from networks.library.models import FileText
from networks.models import NetworkRole
from networks.search import registry
from networks.search.backends import PAGE_SIZE
from networks.search.query import search
from tests.conftest import PERSONAS, built_once
from tests.events.factories import EventFactory, OutcomeFactory, QuestionFactory
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.networks import factories as f

pytestmark = pytest.mark.django_db

RARE = "Zyxolith"


def _event_document(event, title):
    upload = SimpleUploadedFile("folien.txt", f"Folien {RARE} Fernwärme".encode(), content_type="text/plain")
    document = Document.objects.create(
        event=event, title=title, file=upload, content_type="text/plain", size=upload.size
    )
    text = f"Folien {RARE} Fernwärme"
    FileText.objects.create(storage_name=document.file.name, text=text, extracted_at=timezone.now())
    return document


def _channel(world, a, b, personas):
    from networks.channel.services import post_reply, thread_create

    member, other = personas.people["member"], personas.people["other_network"]
    thread = thread_create(network=a, author=member, title=f"Frage zu {RARE} A", body=f"Wer kennt {RARE}?")
    post_reply(thread=thread, author=personas.people["coordinator"], body=f"Antwort: {RARE} ist bekannt.")
    thread_b = thread_create(network=b, author=other, title=f"Frage zu {RARE} B", body=f"{RARE} im Netzwerk B")
    post_reply(thread=thread_b, author=other, body=f"Nachtrag {RARE} B")


def _announcements(world, a, b, personas):
    from networks.announcements.models import Announcement

    for network, author in ((a, "coordinator"), (b, "other_network")):
        Announcement.objects.create(
            network=network,
            author=personas.people[author],
            subject=f"Einladung {RARE} {network.short_name}",
            body=f"Text {RARE}",
            state=Announcement.State.SENT,
            sent_at=timezone.now(),
        )
    Announcement.objects.create(network=a, subject=f"Entwurf {RARE}", body=f"Entwurf {RARE}")  # a draft


def _library(world, a, b, personas):
    from networks.library.services import document_store

    for network, uploader in ((a, "member"), (b, "other_network")):
        document_store(
            network=network,
            uploaded_by=personas.people[uploader],
            name="protokoll.txt",
            content=f"Protokoll {RARE} {network.short_name}".encode(),
            title=f"Protokoll {RARE} {network.short_name}",
        )
    from networks.library.models import FileText as Text

    for row in Text.objects.all():  # the extraction task's work, done here at once
        row.text = row.text or f"{RARE}"
        row.save()


def _faq_entries(world, a, b, personas):
    from networks.channel.models import FaqEntry

    for network in (a, b):
        FaqEntry.objects.create(network=network, question=f"Wie geht {RARE} {network.short_name}?", answer="So.")


def _closed_group(world, a, b, personas):
    """A closed working group of network A with a thread, a reply and a document: the personas' member is not in it
    (finds nothing of it), the coordinator and staff find it; ``group_member`` (tests below) is in it."""
    from networks.channel.services import post_reply, thread_create
    from networks.library.services import document_store

    group = f.WorkingGroupFactory(network=a, name="Steuerungsgruppe", is_open=False)
    insider = f.NetworkRoleFactory(network=a, person__name="Gruppenmitglied").person
    group.members.add(insider)
    personas.people["group_member"] = insider
    thread = thread_create(
        network=a, author=insider, working_group=group, title=f"Geschlossen {RARE}", body=f"Intern {RARE} Gruppe"
    )
    post_reply(thread=thread, author=insider, body=f"Nachtrag {RARE} Gruppe")
    document_store(
        network=a,
        working_group=group,
        uploaded_by=insider,
        name="gruppe.txt",
        content=f"Gruppe {RARE}".encode(),
        title=f"Gruppenpapier {RARE}",
    )


def _measure_library(world, a, b, personas):
    """The measure library (issue 17, measures/catalogue): a published entry is public, an unpublished one nobody's."""
    from tests.catalogue.factories import LibraryEntryFactory

    LibraryEntryFactory(title=f"Steckbrief {RARE} veröffentlicht")
    LibraryEntryFactory(title=f"Steckbrief {RARE} Entwurf", published=False)


# Builders of the other rooms' sources, run when the room has registered them.
ROOMS = {
    "library_entry": _measure_library,
    "thread": _channel,
    "announcement": _announcements,
    "library_document": _library,
    "faq_entry": _faq_entries,
    "post": _closed_group,  # threads, posts and documents of a closed working group
}


@pytest.fixture(scope="module")
def _world_once(_personas_once, django_db_blocker):
    """The world, built once for the module on its personas (tests.conftest.built_once: rolled back at the module's
    end, with a media directory of its own for the documents' files); each test runs in a savepoint inside it."""
    with built_once(django_db_blocker, "klimanetz-search-") as media:
        _build_world(_personas_once)
        yield media


@pytest.fixture
def world(_world_once, _personas_of_test, settings):
    """The module's world: its personas as a copy of their own for the test (tests.conftest._personas_of_test)."""
    settings.MEDIA_ROOT = _world_once
    return _personas_of_test


def _build_world(personas):
    a, b = personas.network, personas.other
    b.is_public = False
    b.description = f"Ein privates Netzwerk ({RARE})."
    b.save()
    a.description = f"Das öffentliche Netzwerk ({RARE})."
    a.save()
    editor_org = personas.people["editor"].organisation_roles.get().organisation
    f.MembershipFactory(network=a, organisation=f.OrganisationFactory(name=f"Stadtwerke {RARE} A"))
    f.MembershipFactory(network=b, organisation=f.OrganisationFactory(name=f"Stadtwerke {RARE} B"))
    f.WorkingGroupFactory(network=a, name=f"AG {RARE} A")
    f.WorkingGroupFactory(network=b, name=f"AG {RARE} B")
    f.NetworkRoleFactory(network=a, person__name=f"Frau {RARE} A")
    f.NetworkRoleFactory(network=b, person__name=f"Herr {RARE} B")
    f.NetworkRoleFactory(network=b, person__name=f"Anonymisiert {RARE}", person__anonymised_at=timezone.now())

    public_roadmap = RoadmapFactory(title=f"Roadmap {RARE} öffentlich")
    hidden_roadmap = RoadmapFactory(organisation=editor_org, title=f"Roadmap {RARE} Entwurf", published=False)
    measure = MeasureFactory(roadmap=public_roadmap, title=f"Maßnahme {RARE} öffentlich")
    MeasureUpdateFactory(measure=measure, text=f"Sachstand {RARE}")
    MeasureFactory(roadmap=public_roadmap, title=f"Maßnahme {RARE} unveröffentlicht", published=False)
    MeasureFactory(roadmap=hidden_roadmap, title=f"Maßnahme {RARE} der Redaktion")
    MeasureFactory(roadmap=public_roadmap, title="Maßnahme intern", internal_note=f"intern {RARE}")

    public_event = EventFactory(network=a, title=f"Fachtag {RARE} öffentlich", visibility=Visibility.PUBLIC)
    internal_event = EventFactory(network=a, title=f"Treffen {RARE} intern")
    event_b = EventFactory(network=b, title=f"Treffen {RARE} B")
    EventFactory(network=b, title=f"Fachtag {RARE} B öffentlich", visibility=Visibility.PUBLIC)  # private network
    published = EventFactory(network=a, title="Treffen mit Protokoll", visibility=Visibility.PUBLIC)
    published.minutes, published.minutes_published_at = f"Protokoll {RARE} veröffentlicht", timezone.now()
    published.save()
    draft = EventFactory(network=a, title="Treffen mit Entwurf")
    draft.minutes = f"Protokollentwurf {RARE}"
    draft.save()
    OutcomeFactory(event=internal_event, network=a, text=f"Beschluss {RARE} A")
    OutcomeFactory(event=event_b, network=b, text=f"Aufgabe {RARE} B")
    answered = QuestionFactory(event__network=a, text=f"Frage {RARE} A?")
    answered.answer, answered.answered_at = f"Antwort {RARE}", timezone.now()
    answered.save()
    QuestionFactory(event__network=a, text=f"Offene Frage {RARE}?")  # unanswered: not in the FAQ
    _event_document(public_event, f"Folien {RARE} öffentlich")
    _event_document(internal_event, f"Folien {RARE} intern")
    _event_document(event_b, f"Folien {RARE} B")

    for kind, build in ROOMS.items():
        if registry.get(kind) is not None:
            build(None, a, b, personas)
    registry.reindex()
    return personas


def _all_hits(user):
    first = search(user, RARE)
    hits = list(first.hits)
    for page in range(2, first.pages + 1):
        hits += search(user, RARE, page=page).hits
    return first, hits


def _opens(client, url) -> bool:
    response = client.get(url)
    if response.status_code != 200:
        return False
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return RARE.lower() in content.decode("utf-8", "replace").lower()


def _candidates():
    """Every indexed object of the world whose text holds the rare word, with its address: (kind, pk, url)."""
    from django.db.models import Q

    from networks.search.models import SearchEntry

    entries = SearchEntry.objects.filter(Q(title__icontains=RARE) | Q(body__icontains=RARE))
    return [(e.kind, e.object_id, e.url) for e in entries]


def test_every_source_is_in_the_world(world):
    from networks.search.models import SearchEntry

    indexed = set(SearchEntry.objects.values_list("kind", flat=True))
    missing = [s.kind for s in registry.sources() if s.kind not in indexed]
    assert not missing, f"the leak test builds no object of these sources: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_results_are_exactly_what_the_persona_may_open(world, client, persona):
    world.login(client, persona)
    user = world.user(persona) if persona != "anonymous" else client.get("/").wsgi_request.user
    first, hits = _all_hits(user)
    found = {(h.kind, h.object_id) for h in hits}

    # Counts: the total and every facet count only what the persona sees.
    assert first.total == len(hits) == len(found)
    assert sum(facet.count for facet in first.kinds) == first.total
    network_hits = sum(1 for h in hits if h.network is not None)
    assert sum(facet.count for facet in first.networks) == network_hits
    assert len(hits) <= PAGE_SIZE * 50

    # Every hit (title and snippet come only from hits) opens for the persona.
    for hit in hits:
        assert _opens(client, hit.url), f"{persona} finds {hit.kind} {hit.object_id} but cannot open {hit.url}"

    # Every indexed object the persona can open is found.
    for kind, pk, url in _candidates():
        if (kind, pk) not in found and kind != "minutes":
            assert not _opens(client, url), f"{persona} can open {kind} {pk} at {url} but does not find it"
    if persona in ("coordinator", "staff"):
        assert any(h.kind == "minutes" for h in hits)


def test_the_matrix_is_not_empty(world, client):
    """The world gives every persona something different: the assertions above are not vacuous."""
    seen = {}
    for persona in PERSONAS:
        user = world.user(persona) if persona != "anonymous" else None
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        elif persona == "staff":
            continue
        seen[persona] = {(h.kind, h.object_id) for h in _all_hits(user)[1]}
    assert seen["anonymous"] and seen["anonymous"] < seen["member"]
    assert seen["member"] < seen["coordinator"]  # the unpublished minutes
    assert not (seen["member"] - seen["anonymous"]) & seen["other_network"]
    assert seen["editor"] - seen["anonymous"]  # the organisation's unpublished roadmap


def test_member_of_another_network_finds_nothing_of_its_threads(world, client):
    if registry.get("thread") is None:
        pytest.skip("the channel has not registered its threads")
    hits = _all_hits(world.user("other_network"))[1]
    network_a = world.network.pk
    assert not [h for h in hits if h.kind in ("thread", "post") and h.network and h.network.pk == network_a]
    assert [h for h in hits if h.kind == "thread"]  # but those of their own network


def test_losing_the_role_stops_finding_at_once(world):
    member = world.user("member")
    before = {(h.kind, h.object_id) for h in _all_hits(member)[1]}
    citizen = {(h.kind, h.object_id) for h in _all_hits(world.user("citizen"))[1]}
    assert citizen < before
    NetworkRole.objects.filter(person__user=member).delete()
    member = type(member).objects.get(pk=member.pk)  # the next request: a fresh user object
    assert {(h.kind, h.object_id) for h in _all_hits(member)[1]} == citizen


def _commit_search_batches() -> None:
    """What the commit does for the search (networks.search.registry): the world is built inside the test's
    transaction, so the changes wait in the connection's pending batches; reindex them now."""
    from django.db import transaction

    for batch in list(transaction.get_connection().__dict__.get("_search_batches", {}).values()):
        batch.flush()


def test_a_closed_groups_items_only_for_its_members_and_the_coordination(world, client):
    """The personas' member is in network A but not in its closed group: its thread, reply and document are neither
    found nor counted for them; the group's member finds and opens them; opening the group gives them to every
    member, closing it hides them at once (saving the group reindexes its items after the commit)."""
    from networks.models import WorkingGroup

    if registry.get("post") is None:
        pytest.skip("the channel has not registered its posts")

    from networks.channel.models import Post, Thread

    group = WorkingGroup.objects.get(name="Steuerungsgruppe")
    items = {("thread", pk) for pk in Thread.objects.filter(working_group=group).values_list("pk", flat=True)}
    items |= {
        ("post", pk)
        for pk in Post.objects.filter(thread__working_group=group, number__gt=1).values_list("pk", flat=True)
    }
    items |= {("library_document", pk) for pk in group.library_documents.values_list("pk", flat=True)}

    def group_hits(user):
        return {(h.kind, h.object_id) for h in _all_hits(user)[1]} & items

    insider = world.people["group_member"]
    assert not group_hits(world.user("member"))
    found = group_hits(insider.user)
    assert found == items and {kind for kind, _pk in found} == {"thread", "post", "library_document"}
    assert group_hits(world.user("coordinator")) == found
    client.force_login(insider.user)
    for hit in _all_hits(insider.user)[1]:  # the group's items (every other hit: the persona matrix above)
        if (hit.kind, hit.object_id) in items:
            assert _opens(client, hit.url), f"the group's member cannot open {hit.url}"

    group = WorkingGroup.objects.get(pk=group.pk)
    group.is_open = True
    group.save()
    _commit_search_batches()
    assert group_hits(world.user("member")) == found
    group = WorkingGroup.objects.get(pk=group.pk)
    group.is_open = False
    group.save()
    _commit_search_batches()
    assert not group_hits(world.user("member")), "closing the group must hide its items at once"
    assert group_hits(insider.user) == found
