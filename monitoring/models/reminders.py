"""Data-entry reminders: which person was reminded of which item for which period (once only)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Person


class Reminder(models.Model):
    class Kind(models.TextChoices):
        INDICATOR_DUE = "indicator_due", _("indicator values due")
        MEASURE_STALE = "measure_stale", _("measure without a progress report")

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="monitoring_reminders")
    kind = models.CharField(max_length=16, choices=Kind)
    item = models.CharField(max_length=40, help_text="indicator:<pk> or measure:<pk>")
    period = models.CharField(max_length=20, help_text="The due date or month the reminder is about.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data-entry reminder")
        verbose_name_plural = _("data-entry reminders")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "item", "period"], name="monitoring_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} {self.period}"
