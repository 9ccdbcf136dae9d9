"""Greenhouse-gas balances in the BISKO sectors and the target path to climate neutrality."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from monitoring.models.indicators import YEAR_VALIDATORS
from networks.models import Organisation, Person


class BiskoSector(models.TextChoices):
    """The sectors of the BISKO standard for municipal balances."""

    HOUSEHOLDS = "households", _("private households")
    COMMERCE = "commerce", _("commerce, trade and services")
    INDUSTRY = "industry", _("industry")
    TRANSPORT = "transport", _("transport")
    MUNICIPAL = "municipal", _("municipal facilities")


class EnergyCarrier(models.TextChoices):
    ALL = "", _("all energy carriers")
    ELECTRICITY = "electricity", _("electricity")
    NATURAL_GAS = "natural_gas", _("natural gas")
    HEATING_OIL = "heating_oil", _("heating oil")
    DISTRICT_HEAT = "district_heat", _("district heating")
    PETROL = "petrol", _("petrol")
    DIESEL = "diesel", _("diesel")
    BIOMASS = "biomass", _("biomass")
    RENEWABLE_HEAT = "renewable_heat", _("other renewable heat")
    COAL = "coal", _("coal")
    OTHER = "other", _("other")


class EmissionBalance(models.Model):
    """One line of a balance: t CO2e of an organisation's territory in a year and sector (optionally per carrier)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="emission_balances"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    sector = models.CharField(_("sector"), max_length=12, choices=BiskoSector)
    energy_carrier = models.CharField(
        _("energy carrier"), max_length=16, choices=EnergyCarrier, default=EnergyCarrier.ALL, blank=True
    )
    emissions = models.DecimalField(
        _("emissions (t CO2e)"), max_digits=14, decimal_places=1, validators=[MinValueValidator(0)]
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        Person, verbose_name=_("entered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["organisation", "year", "sector", "energy_carrier"]
        verbose_name = _("GHG balance line")
        verbose_name_plural = _("GHG balance lines")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sector", "energy_carrier"],
                name="emission_balance_unique_line",
                violation_error_message=_("The balance already has a line for this year, sector and energy carrier."),
            ),
            models.CheckConstraint(condition=Q(emissions__gte=0), name="emission_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.get_sector_display()}"


class EmissionPath(models.Model):
    """The target path of an organisation: from the baseline to the neutrality year, linear or by year."""

    class Method(models.TextChoices):
        LINEAR = "linear", _("linear from the baseline to the neutrality year")
        BY_YEAR = "by_year", _("entered by year")

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="emission_path"
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), validators=YEAR_VALIDATORS)
    baseline_emissions = models.DecimalField(
        _("baseline emissions (t CO2e)"),
        max_digits=14,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty: the total of the balance of the baseline year."),
    )
    target_year = models.PositiveSmallIntegerField(_("climate-neutral by"), validators=YEAR_VALIDATORS)
    residual_percent = models.PositiveSmallIntegerField(
        _("residual emissions in the target year (% of the baseline)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Many municipalities count 5 % unavoidable residual emissions as climate-neutral."),
    )
    method = models.CharField(_("path"), max_length=8, choices=Method, default=Method.LINEAR)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target path")
        verbose_name_plural = _("target paths")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_year__lt=models.F("target_year")),
                name="emission_path_baseline_before_target",
                violation_error_message=_("The baseline year must be before the neutrality year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.baseline_year}–{self.target_year}"

    def clean(self) -> None:
        if self.baseline_year and self.target_year and self.baseline_year >= self.target_year:
            raise ValidationError({"target_year": _("The baseline year must be before the neutrality year.")})


class EmissionPathPoint(models.Model):
    """A target value of a path entered by year."""

    path = models.ForeignKey(EmissionPath, on_delete=models.CASCADE, related_name="points")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    emissions = models.DecimalField(
        _("target (t CO2e)"), max_digits=14, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["path", "year"]
        verbose_name = _("target path value")
        verbose_name_plural = _("target path values")
        constraints = [models.UniqueConstraint(fields=["path", "year"], name="emission_path_point_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.emissions}"
