"""Fuzz entries of networks.announcements (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
"""

from __future__ import annotations

ENDPOINTS: list = []  # Endpoint(...) as in tests/fuzz/endpoints.py (import from there)
NOT_FUZZED: dict[str, str] = {}
READ_ONLY: set[str] = set()
