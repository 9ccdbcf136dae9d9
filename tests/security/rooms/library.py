"""Authorization-matrix rows and world objects of networks.library (see tests/security/test_url_matrix.py).

The library is the network's internal space: members, coordinators and staff read and upload; a document or
folder is changed by whoever uploaded / created it, or by the coordinators and staff. Objects of another
network are 404 for those who may read this library."""

from __future__ import annotations

from tests.security.conftest import PAYLOAD, World, poison


def build(w: World) -> None:
    """Add this room's objects to the security world (``w.o[name] = ...``; poison free text with PAYLOAD)."""
    from networks.library import services
    from networks.library.pdf import minimal_pdf

    pdf = minimal_pdf([(PAYLOAD, [PAYLOAD])])
    p, o = w.people, w.o
    o["lib_folder"] = poison(
        services.folder_create(network=w.network, name="Ordner", created_by=p["member"]), working_group=None
    )
    o["lib_folder_empty"] = services.folder_create(network=w.network, name="Leer", created_by=p["member"])
    o["lib_group_folder"] = poison(
        services.folder_create(network=w.network, name="AG", created_by=p["coordinator"], working_group=o["group"])
    )
    o["lib_document"] = services.document_store(
        network=w.network, folder=o["lib_folder"], uploaded_by=p["member"], name=f"{PAYLOAD[:30]}.pdf", content=pdf
    )
    poison(o["lib_document"])
    poison(o["lib_document"].current)
    o["lib_document_coord"] = poison(
        services.document_store(
            network=w.network, working_group=o["group"], uploaded_by=p["coordinator"], name="k.pdf", content=pdf
        )
    )
    o["lib_document_b"] = services.document_store(network=w.other, uploaded_by=None, name="b.pdf", content=pdf)
    o["lib_folder_b"] = services.folder_create(network=w.other, name="B", created_by=None)


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        COORDINATORS,
        FORBIDDEN,
        LOGIN,
        MEMBERS,
        NOT_FOUND,
        REDIRECT,
        Row,
        done,
        ex,
        net,
    )

    def doc(name: str, **extra):
        return lambda w: {**net(w), "pk": w.o[name].pk, **extra}

    def folder(name: str):
        return lambda w: {**net(w), "pk": w.o[name].pk}

    foreign = ex(NOT_FOUND, anonymous=LOGIN, citizen=FORBIDDEN, other_network=FORBIDDEN, editor=FORBIDDEN)
    return [
        Row("library:library", net, MEMBERS),
        Row("library:group-library", lambda w: {**net(w), "group": w.group.pk}, MEMBERS),
        Row("library:group-library", lambda w: {**net(w), "group": w.group_b.pk}, foreign, note="another network's"),
        Row("library:source-detail", lambda w: {**net(w), "key": "veranstaltungen"}, MEMBERS),
        Row("library:source-detail", lambda w: {**net(w), "key": "unbekannt"}, foreign, note="no such source"),
        Row("library:folder-detail", folder("lib_folder"), MEMBERS),
        Row("library:folder-detail", folder("lib_group_folder"), MEMBERS, note="groups are open to members"),
        Row("library:folder-detail", folder("lib_folder_b"), foreign),
        Row("library:document-upload", net, MEMBERS, post=done(MEMBERS, BAD), note="an empty POST has no file"),
        Row("library:folder-create", net, MEMBERS, post=done(MEMBERS, BAD), note="an empty POST has no name"),
        Row("library:document-detail", doc("lib_document"), MEMBERS),
        Row("library:document-detail", doc("lib_document_b"), foreign),
        Row("library:document-download", doc("lib_document"), MEMBERS),
        Row("library:document-download", doc("lib_document_coord"), MEMBERS, note="a working group's document"),
        Row("library:document-download", doc("lib_document_b"), foreign),
        Row("library:version-download", doc("lib_document", number=1), MEMBERS),
        Row("library:version-download", doc("lib_document", number=9), foreign, note="no such version"),
        Row("library:version-download", doc("lib_document_b", number=1), foreign),
        # the member uploaded lib_document: they, the coordinators and staff may change it
        Row("library:version-upload", doc("lib_document"), MEMBERS, post=done(MEMBERS, BAD)),
        Row("library:document-edit", doc("lib_document"), MEMBERS, post=done(MEMBERS, BAD)),
        Row("library:document-delete", doc("lib_document"), MEMBERS, post=done(MEMBERS)),
        # the coordinator's document: not the member's to change
        Row("library:version-upload", doc("lib_document_coord"), COORDINATORS, post=done(COORDINATORS, BAD)),
        Row("library:document-edit", doc("lib_document_coord"), COORDINATORS, post=done(COORDINATORS, BAD)),
        Row("library:document-delete", doc("lib_document_coord"), COORDINATORS, post=done(COORDINATORS)),
        Row("library:document-delete", doc("lib_document_b"), foreign, post=foreign),
        Row("library:folder-edit", folder("lib_folder"), MEMBERS, post=done(MEMBERS, BAD), note="the member's"),
        Row("library:folder-edit", folder("lib_group_folder"), COORDINATORS, post=done(COORDINATORS, BAD)),
        Row("library:folder-edit", folder("lib_folder_b"), foreign, post=foreign),
        Row(
            "library:folder-delete",
            folder("lib_folder"),
            MEMBERS,
            post=done(MEMBERS, REDIRECT),
            note="not empty: refused with a message, back to the folder",
        ),
        Row("library:folder-delete", folder("lib_folder_empty"), MEMBERS, post=done(MEMBERS)),
        Row("library:folder-delete", folder("lib_group_folder"), COORDINATORS, post=done(COORDINATORS)),
        Row("library:folder-delete", folder("lib_folder_b"), foreign, post=foreign),
    ]
