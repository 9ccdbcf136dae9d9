"""Webhook endpoints (of an organisation or of a network) and their deliveries (the outbox rows)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Organisation, Person
from networks.webhooks import kinds as event_types


class EndpointQuerySet(models.QuerySet):
    def of_owner(self, owner: Organisation | Network):
        field = "network" if isinstance(owner, Network) else "organisation"
        return self.filter(**{field: owner})

    def active(self):
        return self.filter(status=Endpoint.Status.ACTIVE)


class Endpoint(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="webhook_endpoints"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address (URL)"), max_length=500, help_text=_("An https:// address on the internet."))
    description = models.CharField(
        _("description"), max_length=200, blank=True, help_text=_("For example: Website of the Kreis Düren")
    )
    kinds = models.JSONField(_("event types"), default=list)
    secret = models.CharField(max_length=80, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.ACTIVE)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    pause_reason = models.CharField(_("why it was paused"), max_length=300, blank=True, editable=False)
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first failure since the last success."),
    )
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, network__isnull=False)
                | Q(organisation__isnull=False, network__isnull=True),
                name="webhook_endpoint_one_owner",
                violation_error_message=_("An endpoint belongs to an organisation or to a network."),
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.url

    def clean(self) -> None:
        if bool(self.organisation_id) == bool(self.network_id):
            raise ValidationError(_("An endpoint belongs to an organisation or to a network."))
        allowed = {t.code for t in event_types.of_scope(self.scope)}
        if not self.kinds or not set(self.kinds) <= allowed:
            raise ValidationError({"kinds": _("Choose at least one of the events offered.")})

    @property
    def scope(self) -> str:
        return event_types.NETWORK if self.network_id else event_types.ORGANISATION

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.PAUSED

    def wants(self, kind: str) -> bool:
        return kind == event_types.PING or kind in (self.kinds or [])

    def kind_labels(self) -> list[str]:
        return [event_types.label(code) for code in self.kinds or []]


class Delivery(models.Model):
    """One event for one endpoint: its signed body is fixed when it is written; each attempt updates the row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("event type"), max_length=40)
    body = models.TextField()
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)  # the first 2 KB of the last answer's body
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.endpoint_id} ({self.status})"

    @property
    def kind_label(self) -> str:
        return event_types.label(self.kind)
