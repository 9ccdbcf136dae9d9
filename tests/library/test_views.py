"""Library pages: what each persona may do, downloads' headers, forms that keep what was typed, flat queries.

The persona × URL table itself lives in tests/security/rooms/library.py (the URL matrix); here the behaviour
behind each permission."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.library import services
from networks.library.models import Document, Folder
from tests.helpers import assert_flat
from tests.library import factories as f
from tests.networks.factories import WorkingGroupFactory

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "staff"]
READ = {"anonymous": 302, "citizen": 403, "other_network": 403, "member": 200, "coordinator": 200, "staff": 200}


def url(name: str, network, *args) -> str:
    return reverse(f"library:{name}", args=[network.slug, *args])


@pytest.fixture
def document(personas):
    return f.store(personas.network, personas.people["member"], title="Folien Frühjahrstreffen", content=f.pdf("x"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_pages(client, personas, document, persona):
    folder = services.folder_create(network=personas.network, name="Vorlagen", created_by=None)
    group = WorkingGroupFactory(network=personas.network)
    personas.login(client, persona)
    for address in [
        url("library", personas.network),
        url("folder-detail", personas.network, folder.pk),
        url("group-library", personas.network, group.pk),
        url("source-detail", personas.network, "veranstaltungen"),
        url("document-detail", personas.network, document.pk),
        url("document-download", personas.network, document.pk),
        url("version-download", personas.network, document.pk, 1),
    ]:
        assert client.get(address).status_code == READ[persona], address


def test_private_network_library_is_unknown_to_outsiders(client, personas, document):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    personas.login(client, "other_network")
    assert client.get(url("library", personas.network)).status_code == 404
    assert client.get(url("document-download", personas.network, document.pk)).status_code == 404


def test_objects_of_another_network_are_404(client, personas):
    foreign = f.store(personas.other)
    folder = services.folder_create(network=personas.other, name="Fremd", created_by=None)
    personas.login(client, "coordinator")
    assert client.get(url("document-detail", personas.network, foreign.pk)).status_code == 404
    assert client.get(url("document-download", personas.network, foreign.pk)).status_code == 404
    assert client.get(url("folder-detail", personas.network, folder.pk)).status_code == 404
    assert client.get(url("source-detail", personas.network, "unbekannt")).status_code == 404


def test_download_headers(client, personas):
    document = f.store(personas.network, name="Präsentation Wärme.pdf", content=f.pdf("x"))
    csv = f.store(personas.network, name="daten.csv", content=b"a;b\n1;2\n")
    personas.login(client, "member")
    response = client.get(url("document-download", personas.network, document.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''Pr%C3%A4sentation%20W%C3%A4rme.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    download = client.get(url("document-download", personas.network, csv.pk))
    assert download["Content-Type"] == "text/csv" and download["Content-Disposition"].startswith("attachment;")


def test_older_versions_stay_downloadable(client, personas, document):
    services.document_version_add(document=document, uploaded_by=None, name="neu.txt", content=b"zweite Fassung")
    personas.login(client, "member")
    first = client.get(url("version-download", personas.network, document.pk, 1))
    assert b"".join(first.streaming_content).startswith(b"%PDF")
    current = client.get(url("document-download", personas.network, document.pk))
    assert b"".join(current.streaming_content) == b"zweite Fassung"
    assert client.get(url("version-download", personas.network, document.pk, 3)).status_code == 404


def test_deleted_documents_are_gone_for_everyone(client, personas, document):
    services.document_delete(document=document, by=None)
    personas.login(client, "staff")
    assert client.get(url("document-download", personas.network, document.pk)).status_code == 404
    assert client.get(url("document-detail", personas.network, document.pk)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 302),
        ("coordinator", 302),
        ("staff", 302),
    ],
)
def test_upload(client, personas, persona, status):
    group = WorkingGroupFactory(network=personas.network)
    personas.login(client, persona)
    upload = SimpleUploadedFile("agenda.pdf", f.pdf("Tagesordnung"))
    response = client.post(
        url("document-upload", personas.network), {"file": upload, "title": "Agenda", "place": f"g{group.pk}"}
    )
    assert response.status_code == status
    created = Document.objects.filter(title="Agenda").first()
    assert (created is not None) == (persona not in {"anonymous", "citizen", "other_network"})
    if created:
        assert response["Location"] == created.get_detail_url() and created.working_group == group
        assert created.created_by == personas.people[persona]


def test_refused_upload_keeps_the_title(client, personas):
    personas.login(client, "member")
    upload = SimpleUploadedFile("setup.pdf", b"MZ" + b"\x00" * 100)
    response = client.post(
        url("document-upload", personas.network), {"file": upload, "title": "Meine Folien", "place": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert response.context["form"]["title"].value() == "Meine Folien"
    assert not Document.objects.exists()


def test_upload_starts_in_the_folder_of_the_link(client, personas):
    folder = services.folder_create(network=personas.network, name="Protokolle", created_by=None)
    personas.login(client, "member")
    response = client.get(url("document-upload", personas.network) + f"?ordner={folder.pk}")
    assert response.context["form"]["place"].value() == f"f{folder.pk}"


WRITES = ["version-upload", "document-edit", "document-delete"]
# Someone else's document: its uploader (member) and coordinators/staff may change it; other members may not.
CHANGE = {
    "anonymous": 302,
    "citizen": 403,
    "other_network": 403,
    "member2": 403,
    "member": 200,
    "coordinator": 200,
    "staff": 200,
}


@pytest.mark.parametrize("persona", list(CHANGE))
@pytest.mark.parametrize("name", WRITES)
def test_changing_a_document(client, personas, document, persona, name):
    from tests.networks.factories import NetworkRoleFactory

    if persona == "member2":
        client.force_login(NetworkRoleFactory(network=personas.network).person.user)
    else:
        personas.login(client, persona)
    assert client.get(url(name, personas.network, document.pk)).status_code == CHANGE[persona]


def test_new_version_by_the_uploader(client, personas, document):
    personas.login(client, "member")
    upload = SimpleUploadedFile("v2.pdf", f.pdf("Neu"))
    response = client.post(
        url("version-upload", personas.network, document.pk), {"file": upload, "comment": "Zahlen ergänzt"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current.number == 2 and document.current.comment == "Zahlen ergänzt"
    page = client.get(url("document-detail", personas.network, document.pk))
    assert [v.number for v in page.context["versions"]] == [2, 1]


def test_rename_move_and_delete(client, personas, document):
    folder = services.folder_create(network=personas.network, name="Archiv", created_by=None)
    personas.login(client, "coordinator")
    response = client.post(
        url("document-edit", personas.network, document.pk), {"title": "Umbenannt", "place": f"f{folder.pk}"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.folder) == ("Umbenannt", folder)
    response = client.post(url("document-delete", personas.network, document.pk))
    assert response["Location"] == folder.get_absolute_url()
    document.refresh_from_db()
    assert document.deleted_at is not None and document.deleted_by == personas.people["coordinator"]


def test_edit_with_an_unknown_place_is_a_form_error(client, personas, document):
    personas.login(client, "member")
    response = client.post(url("document-edit", personas.network, document.pk), {"title": "X", "place": "f999999"})
    assert response.status_code == 400 and response.context["form"].errors["place"]


def test_folders_create_rename_delete(client, personas):
    personas.login(client, "member")
    response = client.post(url("folder-create", personas.network), {"name": "Vorlagen", "place": ""})
    folder = Folder.objects.get(name="Vorlagen")
    assert response["Location"] == folder.get_absolute_url() and folder.created_by == personas.people["member"]
    duplicate = client.post(url("folder-create", personas.network), {"name": "vorlagen", "place": ""})
    assert duplicate.status_code == 400 and duplicate.context["form"].errors["name"]
    assert duplicate.context["form"]["name"].value() == "vorlagen"
    client.post(url("folder-edit", personas.network, folder.pk), {"name": "Muster", "place": ""})
    folder.refresh_from_db()
    assert folder.name == "Muster"
    f.store(personas.network, folder=folder)
    refused = client.post(url("folder-delete", personas.network, folder.pk))
    assert refused.status_code == 302 and Folder.objects.filter(pk=folder.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 200),
        ("staff", 200),
    ],
)
def test_someone_elses_folder(client, personas, persona, status):
    folder = services.folder_create(network=personas.network, name="Fremd", created_by=None)
    personas.login(client, persona)
    assert client.get(url("folder-edit", personas.network, folder.pk)).status_code == status
    assert client.get(url("folder-delete", personas.network, folder.pk)).status_code == status


def test_library_shows_folders_groups_and_event_documents(client, personas, document):
    from events import services as event_services
    from tests.events.factories import EventFactory

    services.folder_create(network=personas.network, name="Vorlagen", created_by=None)
    group = WorkingGroupFactory(network=personas.network, name="AG Wärme")
    f.store(personas.network, working_group=group, title="AG-Papier")
    event = EventFactory(network=personas.network, title="Frühjahrstreffen")
    event_services.document_add(
        event=event, upload=SimpleUploadedFile("f.pdf", f.pdf("x")), kind="slides", title="Folien", by=None
    )
    personas.login(client, "member")
    page = client.get(url("library", personas.network))
    assert [d.title for d in page.context["page"].object_list] == ["Folien Frühjahrstreffen"]  # top level only
    assert [g.name for g in page.context["groups"]] == ["AG Wärme"] and page.context["groups"][0].document_count == 1
    assert page.context["sources"][0]["count"] == 1
    events_page = client.get(url("source-detail", personas.network, "veranstaltungen"))
    assert events_page.context["groups"][0]["title"] == "Frühjahrstreffen"
    assert events_page.context["groups"][0]["documents"][0]["title"] == "Folien"


def test_library_with_everything_in_folders_does_not_say_it_is_empty(client, personas):
    personas.login(client, "member")
    folder = services.folder_create(network=personas.network, name="Netzwerktreffen", created_by=None)
    f.store(personas.network, folder=folder, title="Folien")
    page = client.get(url("library", personas.network)).content.decode()
    assert "Keine Dokumente außerhalb der Ordner." in page
    assert "Hier gibt es noch keine Dokumente." not in page


def test_sorting_by_date(client, personas):
    older = f.store(personas.network, title="B älter")
    f.store(personas.network, title="A neuer")
    Document.objects.filter(pk=older.pk).update(updated_at=older.updated_at.replace(year=2020))
    personas.login(client, "member")
    by_name = client.get(url("library", personas.network))
    newest = client.get(url("library", personas.network) + "?sort=-updated")
    oldest = client.get(url("library", personas.network) + "?sort=updated")
    assert [d.title for d in by_name.context["page"].object_list] == ["A neuer", "B älter"]
    assert [d.title for d in newest.context["page"].object_list] == ["A neuer", "B älter"]
    assert [d.title for d in oldest.context["page"].object_list] == ["B älter", "A neuer"]
    assert client.get(url("library", personas.network) + "?sort=bogus").status_code == 200


def _grow(network, person, folder=None):
    def grow(n):
        for index in range(n):
            document = f.store(network, person, folder=folder, name=f"datei{index}.txt", content=b"Text")
            services.document_version_add(document=document, uploaded_by=person, name="neu.txt", content=b"Neu")
            services.folder_create(
                network=network, name=f"Ordner {Folder.objects.count()}", created_by=person, parent=folder
            )

    return grow


def test_library_queries_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    # session, user, network with role, folders, groups, event source count, document count, page of documents
    assert_flat(
        client,
        url("library", personas.network),
        _grow(personas.network, personas.people["member"]),
        django_assert_num_queries,
        6,
    )


def test_folder_queries_are_flat(client, personas, django_assert_num_queries):
    folder = services.folder_create(network=personas.network, name="Oben", created_by=None)
    personas.login(client, "member")
    # network with role, folder, its trail, subfolders, document count, page of documents
    grow = _grow(personas.network, personas.people["member"], folder)
    assert_flat(client, url("folder-detail", personas.network, folder.pk), grow, django_assert_num_queries, 6)


def test_document_queries_are_flat(client, personas, document, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            services.document_version_add(
                document=document, uploaded_by=personas.people["member"], name="v.txt", content=b"v"
            )

    personas.login(client, "member")
    # network with role, document, versions with uploaders
    assert_flat(client, url("document-detail", personas.network, document.pk), grow, django_assert_num_queries, 3)


def test_event_source_queries_are_flat(client, personas, django_assert_num_queries):
    from events import services as event_services
    from tests.events.factories import EventFactory

    def grow(n):
        for _ in range(n):
            event = EventFactory(network=personas.network)
            for kind in ("slides", "minutes"):
                upload = SimpleUploadedFile("f.pdf", f.pdf("x"))
                event_services.document_add(event=event, upload=upload, kind=kind, title=kind, by=None)

    personas.login(client, "member")
    # network with role, count of events, page of events, those events with their network, their documents
    assert_flat(client, url("source-detail", personas.network, "veranstaltungen"), grow, django_assert_num_queries, 5)


def test_panels(client, personas, document):
    from networks import panels

    group = WorkingGroupFactory(network=personas.network)
    f.store(personas.network, working_group=group, title="Gruppenpapier")
    personas.login(client, "member")
    request = client.get(url("library", personas.network)).wsgi_request
    space = {p["template"]: p for p in panels.render_context("network_space", request, personas.network)}
    latest = space["library/panels/network_space.html"]["documents"]
    assert [d.title for d in latest] == ["Gruppenpapier", "Folien Frühjahrstreffen"]
    on_group = {p["template"]: p for p in panels.render_context("working_group", request, group)}
    assert [d.title for d in on_group["library/panels/working_group.html"]["documents"]] == ["Gruppenpapier"]


def test_working_group_page_shows_its_documents(client, personas):
    group = WorkingGroupFactory(network=personas.network)
    document = f.store(personas.network, working_group=group, title="Gruppenpapier")
    f.store(personas.network, title="Netzwerkpapier")
    personas.login(client, "member")
    page = client.get(reverse("networks:working-group-detail", args=[personas.network.slug, group.pk]))
    panel = next(p for p in page.context["panels"] if p["template"] == "library/panels/working_group.html")
    assert [d.title for d in panel["documents"]] == ["Gruppenpapier"]
    assert document.get_detail_url() in page.content.decode()
