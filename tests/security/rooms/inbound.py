"""Authorization-matrix rows and world objects of networks.inbound (see tests/security/test_url_matrix.py)."""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    """Add this room's objects to the security world (``w.o[name] = ...``; poison free text with PAYLOAD)."""


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    return []
