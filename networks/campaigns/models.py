"""Models of networks.campaigns (label ``campaignfigures``): key figures of a campaign, their values, and links."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Campaign, Organisation, Person


class KeyFigure(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        YEAR = "year", _("year")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="key_figures")
    name = models.CharField(_("name"), max_length=100, help_text=_("For example: photovoltaics installed"))
    unit = models.CharField(_("unit"), max_length=30, help_text=_("For example: kWp, consultations, participants"))
    period = models.CharField(
        _("entered per"),
        max_length=8,
        choices=Period,
        default=Period.QUARTER,
        help_text=_("How often the municipalities enter the figure."),
    )
    description = models.CharField(
        _("what counts"),
        max_length=300,
        blank=True,
        help_text=_("What is counted and where it comes from, so that every municipality counts the same."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="campaignfigures_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class FigureValue(models.Model):
    figure = models.ForeignKey(KeyFigure, on_delete=models.CASCADE, related_name="values")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(
        Person, verbose_name=_("entered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["figure", "period_start", "organisation__name"]
        verbose_name = _("figure value")
        verbose_name_plural = _("figure values")
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "organisation", "period_start"], name="campaignfigures_one_value_per_period"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="campaignfigures_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.organisation} {self.period_start}: {self.value}"


class CampaignLink(models.Model):
    """An event, document or announcement the coordinators linked to the campaign (``source``: a key of
    networks.campaigns.links; ``object_id``: the object's id there)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    source = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("linked item")
        verbose_name_plural = _("linked items")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "source", "object_id"], name="campaignfigures_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.source} {self.object_id}"


def period_label(kind: str, start: date) -> str:
    if kind == KeyFigure.Period.MONTH:
        return f"{start.month:02d}/{start.year}"
    if kind == KeyFigure.Period.QUARTER:
        return f"Q{(start.month - 1) // 3 + 1}/{start.year}"
    return str(start.year)
