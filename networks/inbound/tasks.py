"""Celery tasks of networks.inbound: the beat task that fetches replies from the IMAP mailbox every minute."""

import logging
import uuid

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from networks.inbound import fetch
from observability import metrics

logger = logging.getLogger(__name__)

LOCK_KEY = "inbound:fetch-lock"
LOCK_TIMEOUT = 10 * 60  # seconds: a worker that dies mid-run blocks the next runs at most this long


@shared_task(ignore_result=True)
def inbound_fetch() -> str:
    """One run over the mailbox, one worker at a time (a cache lock: a run still busy when the next minute's task
    comes is not joined by a second). Off while INBOUND_IMAP_URL is empty."""
    if not settings.INBOUND_IMAP_URL:
        return "off"
    owner = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, owner, LOCK_TIMEOUT):
        logger.info("inbound fetch skipped: another run holds the lock")
        return "busy"
    try:
        report = fetch.fetch_and_process()
    finally:
        if cache.get(LOCK_KEY) == owner:
            cache.delete(LOCK_KEY)
    metrics.INBOUND_BACKLOG.set(report.left)
    metrics.INBOUND_LAST_RUN.set_to_current_time()
    if report.seen:
        logger.info("inbound fetch: %s", report)
    return str(report)
