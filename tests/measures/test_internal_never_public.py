"""Nothing internal reaches a public page or export (issue 4 §3).

A roadmap full of internal values – every field group an editor can mark internal, the internal note, the
reason a late measure is shown as on time, internal progress updates, an unpublished measure, pending and
rejected proposals and comments, a network-only workshop – and a walk over every public page and export,
in both languages, as anonymous visitor, citizen and member of another network.
"""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Visibility
from measures.filters import SORT_FIELDS
from measures.models import MARKABLE_INTERNAL, Measure, Moderation, Sector
from measures.public import GROUPS
from measures.selectors import STATUS_ORDER
from tests.events.factories import EventFactory
from tests.measures.factories import (
    CommentFactory,
    MeasureFactory,
    MeasureUpdateFactory,
    MilestoneFactory,
    ProposalFactory,
    RoadmapFactory,
)
from tests.networks.factories import OrganisationFactory, PersonFactory

VISITORS = ["anonymous", "citizen", "other_network"]

# Strings and numbers (in the ways a page or file could write them) that must never appear.
TEXT_MARKERS = [
    "GEHEIM-PERSON",
    "GEHEIM-JOBTITEL",
    "GEHEIM-GREMIUM",
    "GEHEIM-FOERDERPROGRAMM",
    "GEHEIM-METHODE",
    "GEHEIM-QUELLE",
    "GEHEIM-PARTNER",
    "GEHEIM-ZIELE",
    "GEHEIM-ZIELGRUPPE",
    "GEHEIM-NOTIZ",
    "GEHEIM-VERZUG",
    "GEHEIM-SACHSTAND",
    "GEHEIM-AUTOR",
    "GEHEIM-UNVEROEFFENTLICHT",
    "GEHEIM-X1",
    "GEHEIM-LEAD",
    "GEHEIM-UPDATE-UNVEROEFFENTLICHT",
    "GEHEIM-MEILENSTEIN-UNVEROEFFENTLICHT",
    "GEHEIM-KOMMENTAR-UNVEROEFFENTLICHT",
    "GEHEIM-VORSCHLAG-WARTEND",
    "GEHEIM-VORSCHLAG-ABGELEHNT",
    "GEHEIM-ABLEHNUNG",
    "GEHEIM-KOMMENTAR-WARTEND",
    "GEHEIM-KOMMENTAR-ABGELEHNT",
    "GEHEIM-GRUND",
    "GEHEIM-WORKSHOP",
]
NUMBER_MARKERS = {
    "cost_estimate": ["987654", "987,654", "987.654"],
    "funding_amount": ["876543", "876,543", "876.543"],
    "effect_expected": ["7654", "7,654", "7.654"],
    "effect_low": ["6543", "6,543", "6.543"],
    "effect_high": ["8765", "8,765", "8.765"],
    "funding_deadline": ["2031-07-19", "19.07.2031", "July 19, 2031", "19. Juli 2031"],
    # the input of an edit form, not any value="73" (a reply form's hidden parent id can be 73)
    "internal_percent": ["73 %", "73%", '"percent_complete": 73', 'name="percent" value="73"'],
}
MARKERS = TEXT_MARKERS + [m for values in NUMBER_MARKERS.values() for m in values]

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def secret(personas):
    """A published roadmap whose published measure has every markable group internal, plus all other secrets."""
    organisation = personas.people["editor"].organisation_roles.get().organisation
    roadmap = RoadmapFactory(organisation=organisation, slug="voller-geheimnisse", title="Roadmap mit Geheimnissen")
    workshop = EventFactory(network=personas.network, title="GEHEIM-WORKSHOP", visibility=Visibility.NETWORK)
    pending_origin = ProposalFactory(roadmap=roadmap, title="GEHEIM-VORSCHLAG-WARTEND", text="GEHEIM-VORSCHLAG-WARTEND")
    measure = MeasureFactory(
        roadmap=roadmap,
        code="OK-01",
        slug="ok-01",
        title="Öffentliche Maßnahme",
        sector=Sector.MOBILITY,
        responsible_person=PersonFactory(
            name="GEHEIM-PERSON", job_title="GEHEIM-JOBTITEL", contact_visibility="public"
        ),
        responsible_body="GEHEIM-GREMIUM",
        cost_estimate=Decimal("987654.32"),
        funding_programme="GEHEIM-FOERDERPROGRAMM",
        funding_amount=Decimal("876543.21"),
        funding_status=Measure.FundingStatus.GRANTED,
        funding_deadline=date(2031, 7, 19),
        effect_expected=Decimal("7654.3"),
        effect_low=Decimal("6543.2"),
        effect_high=Decimal("8765.4"),
        effect_method="GEHEIM-METHODE",
        effect_source="GEHEIM-QUELLE",
        objectives="GEHEIM-ZIELE",
        target_groups="GEHEIM-ZIELGRUPPE",
        internal_note="GEHEIM-NOTIZ",
        is_late=True,
        late_override_reason="GEHEIM-VERZUG",
        origin=Measure.Origin.WORKSHOP,
        origin_event=workshop,
        internal_fields=list(MARKABLE_INTERNAL),
    )
    measure.partners.add(OrganisationFactory(name="GEHEIM-PARTNER"))
    # a second published measure that came from a proposal still waiting for moderation
    MeasureFactory(roadmap=roadmap, code="OK-02", origin=Measure.Origin.PROPOSAL, origin_proposal=pending_origin)
    author = PersonFactory(name="GEHEIM-AUTOR")
    MeasureUpdateFactory(measure=measure, text="Öffentlicher Sachstand", percent=40, author=author)
    MeasureUpdateFactory(measure=measure, text="GEHEIM-SACHSTAND", percent=73, public=False, date=date.today())

    hidden = MeasureFactory(
        roadmap=roadmap,
        code="GEHEIM-X1",
        title="GEHEIM-UNVEROEFFENTLICHT",
        sector=Sector.ADAPTATION,
        status=Measure.Status.DROPPED,
        lead_organisation=OrganisationFactory(name="GEHEIM-LEAD"),
        published=False,
    )
    MeasureUpdateFactory(measure=hidden, text="GEHEIM-UPDATE-UNVEROEFFENTLICHT")
    MilestoneFactory(measure=hidden, title="GEHEIM-MEILENSTEIN-UNVEROEFFENTLICHT")
    CommentFactory(measure=hidden, text="GEHEIM-KOMMENTAR-UNVEROEFFENTLICHT", status=Moderation.PUBLISHED)

    ProposalFactory(roadmap=roadmap, title="GEHEIM-VORSCHLAG-WARTEND")
    ProposalFactory(
        roadmap=roadmap,
        title="GEHEIM-VORSCHLAG-ABGELEHNT",
        text="GEHEIM-VORSCHLAG-ABGELEHNT",
        status=Moderation.REJECTED,
        rejection_reason="GEHEIM-ABLEHNUNG",
    )
    CommentFactory(measure=measure, text="GEHEIM-KOMMENTAR-WARTEND")
    CommentFactory(
        measure=measure, text="GEHEIM-KOMMENTAR-ABGELEHNT", status=Moderation.REJECTED, rejection_reason="GEHEIM-GRUND"
    )
    CommentFactory(measure=measure, text="Veröffentlichter Kommentar", status=Moderation.PUBLISHED)
    return {"roadmap": roadmap, "measure": measure, "hidden": hidden}


def _public_urls(secret) -> list[str]:
    roadmap, measure, hidden = secret["roadmap"], secret["measure"], secret["hidden"]
    measures = reverse("measures:measure-list", args=[roadmap.slug])
    filters = [{}, {"suche": "GEHEIM"}, {"suche": "Maßnahme"}, {"federfuehrung": hidden.lead_organisation_id}]
    filters += [{"handlungsfeld": value} for value in Sector.values]
    filters += [{"status": value} for value in STATUS_ORDER]
    filters += [{"sortierung": key} for key in SORT_FIELDS] + [{"sortierung": f"-{key}"} for key in SORT_FIELDS]
    filters += [{"page": 2}]
    urls = [
        reverse("networks:home"),
        reverse("measures:roadmap-list"),
        roadmap.get_absolute_url(),
        measure.get_absolute_url(),
        Measure.objects.get(roadmap=roadmap, code="OK-02").get_absolute_url(),
        hidden.get_absolute_url(),
        reverse("measures:open-data-csv", args=[roadmap.slug]),
        reverse("measures:open-data-json", args=[roadmap.slug]),
        reverse("measures:datapackage", args=[roadmap.slug]),
        reverse("monitoring:indicator-data", args=[roadmap.slug, "csv"]),
        reverse("monitoring:balance-data", args=[roadmap.slug, "json"]),
    ]
    urls += [measures + "?" + "&".join(f"{k}={v}" for k, v in f.items()) for f in filters]
    return urls


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("persona", VISITORS)
def test_no_internal_value_on_any_public_page_or_export(client, personas, secret, persona, language):
    personas.login(client, persona)
    with translation.override(language):
        urls = _public_urls(secret)
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        seen += response.status_code == 200
        # a random CSRF token may contain a marker's digits ("3K7654Nu..."): it is not the measure's data
        body = CSRF_TOKEN.sub("", response.content.decode())
        for marker in MARKERS:
            assert marker not in body, f"{marker!r} on {url} ({persona}, {language})"
        for header, value in response.items():
            assert "GEHEIM" not in value, (url, header)
    assert seen >= len(urls) - 2  # only the unpublished measure (404) and the unknown organisation (400) fail


def test_the_walk_reaches_the_measure_and_its_public_parts(client, secret):
    """The walk above is not vacuous: the pages show the measure and its public update and comment."""
    page = client.get(secret["measure"].get_absolute_url()).content.decode()
    assert "Öffentliche Maßnahme" in page and "Öffentlicher Sachstand" in page and "Veröffentlichter Kommentar" in page
    assert "OK-01" in client.get(reverse("measures:open-data-csv", args=[secret["roadmap"].slug])).content.decode()


def test_the_markers_would_be_seen_if_the_fields_were_public(client, personas, secret):
    """Unmark every group: the same walk now finds the markers, so the checks above can fail."""
    measure = secret["measure"]
    measure.internal_fields = []
    measure.save()
    with translation.override("de"):
        url, csv_url = measure.get_absolute_url(), reverse("measures:open-data-csv", args=[secret["roadmap"].slug])
    page = client.get(url).content.decode()
    csv = client.get(csv_url).content.decode()
    for marker in ("GEHEIM-PERSON", "GEHEIM-GREMIUM", "GEHEIM-FOERDERPROGRAMM", "GEHEIM-METHODE", "GEHEIM-QUELLE"):
        assert marker in page
    for marker in ("GEHEIM-PARTNER", "GEHEIM-ZIELE", "GEHEIM-ZIELGRUPPE", "7.654", "987.654"):
        assert marker in page
    assert "987.654,32" in csv and "876.543,21" in csv and "7.654,3" in csv  # German Excel's numbers
    personas.login(client, "member")  # the network-only workshop is seen by the network's members
    assert "GEHEIM-WORKSHOP" in client.get(url).content.decode()


def test_open_data_has_null_for_every_internal_group(client, secret):
    data = json.loads(client.get(reverse("measures:open-data-json", args=[secret["roadmap"].slug])).content)
    row = next(r for r in data["measures"] if r["code"] == "OK-01")
    internal_keys = [
        "responsible_body",
        "cost_estimate_eur",
        "funding_programme",
        "funding_amount_eur",
        "funding_status",
        "effect_expected_t_co2e_per_year",
        "effect_low_t_co2e_per_year",
        "effect_high_t_co2e_per_year",
        "effect_method",
        "effect_source",
    ]
    assert all(row[key] is None for key in internal_keys), {key: row[key] for key in internal_keys}
    assert row["percent_complete"] == 40  # the public update's, not the newer internal one's
    assert row["late"] is False  # late, but an editor explained why it is not
    assert [r["code"] for r in data["measures"]] == ["OK-01", "OK-02"]


def test_every_markable_group_is_marked_in_the_fixture(secret):
    assert set(secret["measure"].internal_fields) == set(MARKABLE_INTERNAL) == set(GROUPS)
