"""An editor's confirmed import of measures, run by a Celery task (measures.services.imports)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from measures.models.roadmap import Roadmap
from networks.models import Person


class MeasureImport(models.Model):
    """One import file and how far its task got. A CHECKED row is the file of a preview, kept so that the editor
    confirms without choosing the file again (dropped after an hour); confirming makes it QUEUED. The file's
    bytes (at most the 5 MB of networks.tabular) are kept until the task has finished with it, then emptied."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("checked, not confirmed")  # the file of a preview, kept for its confirmation
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    FINISHED = (Status.DONE, Status.FAILED)

    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="imports")
    requested_by = models.ForeignKey(
        Person, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content of the file"), blank=True)
    digest = models.CharField(max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=5, default="de")
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("new measures"), default=0)
    changed_count = models.PositiveIntegerField(_("changed measures"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged measures"), default=0)
    measure_ids = models.JSONField(_("measures written"), default=list, blank=True, editable=False)
    error = models.TextField(_("reason of the failure"), blank=True)
    problems = models.JSONField(_("rows with errors"), default=list, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_again = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import of measures")
        verbose_name_plural = _("imports of measures")
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="measure_import_progress_range")]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="measure_import_status_idx")]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("measures:import-job", args=[self.roadmap.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def written(self) -> int:
        return self.created_count + self.changed_count
