"""Indicators (what a municipality measures to see whether its measures work) and their values."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import Measure, Roadmap
from networks.models import Organisation, Person
from networks.staff import has_staff_powers

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class IndicatorQuerySet(models.QuerySet):
    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if has_staff_powers(user):
            return self.all()
        return self.filter(organisation__roles__person__user=user)

    def public(self):
        """Shown to citizens: public indicators of a published roadmap, or of an organisation."""
        return self.filter(public=True).filter(Q(roadmap__isnull=True) | Q(roadmap__published=True))

    def overdue(self, today):
        return self.filter(next_due__lt=today)


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    class Scope(models.TextChoices):
        ROADMAP = "roadmap", _("roadmap")
        MEASURE = "measure", _("measure")
        ORGANISATION = "organisation", _("organisation")

    class Kind(models.TextChoices):
        OUTPUT = "output", _("output (what was done)")
        IMPACT = "impact", _("impact (what it achieved)")

    class Interval(models.IntegerChoices):
        MONTHLY = 1, _("monthly")
        QUARTERLY = 3, _("quarterly")
        HALF_YEARLY = 6, _("every six months")
        YEARLY = 12, _("yearly")
        TWO_YEARLY = 24, _("every two years")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="indicators"
    )
    scope = models.CharField(_("scope"), max_length=12, choices=Scope, default=Scope.ROADMAP)
    roadmap = models.ForeignKey(
        Roadmap,
        verbose_name=_("roadmap"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    measures = models.ManyToManyField(Measure, verbose_name=_("linked measures"), blank=True, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("comparison key"),
        max_length=60,
        blank=True,
        help_text=_("The same key in several municipalities makes their values comparable, for example: pv-leistung."),
    )
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: MWp, %, MWh, t CO2e"))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction, default=Direction.HIGHER)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind, default=Kind.IMPACT)
    per_inhabitant = models.BooleanField(
        _("compare per inhabitant"),
        default=False,
        help_text=_("Divide by the population when municipalities are compared (not for shares in %)."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    baseline_value = models.DecimalField(_("baseline value"), max_digits=18, decimal_places=3, null=True, blank=True)
    source = models.CharField(_("data source"), max_length=300, blank=True)
    source_licence = models.CharField(
        _("licence of the data source"), max_length=120, blank=True, help_text=_("For example: dl-de/by-2-0")
    )
    update_interval = models.PositiveSmallIntegerField(_("update interval"), choices=Interval, default=Interval.YEARLY)
    next_due = models.DateField(_("next values due"), null=True, blank=True)
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_indicators",
    )
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown with charts on the public roadmap page.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="indicator_name_unique_per_organisation"),
            models.CheckConstraint(
                condition=~Q(scope="roadmap") | Q(roadmap__isnull=False),
                name="indicator_roadmap_scope_has_roadmap",
                violation_error_message=_("An indicator of a roadmap needs the roadmap."),
            ),
        ]
        indexes = [models.Index(fields=["next_due"], name="indicator_next_due_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def clean(self) -> None:
        errors = {}
        if self.scope == self.Scope.ROADMAP and not self.roadmap_id:
            errors["roadmap"] = _("An indicator of a roadmap needs the roadmap.")
        if self.roadmap_id and self.organisation_id and self.roadmap.organisation_id != self.organisation_id:
            errors["roadmap"] = _("The roadmap belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class IndicatorValueQuerySet(models.QuerySet):
    def measured(self):
        return self.filter(kind=IndicatorValue.Kind.MEASURED)

    def targets(self):
        return self.filter(kind=IndicatorValue.Kind.TARGET)


class IndicatorValue(models.Model):
    """One value of an indicator for a year (and, where it was taken on a day, that date)."""

    class Kind(models.TextChoices):
        MEASURED = "measured", _("measured")
        TARGET = "target", _("target")
        ESTIMATE = "estimate", _("estimate")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Only when the value was taken on a day."))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind, default=Kind.MEASURED)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=3)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        Person, verbose_name=_("entered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked = models.BooleanField(_("checked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year", "date", "kind"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "year"],
                condition=Q(date__isnull=True),
                name="indicator_value_one_per_year",
                violation_error_message=_("This indicator already has a value of this kind for the year."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "kind", "date"],
                condition=Q(date__isnull=False),
                name="indicator_value_one_per_date",
                violation_error_message=_("This indicator already has a value of this kind for the date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.value}"

    def clean(self) -> None:
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"date": _("The date must lie in the year.")})
