"""The digest's funding section and the demo (idempotent, example data, demo measures that fit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from measures.funding import digest
from measures.funding.models import FundingCall, FundingProgramme
from networks.digest import sections
from tests.funding.factories import CallFactory, ProgrammeFactory
from tests.networks.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_digest_items_are_new_calls_that_fit_member_organisations(personas):
    now = timezone.now()
    network = personas.network
    MembershipFactory(
        network=network,
        organisation=OrganisationFactory(kind="county", name="Kreis Düren"),
        since=timezone.localdate() - timedelta(days=9),
    )
    fitting = CallFactory(programme=ProgrammeFactory(name="Für Kreise", applicant_kinds=["county"]))
    CallFactory(programme=ProgrammeFactory(name="Für Firmen", applicant_kinds=["company"]))
    person = personas.people["member"]
    request = sections.Request(
        person=person, networks=(network,), since=now - timedelta(days=1), until=now + timedelta(minutes=1)
    )
    items = digest.call_items([request])[person.pk]
    assert [item.title for item in items] == [f"Für Kreise: {fitting.title}"]
    assert "Kreis Düren" in items[0].summary and items[0].url.endswith("/foerderradar/")
    later = sections.Request(
        person=person, networks=(network,), since=now + timedelta(minutes=1), until=now + timedelta(days=1)
    )
    assert digest.call_items([later]) == {}  # nothing twice
    assert sections.get("funding-calls") is not None


def test_demo_is_idempotent_and_marked():
    from measures.funding import demo

    demo.load()
    demo.load()
    assert FundingProgramme.objects.count() == len(demo.PROGRAMMES)
    assert not FundingProgramme.objects.filter(is_demo=False).exists()
    calls = sum(len(spec[-1]) for spec in demo.PROGRAMMES)
    assert FundingCall.objects.count() == calls
    assert (
        FundingProgramme.objects.filter(name__contains="4.1.8").exists()
        or FundingProgramme.objects.filter(legal_basis="Kommunalrichtlinie 4.1.8").exists()
    )
