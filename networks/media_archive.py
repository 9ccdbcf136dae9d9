"""The portal's stored files as one tar.gz, through the storage API alone (local disk or a bucket alike):
``make backup`` writes it beside the database dump when the files live in a bucket, ``make restore`` writes the
objects back (scripts/backup.sh, scripts/restore.sh; the commands media_export and media_import).

The archive's member names are the storage names (``library/3/2026/05/folien.pdf``), the same layout as a tar of
MEDIA_ROOT: a backup of local media restores into a bucket and back (the way from disk to object storage)."""

from __future__ import annotations

import contextlib
import tarfile
from collections.abc import Iterator
from typing import BinaryIO

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage


def stored_names(storage: Storage = default_storage, path: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``path``, depth first."""
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for name in sorted(dirs):
        yield from stored_names(storage, f"{path}/{name}" if path else name)


def export_media(target: BinaryIO, *, storage: Storage = default_storage) -> tuple[int, int]:
    """Write every stored file into ``target`` as a gzipped tar; returns (files, bytes)."""
    files = size = 0
    with tarfile.open(fileobj=target, mode="w:gz") as archive:
        for name in stored_names(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            with contextlib.suppress(NotImplementedError, OSError):
                info.mtime = int(storage.get_modified_time(name).timestamp())
            info.mode = 0o644
            with storage.open(name, "rb") as stored:
                archive.addfile(info, stored)
            files, size = files + 1, size + info.size
    return files, size


def _member_name(member: tarfile.TarInfo) -> str:
    name = member.name
    while name.startswith("./"):
        name = name[2:]
    parts = name.split("/")
    if not name or name.startswith("/") or ".." in parts or "" in parts:
        raise SuspiciousFileOperation(f"refused archive member {member.name!r}")
    return name


def import_media(source: BinaryIO, *, storage: Storage = default_storage) -> tuple[int, int]:
    """Write the archive's files into ``storage`` under their own names, replacing what is there; returns
    (files, bytes). Directories, links and anything but regular files are left out."""
    files = size = 0
    with tarfile.open(fileobj=source, mode="r:*") as archive:
        for member in archive:
            if not member.isfile():
                continue
            name = _member_name(member)
            if storage.exists(name):
                storage.delete(name)
            handle = archive.extractfile(member)
            saved = storage.save(name, File(handle, name=name.rsplit("/", 1)[-1]))
            if saved != name:
                raise SuspiciousFileOperation(f"{name} was stored as {saved}")
            files, size = files + 1, size + member.size
    return files, size
