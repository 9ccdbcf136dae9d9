"""Every write of the document library: folders, documents and their versions (one transaction each; the text
extraction is queued after commit). Permission checks are the callers' (networks.library.access)."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.library.models import NAME_MAX, Document, DocumentVersion, FileText, Folder
from networks.library.uploads import check_upload
from networks.models import Network, Person, WorkingGroup

FOLDER_DEPTH = 8


def _as_file(name: str, content) -> File:
    if isinstance(content, bytes):
        return ContentFile(content, name=name)
    return content


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _clean_name(name: str) -> str:
    """The file's own name (no directories a browser or mail client put in front), never empty."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:NAME_MAX] or "datei"


def _space_of(*, network: Network, working_group: WorkingGroup | None, folder: Folder | None) -> WorkingGroup | None:
    """The working group a document or folder belongs to: the folder's, when it is in one."""
    if working_group is not None and working_group.network_id != network.pk:
        raise ValidationError(_("This working group belongs to another network."))
    if folder is None:
        return working_group
    if folder.network_id != network.pk:
        raise ValidationError({"folder": _("This folder belongs to another network.")})
    if working_group is not None and folder.working_group_id != working_group.pk:
        raise ValidationError({"folder": _("This folder belongs to another space.")})
    return folder.working_group


def _queue_extraction(storage_name: str) -> None:
    from networks.library.tasks import extract_text

    transaction.on_commit(lambda: extract_text.delay(storage_name))


def _new_version(*, document: Document, number: int, name: str, content, by: Person | None, comment: str = ""):
    file = _as_file(name, content)
    content_type = check_upload(name, file)
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=name,
        content_type=content_type,
        size=file.size,
        sha256=_sha256(file),
        uploaded_by=by,
        comment=comment.strip()[:300],
    )
    version.file.save(name, file, save=False)
    storage, stored = version.file.storage, version.file.name
    try:
        version.save()
    except Exception:
        storage.delete(stored)
        raise
    _queue_extraction(stored)
    return version


def document_store(
    *,
    network: Network,
    working_group: WorkingGroup | None = None,
    folder: Folder | None = None,
    uploaded_by: Person | None,
    name: str,
    content,
    title: str = "",
) -> Document:
    """A new document with its first version. ``content``: bytes or an UploadedFile; a type or size that may not
    be stored raises ValidationError (nothing is written then)."""
    name = _clean_name(name)
    with transaction.atomic():
        group = _space_of(network=network, working_group=working_group, folder=folder)
        document = Document.objects.create(
            network=network,
            working_group=group,
            folder=folder,
            title=(title or "").strip()[:NAME_MAX] or name,
            created_by=uploaded_by,
        )
        version = _new_version(document=document, number=1, name=name, content=content, by=uploaded_by)
        document.current = version
        document.save(update_fields=["current"])
    return document


def document_version_add(*, document: Document, uploaded_by: Person | None, name: str, content, comment: str = ""):
    """A new version of the document; it becomes the current one. Returns the DocumentVersion."""
    name = _clean_name(name)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.deleted_at is not None:
            raise ValidationError(_("This document has been deleted."))
        number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = _new_version(
            document=document, number=number, name=name, content=content, by=uploaded_by, comment=comment
        )
        document.current = version
        document.save(update_fields=["current", "updated_at"])
    return version


def document_update(
    *, document: Document, title: str, folder: Folder | None, working_group: WorkingGroup | None = None
) -> Document:
    """Rename and/or move a document within its network: into a folder, or to the top level of the network
    (``working_group`` None) or of a working group."""
    title = (title or "").strip()[:NAME_MAX]
    if not title:
        raise ValidationError({"title": _("Please give the document a title.")})
    group = _space_of(network=document.network, working_group=None if folder else working_group, folder=folder)
    document.title = title
    document.folder = folder
    document.working_group = group
    document.save(update_fields=["title", "folder", "working_group", "updated_at"])
    return document


def document_delete(*, document: Document, by: Person | None) -> Document:
    """Delete a document: hidden at once, its files purged later (library_purge) so the operator can restore it."""
    if document.deleted_at is None:
        document.deleted_at = timezone.now()
        document.deleted_by = by
        document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return document


def document_purge(*, document: Document) -> None:
    """Remove a deleted document for good: its rows, its files (after commit) and their texts."""
    with transaction.atomic():
        versions = list(document.versions.values_list("file", flat=True))
        FileText.objects.filter(storage_name__in=versions).delete()
        Document.objects.filter(pk=document.pk).update(current=None)
        document.delete()
    storage = DocumentVersion._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in versions])


# --- Folders --------------------------------------------------------------------------------------------------


def _depth(folder: Folder | None) -> int:
    depth = 0
    while folder is not None:
        depth += 1
        folder = folder.parent
    return depth


def _save_folder(folder: Folder) -> Folder:
    folder.name = " ".join((folder.name or "").split())[:NAME_MAX]
    if not folder.name or folder.name in {".", ".."}:
        raise ValidationError({"name": _("Please give the folder a name.")})
    folder.clean()
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError as error:  # a second request with the same name won the race
        raise ValidationError({"name": _("A folder of this name already exists here.")}) from error
    return folder


def folder_create(
    *,
    network: Network,
    name: str,
    created_by: Person | None,
    parent: Folder | None = None,
    working_group: WorkingGroup | None = None,
) -> Folder:
    group = _space_of(network=network, working_group=working_group, folder=parent)
    if _depth(parent) >= FOLDER_DEPTH:
        raise ValidationError({"parent": _("Folders can be nested at most %(depth)d deep.") % {"depth": FOLDER_DEPTH}})
    folder = Folder(network=network, working_group=group, parent=parent, name=name, created_by=created_by)
    return _save_folder(folder)


def folder_update(*, folder: Folder, name: str, parent: Folder | None) -> Folder:
    """Rename and/or move a folder within its space (never into itself or one of its subfolders)."""
    if parent is not None:
        if parent.network_id != folder.network_id or parent.working_group_id != folder.working_group_id:
            raise ValidationError({"parent": _("This folder belongs to another space.")})
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == folder.pk:
                raise ValidationError({"parent": _("A folder cannot be moved into itself.")})
            ancestor = ancestor.parent
        if _depth(parent) >= FOLDER_DEPTH:
            raise ValidationError(
                {"parent": _("Folders can be nested at most %(depth)d deep.") % {"depth": FOLDER_DEPTH}}
            )
    folder.name = name
    folder.parent = parent
    return _save_folder(folder)


def folder_delete(*, folder: Folder) -> None:
    """Delete an empty folder; a folder with documents or subfolders is refused (move or delete those first)."""
    with transaction.atomic():
        if folder.children.exists() or folder.documents.live().exists():
            raise ValidationError(_("Only an empty folder can be deleted. Move or delete its contents first."))
        folder.documents.update(folder=None)  # deleted documents waiting for their purge: out of the way
        folder.delete()


# --- Files no version references ---------------------------------------------------------------------------------
#
# A version's file is written inside the transaction that creates its row. When a surrounding transaction rolls
# back after that (a reply by email whose post then fails, a form whose later step raises), the row is gone and
# the file stays: Django has no hook for a rollback. Such files are swept once they are older than ORPHAN_AGE
# (a younger one may belong to a transaction still open); a file a version references is never touched.

ORPHAN_AGE = timedelta(days=1)
ORPHAN_ROOT = "library"  # networks.library.models._version_path


def _walk(storage, path: str):
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{path}/{name}"
    for name in dirs:
        yield from _walk(storage, f"{path}/{name}")


def orphan_files(*, older_than: timedelta = ORPHAN_AGE, now: datetime | None = None) -> list[str]:
    """The library's stored files that no DocumentVersion references and that were written before
    ``now - older_than``."""
    storage = DocumentVersion._meta.get_field("file").storage
    cutoff = (now or timezone.now()) - older_than
    old = []
    for name in _walk(storage, ORPHAN_ROOT):
        try:
            if storage.get_modified_time(name) < cutoff:
                old.append(name)
        except (OSError, NotImplementedError):
            continue
    referenced: set[str] = set()
    for start in range(0, len(old), 500):
        chunk = old[start : start + 500]
        referenced.update(DocumentVersion.objects.filter(file__in=chunk).values_list("file", flat=True))
    return [name for name in old if name not in referenced]


def orphan_files_delete(*, older_than: timedelta = ORPHAN_AGE, now: datetime | None = None) -> int:
    """Delete the orphans (see above); returns how many. Safe to run twice or beside uploads."""
    storage = DocumentVersion._meta.get_field("file").storage
    names = orphan_files(older_than=older_than, now=now)
    for name in names:
        storage.delete(name)
    return len(names)


# --- A deleted working group's library ----------------------------------------------------------------------------


def group_library_to_network(*, group: WorkingGroup) -> Folder | None:
    """Before ``group`` is deleted: its folders and documents move to the network's own library, into a root folder
    named after the group ("Steuerungsgruppe Wärmeplanung", or "… (2)" when the name is taken), so nothing is lost
    and nothing clashes with the network's folders. The whole network reads them from then on; their search
    entries are reindexed when the deletion commits. Returns the new folder (None for an empty library)."""
    folders = Folder.objects.filter(working_group=group)
    documents = Document.objects.filter(working_group=group)
    document_ids = list(documents.values_list("pk", flat=True))
    if not document_ids and not folders.exists():
        return None
    network = group.network
    taken = {
        name.lower()
        for name in Folder.objects.in_space(network, None).filter(parent=None).values_list("name", flat=True)
    }
    base = group.name[: NAME_MAX - 6]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base} ({n})"
    target = Folder.objects.create(network=network, working_group=None, parent=None, name=name)
    folders.filter(parent=None).exclude(pk=target.pk).update(parent=target)
    documents.filter(folder=None).update(folder=target)
    folders.update(working_group=None)
    documents.update(working_group=None)
    from networks.search.registry import schedule

    schedule("library_document", document_ids)
    return target


def on_group_delete(sender, instance, **kwargs) -> None:
    """pre_delete of WorkingGroup (LibraryConfig.ready)."""
    group_library_to_network(group=instance)
