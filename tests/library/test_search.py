"""Library documents in the one search: found by a word inside the file (once its text is extracted), only by
the network's members; deleted documents disappear from the results."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from networks.library import services
from networks.search.query import search
from tests.library import factories as f


def _found(personas, persona: str, words: str) -> list[str]:
    return [hit.url for hit in search(personas.user(persona) or AnonymousUser(), words, kind="library_document").hits]


def test_found_by_a_word_inside_for_members_only(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # upload, then the extraction after commit
        document = f.store(
            personas.network,
            title="Folien Frühjahrstreffen",
            content=f.pdf("Das Dachflächenpotenzial im Landkreis", "Solarkataster"),
        )
    url = document.get_detail_url()
    for persona in ("member", "coordinator", "staff"):
        assert _found(personas, persona, "Dachflächenpotenzial") == [url], persona
    for persona in ("anonymous", "citizen", "other_network", "editor"):
        assert _found(personas, persona, "Dachflächenpotenzial") == [], persona


def test_deleted_documents_leave_the_results(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = f.store(personas.network, title="Wärmeplanung Zwischenstand")
    assert _found(personas, "member", "Wärmeplanung")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document, by=None)
    assert _found(personas, "member", "Wärmeplanung") == []


def test_renaming_a_parent_folder_reindexes_the_documents_below(personas, django_capture_on_commit_callbacks):
    top = services.folder_create(network=personas.network, name="Sitzungen", created_by=None)
    inner = services.folder_create(network=personas.network, name="2026", created_by=None, parent=top)
    with django_capture_on_commit_callbacks(execute=True):
        document = f.store(personas.network, title="Tagesordnung", folder=inner)
    assert _found(personas, "member", "Sitzungen") == [document.get_detail_url()]
    with django_capture_on_commit_callbacks(execute=True):
        services.folder_update(folder=top, name="Arbeitstreffen", parent=None)
    assert _found(personas, "member", "Sitzungen") == []
    assert _found(personas, "member", "Arbeitstreffen") == [document.get_detail_url()]
