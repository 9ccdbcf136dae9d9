"""The library's digest section: new documents and new versions of the period, per network, one item per
document, one query for a batch of people."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from networks.digest import sections
from networks.library import services
from networks.library.digest import new_documents
from networks.library.models import DocumentVersion
from tests.library import factories as f


def _request(person, networks, since, until):
    return sections.Request(person=person, networks=tuple(networks), since=since, until=until)


def test_new_documents_of_the_period(personas, django_assert_num_queries):
    now = timezone.now()
    old = f.store(personas.network, title="Alt")
    DocumentVersion.objects.filter(document=old).update(uploaded_at=now - timedelta(days=3))
    fresh = f.store(personas.network, personas.people["member"], title="Neu")
    revised = f.store(personas.network, title="Überarbeitet")
    services.document_version_add(
        document=revised, uploaded_by=None, name="v2.pdf", content=f.pdf("v2"), comment="Zahlen"
    )
    gone = f.store(personas.network, title="Gelöscht")
    services.document_delete(document=gone, by=None)
    f.store(personas.other, title="Fremd")
    member, other = personas.people["member"], personas.people["other_network"]
    requests = [
        _request(member, [personas.network], now - timedelta(days=1), now + timedelta(minutes=1)),
        _request(other, [personas.other], now - timedelta(days=1), now + timedelta(minutes=1)),
    ]
    with django_assert_num_queries(1):
        items = new_documents(requests)
    titles = [item.title for item in items[member.pk]]
    assert sorted(titles) == ["Neu", "Überarbeitet"]  # once each, old and deleted ones left out
    by_title = {item.title: item for item in items[member.pk]}
    assert by_title["Neu"].url == fresh.get_detail_url() and "Mitglied" in by_title["Neu"].summary
    assert "2" in by_title["Überarbeitet"].summary and "Zahlen" in by_title["Überarbeitet"].summary
    assert [item.title for item in items[other.pk]] == ["Fremd"]
    assert sections.get("library-documents") is not None
