"""The council tests talk to a local OParl server (server.py) over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.council.server import OParlServer


@pytest.fixture(scope="module")
def oparl_server():
    server = OParlServer()
    yield server
    server.stop()


@pytest.fixture
def oparl(oparl_server, settings):
    """A fresh world on the module's server; private addresses and plain http allowed for it (only here)."""
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.COUNCIL_HTTPS_ONLY = False
    settings.COUNCIL_TIMEOUT = 1.0
    oparl_server.reset()
    return oparl_server
