"""Fuzz entries of networks.search (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

The search page reads its GET keys itself (no form): the query is parsed by networks.search.text (anything is a
query or none), the filters and the page fall back to none / the nearest page.

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| search:search | GET | member | – | q, kind, network, sort, page |
"""

from __future__ import annotations

from django.urls import reverse

from tests.fuzz.engine import Endpoint

ENDPOINTS: list = [
    Endpoint(
        "search:search",
        "member",
        lambda w: reverse("search:search"),
        method="get",
        extra={"q": "Wärme", "kind": "measure", "network": "1", "sort": "date", "page": "1"},
    ),
]
NOT_FUZZED: dict[str, str] = {}
READ_ONLY: set[str] = set()
