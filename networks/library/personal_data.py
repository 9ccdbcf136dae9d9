"""What the library adds to a person's data export (networks.panels.register_personal_data): the files the person
uploaded, with their place and version. Their uploads stay in the network's library when the account is deleted
(the network's shared knowledge; the uploader's name goes with the anonymised person)."""

from __future__ import annotations

from networks.library.models import DocumentVersion
from networks.models import Person


def export(person: Person) -> dict:
    versions = (
        DocumentVersion.objects.filter(uploaded_by=person)
        .select_related("document__network")
        .order_by("uploaded_at", "pk")
    )
    return {
        "library_uploads": [
            {
                "document": version.document.title,
                "network": version.document.network.name,
                "version": version.number,
                "file_name": version.original_name,
                "size": version.size,
                "uploaded_at": version.uploaded_at.isoformat(),
                "comment": version.comment,
                "deleted": version.document.deleted_at is not None,
            }
            for version in versions
        ]
    }
