"""The operator's library admin: the history of a document (renamed, moved) and restoring a deleted document."""

from __future__ import annotations

from django.urls import reverse

from networks.library import services
from networks.library.models import Document
from tests.admin_history import assert_denied, assert_flat_queries, assert_read_only, latest_entry, staff_client
from tests.library import factories as f


def test_history_of_a_renamed_document(client, personas):
    document = f.store(personas.network, title="Alt")
    services.document_update(document=document, title="Neu", folder=None)
    staff_client(client, personas)
    entry = latest_entry(client, document)
    assert {row["new"] for row in entry["changes"]} >= {"Neu"}
    assert_read_only(client, document)


def test_history_is_for_staff_only(client, personas):
    document = f.store(personas.network)
    for persona in ("anonymous", "member", "coordinator"):
        assert_denied(client, personas, persona, document)


def test_history_queries_are_flat(client, personas):
    def make(changes: int):
        document = f.store(personas.network, title="T")
        for n in range(changes):
            services.document_update(document=document, title=f"T{n}", folder=None)
        return document

    staff_client(client, personas)
    assert_flat_queries(client, make)


def test_restore_a_deleted_document(client, personas):
    document = f.store(personas.network)
    services.document_delete(document=document, by=personas.people["member"])
    staff_client(client, personas)
    changelist = reverse("admin:library_document_changelist")
    assert client.get(changelist + "?deleted=yes").context["cl"].result_count == 1
    response = client.post(changelist, {"action": "restore", "_selected_action": [document.pk]})
    assert response.status_code == 302
    assert Document.objects.live().filter(pk=document.pk).exists()
