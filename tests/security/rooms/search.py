"""Authorization-matrix rows and world objects of networks.search (see tests/security/test_url_matrix.py).

/suche/ is for everyone: anonymous visitors find public items only (what each persona finds is proven by
tests/search/test_no_leaks.py); the world's poisoned texts are indexed so that the page renders their hits (the
XSS checks look for the raw payload)."""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    """Index the world (the rooms are built in order; search is the last)."""
    from networks.search import registry

    registry.reindex()


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import EVERYONE, NOT_ALLOWED, Row, ex, none

    return [
        Row(
            "search:search",
            none,
            EVERYONE,
            post=ex(NOT_ALLOWED),
            query=lambda w: "?q=Netzwerk",
            note="GET only; every persona sees the hits it may open",
        ),
    ]
