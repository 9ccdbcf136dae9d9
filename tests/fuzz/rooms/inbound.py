"""Fuzz entries of networks.inbound (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

networks.inbound has no URLs and no forms: its input is the email bytes taken from the IMAP mailbox, which
tests/inbound/test_parsing.py and test_services.py feed with real-world and broken messages (unknown charsets,
unbalanced HTML, missing headers, oversize text).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
"""

from __future__ import annotations

ENDPOINTS: list = []  # Endpoint(...) as in tests/fuzz/endpoints.py (import from there)
NOT_FUZZED: dict[str, str] = {}
READ_ONLY: set[str] = set()
