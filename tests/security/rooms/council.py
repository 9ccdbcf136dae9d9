"""Authorization-matrix rows and world objects of measures.council, council decisions through OParl (issue 18 §5).

Every page is for the editors of the roadmap's organisation (and staff): the endpoint of their council information
system, a measure's papers and decisions (search, link), unlinking. As the measure editor: 403 for who sees the
published roadmap, 404 while it is unpublished, 404 for another roadmap's measure or another measure's link. The
public side is a panel of the public measure page (its rows are the measures' own)."""

from __future__ import annotations

from tests.security.conftest import World, poison


def build(w: World) -> None:
    from tests.council.factories import ConsultationFactory, EndpointFactory, LinkFactory, PaperFactory
    from tests.measures.factories import MeasureFactory

    o = w.o
    o["council_endpoint"] = poison(EndpointFactory(organisation=o["org"]))
    o["council_paper"] = poison(PaperFactory(endpoint=o["council_endpoint"], reference="2025/123"))
    o["council_consultation"] = poison(ConsultationFactory(paper=o["council_paper"]))
    o["council_link"] = LinkFactory(measure=o["measure"], paper=o["council_paper"])
    endpoint_b = EndpointFactory(organisation=o["org_b"])
    o["council_link_b"] = LinkFactory(measure=o["measure_b"], paper=PaperFactory(endpoint=endpoint_b))
    o["council_measure_hidden"] = MeasureFactory(roadmap=o["roadmap_hidden"], code="C-H", slug="c-h")


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        EDITORS,
        EDITORS_HIDDEN,
        FORBIDDEN,
        LOGIN,
        NOT_FOUND,
        OK,
        POST_ONLY,
        Row,
        done,
        ex,
        rm,
    )

    def roadmap(name: str):
        return lambda w: {"slug": w.o[name].slug}

    def measure(name: str, roadmap: str = "roadmap"):
        return lambda w: {"slug": w.o[roadmap].slug, "pk": w.o[name].pk}

    def link(name: str, measure: str = "measure"):
        return lambda w: {"slug": w.o["roadmap"].slug, "pk": w.o[measure].pk, "link": w.o[name].pk}

    foreign = ex(FORBIDDEN, anonymous=LOGIN, staff=OK)
    elsewhere = ex(FORBIDDEN, anonymous=LOGIN, editor=NOT_FOUND, staff=NOT_FOUND)
    return [
        Row("council:endpoint", rm, EDITORS, post=done(EDITORS, BAD), note="an empty POST names no system"),
        Row("council:endpoint", roadmap("roadmap_hidden"), EDITORS_HIDDEN),
        Row("council:endpoint", roadmap("roadmap_b"), foreign, note="another organisation's roadmap"),
        Row("council:endpoint-sync", rm, POST_ONLY, post=done(EDITORS)),
        Row("council:measure-papers", measure("measure"), EDITORS, post=done(EDITORS, BAD), note="no paper"),
        Row("council:measure-papers", measure("measure"), EDITORS, query=lambda w: "?q=2025%2F123"),
        Row("council:measure-papers", measure("measure"), EDITORS, query=lambda w: "?q=" + "x" * 300),
        Row("council:measure-papers", measure("council_measure_hidden", "roadmap_hidden"), EDITORS_HIDDEN),
        Row("council:measure-papers", measure("measure_b"), elsewhere, note="a measure of another roadmap"),
        Row("council:link-delete", link("council_link"), POST_ONLY, post=done(EDITORS)),
        Row(
            "council:link-delete",
            link("council_link_b"),
            POST_ONLY,
            post=ex(FORBIDDEN, anonymous=LOGIN, editor=NOT_FOUND, staff=NOT_FOUND),
            note="another measure's link",
        ),
    ]
