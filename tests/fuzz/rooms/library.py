"""Fuzz entries of networks.library (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

The fuzz world has no library objects: the member's document and folder are made on first use (``_document``,
``_folder``), inside the test's transaction.

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| library:document-upload | POST | member | UploadForm | ordner, gruppe (query) |
| library:version-upload | POST | member | VersionForm | – |
| library:document-edit | POST | member | DocumentEditForm | – |
| library:folder-create | POST | member | FolderForm | ordner, gruppe (query) |
| library:folder-edit | POST | member | FolderForm | – |
| library:library | GET | member | SortForm | page |
| library:folder-detail | GET | member | SortForm | page |
| library:group-library | GET | member | SortForm | page |
"""

from __future__ import annotations

from django.urls import reverse

from networks.library.forms import DocumentEditForm, FolderForm, Place, SortForm, UploadForm, VersionForm
from tests.fuzz.engine import Endpoint


def _document(w):
    from networks.library import services
    from networks.library.models import Document
    from networks.library.pdf import minimal_pdf

    found = Document.objects.filter(network=w.network, title="Fuzz-Dokument").first()
    return found or services.document_store(
        network=w.network,
        uploaded_by=w.people["member"],
        name="fuzz.pdf",
        content=minimal_pdf([("Fuzz", ["Text"])]),
        title="Fuzz-Dokument",
    )


def _folder(w):
    from networks.library import services
    from networks.library.models import Folder

    found = Folder.objects.filter(network=w.network, name="Fuzz-Ordner").first()
    return found or services.folder_create(network=w.network, name="Fuzz-Ordner", created_by=w.people["member"])


def _url(name: str, obj=None, **extra):
    def make(w):
        args = [w.network.slug] + ([obj(w).pk] if obj else [])
        return reverse(f"library:{name}", args=args)

    return make


ENDPOINTS: list = [
    Endpoint(
        "library:document-upload",
        "member",
        _url("document-upload"),
        lambda w: [UploadForm(network=w.network, place=Place())],
        covers=(UploadForm,),
    ),
    Endpoint(
        "library:version-upload",
        "member",
        _url("version-upload", _document),
        lambda w: [VersionForm()],
        covers=(VersionForm,),
    ),
    Endpoint(
        "library:document-edit",
        "member",
        _url("document-edit", _document),
        lambda w: [DocumentEditForm(network=w.network)],
        covers=(DocumentEditForm,),
    ),
    Endpoint(
        "library:folder-create",
        "member",
        _url("folder-create"),
        lambda w: [FolderForm(network=w.network, group=None)],
        covers=(FolderForm,),
    ),
    Endpoint(
        "library:folder-edit",
        "member",
        _url("folder-edit", _folder),
        lambda w: [FolderForm(network=w.network, group=None, folder=_folder(w))],
        covers=(FolderForm,),
    ),
    Endpoint(
        "library:library",
        "member",
        _url("library"),
        lambda w: [SortForm()],
        covers=(SortForm,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "library:folder-detail",
        "member",
        _url("folder-detail", _folder),
        lambda w: [SortForm()],
        covers=(SortForm,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "library:group-library",
        "member",
        lambda w: reverse("library:group-library", args=[w.network.slug, w.working_group.pk]),
        lambda w: [SortForm()],
        covers=(SortForm,),
        method="get",
        extra={"page": "1"},
    ),
]
NOT_FUZZED: dict[str, str] = {
    "library:document-delete": "no input",
    "library:folder-delete": "no input",
}
READ_ONLY: set[str] = {
    "library:source-detail",
    "library:document-detail",
    "library:document-download",
    "library:version-download",
}
