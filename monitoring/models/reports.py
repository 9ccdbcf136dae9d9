"""Monitoring reports: queued by a person, built by a Celery task from a frozen snapshot of the data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from measures.models import Roadmap
from networks.models import Network, Organisation, Person


def report_upload_to(report: Report, filename: str) -> str:
    return f"reports/{report.pk}/{filename}"


class ReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, status=Report.Status.DONE)


class Report(models.Model):
    class Scope(models.TextChoices):
        ROADMAP = "roadmap", _("roadmap")
        ORGANISATION = "organisation", _("organisation")
        NETWORK = "network", _("network")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    FORMATS = ("html", "pdf", "xlsx", "csv")
    FINISHED = (Status.DONE, Status.FAILED)

    scope = models.CharField(_("subject"), max_length=12, choices=Scope)
    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    language = models.CharField(_("language"), max_length=5, default="de")
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    error = models.TextField(_("reason of the failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    snapshot = models.JSONField(_("frozen data"), null=True, blank=True, editable=False)
    html_file = models.FileField(upload_to=report_upload_to, blank=True)
    pdf_file = models.FileField(upload_to=report_upload_to, blank=True)
    xlsx_file = models.FileField(upload_to=report_upload_to, blank=True)
    csv_file = models.FileField(upload_to=report_upload_to, blank=True)
    requested_by = models.ForeignKey(
        Person, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled = models.BooleanField(_("yearly report by schedule"), default=False, editable=False)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="roadmap", roadmap__isnull=False, organisation__isnull=True, network__isnull=True)
                    | Q(scope="organisation", roadmap__isnull=True, organisation__isnull=False, network__isnull=True)
                    | Q(scope="network", roadmap__isnull=True, organisation__isnull=True, network__isnull=False)
                ),
                name="report_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_range"),
            models.UniqueConstraint(
                fields=["roadmap", "period_start", "period_end"],
                condition=Q(scheduled=True),
                name="report_scheduled_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(status="done"), name="report_published_only_when_done"
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="report_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monitoring:report", args=[self.pk])

    @property
    def subject(self):
        return self.roadmap or self.organisation or self.network

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class ReportSchedule(models.Model):
    """A yearly report of a roadmap, generated by beat after the year ended."""

    roadmap = models.OneToOneField(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="report_schedule"
    )
    enabled = models.BooleanField(_("generate a yearly report"), default=True)
    publish = models.BooleanField(_("publish it on the roadmap page at once"), default=False)
    requested_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self) -> str:
        return str(self.roadmap)
