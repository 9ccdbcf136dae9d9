"""Who may do what in a document library: one rule per thing (DESIGN §4, issue 15 §5).

- Reading, downloading, uploading and creating folders: the network's members, coordinators and staff
  (networks.access.access_network_internal). A working group's documents are for the same people as the group's
  discussion (networks.access.readable_working_groups: a closed group's for its members, the coordination, staff);
  others get 404 for its folders and documents, 403 for its library page (they see the group itself).
- Renaming, moving, replacing (a new version) or deleting a document or folder: its uploader / creator, and the
  network's coordinators and staff. Others see it (403 on the write), outsiders never know it exists (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from networks import access
from networks.library.models import Document, Folder
from networks.models import Network, WorkingGroup


def access_library(user, slug: str) -> Network:
    """The network whose library the user may read (members, coordinators, staff): 403 / 404 otherwise."""
    return access.access_network_internal(user, slug)


def access_group(user, network: Network, pk: int) -> WorkingGroup:
    return access.access_working_group_content(user, network, pk)


def can_change(user, network: Network, owner) -> bool:
    """The owner (a Person or None) of a document or folder, a coordinator of its network, or staff."""
    if access.is_coordinator(user, network):
        return True
    return owner is not None and user.is_authenticated and owner.user_id == user.pk


def access_folder(user, network: Network, pk: int, *, write: bool = False) -> Folder:
    folder = get_object_or_404(
        Folder.objects.filter(access.in_readable_place(user)).select_related("working_group", "created_by", "parent"),
        network=network,
        pk=pk,
    )
    if write and not can_change(user, network, folder.created_by):
        raise PermissionDenied
    return folder


def access_document(user, network: Network, pk: int, *, write: bool = False) -> Document:
    document = get_object_or_404(
        Document.objects.live()
        .filter(access.in_readable_place(user))
        .select_related("current__uploaded_by", "created_by", "folder", "working_group", "network"),
        network=network,
        pk=pk,
    )
    if write and not can_change(user, network, document.created_by):
        raise PermissionDenied
    return document
