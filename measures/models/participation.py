"""Citizen proposals and comments (moderated before anyone else sees them), support for proposals,
and the pledges of member organisations (their own climate target, reported yearly)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models.roadmap import Measure, Roadmap, Sector
from networks.markdown import PROFILES, MarkdownHTMLField, MarkdownValidator
from networks.models import Network, Organisation, Person


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Moderation.PUBLISHED)

    def visible_to(self, user, *, editor: bool):
        """Published ones; the author also sees their own; the roadmap's editors (and staff) see all."""
        if editor:
            return self.all()
        if not user.is_authenticated:
            return self.published()
        return self.filter(Q(status=Moderation.PUBLISHED) | Q(author__user=user))


class Moderated(models.Model):
    author = models.ForeignKey(Person, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), max_length=PROFILES["post"].max_length, validators=[MarkdownValidator("post")])
    text_html = MarkdownHTMLField(source="text", profile="post")
    status = models.CharField(_("status"), max_length=10, choices=Moderation, default=Moderation.PENDING)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        Person, verbose_name=_("moderated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Moderation.PUBLISHED


class Proposal(Moderated):
    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=150)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)

    history = HistoricalRecords(excluded_fields=["text_html"])  # moderation decisions: who, when, what; html derived

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="proposal_rejection_has_reason",
                violation_error_message=_("Please give a reason for rejecting."),
            )
        ]
        indexes = [models.Index(fields=["roadmap", "status"], name="proposal_roadmap_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:proposal", args=[self.roadmap.slug, self.pk])


class ProposalSupport(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="proposal_support_once")]

    def __str__(self) -> str:
        return f"{self.person} → {self.proposal}"


class Comment(Moderated):
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="comments")

    history = HistoricalRecords(excluded_fields=["text_html"])  # moderation decisions: who, when, what; html derived

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="comment_rejection_has_reason",
                violation_error_message=_("Please give a reason for rejecting."),
            )
        ]
        indexes = [models.Index(fields=["measure", "status"], name="comment_measure_status_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class Pledge(models.Model):
    """A member organisation's own climate target within a network (Selbstverpflichtung)."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="pledges")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="pledges"
    )
    target_year = models.PositiveSmallIntegerField(
        _("climate-neutral by"), validators=[MinValueValidator(2025), MaxValueValidator(2100)]
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    baseline_emissions = models.DecimalField(
        _("baseline emissions (t CO2e/a)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    commitments = models.TextField(_("commitments"), max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="pledge_one_per_organisation"),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__lte=models.F("target_year")),
                name="pledge_baseline_before_target",
                violation_error_message=_("The baseline year must be before the target year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.target_year})"

    def clean(self) -> None:
        if self.baseline_year and self.target_year and self.baseline_year > self.target_year:
            raise ValidationError({"baseline_year": _("The baseline year must be before the target year.")})


class PledgeReport(models.Model):
    """The yearly progress report of a pledge."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    emissions = models.DecimalField(
        _("emissions (t CO2e/a)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    progress = models.TextField(_("progress"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("pledge report")
        verbose_name_plural = _("pledge reports")
        constraints = [models.UniqueConstraint(fields=["pledge", "year"], name="pledge_report_once_a_year")]

    def __str__(self) -> str:
        return f"{self.pledge} {self.year}"
