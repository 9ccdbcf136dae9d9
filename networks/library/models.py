"""Models of networks.library (app label ``library``): a network's document library (issue 15 §5).

A network's library holds folders and documents, the network's own and each working group's (``working_group``
set). A Document is what people see and link to; its files are DocumentVersions, numbered 1, 2, 3 ... in
upload order; ``Document.current`` is the newest. Files lie in the default storage under
``library/<network id>/<uuid>/<name>`` and go out only through the permission-checked download views.

FileText holds the text extracted from a stored file, keyed by the file's storage name, so that every stored
file (library versions, event documents) gets its text for search through the same table and task.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Network, Person, WorkingGroup

NAME_MAX = 200


class FolderQuerySet(models.QuerySet):
    def in_space(self, network: Network, working_group: WorkingGroup | None):
        """The folders of one space: the network's own (no group) or one working group's."""
        return self.filter(network=network, working_group=working_group)


class Folder(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="library_folders")
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,  # a deleted group's folders and documents move to the network (services)
        null=True,
        blank=True,
        related_name="library_folders",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent folder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = FolderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        constraints = [
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                condition=Q(parent__isnull=False),
                name="library_folder_unique_name_in_parent",
                violation_error_message=_("A folder of this name already exists here."),
            ),
            models.UniqueConstraint(
                "network",
                Lower("name"),
                condition=Q(parent__isnull=True, working_group__isnull=True),
                name="library_folder_unique_name_in_network",
                violation_error_message=_("A folder of this name already exists here."),
            ),
            models.UniqueConstraint(
                "working_group",
                Lower("name"),
                condition=Q(parent__isnull=True, working_group__isnull=False),
                name="library_folder_unique_name_in_group",
                violation_error_message=_("A folder of this name already exists here."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:folder-detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        siblings = (
            Folder.objects.filter(parent=self.parent)
            if self.parent_id
            else Folder.objects.in_space(self.network, self.working_group).filter(parent=None)
        )
        if siblings.filter(name__iexact=self.name.strip()).exclude(pk=self.pk).exists():
            raise ValidationError({"name": _("A folder of this name already exists here.")})


class DocumentQuerySet(models.QuerySet):
    def live(self):
        """Not deleted (deleted documents stay until their files are purged, for the operator to restore)."""
        return self.filter(deleted_at=None)

    def for_list(self):
        return self.select_related("current__uploaded_by", "created_by", "folder", "working_group", "network").annotate(
            version_count=models.Count("versions", distinct=True)
        )


class Document(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="library_documents")
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,  # a deleted group's folders and documents move to the network (services)
        null=True,
        blank=True,
        related_name="library_documents",
    )
    folder = models.ForeignKey(
        Folder, verbose_name=_("folder"), on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=NAME_MAX)
    current = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["network", "deleted_at", "-updated_at"], name="library_doc_latest")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The permission-checked download of the current version."""
        return reverse("library:document-download", args=[self.network.slug, self.pk])

    def get_detail_url(self) -> str:
        return reverse("library:document-detail", args=[self.network.slug, self.pk])


def _version_path(instance: DocumentVersion, filename: str) -> str:
    return f"library/{instance.document.network_id}/{uuid.uuid4().hex}/{filename}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_unique_number"),
            models.CheckConstraint(condition=Q(size__lte=20 * 1024 * 1024), name="library_version_max_20mb"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("library:version-download", args=[self.document.network.slug, self.document_id, self.number])


class FileText(models.Model):
    """The text of one stored file, for search: extracted once in the background (networks.library.tasks)."""

    storage_name = models.CharField(max_length=300, unique=True)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("extracted text")
        verbose_name_plural = _("extracted texts")

    def __str__(self) -> str:
        return self.storage_name
