"""Authorization-matrix rows and world objects of the REST API (issue 18 §1) and the profile's token page.

The API reads no session: a signed-in persona is anonymous to it (a token is the only key; tests/api has the
same matrix with each persona's token). Public reads: 200 for everyone, an unpublished roadmap 404 for everyone.
Operations that need a token: 401 (GET on a write: 405). The token page is every signed-in person's own; a
token of someone else is a 404."""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    from api.tokens import token_create

    w.o["api_token"], _raw = token_create(user=w.people["member"].user, name="Matrix", scope="read")


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        EVERYONE,
        LOGGED_IN,
        LOGIN,
        NOT_ALLOWED,
        NOT_FOUND,
        POST_ONLY,
        REDIRECT,
        Row,
        ex,
        none,
    )

    def rm(w):
        return {"slug": w.roadmap.slug}

    def net(w):
        return {"slug": w.network.slug}

    def measure(w):
        return {"slug": w.roadmap.slug, "measure": w.measure.slug}

    token_only = ex(401)
    write_only = ex(NOT_ALLOWED)  # GET (and POST) on a PUT operation
    return [
        Row("api:index", none, EVERYONE, note="links to the schema, the documentation and the lists"),
        Row("api:api-root", none, EVERYONE, note="django-ninja's name of the same address: the index answers"),
        Row("api:openapi-json", none, EVERYONE),
        Row("api:openapi-view", none, EVERYONE, note="Swagger UI from static/vendor/swagger-ui"),
        Row("api:network-list", none, EVERYONE),
        Row("api:network-detail", net, EVERYONE),
        Row("api:network-detail", lambda w: {"slug": "gibt-es-nicht"}, ex(NOT_FOUND)),
        Row("api:network-event-list", net, EVERYONE, note="public events only: the session is not read"),
        Row("api:roadmap-list", none, EVERYONE),
        Row("api:roadmap-detail", rm, EVERYONE),
        Row(
            "api:roadmap-detail",
            lambda w: {"slug": w.roadmap_hidden.slug},
            ex(NOT_FOUND),
            note="unpublished: 404 even for its editors' sessions (their token sees it)",
        ),
        Row("api:measure-list", rm, EVERYONE),
        Row("api:measure-list", rm, EVERYONE, query=lambda w: "?status=fertig&cursor=", note="unknown: ignored"),
        Row("api:measure-detail", measure, EVERYONE),
        Row(
            "api:measure-detail",
            lambda w: {"slug": w.roadmap.slug, "measure": w.measure_hidden.slug},
            ex(NOT_FOUND),
        ),
        Row("api:indicator-list", rm, EVERYONE),
        Row("api:emissions", rm, EVERYONE),
        Row("api:report-list", rm, EVERYONE),
        Row("api:library-entry-list", none, EVERYONE),
        Row("api:funding-programme-list", none, EVERYONE),
        Row("api:me", none, token_only),
        Row("api:member-list", net, token_only),
        Row("api:measure-status", measure, write_only, post=write_only),
        Row("api:progress-report-create", measure, write_only, post=token_only),
        Row(
            "api:milestone-done",
            lambda w: {**measure(w), "milestone": w.measure.milestones.first().pk},
            write_only,
            post=write_only,
        ),
        Row(
            "api:indicator-values",
            lambda w: {"organisation": w.org.slug, "year": 2025},
            write_only,
            post=write_only,
        ),
        Row("api:heat-planning", lambda w: {"organisation": w.org.slug}, write_only, post=write_only),
        # the profile's token page
        Row("apitokens:token-list", none, LOGGED_IN, post=ex(BAD, anonymous=LOGIN), note="an empty POST: no name"),
        Row(
            "apitokens:token-revoke",
            lambda w: {"pk": w.api_token.pk},
            POST_ONLY,
            ex(NOT_FOUND, anonymous=LOGIN, member=REDIRECT),
            note="only its owner's (the member's)",
        ),
    ]
