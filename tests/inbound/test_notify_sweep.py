"""Replies by email whose readers' emails were lost on the way to the worker (issue 15 §3): the broker is down when
a batch ends, so ``posts_notify.delay`` fails and the fetch goes on (networks.outbox.queue_on_commit logs it). The
posts stay marked ``notify_pending``; beat's ``posts_notify_sweep`` writes their emails after SWEEP_GRACE, once,
also when the lost task turns up later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from networks.channel import tasks as channel_tasks
from networks.channel.models import Post
from networks.inbound import fetch
from networks.models import OutboxMessage
from tests.inbound.test_batches import replies  # noqa: F401 (fixture: five replies in a stand-in mailbox)

pytestmark = pytest.mark.django_db(transaction=True)


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")


def _emails():
    return OutboxMessage.objects.filter(reason__startswith="channel_", object_type="channel.post")


def _age(minutes: int) -> None:
    """As if the replies came ``minutes`` ago."""
    Post.objects.filter(via="email").update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_emails_lost_with_the_broker_are_sent_by_the_sweep_once(personas, thread, replies, monkeypatch):  # noqa: F811
    coordinator = personas.people["coordinator"]  # started the thread: follows it, gets every reply
    monkeypatch.setattr(channel_tasks.posts_notify, "delay", _broker_down)

    report = fetch.fetch_and_process(limit=None)

    assert report.outcomes == {"posted": 5}  # the fetch went on: the posts are there
    assert not _emails().exists()  # ... but no task wrote their emails
    assert Post.objects.filter(via="email", notify_pending=True).count() == 5
    assert channel_tasks.posts_notify_sweep() == 0  # within the grace a late task may still come
    _age(10)

    assert channel_tasks.posts_notify_sweep() == 5
    assert sorted(_emails().values_list("recipient", flat=True)) == [coordinator.user.email] * 5
    assert not Post.objects.filter(notify_pending=True).exists()
    assert channel_tasks.posts_notify_sweep() == 0  # nothing left
    # the lost task turns up after all (a broker that kept it): nothing twice
    channel_tasks.posts_notify(list(Post.objects.filter(via="email").values_list("pk", flat=True)))
    assert _emails().count() == 5


def test_a_delivered_task_leaves_nothing_for_the_sweep(personas, thread, replies):  # noqa: F811
    fetch.fetch_and_process(limit=None)  # eager in tests: the task runs after each batch
    assert _emails().count() == 5
    assert not Post.objects.filter(notify_pending=True).exists()
    _age(10)
    assert channel_tasks.posts_notify_sweep() == 0


def test_the_sweep_skips_hidden_posts_and_web_posts_are_never_pending(personas, thread, replies, monkeypatch):  # noqa: F811
    monkeypatch.setattr(channel_tasks.posts_notify, "delay", _broker_down)
    fetch.fetch_and_process(limit=None)
    _age(10)
    first = Post.objects.filter(via="email").order_by("pk").first()
    Post.objects.filter(pk=first.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    assert channel_tasks.posts_notify_sweep() == 4
    assert not _emails().filter(object_id=str(first.pk)).exists()
    assert not Post.objects.filter(via="web", notify_pending=True).exists()  # the thread's first post


def test_the_sweep_is_on_beat():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "networks.channel.tasks.posts_notify_sweep" in tasks
