"""Authorization-matrix rows and world objects of measures.catalogue, the measure library (issue 17 §1).

Published entries are public; an unpublished or withdrawn entry is a 404 except for the curators (staff and the
coordinators of any network) and the editors of its organisation of origin. Curators create and edit entries that
come from no roadmap (an offered entry follows its measure: 403 for everyone). Copying needs a roadmap the viewer
edits (the editor persona; staff edit every roadmap). The switch on a measure is its roadmap's editors' (POST)."""

from __future__ import annotations

from tests.security.conftest import World, poison


def build(w: World) -> None:
    from django.utils import timezone

    from measures.catalogue import services
    from tests.catalogue.factories import LibraryEntryFactory

    o, p = w.o, w.people
    o["cat_entry"] = poison(LibraryEntryFactory(slug="cat-entry", curator=p["coordinator"]))
    o["cat_draft"] = poison(LibraryEntryFactory(slug="cat-draft", published=False))
    o["cat_offered"] = services.entry_offer(measure=o["measure"], by=p["editor"])  # the editor's org's measure
    o["cat_withdrawn"] = poison(
        LibraryEntryFactory(
            slug="cat-withdrawn", source_organisation=o["org"], source_code="W-1", withdrawn_at=timezone.now(),
            published=False,
        )
    )  # fmt: skip


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        COORDINATORS,
        EDITORS,
        EVERYONE,
        FORBIDDEN,
        LOGIN,
        NOT_FOUND,
        OK,
        POST_ONLY,
        REDIRECT,
        Row,
        done,
        ex,
        none,
    )

    def entry(name: str):
        return lambda w: {"slug": w.o[name].slug}

    def measure(name: str, roadmap: str = "roadmap"):
        return lambda w: {"slug": w.o[roadmap].slug, "pk": w.o[name].pk}

    curators_only = ex(NOT_FOUND, coordinator=OK, staff=OK)
    return [
        Row("catalogue:entry-list", none, EVERYONE),
        Row(
            "catalogue:entry-list",
            none,
            EVERYONE,
            query=lambda w: "?groesse=riesig&land=XX&erreicht=completed&sortierung=uebernahmen&page=9",
            note="unknown values are ignored with a note",
        ),
        Row("catalogue:entry", entry("cat_entry"), EVERYONE),
        Row("catalogue:entry", entry("cat_offered"), EVERYONE),
        Row("catalogue:entry", entry("cat_draft"), curators_only, note="unpublished: curators only"),
        Row(
            "catalogue:entry",
            entry("cat_withdrawn"),
            {**curators_only, "editor": OK},
            note="withdrawn: the editors of its organisation and the curators",
        ),
        Row("catalogue:entry", lambda w: {"slug": "gibt-es-nicht"}, ex(NOT_FOUND)),
        Row("catalogue:entry-create", none, COORDINATORS, post=done(COORDINATORS, BAD), note="an empty POST"),
        Row("catalogue:entry-edit", entry("cat_entry"), COORDINATORS, post=done(COORDINATORS, BAD)),
        Row(
            "catalogue:entry-edit",
            entry("cat_offered"),
            ex(FORBIDDEN, anonymous=LOGIN),
            note="an offered entry follows its measure",
        ),
        Row(
            "catalogue:entry-edit",
            entry("cat_draft"),
            {**ex(NOT_FOUND, anonymous=LOGIN), "coordinator": OK, "staff": OK},
        ),
        Row("catalogue:entry-adopt", entry("cat_entry"), EDITORS, post=done(EDITORS, BAD), note="no roadmap chosen"),
        Row(
            "catalogue:entry-adopt",
            entry("cat_draft"),
            ex(NOT_FOUND, anonymous=LOGIN, coordinator=FORBIDDEN, staff=FORBIDDEN),
            note="not in the library: nothing to copy",
        ),
        Row("catalogue:measure-offer", measure("measure"), POST_ONLY, post=done(EDITORS)),
        Row("catalogue:measure-offer", measure("measure_hidden"), POST_ONLY, post=done(EDITORS)),
        Row(
            "catalogue:measure-offer",
            measure("measure_b", "roadmap_b"),
            POST_ONLY,
            post=ex(FORBIDDEN, anonymous=LOGIN, staff=REDIRECT),
            note="a measure of another organisation's roadmap",
        ),
    ]
