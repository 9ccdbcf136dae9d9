"""Fuzz entries of opendata, the DCAT-AP.de catalogue (issue 18 §3): no form, read only (its ?format= is checked
by the URL matrix and tests/opendata)."""

from __future__ import annotations

ENDPOINTS: list = []
NOT_FUZZED: dict[str, str] = {}
READ_ONLY: set[str] = {"opendata:catalogue", "opendata:catalogue-file"}
