"""Celery tasks of the discussions: the readers' emails of posts written elsewhere than in a request (replies by
email, networks.inbound), handed over in batches after the posts committed.

Such a post is written with ``notify_pending``; ``posts_notify`` clears it in the transaction that writes the
post's emails. When the hand-over is lost (the broker was down as the batch ended, or the queue lost the task),
``posts_notify_sweep`` (beat, every few minutes) sends what is still pending after ``SWEEP_GRACE``; the outbox keys
(recipient, kind, post) make a sweep that meets a late task write nothing twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from networks.channel import notify
from networks.channel.models import Post


@shared_task(acks_late=True, ignore_result=True)
def posts_notify(post_ids: list[int]) -> int:
    """The emails of these posts to their readers (networks.channel.notify.post_created). Idempotent: each email's
    outbox key (recipient, kind, post) makes a second run, or a worker that died half-way, write nothing twice.
    A post hidden or deleted before the task ran tells nobody. Returns how many posts it handled."""
    posts = (
        Post.objects.filter(pk__in=post_ids, hidden_at__isnull=True)
        .select_related("thread__network", "thread__working_group", "author")
        .order_by("pk")
    )
    done = 0
    for post in posts:
        with transaction.atomic():  # one post's emails together, and the mark that they are written
            notify.post_created(post)
            Post.objects.filter(pk=post.pk).update(notify_pending=False)
        done += 1
    Post.objects.filter(pk__in=post_ids, notify_pending=True, hidden_at__isnull=False).update(notify_pending=False)
    return done


SWEEP_GRACE = timedelta(minutes=5)  # a hand-over that works has run by then (the fetch hands over per batch)
SWEEP_BATCH = 500


@shared_task(ignore_result=True)
def posts_notify_sweep() -> int:
    """The readers' emails of posts whose task never ran (lost hand-over): at most SWEEP_BATCH per run, oldest
    first, older than SWEEP_GRACE. Returns how many posts it handled."""
    pending = (
        Post.objects.filter(notify_pending=True, hidden_at__isnull=True, created_at__lt=timezone.now() - SWEEP_GRACE)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    post_ids = list(pending[:SWEEP_BATCH])
    return posts_notify(post_ids) if post_ids else 0
