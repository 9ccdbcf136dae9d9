"""The measure library: entries (what travels from one roadmap to the next) and adoptions (the lineage).

An entry never holds internal fields or people of its source measure: only title, summary, description,
sector, target groups, participation level, typical costs and funding, the expected effect with its method,
source and range, and the milestones as a template (months after the start). Entries offered from a measure
are kept in step with it by ``services.entry_sync`` (a copy, so the library page reads one table).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.catalogue import bands
from measures.models import Measure, Sector
from networks.markdown import MarkdownHTMLField
from networks.models import Organisation, Person

MARKDOWN_PROFILE = "description"  # under the entry page's h1 and a section's h2, like an event's description
DESCRIPTION_MAX_LENGTH = 20_000
MILESTONES_MAX = 30


class LibraryEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class LibraryEntry(models.Model):
    slug = models.SlugField(_("short address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    description_html = MarkdownHTMLField(source="description", profile=MARKDOWN_PROFILE)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    participation_level = models.CharField(
        _("citizen participation"), max_length=12, choices=Measure.Participation, default="", blank=True
    )
    cost_low = models.DecimalField(
        _("typical costs from (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    cost_high = models.DecimalField(
        _("typical costs up to (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    funding = models.CharField(
        _("typical funding"), max_length=300, blank=True, help_text=_("For example: Kommunalrichtlinie 4.2.1, 40 %")
    )
    effect_expected = models.DecimalField(
        _("expected reduction (t CO2e/a)"), max_digits=12, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    effect_low = models.DecimalField(
        _("lower estimate (t CO2e/a)"), max_digits=12, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    effect_high = models.DecimalField(
        _("upper estimate (t CO2e/a)"), max_digits=12, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    effect_method = models.CharField(_("method of the estimate"), max_length=300, blank=True)
    effect_source = models.CharField(_("source"), max_length=300, blank=True)
    milestone_template = models.JSONField(
        _("milestones as a template"), default=list, blank=True
    )  # [{"title": str, "months": int}]: months after the start of the measure that copies the entry
    # Where it comes from: a measure that was offered (its code and organisation stay when it is deleted) or none.
    source_measure = models.OneToOneField(
        Measure, verbose_name=_("offered from"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="library_entry",
    )  # fmt: skip
    source_organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation of origin"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    source_code = models.CharField(_("code of origin"), max_length=20, blank=True)
    curator = models.ForeignKey(
        Person, verbose_name=_("curated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered = models.BooleanField(_("offered by the measure's editors"), default=False)
    published = models.BooleanField(_("published"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    # Derived on save (filters and sorting of the library page read them from this one table).
    cost_band = models.CharField(max_length=8, blank=True, editable=False, choices=bands.CostBand)
    effect_band = models.CharField(max_length=8, blank=True, editable=False, choices=bands.EffectBand)
    effect_per_keur = models.FloatField(null=True, blank=True, editable=False)  # t CO2e/a per 1,000 EUR
    adopter_count = models.PositiveIntegerField(default=0, editable=False)  # organisations that copied it
    # Some copy is in progress / completed now (the filter "status reached by adopters"); with adopter_count renewed
    # by selectors.adopters_recount when an adoption is made or deleted or a copy's status changes.
    reached_in_progress = models.BooleanField(default=False, editable=False)
    reached_completed = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "description_html", "adopter_count", "reached_in_progress", "reached_completed"]
    )
    objects = LibraryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("library entry")
        verbose_name_plural = _("library entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_low__isnull=True) | Q(cost_high__isnull=True) | Q(cost_high__gte=models.F("cost_low")),
                name="catalogue_cost_range",
                violation_error_message=_("The upper cost cannot be below the lower cost."),
            ),
        ]
        indexes = [
            models.Index(fields=["published", "sector"], name="catalogue_entry_list_idx"),
            models.Index(fields=["published", "-created_at"], name="catalogue_entry_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.cost_band = bands.cost_band(self.cost_low, self.cost_high)
        self.effect_band = bands.effect_band(self.effect_expected)
        self.effect_per_keur = bands.effect_per_keur(self.effect_expected, self.cost_low, self.cost_high)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "cost_band", "effect_band", "effect_per_keur"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:entry", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.cost_low is not None and self.cost_high is not None and self.cost_high < self.cost_low:
            errors["cost_high"] = _("The upper cost cannot be below the lower cost.")
        low, expected, high = self.effect_low, self.effect_expected, self.effect_high
        if low is not None and expected is not None and low > expected:
            errors["effect_low"] = _("The lower estimate cannot be above the expected effect.")
        if high is not None and expected is not None and high < expected:
            errors["effect_high"] = _("The upper estimate cannot be below the expected effect.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_curated(self) -> bool:
        return not self.offered and self.source_measure_id is None and self.source_organisation_id is None

    @property
    def is_withdrawn(self) -> bool:
        return not self.published and self.withdrawn_at is not None

    @property
    def cost_middle(self) -> Decimal | None:
        return bands.middle(self.cost_low, self.cost_high)

    @property
    def origin_label(self) -> str:
        """ "PH-01, Kreis Düren" for an offered entry; "" for a curated one."""
        name = self.source_organisation.name if self.source_organisation_id else ""
        return ", ".join(part for part in (self.source_code, name) if part)


class Adoption(models.Model):
    """The lineage: ``measure`` was copied from ``entry`` (at most one entry per measure)."""

    entry = models.ForeignKey(
        LibraryEntry, verbose_name=_("library entry"), on_delete=models.PROTECT, related_name="adoptions"
    )
    measure = models.OneToOneField(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="library_adoption"
    )
    organisation = models.ForeignKey(  # the measure's roadmap's organisation (the library's filters read it)
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        Person, verbose_name=_("copied by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("copied on"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        indexes = [models.Index(fields=["organisation", "entry"], name="catalogue_adoption_org_idx")]

    def __str__(self) -> str:
        return f"{self.entry} → {self.measure}"
