"""Funding programmes and their calls (issue 17 §3): the database behind the funding radar.

A programme says what it funds (sectors and kinds of measures), who may apply (kinds of organisation, size,
Länder) and how much (rate and caps); an empty list means "no restriction". A call is a window with a deadline.
Measures keep their own funding fields (measures.Measure.funding_*); the radar only reads them. What kind of
measure a measure is (a concept, an investment, ...) is recorded here, beside the measure, by its editors.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import Measure, Sector
from networks.models import Organisation, Person, State


class MeasureKind(models.TextChoices):
    CONCEPT = "concept", _("concept or study")
    INVESTMENT = "investment", _("investment")
    PERSONNEL = "personnel", _("staff (e.g. climate management)")
    ADVICE = "advice", _("advice and consulting")
    NETWORK = "network", _("network or cooperation")
    OUTREACH = "outreach", _("information and outreach")


def _check_list(value, choices) -> None:
    if not isinstance(value, list) or any(item not in choices.values for item in value):
        raise ValidationError(_("Unknown value in the list."))


def validate_sectors(value) -> None:
    _check_list(value, Sector)


def validate_measure_kinds(value) -> None:
    _check_list(value, MeasureKind)


def validate_applicant_kinds(value) -> None:
    _check_list(value, Organisation.Kind)


def validate_states(value) -> None:
    _check_list(value, State)


class ProgrammeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=FundingProgramme.Status.ACTIVE)


class FundingProgramme(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("open for applications")
        PAUSED = "paused", _("paused")
        ENDED = "ended", _("ended")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short address"), max_length=120, unique=True)
    funder = models.CharField(_("funder"), max_length=200, help_text=_("For example: BMWK / ZUG, Land NRW, BAFA"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("For example: Kommunalrichtlinie 4.1.8")
    )
    summary = models.TextField(_("what it funds"), blank=True)
    sectors = models.JSONField(
        _("sectors"), default=list, blank=True, validators=[validate_sectors], help_text=_("Empty: all sectors.")
    )
    measure_kinds = models.JSONField(
        _("kinds of measure"),
        default=list,
        blank=True,
        validators=[validate_measure_kinds],
        help_text=_("Empty: every kind."),
    )
    applicant_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        blank=True,
        validators=[validate_applicant_kinds],
        help_text=_("Empty: every kind of organisation."),
    )
    states = models.JSONField(
        _("federal states"), default=list, blank=True, validators=[validate_states], help_text=_("Empty: all.")
    )
    population_min = models.PositiveIntegerField(_("population at least"), null=True, blank=True)
    population_max = models.PositiveIntegerField(_("population at most"), null=True, blank=True)
    rate = models.DecimalField(
        _("funding rate up to (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount_min = models.DecimalField(
        _("smallest grant (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_max = models.DecimalField(
        _("largest grant (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rolling = models.BooleanField(
        _("applications at any time"), default=False, help_text=_("Without calls: the programme has no deadlines.")
    )
    url = models.URLField(_("link"), blank=True)
    last_checked = models.DateField(_("last checked"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    is_demo = models.BooleanField(
        _("example data"), default=False, help_text=_("Invented calls and deadlines, marked as such on every page.")
    )
    notes = models.TextField(_("notes for the maintainers"), blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(population_min__isnull=True)
                | Q(population_max__isnull=True)
                | Q(population_min__lte=F("population_max")),
                name="funding_programme_population_range",
                violation_error_message=_("The smallest population cannot be above the largest."),
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_max__isnull=True) | Q(amount_min__lte=F("amount_max")),
                name="funding_programme_amount_range",
                violation_error_message=_("The smallest grant cannot be above the largest."),
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gte=0) & Q(rate__lte=100)),
                name="funding_programme_rate_percent",
                violation_error_message=_("The funding rate is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:programme-detail", args=[self.slug])

    def clean(self) -> None:
        pop_min, pop_max = self.population_min, self.population_max
        if pop_min is not None and pop_max is not None and pop_min > pop_max:
            raise ValidationError({"population_max": _("The smallest population cannot be above the largest.")})
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValidationError({"amount_max": _("The smallest grant cannot be above the largest.")})

    def labels(self, field: str, choices) -> list[str]:
        names = dict(choices.choices)
        return [str(names.get(value, value)) for value in getattr(self, field)]

    @property
    def sector_labels(self) -> list[str]:
        return self.labels("sectors", Sector)

    @property
    def kind_labels(self) -> list[str]:
        return self.labels("measure_kinds", MeasureKind)

    @property
    def applicant_labels(self) -> list[str]:
        return self.labels("applicant_kinds", Organisation.Kind)

    @property
    def state_labels(self) -> list[str]:
        return self.labels("states", State)


class CallQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(deadline__gte=today)

    def open_on(self, today):
        return self.filter(Q(opens__isnull=True) | Q(opens__lte=today), deadline__gte=today)


class FundingCall(models.Model):
    """A call for applications of a programme: a window that closes on its deadline."""

    programme = models.ForeignKey(
        FundingProgramme, verbose_name=_("funding programme"), on_delete=models.CASCADE, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("For example: Förderfenster 2027"))
    opens = models.DateField(_("opens on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True) | Q(opens__lte=F("deadline")),
                name="funding_call_opens_before_deadline",
                violation_error_message=_("A call cannot open after its deadline."),
            ),
        ]
        indexes = [models.Index(fields=["deadline"], name="funding_call_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.title}"

    def clean(self) -> None:
        if self.opens and self.deadline and self.opens > self.deadline:
            raise ValidationError({"deadline": _("A call cannot open after its deadline.")})


class MeasureFunding(models.Model):
    """What kind of measure it is for the funding radar (the editors say it; no row: not said, every kind fits)."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, primary_key=True, related_name="funding_kinds")
    kinds = models.JSONField(_("kinds of measure"), default=list, blank=True, validators=[validate_measure_kinds])
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("kind of measure for funding")
        verbose_name_plural = _("kinds of measure for funding")

    def __str__(self) -> str:
        return f"{self.measure}: {', '.join(self.kinds)}"
