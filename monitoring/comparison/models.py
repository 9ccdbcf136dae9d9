"""Who publishes which figure for the comparison, and the figures themselves as stored, comparable numbers.

``ComparisonConsent`` is the organisation's opt-in (nobody, the members of its networks, everyone); ``FigureConsent``
the opt-in per figure. A figure is shared with the smaller of the two audiences; without a row nothing is shared.
``FigureValue`` holds each organisation's figures per year already per inhabitant (or per km²): derived from the
indicators, balances, heat planning and climate strategy by ``refresh`` when they change, with the audience of
the figure beside it, so that a peer statistic is one indexed query (then cached: ``statistics``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Organisation, Person


class Audience(models.IntegerChoices):
    """Who may see a figure in a comparison; each includes the one before."""

    NOBODY = 0, _("not shared")
    MEMBERS = 1, _("members of our networks")
    PUBLIC = 2, _("everyone (public)")


class ComparisonConsent(models.Model):
    """An organisation's opt-in to the comparison with similar municipalities."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="comparison_consent"
    )
    audience = models.PositiveSmallIntegerField(
        _("share our figures with"),
        choices=Audience,
        default=Audience.NOBODY,
        help_text=_("The most any figure is shared with; each figure can be shared with fewer people."),
    )
    updated_by = models.ForeignKey(
        Person, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("comparison consent")
        verbose_name_plural = _("comparison consents")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_audience_display()}"


class FigureConsent(models.Model):
    """The opt-in for one figure (monitoring.comparison.figures: its key)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="figure_consents"
    )
    figure = models.CharField(_("figure"), max_length=80)
    audience = models.PositiveSmallIntegerField(_("shared with"), choices=Audience, default=Audience.NOBODY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "figure"]
        verbose_name = _("figure consent")
        verbose_name_plural = _("figure consents")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "figure"], name="figure_consent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.figure}: {self.get_audience_display()}"


class FigureValue(models.Model):
    """One comparable figure of an organisation for a year (year 0: the current state, e.g. heat planning)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="figure_values")
    figure = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    audience = models.PositiveSmallIntegerField(choices=Audience, default=Audience.NOBODY)

    class Meta:
        ordering = ["organisation", "figure", "year"]
        verbose_name = _("comparison figure")
        verbose_name_plural = _("comparison figures")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "figure", "year"], name="figure_value_once"),
        ]
        indexes = [models.Index(fields=["figure", "year", "audience"], name="figure_value_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.figure} {self.year}: {self.value}"
