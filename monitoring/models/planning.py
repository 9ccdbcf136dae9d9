"""Planning-status trackers: municipal heat planning, the climate concept and the neutrality target year."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from networks.models import Organisation

# Wärmeplanungsgesetz §4: plans are due by 30 June 2026 above 100,000 inhabitants, by 30 June 2028 otherwise.
LARGE_MUNICIPALITY = 100_000
DEADLINE_LARGE = date(2026, 6, 30)
DEADLINE_SMALL = date(2028, 6, 30)
UPDATE_EVERY_YEARS = 5


# The heat-planning law obliges the municipalities (Gemeinden, Städte); a county may coordinate or plan
# voluntarily, but has no legal deadline of its own.
OBLIGED_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.CITY)


def is_obliged(organisation: Organisation) -> bool:
    return organisation.kind in OBLIGED_KINDS


def legal_deadline(population: int | None) -> date:
    """The heat-planning deadline for a municipality of this size (the later one when the size is unknown)."""
    return DEADLINE_LARGE if population and population > LARGE_MUNICIPALITY else DEADLINE_SMALL


class Stage(models.IntegerChoices):
    """Stages of municipal heat planning, in order (the number orders them)."""

    NOT_STARTED = 0, _("not started")
    DECIDED = 1, pgettext_lazy("heat-planning stage 1, the decision to draw up the plan", "decided")
    OFFICE_COMMISSIONED = 2, _("office commissioned")
    INVENTORY = 3, _("inventory analysis")
    POTENTIAL = 4, _("potential analysis")
    TARGET_SCENARIO = 5, _("target scenario")
    STRATEGY = 6, _("implementation strategy")
    FINISHED = 7, _("finished")
    ADOPTED = 8, _("adopted by the council")


class HeatPlanningQuerySet(models.QuerySet):
    def for_board(self):
        return self.select_related("organisation").prefetch_related("steps", "convoy")


class HeatPlanning(models.Model):
    """Municipal heat planning of one municipality (kommunale Wärmeplanung)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="heat_planning"
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage, default=Stage.NOT_STARTED)
    convoy = models.ManyToManyField(
        Organisation,
        verbose_name=_("planned jointly with"),
        blank=True,
        related_name="+",
        help_text=_("Municipalities that plan together in a convoy (Konvoi)."),
    )
    office = models.CharField(_("external office"), max_length=200, blank=True)
    council_decision_on = models.DateField(_("council decision on"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("demo values"), default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HeatPlanningQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("heat planning")
        verbose_name_plural = _("heat planning")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_stage_display()}"

    @property
    def obliged(self) -> bool:
        return is_obliged(self.organisation)

    @property
    def deadline(self) -> date | None:
        """The legal deadline; None for an organisation the law does not oblige (a county)."""
        return legal_deadline(self.organisation.population) if self.obliged else None

    @property
    def is_done(self) -> bool:
        return self.stage >= Stage.FINISHED

    def days_left(self, today: date) -> int | None:
        deadline = self.deadline
        return None if deadline is None else (deadline - today).days

    def is_overdue(self, today: date) -> bool:
        deadline = self.deadline
        return deadline is not None and not self.is_done and today > deadline

    def reached_on(self, stage: int) -> date | None:
        """The date a stage was reached (uses prefetched steps)."""
        for step in self.steps.all():
            if step.stage == stage:
                return step.reached_on
        return None

    @property
    def update_due(self) -> date | None:
        """Five years after the plan was adopted (or finished, when the council has not decided yet)."""
        adopted = self.council_decision_on or self.reached_on(Stage.ADOPTED) or self.reached_on(Stage.FINISHED)
        if adopted is None:
            return None
        try:
            return adopted.replace(year=adopted.year + UPDATE_EVERY_YEARS)
        except ValueError:  # 29 February
            return adopted.replace(year=adopted.year + UPDATE_EVERY_YEARS, day=28)


class HeatPlanningStep(models.Model):
    """The date a stage was reached."""

    planning = models.ForeignKey(HeatPlanning, on_delete=models.CASCADE, related_name="steps")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage)
    reached_on = models.DateField(_("reached on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["planning", "stage"]
        verbose_name = _("heat-planning stage reached")
        verbose_name_plural = _("heat-planning stages reached")
        constraints = [models.UniqueConstraint(fields=["planning", "stage"], name="heat_planning_step_once")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.reached_on}"


class ClimateStrategy(models.Model):
    """The climate concept and the climate-neutrality target of an organisation."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="climate_strategy"
    )
    concept_adopted_on = models.DateField(_("climate concept adopted on"), null=True, blank=True)
    concept_share_implemented = models.PositiveSmallIntegerField(
        _("share of the concept implemented (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    neutrality_year = models.PositiveSmallIntegerField(
        _("climate-neutrality target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2025), MaxValueValidator(2100)],
    )
    neutrality_decided_on = models.DateField(_("target year decided on"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("demo values"), default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("climate concept and target")
        verbose_name_plural = _("climate concepts and targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(concept_share_implemented__isnull=True) | Q(concept_share_implemented__lte=100),
                name="climate_strategy_share_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        if self.concept_share_implemented is not None and not self.concept_adopted_on:
            raise ValidationError(
                {"concept_adopted_on": _("A share implemented needs the date the concept was adopted.")}
            )
