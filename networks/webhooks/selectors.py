"""Reads of the webhooks: an owner's endpoints with their latest delivery, an endpoint's delivery log."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery

from networks.webhooks.models import Delivery, Endpoint

LOG_PAGE_SIZE = 25


def endpoints_for_list(endpoints):
    """With the number of failed and pending deliveries and when the last one was written (one query)."""
    last = Delivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk").values("created_at")[:1]
    return endpoints.annotate(
        failed_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
        pending_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
        last_delivery_at=Subquery(last),
    ).order_by("created_at", "pk")


def delivery_log(endpoint: Endpoint):
    """The endpoint's deliveries, newest first (the paged log)."""
    return Delivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")
