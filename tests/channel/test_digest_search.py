"""The discussions in the digest (new threads and replies in the window, not one's own, not muted, newest first,
constant queries per batch) and in the one search (threads and replies for the network's members; hidden posts
not indexed)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks import mail
from networks.channel import digest, search, services
from networks.channel.models import ThreadFollow
from networks.digest.sections import Request
from networks.search import scopes
from tests.networks.factories import NetworkRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def window():
    now = timezone.now()
    return now - timedelta(hours=1), now + timedelta(minutes=1)


def _request(person, networks, window):
    return Request(person=person, networks=tuple(networks), since=window[0], until=window[1])


def test_digest_items_new_threads_and_replies_not_own_not_muted(personas, window):
    member, coordinator = personas.people["member"], personas.people["coordinator"]
    first = services.thread_create(network=personas.network, author=coordinator, title="Neu", body="Frage")
    services.post_reply(thread=first, author=coordinator, body="Nachtrag")
    own = services.thread_create(network=personas.network, author=member, title="Meins", body="Eigenes")
    muted = services.thread_create(network=personas.network, author=coordinator, title="Stumm", body="x")
    services.follow_set(thread=muted, person=member, state=ThreadFollow.State.MUTED)
    mail.mail_switch_off(person=member, kind="channel_reply")  # the reply to "Meins" is not mailed at once
    services.post_reply(thread=own, author=coordinator, body="Antwort auf Ihr Thema")
    items = digest.items(member, [personas.network], *window)
    assert [i.title for i in items] == ["Meins", "Neu"]  # newest first: the reply to "Meins" came last
    assert items[0].summary.startswith("1 neue Antwort") and items[0].url.endswith("#beitrag-2")
    assert items[1].summary.startswith("Neues Thema von Koordinatorin, 1 Antwort")
    assert {i.key for i in items} == {f"channel.thread:{own.pk}", f"channel.thread:{first.pk}"}


def test_digest_leaves_out_what_came_by_email(personas, window):
    member = personas.people["member"]
    own = services.thread_create(network=personas.network, author=member, title="Meins", body="Frage")
    services.post_reply(thread=own, author=personas.people["coordinator"], body="Antwort")  # mailed: member follows
    assert digest.items(member, [personas.network], *window) == []


def test_digest_window_and_other_networks(personas, window):
    thread = services.thread_create(
        network=personas.network, author=personas.people["coordinator"], title="Alt", body="x"
    )
    thread.posts.update(created_at=window[0] - timedelta(minutes=5))
    services.thread_create(network=personas.other, author=personas.people["other_network"], title="Fremd", body="x")
    assert digest.items(personas.people["member"], [personas.network], *window) == []


def test_digest_batch_queries_do_not_grow(personas, window):
    coordinator = personas.people["coordinator"]
    for n in range(3):
        services.thread_create(network=personas.network, author=coordinator, title=f"T{n}", body="x")

    def queries(people) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = digest.items_batch([_request(p, [personas.network], window) for p in people])
        assert all(len(found) == 3 for found in result.values())
        return len(captured)

    few = queries([personas.people["member"]])
    many = queries(
        [personas.people["member"], *(r.person for r in NetworkRoleFactory.create_batch(20, network=personas.network))]
    )
    # the posts of the batch's networks, the batch's mutes, their addresses and what they got by email
    assert few == many == 4


def test_search_documents_for_members_only_and_hidden_posts_left_out(personas):
    thread = services.thread_create(
        network=personas.network, author=personas.people["member"], title="Wärmeplanung", body="Büro gesucht"
    )
    reply = services.post_reply(thread=thread, author=personas.people["coordinator"], body="Wir hatten X")
    document = search._thread_document(search._threads().get(pk=thread.pk))
    assert (document.title, document.body, document.network_id) == ("Wärmeplanung", "Büro gesucht", personas.network.pk)
    assert document.scopes == frozenset({scopes.members(personas.network.pk)})
    assert search._post_document(thread.posts.get(number=1)) is None  # the thread's document has it
    post_document = search._post_document(reply)
    assert post_document.body == "Wir hatten X" and post_document.url.endswith("#beitrag-2")
    services.post_hide(post=reply, by=personas.user("coordinator"), reason="Spam")
    reply.refresh_from_db()
    assert search._post_document(reply) is None


def test_moving_a_thread_asks_to_reindex_its_replies(personas):
    thread = services.thread_create(network=personas.network, author=personas.people["member"], title="A", body="x")
    services.post_reply(thread=thread, author=personas.people["coordinator"], body="y")
    services.thread_move(thread=thread, by=personas.user("coordinator"), title="B", category=None, working_group=None)
    assert getattr(thread, search.REINDEX_POSTS) is True


def test_search_documents_hold_the_text_as_read_without_markdown_marks(personas):
    thread = services.thread_create(
        network=personas.network,
        author=personas.people["member"],
        title="PV",
        body="**Flyer** und [Plakate](https://x.example)",
    )
    reply = services.post_reply(thread=thread, author=personas.people["coordinator"], body="- Kusel\n- *Landstuhl*")
    assert search._thread_document(search._threads().get(pk=thread.pk)).body == "Flyer und Plakate"
    assert search._post_document(reply).body == "Kusel\nLandstuhl"


def test_digest_excerpt_is_one_line(personas, window):
    coordinator = personas.people["coordinator"]
    services.thread_create(
        network=personas.network, author=coordinator, title="Gruß", body="Hallo\n\nViele Grüße\nMiriam"
    )
    (item,) = digest.items(personas.people["member"], [personas.network], *window)
    assert item.summary.endswith(": Hallo Viele Grüße Miriam")
