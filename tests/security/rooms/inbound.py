"""Authorization-matrix rows and world objects of networks.inbound (see tests/security/test_url_matrix.py).

The inbound path has no pages: replies come in through the IMAP mailbox (networks.inbound.fetch), where the
signed token and the sender address stand in for a login (tests/inbound/test_services.py tries every persona);
the operator's list of incoming emails is a read-only admin page (staff only, as every admin page).
"""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    """No objects: nothing of this room is reachable by URL."""


def rows() -> list:
    """No rows: networks.inbound mounts no URLs (networks/inbound/urls.py is empty)."""
    return []
