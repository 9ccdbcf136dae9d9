"""Celery tasks: thin, take ids, call services, safe to run twice."""

from celery import shared_task

from networks import outbox


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def outbox_deliver_task(message_id: int) -> bool:
    return outbox.outbox_deliver(message_id=message_id)


@shared_task(acks_late=True)
def outbox_send_pending() -> int:
    sent = 0
    for message_id in outbox.outbox_due_ids():
        sent += outbox.outbox_deliver(message_id=message_id)
    return sent


@shared_task(acks_late=True)
def outbox_release_stale() -> int:
    return outbox.outbox_release_stale()
