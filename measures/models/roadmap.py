"""Roadmaps (an organisation's climate target and plan), measures, milestones and progress updates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Organisation, Person
from networks.staff import has_staff_powers


class Sector(models.TextChoices):
    """Handlungsfelder (DESIGN §3)."""

    ENERGY_SUPPLY = "energy_supply", _("energy supply")
    BUILDINGS_HEAT = "buildings_heat", _("buildings and heat")
    MOBILITY = "mobility", _("mobility")
    INDUSTRY = "industry", _("industry and commerce")
    HOUSEHOLDS = "households", _("private households")
    ADMINISTRATION = "administration", _("municipal administration")
    AGRICULTURE = "agriculture", _("agriculture and land use")
    ADAPTATION = "adaptation", _("adaptation")


class Licence(models.TextChoices):
    DL_BY = "dl-de/by-2-0", _("Datenlizenz Deutschland – Namensnennung – 2.0")
    DL_ZERO = "dl-de/zero-2-0", _("Datenlizenz Deutschland – Zero – 2.0")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC0 = "CC0-1.0", _("Creative Commons Zero 1.0")


LICENCE_URLS = {
    Licence.DL_BY: "https://www.govdata.de/dl-de/by-2-0",
    Licence.DL_ZERO: "https://www.govdata.de/dl-de/zero-2-0",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class RoadmapQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def editable_by(self, user):
        """Roadmaps of organisations the user edits; staff edit all."""
        if not user.is_authenticated:
            return self.none()
        if has_staff_powers(user):
            return self.all()
        return self.filter(organisation__roles__person__user=user)


class Roadmap(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="roadmaps"
    )
    slug = models.SlugField(_("short address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    target_year = models.PositiveSmallIntegerField(
        _("climate-neutral by"), validators=[MinValueValidator(2025), MaxValueValidator(2100)]
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    baseline_emissions = models.DecimalField(
        _("baseline emissions (t CO2e/a)"),
        max_digits=14,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("description"), blank=True)
    licence = models.CharField(_("licence of the open data"), max_length=20, choices=Licence, default=Licence.DL_BY)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "title"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__lte=models.F("target_year")),
                name="roadmap_baseline_before_target",
                violation_error_message=_("The baseline year must be before the target year."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:roadmap", args=[self.slug])

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    def clean(self) -> None:
        if self.baseline_year and self.target_year and self.baseline_year > self.target_year:
            raise ValidationError({"baseline_year": _("The baseline year must be before the target year.")})


class MeasureQuerySet(models.QuerySet):
    def public(self):
        """What citizens see: published measures of published roadmaps."""
        return self.filter(published=True, roadmap__published=True)

    def for_list(self):
        return self.select_related("roadmap", "lead_organisation")


# Fields an editor may mark internal: they then never leave the editors' pages (public pages,
# feeds, exports). ``internal_note`` is always internal.
MARKABLE_INTERNAL = (
    "responsible_person",
    "responsible_body",
    "cost_estimate",
    "funding",
    "effect",
    "partners",
    "objectives",
    "target_groups",
)


class Measure(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        PAUSED = "paused", _("paused")
        BLOCKED = "blocked", _("blocked")
        DROPPED = "dropped", _("dropped")

    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    class FundingStatus(models.TextChoices):
        NONE = "", _("no funding")
        PLANNED = "planned", _("planned")
        APPLIED = "applied", _("applied for")
        GRANTED = "granted", _("granted")
        REJECTED = "rejected", _("rejected")

    class Participation(models.TextChoices):
        NONE = "", _("none")
        INFORMATION = "information", _("information")
        CONSULTATION = "consultation", _("consultation")
        CODECISION = "codecision", _("co-decision")

    class CitizenCost(models.TextChoices):
        """What taking part costs a citizen (the "Mitmachen" pages filter by it)."""

        UNKNOWN = "", _("not stated")
        FREE = "free", _("free of charge")
        LOW = "low", _("low (up to 100 euros)")
        MEDIUM = "medium", _("medium (up to 1,000 euros)")
        HIGH = "high", _("an investment (over 1,000 euros)")

    class Origin(models.TextChoices):
        ADMINISTRATION = "administration", _("administration")
        WORKSHOP = "workshop", _("stakeholder workshop")
        PROPOSAL = "proposal", _("citizen proposal")

    ACTIVE = (Status.PLANNED, Status.IN_PROGRESS, Status.BLOCKED, Status.PAUSED)

    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=20, help_text=_("For example: M-12 or GW-03"))
    slug = models.SlugField(_("short address"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    summary_en = models.CharField(
        _("summary in English"),
        max_length=400,
        blank=True,
        help_text=_("Optional. Shown on the English pages; without it they say that the content is in German."),
    )
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_measures",
    )
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_measures",
    )
    partners = models.ManyToManyField(Organisation, verbose_name=_("partners"), blank=True, related_name="+")
    responsible_body = models.CharField(
        _("responsible committee or official"), max_length=200, blank=True, help_text=_("For example: Kreistag")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    continuous = models.BooleanField(_("continuous task"), default=False)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority, default=Priority.MEDIUM)
    cost_estimate = models.DecimalField(
        _("cost estimate (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_status = models.CharField(
        _("funding status"), max_length=10, choices=FundingStatus, default=FundingStatus.NONE, blank=True
    )
    funding_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    participation_level = models.CharField(
        _("citizen participation"), max_length=12, choices=Participation, default=Participation.NONE, blank=True
    )
    effect_expected = models.DecimalField(
        _("expected reduction (t CO2e/a)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    effect_low = models.DecimalField(
        _("lower estimate (t CO2e/a)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    effect_high = models.DecimalField(
        _("upper estimate (t CO2e/a)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    effect_method = models.CharField(_("method of the estimate"), max_length=300, blank=True)
    effect_source = models.CharField(_("source"), max_length=300, blank=True)
    qualitative_effect = models.TextField(_("qualitative effect"), blank=True)
    how_to_take_part = models.TextField(_("how citizens can take part"), blank=True)
    citizen_cost = models.CharField(
        _("cost of taking part for citizens"),
        max_length=8,
        choices=CitizenCost,
        default=CitizenCost.UNKNOWN,
        blank=True,
        help_text=_("What citizens who take part as described pay themselves (shown and filtered under “Take part”)."),
    )
    plain_language_summary = models.TextField(_("summary in plain language (Leichte Sprache)"), blank=True)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin, default=Origin.ADMINISTRATION)
    origin_event = models.ForeignKey(
        "events.Event",
        verbose_name=_("from the event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    origin_proposal = models.ForeignKey(
        "measures.Proposal",
        verbose_name=_("from the proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.NOT_STARTED)
    is_late = models.BooleanField(_("late"), default=False, editable=False)
    late_override_reason = models.CharField(
        _("why it is not late"),
        max_length=500,
        blank=True,
        help_text=_("Only with a written reason may a measure be shown as on time although its dates have passed."),
    )
    internal_fields = models.JSONField(_("internal fields"), default=list, blank=True)
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Never shown outside the editors' pages.")
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "is_late"], m2m_fields=["partners"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["roadmap", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "code"], name="measure_code_unique_per_roadmap"),
            models.UniqueConstraint(fields=["roadmap", "slug"], name="measure_slug_unique_per_roadmap"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="measure_end_not_before_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(effect_low__isnull=True)
                | Q(effect_expected__isnull=True)
                | Q(effect_low__lte=models.F("effect_expected")),
                name="measure_effect_low_le_expected",
                violation_error_message=_("The lower estimate cannot be above the expected effect."),
            ),
            models.CheckConstraint(
                condition=Q(effect_high__isnull=True)
                | Q(effect_expected__isnull=True)
                | Q(effect_high__gte=models.F("effect_expected")),
                name="measure_effect_high_ge_expected",
                violation_error_message=_("The upper estimate cannot be below the expected effect."),
            ),
            models.CheckConstraint(
                condition=Q(continuous=False) | Q(end__isnull=True),
                name="measure_continuous_has_no_end",
                violation_error_message=_("A continuous task has no end date."),
            ),
        ]
        indexes = [
            models.Index(fields=["roadmap", "sector", "status"], name="measure_roadmap_filter_idx"),
            # "Mitmachen" (measures.take_part): the published measures that tell citizens how to take part
            models.Index(
                fields=["roadmap", "sector", "code"],
                condition=models.Q(published=True) & ~models.Q(how_to_take_part=""),
                name="measure_offer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("measures:measure", args=[self.roadmap.slug, self.slug])

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end cannot be before the start.")
        if self.continuous and self.end:
            errors["end"] = _("A continuous task has no end date.")
        low, expected, high = self.effect_low, self.effect_expected, self.effect_high
        if low is not None and expected is not None and low > expected:
            errors["effect_low"] = _("The lower estimate cannot be above the expected effect.")
        if high is not None and expected is not None and high < expected:
            errors["effect_high"] = _("The upper estimate cannot be below the expected effect.")
        if low is not None and high is not None and low > high:
            errors["effect_high"] = _("The upper estimate cannot be below the lower estimate.")
        unknown = set(self.internal_fields or []) - set(MARKABLE_INTERNAL)
        if unknown:
            errors["internal_fields"] = _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        if errors:
            raise ValidationError(errors)

    @property
    def shows_late(self) -> bool:
        """Late as computed nightly, unless an editor explained in writing why it is not."""
        return self.is_late and not self.late_override_reason


class Milestone(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due"))
    done_date = models.DateField(_("reached on"), null=True, blank=True)

    history = HistoricalRecords()  # shown with the measure's history

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_date is None and self.due_date < timezone.localdate()


class MeasureUpdate(models.Model):
    """A dated progress report (Sachstand): the qualitative monitoring of a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress report"), max_length=5000)
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    author = models.ForeignKey(Person, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+")
    public = models.BooleanField(_("public"), default=True, help_text=_("Internal reports stay on the editors' pages."))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()  # shown with the measure's history

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="measure_update_percent_range",
                violation_error_message=_("Percent complete is between 0 and 100."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.date}"
