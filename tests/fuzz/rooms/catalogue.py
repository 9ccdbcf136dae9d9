"""Fuzz entries of measures.catalogue, the measure library (see tests/fuzz/endpoints.py and test_forms_fuzz.py).

The fuzz world has no library entry: the one the forms edit and copy is made on first use (``_entry``), inside the
test's transaction.

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| catalogue:entry-list | GET | anonymous | LibraryFilter, LibraryFilterForm | page |
| catalogue:entry-create | POST | coordinator | EntryForm | – |
| catalogue:entry-edit | POST | coordinator | EntryForm | – |
| catalogue:entry-adopt | POST | editor | AdoptForm | – |
| catalogue:measure-offer | POST | editor | OfferForm | – |
"""

from __future__ import annotations

from django.urls import reverse

from measures.catalogue.filters import LibraryFilter, LibraryFilterForm
from measures.catalogue.forms import AdoptForm, EntryForm, OfferForm
from tests.fuzz.engine import Endpoint


def _entry(w):
    from measures.catalogue.models import LibraryEntry
    from tests.catalogue.factories import LibraryEntryFactory

    return LibraryEntry.objects.filter(slug="fuzz-eintrag").first() or LibraryEntryFactory(slug="fuzz-eintrag")


def _roadmaps(w):
    from measures.catalogue.selectors import adoptable_roadmaps

    return adoptable_roadmaps(w.user("editor"))


ENDPOINTS: list = [
    Endpoint(
        "catalogue:entry-list",
        "anonymous",
        lambda w: reverse("catalogue:entry-list"),
        lambda w: [LibraryFilter()],
        covers=(LibraryFilter, LibraryFilterForm),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "catalogue:entry-create",
        "coordinator",
        lambda w: reverse("catalogue:entry-create"),
        lambda w: [EntryForm()],
        covers=(EntryForm,),
        valid={"cost_low": "1000", "cost_high": "5000", "milestones": "3: Beschluss"},
    ),
    Endpoint(
        "catalogue:entry-edit",
        "coordinator",
        lambda w: reverse("catalogue:entry-edit", args=[_entry(w).slug]),
        lambda w: [EntryForm(instance=_entry(w))],
        covers=(EntryForm,),
        valid={"effect_low": "1", "effect_expected": "2", "effect_high": "3"},
    ),
    Endpoint(
        "catalogue:entry-adopt",
        "editor",
        lambda w: reverse("catalogue:entry-adopt", args=[_entry(w).slug]),
        lambda w: [AdoptForm(roadmaps=_roadmaps(w))],
        covers=(AdoptForm,),
    ),
    Endpoint(
        "catalogue:measure-offer",
        "editor",
        lambda w: reverse("catalogue:measure-offer", args=[w.roadmap.slug, w.measure.pk]),
        lambda w: [OfferForm()],
        covers=(OfferForm,),
        valid={"offer": "1"},
    ),
]
NOT_FUZZED: dict[str, str] = {}
READ_ONLY: set[str] = {"catalogue:entry"}
