"""Authorization-matrix rows and world objects of measures.funding, the funding radar (issue 17 §3).

The programme database is public to read; staff and the coordinators of any network keep it (everyone else 403,
anonymous to the login). A measure's funding page is its roadmap's editors' (as the measure editor: 404 for
everyone else while the roadmap is unpublished). The network's Förderradar is for its members. Deadline feeds:
the public one for everyone, the personal one by its secret token (404 for an unknown one)."""

from __future__ import annotations

from datetime import timedelta

from tests.security.conftest import World, poison


def build(w: World) -> None:
    from django.utils import timezone

    from tests.funding.factories import CallFactory, ProgrammeFactory
    from tests.measures.factories import MeasureFactory

    today = timezone.localdate()
    o = w.o
    o["fund_programme"] = poison(ProgrammeFactory(slug="fund-programme", is_demo=True))
    o["fund_call"] = poison(CallFactory(programme=o["fund_programme"], deadline=today + timedelta(days=20)))
    o["fund_programme_b"] = ProgrammeFactory(slug="fund-programme-b")
    o["fund_call_b"] = CallFactory(programme=o["fund_programme_b"])
    o["fund_measure_hidden"] = MeasureFactory(roadmap=o["roadmap_hidden"], code="F-H", slug="f-h")


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        EDITORS,
        EDITORS_HIDDEN,
        EVERYONE,
        FORBIDDEN,
        LOGIN,
        MEMBERS,
        NOT_FOUND,
        OK,
        POST_ONLY,
        Row,
        done,
        ex,
        net,
        none,
    )

    maintain = ex(FORBIDDEN, anonymous=LOGIN, coordinator=OK, staff=OK)
    foreign_call = ex(FORBIDDEN, anonymous=LOGIN, coordinator=NOT_FOUND, staff=NOT_FOUND)

    def programme(w):
        return {"slug": w.o["fund_programme"].slug}

    def call(name: str):
        return lambda w: {"slug": w.o["fund_programme"].slug, "pk": w.o[name].pk}

    def measure(name: str, roadmap: str = "roadmap"):
        return lambda w: {"slug": w.o[roadmap].slug, "pk": w.o[name].pk}

    return [
        Row("funding:programme-list", none, EVERYONE),
        Row("funding:programme-list", none, EVERYONE, query=lambda w: "?sector=mobility&state=XX&page=9"),
        Row("funding:programme-detail", programme, EVERYONE),
        Row("funding:programme-detail", lambda w: {"slug": "gibt-es-nicht"}, ex(NOT_FOUND)),
        Row("funding:programme-create", none, maintain, post=done(maintain, BAD), note="an empty POST has no name"),
        Row("funding:programme-import", none, maintain, post=done(maintain, BAD), note="an empty POST has no file"),
        Row("funding:programme-edit", programme, maintain, post=done(maintain, BAD)),
        Row("funding:programme-history", programme, maintain),
        Row("funding:call-create", programme, maintain, post=done(maintain, BAD)),
        Row("funding:call-edit", call("fund_call"), maintain, post=done(maintain, BAD)),
        Row("funding:call-edit", call("fund_call_b"), foreign_call, note="another programme's call"),
        Row("funding:call-delete", call("fund_call"), POST_ONLY, post=done(maintain)),
        Row("funding:deadlines-feed", none, EVERYONE),
        Row("funding:personal-deadlines-feed", lambda w: {"token": w.o["token"]}, EVERYONE),
        Row("funding:personal-deadlines-feed", lambda w: {"token": "x" * 43}, ex(NOT_FOUND)),
        Row("funding:measure-funding", measure("measure"), EDITORS, post=done(EDITORS), note="no kind ticked"),
        Row("funding:measure-funding", measure("fund_measure_hidden", "roadmap_hidden"), EDITORS_HIDDEN),
        Row(
            "funding:measure-funding",
            measure("measure_b"),
            ex(FORBIDDEN, anonymous=LOGIN, editor=NOT_FOUND, staff=NOT_FOUND),
            note="a measure of another roadmap",
        ),
        Row("funding:network-radar", net, MEMBERS),
    ]
