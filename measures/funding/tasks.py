"""Celery tasks of the funding radar (thin: the services do the work; safe to run twice)."""

from __future__ import annotations

from celery import shared_task

from measures.funding import services


@shared_task(acks_late=True)
def reminders_send() -> int:
    """Daily: deadline reminders six and two weeks ahead (once each: the outbox's unique key)."""
    return services.reminders_send()
