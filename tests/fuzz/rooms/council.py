"""Fuzz entries of measures.council, council decisions through OParl (see tests/fuzz/endpoints.py and
test_forms_fuzz.py).

The fuzz world has no council endpoint: the one the search and the link use is made on first use (``_endpoint``),
inside the test's transaction. The valid endpoint address is a public IP address (no name to resolve, nothing is
fetched: the reading is queued after the commit, which a test's transaction never reaches).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| council:endpoint | POST | editor | EndpointForm | – |
| council:measure-papers | GET | editor | PaperSearchForm | – |
| council:measure-papers | POST | editor | LinkForm | q |
"""

from __future__ import annotations

from django.urls import reverse

from measures.council.forms import EndpointForm, LinkForm, PaperSearchForm
from tests.fuzz.engine import Endpoint

PUBLIC_ADDRESS = "https://194.94.127.10/oparl/v1/system"


def _endpoint(w):
    from measures.council.models import CouncilEndpoint
    from tests.council.factories import ConsultationFactory, EndpointFactory

    found = CouncilEndpoint.objects.filter(organisation=w.roadmap.organisation).first()
    if found is None:
        found = EndpointFactory(organisation=w.roadmap.organisation)
        ConsultationFactory(paper__endpoint=found, paper__reference="2025/123")
    return found


def _papers_url(w) -> str:
    _endpoint(w)
    return reverse("council:measure-papers", args=[w.roadmap.slug, w.measure.pk])


def _paper(w) -> str:
    from measures.council.models import CouncilPaper

    return str(CouncilPaper.objects.filter(endpoint=_endpoint(w)).first().pk)


ENDPOINTS: list = [
    Endpoint(
        "council:endpoint",
        "editor",
        lambda w: reverse("council:endpoint", args=[w.roadmap.slug]),
        lambda w: [EndpointForm()],
        covers=(EndpointForm,),
        valid={"system": "", "system_url": PUBLIC_ADDRESS},
    ),
    Endpoint(
        "council:measure-papers",
        "editor",
        _papers_url,
        lambda w: [PaperSearchForm()],
        covers=(PaperSearchForm,),
        method="get",
        valid={"q": "2025/123"},
    ),
    Endpoint(
        "council:measure-papers",
        "editor",
        _papers_url,
        lambda w: [LinkForm(endpoint=_endpoint(w), measure=w.measure)],
        covers=(LinkForm,),
        valid={"paper": _paper, "consultation": "", "milestone": ""},
        extra={"q": "2025"},
    ),
]
NOT_FUZZED: dict[str, str] = {
    "council:endpoint-sync": "no input",
    "council:link-delete": "no input",
}
READ_ONLY: set[str] = set()
