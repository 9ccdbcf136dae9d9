"""Fuzz entries of monitoring.embeds (issue 18 §4; see tests/fuzz/endpoints.py and test_forms_fuzz.py).

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| embeds:settings | POST | editor | AllowedOriginsForm | – |
"""

from __future__ import annotations

from django.urls import reverse

from monitoring.embeds.forms import AllowedOriginsForm
from tests.fuzz.engine import Endpoint

ENDPOINTS: list = [
    Endpoint(
        "embeds:settings",
        "editor",
        lambda w: reverse("embeds:settings", args=[w.roadmap.slug]),
        lambda w: [AllowedOriginsForm()],
        covers=(AllowedOriginsForm,),
        valid={"origins": "https://www.kreis-dueren.de\nhttps://*.dueren.de"},
    ),
]
NOT_FUZZED: dict[str, str] = {}
READ_ONLY: set[str] = {"embeds:progress", "embeds:measure", "embeds:indicator", "embeds:badge"}
