"""Authorization-matrix rows of opendata, the DCAT-AP.de catalogue (issue 18 §3): public for everyone, read only."""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    """The catalogue lists the world's published roadmaps (measures, indicators): nothing of its own."""


def rows() -> list:
    from tests.security.test_url_matrix import EVERYONE, NOT_FOUND, Row, ex, none

    def fmt(value: str):
        return lambda w: {"fmt": value}

    return [
        Row("opendata:catalogue", none, EVERYONE),
        Row("opendata:catalogue", none, EVERYONE, query=lambda w: "?format=jsonld"),
        Row("opendata:catalogue", none, ex(NOT_FOUND), query=lambda w: "?format=csv", note="unknown format"),
        Row("opendata:catalogue-file", fmt("ttl"), EVERYONE),
        Row("opendata:catalogue-file", fmt("rdf"), EVERYONE),
        Row("opendata:catalogue-file", fmt("exe"), ex(NOT_FOUND)),
    ]
