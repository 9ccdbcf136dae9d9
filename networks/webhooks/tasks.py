"""Celery tasks of the webhooks: thin, take ids, safe to run twice (each send claims its row)."""

from celery import shared_task

from networks.webhooks import services


@shared_task(acks_late=True)
def delivery_send(delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True)
def deliveries_sweep() -> int:
    return services.deliveries_sweep()
