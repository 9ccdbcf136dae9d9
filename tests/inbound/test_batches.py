"""The fetch takes replies in batches (issue 15 §3, performance): each message in its own transaction, but the
search is reindexed once per batch (networks.search.registry.deferred) and the readers' emails of the batch's posts
go to one Celery task (networks.channel.tasks.posts_notify), idempotent through the outbox keys.

These tests commit (transaction=True): the reindex and the task run after the commits, as in production. The IMAP
server is a stand-in here; tests/inbound/test_imap_integration.py runs the same fetch against Dovecot."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from networks.channel import tasks as channel_tasks
from networks.channel.models import Post
from networks.digest.preferences import set_posts
from networks.inbound import fetch
from networks.models import OutboxMessage
from networks.search import index
from tests.inbound.factories import reply_mail

pytestmark = pytest.mark.django_db(transaction=True)


class StandInMailbox:
    """What fetch_and_process uses of imap-tools' mailbox."""

    def __init__(self, raws: list[bytes]):
        self.messages = [SimpleNamespace(uid=str(n), raw=raw) for n, raw in enumerate(raws)]
        self.moved: list[list[str]] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def fetch(self, criteria, *, mark_seen, limit, bulk):
        return iter(self.messages[:limit] if limit else self.messages)

    def move(self, uids, folder):
        self.moved.append(list(uids))

    def uids(self, criteria):  # the backlog left after the run (observability's gauge): all taken
        return []


@pytest.fixture
def replies(personas, thread, address_of, monkeypatch):
    """Five replies of the member in a mailbox that fetch reads in batches of three."""
    member = personas.people["member"]
    raws = [reply_mail(to=address_of(member, thread), sender=member.user.email, body=f"Antwort {n}") for n in range(5)]
    box = StandInMailbox(raws)
    monkeypatch.setattr(fetch, "connect", lambda config: box)
    monkeypatch.setattr(fetch, "done_folder", lambda mailbox: "Verarbeitet")
    monkeypatch.setattr(fetch, "BATCH", 3)
    return box


def test_a_batch_reindexes_once_and_hands_its_posts_to_one_task(personas, thread, replies, monkeypatch):
    updates, handed = [], []
    real_update = index.update
    monkeypatch.setattr(index, "update", lambda kind, pks: (updates.append((kind, list(pks))), real_update(kind, pks)))
    monkeypatch.setattr(channel_tasks.posts_notify, "delay", lambda ids: handed.append(list(ids)))

    report = fetch.fetch_and_process(limit=None)

    assert report.outcomes == {"posted": 5}
    posts = list(Post.objects.filter(via="email").order_by("pk").values_list("pk", flat=True))
    assert len(posts) == 5
    assert [pks for kind, pks in updates if kind == "post"] == [posts[:3], posts[3:]]  # once per batch, not per reply
    assert [kind for kind, _pks in updates].count("thread") == 2
    assert handed == [posts[:3], posts[3:]]
    assert replies.moved == [["0", "1", "2"], ["3", "4"]]


def test_the_readers_emails_come_from_the_task_once_even_when_it_runs_twice(personas, thread, replies):
    coordinator = personas.people["coordinator"]  # started the thread: follows it
    set_posts(personas.people["member"], thread.network, "each")  # the author: never mailed their own post

    fetch.fetch_and_process(limit=None)  # eager in tests: the task runs right after each batch

    rows = OutboxMessage.objects.filter(reason__startswith="channel_", object_type="channel.post")
    assert sorted(rows.values_list("recipient", flat=True)) == [coordinator.user.email] * 5
    posts = list(Post.objects.filter(via="email").values_list("pk", flat=True))
    assert channel_tasks.posts_notify(posts) == 5  # a second run (a retry, a worker that died): nothing twice
    assert rows.count() == 5


def test_a_post_hidden_before_the_task_runs_tells_nobody(personas, thread, replies, monkeypatch):
    handed = []
    monkeypatch.setattr(channel_tasks.posts_notify, "delay", lambda ids: handed.extend(ids))
    fetch.fetch_and_process(limit=None)
    Post.objects.filter(pk=handed[0]).update(hidden_at=thread.created_at, hidden_reason="Spam")
    assert channel_tasks.posts_notify(handed) == 4
    assert not OutboxMessage.objects.filter(object_type="channel.post", object_id=str(handed[0])).exists()
