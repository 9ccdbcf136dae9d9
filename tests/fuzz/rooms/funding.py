"""Fuzz entries of measures.funding, the funding radar (see tests/fuzz/endpoints.py and test_forms_fuzz.py).

The fuzz world has no programme: the one the forms edit is made on first use (``_programme``), inside the test's
transaction.

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| funding:programme-list | GET | anonymous | ProgrammeFilter | page |
| funding:programme-create | POST | coordinator | ProgrammeForm | – |
| funding:programme-edit | POST | coordinator | ProgrammeForm | – |
| funding:call-create | POST | coordinator | CallForm | – |
| funding:call-edit | POST | coordinator | CallForm | – |
| funding:programme-import | POST | coordinator | ImportForm | action |
| funding:programme-import | POST | coordinator | ImportConfirmForm | action |
| funding:measure-funding | POST | editor | MeasureKindsForm | – |
"""

from __future__ import annotations

from django.urls import reverse

from measures.funding.forms import (
    CallForm,
    ImportConfirmForm,
    ImportForm,
    MeasureKindsForm,
    ProgrammeFilter,
    ProgrammeForm,
)
from tests.fuzz.engine import Endpoint

HEADERS = ["Name", "Fördermittelgeber", "Handlungsfelder", "Förderquote", "Aufruf", "Frist"]
ROW = ["Fuzz-Programm", "Land NRW", "Mobilität", "70", "Aufruf 2027", "31.03.2027"]


def _programme(w):
    from measures.funding.models import FundingProgramme
    from tests.funding.factories import CallFactory, ProgrammeFactory

    found = FundingProgramme.objects.filter(slug="fuzz-programm").first()
    if found is None:
        found = ProgrammeFactory(name="Fuzz-Programm vorhanden", slug="fuzz-programm")
        CallFactory(programme=found)
    return found


def _payload(w):
    from measures.funding import importing
    from networks.tabular import Table

    table = Table(HEADERS, [(2, ROW)], digest="", is_csv=True)
    return importing.sign(table=table, user=w.user("coordinator"))


def _import_hook(data, draw):
    from tests.fuzz.endpoints import import_hook

    return import_hook(HEADERS, ROW, name="programme.csv")(data, draw)


def _csv(w=None):
    from tests.fuzz.endpoints import csv_bytes

    return csv_bytes(HEADERS, ROW)


ENDPOINTS: list = [
    Endpoint(
        "funding:programme-list",
        "anonymous",
        lambda w: reverse("funding:programme-list"),
        lambda w: [ProgrammeFilter()],
        covers=(ProgrammeFilter,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "funding:programme-create",
        "coordinator",
        lambda w: reverse("funding:programme-create"),
        lambda w: [ProgrammeForm()],
        covers=(ProgrammeForm,),
        valid={"status": "active", "rate": "70", "population_min": "1.000", "population_max": "20.000"},
    ),
    Endpoint(
        "funding:programme-edit",
        "coordinator",
        lambda w: reverse("funding:programme-edit", args=[_programme(w).slug]),
        lambda w: [ProgrammeForm(instance=_programme(w))],
        covers=(ProgrammeForm,),
        valid={"status": "active", "amount_min": "1.000", "amount_max": "50.000,50"},
    ),
    Endpoint(
        "funding:call-create",
        "coordinator",
        lambda w: reverse("funding:call-create", args=[_programme(w).slug]),
        lambda w: [CallForm()],
        covers=(CallForm,),
    ),
    Endpoint(
        "funding:call-edit",
        "coordinator",
        lambda w: reverse("funding:call-edit", args=[_programme(w).slug, _programme(w).calls.first().pk]),
        lambda w: [CallForm(instance=_programme(w).calls.first())],
        covers=(CallForm,),
    ),
    Endpoint(
        "funding:programme-import",
        "coordinator",
        lambda w: reverse("funding:programme-import"),
        lambda w: [ImportForm()],
        covers=(ImportForm,),
        valid={"file": _csv()},
        extra={"action": "check"},
        hook=_import_hook,
        note="step 1: the file is checked and previewed, nothing is written",
    ),
    Endpoint(
        "funding:programme-import",
        "coordinator",
        lambda w: reverse("funding:programme-import"),
        lambda w: [ImportConfirmForm(user=w.user("coordinator"))],
        covers=(ImportConfirmForm,),
        valid={"payload": _payload},
        extra={"action": "import"},
        note="step 2: a payload the server signed; anything else is refused",
    ),
    Endpoint(
        "funding:measure-funding",
        "editor",
        lambda w: reverse("funding:measure-funding", args=[w.roadmap.slug, w.measure.pk]),
        lambda w: [MeasureKindsForm()],
        covers=(MeasureKindsForm,),
    ),
]
NOT_FUZZED: dict[str, str] = {
    "funding:call-delete": "no input",
}
READ_ONLY: set[str] = {
    "funding:programme-detail",
    "funding:programme-history",
    "funding:deadlines-feed",
    "funding:personal-deadlines-feed",
    "funding:network-radar",
}
