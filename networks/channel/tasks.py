"""Celery tasks of the discussions: the readers' emails of posts written elsewhere than in a request (replies by
email, networks.inbound), handed over in batches after the posts committed."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

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
        with transaction.atomic():  # one post's emails together
            notify.post_created(post)
        done += 1
    return done
