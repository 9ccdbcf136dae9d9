"""The public roadmap overview (issue 16 §1): table of contents, the gap to the target, the network's events and
profile linked both ways, no internal jargon, constant queries, the page cache."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Visibility
from measures import selectors
from measures.models import Measure, Sector
from monitoring.selectors import EmissionsOverview, target_gap
from tests.events.factories import EventFactory
from tests.helpers import assert_flat
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, MilestoneFactory, RoadmapFactory
from tests.monitoring.factories import EmissionPathFactory
from tests.networks.factories import NetworkFactory, OrganisationFactory


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(
        organisation=organisation,
        slug="kreis-dueren",
        title="Klima-Roadmap Kreis Düren",
        baseline_year=2019,
        baseline_emissions=1_200_000,
        target_year=2035,
    )


@pytest.fixture
def effects(roadmap):
    """Hand-computed: counted are A (100,000; 80,000–150,000) and B (20,000, no range): expected 120,000,
    low 100,000, high 170,000. Left out: C dropped, D's effect internal, E unpublished; F has no estimate."""
    MeasureFactory(roadmap=roadmap, code="A", effect_expected=100_000, effect_low=80_000, effect_high=150_000)
    MeasureFactory(roadmap=roadmap, code="B", effect_expected=20_000)
    MeasureFactory(roadmap=roadmap, code="C", effect_expected=500_000, status=Measure.Status.DROPPED)
    MeasureFactory(roadmap=roadmap, code="D", effect_expected=300_000, internal_fields=["effect"])
    MeasureFactory(roadmap=roadmap, code="E", effect_expected=400_000, published=False)
    MeasureFactory(roadmap=roadmap, code="F")


def _text(response) -> str:
    return response.content.decode()


def _german(client, url) -> str:
    with translation.override("de"):
        return _text(client.get(url))


# --- The gap to the target ------------------------------------------------------------------------------


def test_effect_totals_hand_computed(roadmap, effects):
    totals = selectors.effect_totals(roadmap)
    assert (totals.expected, totals.low, totals.high) == (Decimal(120_000), Decimal(100_000), Decimal(170_000))
    assert (totals.counted, totals.without) == (2, 2)  # D (internal) and F (none); C and E are not there at all


def test_a_measure_with_only_a_range_counts_its_middle_as_expected(roadmap):
    MeasureFactory(roadmap=roadmap, effect_low=10, effect_high=30)
    MeasureFactory(roadmap=roadmap, effect_high=8)
    totals = selectors.effect_totals(roadmap)
    assert (totals.expected, totals.low, totals.high) == (Decimal(28), Decimal(18), Decimal(38))


def test_gap_sentence_without_a_target_path_counts_to_zero_emissions(client, roadmap, effects):
    # needed: 1,200,000 (the baseline, to climate neutrality); missing: 1,200,000 − 170,000 … − 100,000
    page = _german(client, roadmap.get_absolute_url())
    sentence = re.sub(r"\s+", " ", re.search(r'<p class="gap-sentence">(.*?)</p>', page, re.S).group(1)).strip()
    assert sentence == (
        "Die geplanten Maßnahmen sparen zusammen 100.000–170.000 t CO₂e im Jahr; "
        "bis zum Ziel fehlen noch 1.030.000–1.100.000 t CO₂e im Jahr."
    )
    assert "Das Ziel verlangt bis 2035 1.200.000 t CO₂e im Jahr weniger als 2019 (1.200.000 t CO₂e)." in page
    assert "deckt davon 10 % ab" in page  # 120,000 of 1,200,000
    assert "2 Maßnahmen haben keine veröffentlichte Schätzung" in page


def test_gap_uses_the_target_path_with_its_residual(client, roadmap, effects):
    # path: 1,000,000 in 2020, 5 % residual in 2040 → needed 950,000; missing 780,000–850,000
    EmissionPathFactory(
        organisation=roadmap.organisation,
        baseline_year=2020,
        baseline_emissions=1_000_000,
        target_year=2040,
        residual_percent=5,
    )
    page = _german(client, roadmap.get_absolute_url())
    assert "bis zum Ziel fehlen noch 780.000–850.000 t CO₂e im Jahr." in page
    assert "Das Ziel verlangt bis 2040 950.000 t CO₂e im Jahr weniger als 2020 (1.000.000 t CO₂e)." in page


def test_gap_chart_has_its_table(client, roadmap, effects):
    page = _text(client.get(roadmap.get_absolute_url()))
    table = re.search(r'id="chart-gap-\d+".*?</figure>', page, re.S).group(0)
    assert 'class="chart-table"' in table
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    assert [label for label, _cells in rows] == ["Nötig für das Ziel", "Geplante Maßnahmen", "Fehlt noch"]


def test_measures_that_save_more_than_needed_leave_nothing_missing(client, db):
    roadmap = RoadmapFactory(baseline_emissions=100, baseline_year=2019)
    MeasureFactory(roadmap=roadmap, effect_expected=150)
    page = _german(client, roadmap.get_absolute_url())
    assert "genug für die Minderung, die das Ziel verlangt" in page and "fehlen noch" not in page


def test_without_a_baseline_only_the_planned_effect_is_said(client, db):
    roadmap = RoadmapFactory(baseline_emissions=None, baseline_year=None)
    MeasureFactory(roadmap=roadmap, effect_expected=1500)
    page = _german(client, roadmap.get_absolute_url())
    assert "Die geplanten Maßnahmen sparen zusammen 1.500 t CO₂e im Jahr." in page
    assert "sobald die Roadmap ihre Emissionen im Basisjahr nennt" in page
    assert 'id="chart-gap-' not in page


def test_target_gap_without_any_baseline_is_none(roadmap):
    roadmap.baseline_emissions = None
    overview = EmissionsOverview(roadmap.organisation)
    assert target_gap(roadmap, overview, selectors.effect_totals(roadmap)) is None


# --- Table of contents ----------------------------------------------------------------------------------


def test_every_entry_of_the_table_of_contents_has_its_anchor(client, roadmap, effects):
    m = MeasureFactory(roadmap=roadmap, sector=Sector.MOBILITY)
    MilestoneFactory(measure=m)
    MeasureUpdateFactory(measure=m)
    page = _text(client.get(roadmap.get_absolute_url()))
    toc = re.search(r'<nav class="page-toc".*?</nav>', page, re.S).group(0)
    anchors = re.findall(r'href="#([^"]+)"', toc)
    for expected in ("progress", "gap", "sectors", "timeline", "updates", "reports", "open-data", "sector-mobility"):
        assert expected in anchors
    for anchor in anchors:
        assert page.count(f'id="{anchor}"') == 1, anchor


def test_the_table_of_contents_leaves_out_what_the_page_does_not_show(client, roadmap):
    page = _text(client.get(roadmap.get_absolute_url()))
    toc = re.search(r'<nav class="page-toc".*?</nav>', page, re.S).group(0)
    assert 'href="#sectors"' not in toc and 'href="#timeline"' not in toc and 'href="#events"' not in toc


# --- The network, its events, no jargon -----------------------------------------------------------------


@pytest.fixture
def carrier(roadmap):
    return NetworkFactory(host=roadmap.organisation, name="Klima-Roadmap Kreis Düren", short_name="Klima-Roadmap DN")


def test_roadmap_and_network_profile_link_both_ways(client, roadmap, carrier):
    NetworkFactory(host=roadmap.organisation, name="Verborgenes Netz", is_public=False)
    page = _text(client.get(roadmap.get_absolute_url()))
    assert f'href="{carrier.get_absolute_url()}"' in page and "Verborgenes Netz" not in page
    profile = _text(client.get(carrier.get_absolute_url()))
    assert f'href="{roadmap.get_absolute_url()}"' in profile
    unpublished = RoadmapFactory(organisation=roadmap.organisation, title="Entwurfs-Roadmap", published=False)
    assert unpublished.title not in _text(client.get(carrier.get_absolute_url()))


def test_a_network_of_another_host_lists_no_roadmap(client, roadmap):
    other = NetworkFactory(host=OrganisationFactory())
    assert roadmap.title not in _text(client.get(other.get_absolute_url()))


def test_upcoming_public_events_of_the_network_are_listed(client, roadmap, carrier):
    EventFactory(network=carrier, title="Bürgerwerkstatt Wärme", visibility=Visibility.PUBLIC)
    EventFactory(network=carrier, title="Internes Koordinationstreffen", visibility=Visibility.NETWORK)
    EventFactory(title="Fremdes Forum", visibility=Visibility.PUBLIC)
    page = _text(client.get(roadmap.get_absolute_url()))
    assert 'id="events"' in page and "Bürgerwerkstatt Wärme" in page
    assert "Internes Koordinationstreffen" not in page and "Fremdes Forum" not in page
    assert 'href="#events"' in page


def test_no_internal_jargon_on_the_public_page(client, roadmap, carrier):
    EventFactory(network=carrier, visibility=Visibility.PUBLIC)
    page = _german(client, roadmap.get_absolute_url())
    assert "Klima-Roadmap DN" not in page and "Sichtbar für" not in page


# --- Queries and the page cache -------------------------------------------------------------------------


def _grow(roadmap, carrier, n):
    for i in range(n):
        m = MeasureFactory(roadmap=roadmap, sector=list(Sector)[i % len(Sector)], effect_expected=10 + i)
        MilestoneFactory(measure=m)
        MeasureUpdateFactory(measure=m)
        EventFactory(network=carrier, visibility=Visibility.PUBLIC)


def test_roadmap_page_queries_are_flat(client, roadmap, carrier, django_assert_num_queries):
    # roadmap, counts by sector and status, timeline years, milestone years, effects (gap), balances, path,
    # participation phases, events, indicators, reports, recent updates, proposal count, networks
    grow = lambda n: _grow(roadmap, carrier, n)  # noqa: E731
    assert_flat(client, roadmap.get_absolute_url(), grow, django_assert_num_queries, 14)


def test_a_changed_measure_renews_the_cached_overview(client, roadmap, effects):
    url = roadmap.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    measure = Measure.objects.get(roadmap=roadmap, code="B")
    measure.effect_expected = 70_000
    measure.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "150.000–220.000" in _text(response)  # A 80,000–150,000 and B now 70,000


def test_the_contact_url_is_not_cached_for_anyone(client, roadmap):
    measure = MeasureFactory(roadmap=roadmap)
    url = reverse("measures:measure-contact", args=[roadmap.slug, measure.slug])
    assert "X-Page-Cache" not in client.get(url)


def test_a_new_public_event_of_the_network_renews_the_cached_overview_at_once(client, roadmap, carrier):
    """events.roadmap_panel lists the network's next public events: a new one, or one made internal, shows at
    once (measures.apps bumps the roadmap's scope), not when the entry expires; another host's event does not."""
    foreign = NetworkFactory()  # a new network (and organisation) renews every page: made before the first visit
    url = roadmap.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    EventFactory(network=foreign, title="Fremdes Forum", visibility=Visibility.PUBLIC)
    assert client.get(url)["X-Page-Cache"] == "hit"
    event = EventFactory(network=carrier, title="Bürgerwerkstatt Wärme", visibility=Visibility.PUBLIC)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "Bürgerwerkstatt Wärme" in _text(response)
    event.visibility = Visibility.NETWORK
    event.save()
    assert "Bürgerwerkstatt Wärme" not in _text(client.get(url))
