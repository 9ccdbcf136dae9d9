"""Celery tasks of the announcements: thin, take ids, safe to run twice (the outbox claims each row)."""

from celery import shared_task

from networks.announcements import services


@shared_task(acks_late=True)
def announcement_deliver(announcement_id: int) -> int:
    return services.announcement_deliver(announcement_id=announcement_id)
