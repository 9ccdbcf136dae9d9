"""The DCAT-AP.de catalogue at /katalog/ (issue 18 §3): valid against the official shapes (offline), one data set per
public roadmap's measures, indicator values and balance with their CSV/XLSX/JSON files, negotiated formats, built
from one query, cached and renewed on every change of what it describes."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from measures.models.roadmap import Licence
from opendata.catalogue import DCATDE, ENVI, LICENCES, build_graph, catalogue_url
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.monitoring.factories import EmissionBalanceFactory, IndicatorFactory, IndicatorValueFactory
from tests.networks.factories import OrganisationFactory

SHAPES = Path(__file__).parent / "shapes"
# GovData's profile v30_de_spec and the SEMIC DCAT-AP 3.0.0 base shapes it refines (dcat-ap-de-imports.ttl only
# names vocabularies to load from the network: vocabularies-excerpt.ttl stands in for the concepts we use).
SHAPE_FILES = (
    "dcat-ap-SHACL-3.0.0-SEMIC.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
)
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHAPES / name)
    return graph


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return Graph().parse(SHAPES / "vocabularies-excerpt.ttl")


def shacl_results(data: Graph, shapes: Graph, vocabularies: Graph) -> dict[str, list[str]]:
    """The validation results by severity ("Violation", "Warning", "Info"): their messages."""
    _conforms, report, _text = validate(data + vocabularies, shacl_graph=shapes, inference="none", advanced=True)
    found: dict[str, list[str]] = {"Violation": [], "Warning": [], "Info": []}
    for result in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        severity = str(report.value(result, URIRef(SH + "resultSeverity"))).removeprefix(SH)
        message, node = (report.value(result, URIRef(SH + p)) for p in ("resultMessage", "focusNode"))
        found[severity].append(f"{message} ({node})")
    return found


@pytest.fixture
def county(db):
    organisation = OrganisationFactory(
        name="Kreis Düren", slug="kreis-dueren", kind="county", ags="05358000", website="https://www.kreis-dueren.de"
    )
    roadmap = RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")
    MeasureFactory(roadmap=roadmap, title="Solaroffensive")
    MeasureFactory(roadmap=roadmap, title="Noch nicht veröffentlicht", published=False)
    indicator = IndicatorFactory(roadmap=roadmap, name="PV-Leistung", code="pv")
    IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("12.5"))
    EmissionBalanceFactory(organisation=organisation, year=2022)
    return roadmap


@pytest.fixture
def town(db):
    organisation = OrganisationFactory(name="Stadt Düren", slug="stadt-dueren", kind="city", ags="05358008")
    roadmap = RoadmapFactory(organisation=organisation, slug="stadt-dueren", licence=Licence.CC0)
    MeasureFactory(roadmap=roadmap)
    IndicatorFactory(roadmap=roadmap, public=False)  # not public: no indicator data set
    return roadmap


def anchor(kind: str, roadmap) -> URIRef:
    return URIRef(f"{catalogue_url()}#{kind}-{roadmap.slug}")


# --- Valid DCAT-AP.de -------------------------------------------------------------------------------------------


def test_catalogue_is_valid_dcat_ap_de(county, town, shapes, vocabularies):
    RoadmapFactory(published=False)  # never listed
    graph = build_graph()
    results = shacl_results(graph, shapes, vocabularies)
    assert results["Violation"] == []
    assert results["Warning"] == []  # with the vocabularies' excerpt, not even a warning
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 4  # county: 3; town: measures only


def test_the_shapes_find_what_is_missing(county, shapes, vocabularies):
    """The check can fail: a data set without a title or description and a file without its access URL are
    violations, a licence outside the DCAT-AP.de list a warning, a deprecated property a warning."""
    graph = build_graph()
    dataset = anchor("massnahmen", county)
    graph.remove((dataset, DCTERMS.title, None))
    graph.remove((dataset, DCTERMS.description, None))
    graph.remove((URIRef(f"{dataset}-csv"), DCAT.accessURL, None))
    graph.set((URIRef(f"{dataset}-xlsx"), DCTERMS.license, URIRef("https://example.org/meine-lizenz")))
    graph.add((dataset, DCATDE.politicalGeocodingURI, URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/05")))
    results = shacl_results(graph, shapes, vocabularies)
    messages = " | ".join(results["Violation"])
    assert "dcterms:title" in messages and "dcterms:description" in messages and "dcat:accessURL" in messages
    warnings = " | ".join(results["Warning"])
    assert "kv-licenses" in warnings and "politicalGeocodingURI" in warnings


# --- What it says -----------------------------------------------------------------------------------------------


def test_three_data_sets_of_a_roadmap_with_their_files(client, county):
    graph = build_graph()
    catalog = URIRef(catalogue_url())
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert datasets == {anchor(k, county) for k in ("massnahmen", "indikatoren", "treibhausgasbilanz")}
    for dataset in datasets:
        assert (dataset, DCAT.theme, ENVI) in graph
        files = list(graph.objects(dataset, DCAT.distribution))
        assert {str(graph.value(d, DCTERMS.format)).rsplit("/", 1)[1] for d in files} == {"CSV", "XLSX", "JSON"}
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = str(graph.value(distribution, DCAT.downloadURL))
            assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200, url
    measures = anchor("massnahmen", county)
    assert graph.value(measures, DCTERMS.spatial) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/districtKey/05358"
    )
    assert graph.value(measures, DCATDE.politicalGeocodingLevelURI).endswith("/Level/administrativeDistrict")
    assert graph.value(measures, DCTERMS.license) is None  # on the files
    assert {graph.value(d, DCTERMS.license) for d in graph.objects(measures, DCAT.distribution)} == {
        LICENCES[Licence.DL_BY]
    }
    assert str(graph.value(graph.value(measures, DCTERMS.publisher), URIRef("http://xmlns.com/foaf/0.1/name"))) == (
        "Kreis Düren"
    )
    assert graph.value(measures, DCATDE.licenseAttributionByText) == Literal("Kreis Düren", lang="de")


def test_a_town_is_geocoded_by_its_municipality_key_and_keeps_its_licence(town):
    graph = build_graph()
    measures = anchor("massnahmen", town)
    assert graph.value(measures, DCTERMS.spatial) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05358008"
    )
    assert graph.value(measures, DCATDE.politicalGeocodingLevelURI).endswith("/Level/municipality")
    distribution = graph.value(measures, DCAT.distribution)
    assert graph.value(distribution, DCTERMS.license) == URIRef("http://dcat-ap.de/def/licenses/cc-zero")
    assert graph.value(measures, DCATDE.licenseAttributionByText) is None  # CC0 asks for none
    assert (anchor("indikatoren", town), None, None) not in graph  # its only indicator is not public


def test_every_licence_has_a_uri_of_the_dcat_ap_de_list():
    assert set(LICENCES) == set(Licence)
    assert all(str(uri).startswith("http://dcat-ap.de/def/licenses/") for uri in LICENCES.values())


def test_modified_is_the_last_change_of_the_data(county):
    measure = county.measures.get(published=True)
    later = measure.updated_at + timedelta(days=3)
    type(measure).objects.filter(pk=measure.pk).update(updated_at=later)
    graph = build_graph()
    assert graph.value(anchor("massnahmen", county), DCTERMS.modified).toPython() == later.replace(microsecond=0)


# --- Formats ----------------------------------------------------------------------------------------------------

RDF_TYPES = [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/json", "application/ld+json", "json-ld"),
    ("*/*", "application/rdf+xml", "xml"),
    ("", "application/rdf+xml", "xml"),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "application/rdf+xml", "xml"),
]


@pytest.mark.parametrize(("accept", "media_type", "parser"), RDF_TYPES)
def test_formats_by_accept_header(client, county, accept, media_type, parser):
    response = client.get(reverse("opendata:catalogue"), HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response["Vary"]
    graph = Graph().parse(data=response.content, format=parser)
    assert (anchor("massnahmen", county), RDF.type, DCAT.Dataset) in graph


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_formats_by_link(client, county, fmt, parser):
    for url in (reverse("opendata:catalogue-file", args=[fmt]), reverse("opendata:catalogue") + f"?format={fmt}"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert len(Graph().parse(data=response.content, format=parser)) > 50


def test_json_ld_is_json(client, county):
    body = json.loads(client.get(reverse("opendata:catalogue-file", args=["jsonld"])).content)
    assert "@context" in body or "@graph" in body


def test_a_browser_gets_a_page_with_the_three_files(client, county):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(reverse("opendata:catalogue"), HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    links = [reverse("opendata:catalogue-file", args=[fmt]) for fmt in ("ttl", "rdf", "jsonld")]
    html = response.content.decode()
    main = html[html.index("<main") :]
    assert all(f'href="{link}"' in main for link in links)


@pytest.mark.parametrize("url", ["/katalog/?format=csv", "/katalog/katalog.csv", "/katalog/katalog.ttl.bak"])
def test_unknown_formats_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_only_get_and_head(client, db):
    assert client.post(reverse("opendata:catalogue")).status_code == 405
    assert client.head(reverse("opendata:catalogue-file", args=["ttl"])).status_code == 200


# --- Queries and cache ------------------------------------------------------------------------------------------


def test_built_from_one_query_at_two_sizes(db, django_assert_num_queries):
    for size in (2, 10):
        for _ in range(size):
            roadmap = RoadmapFactory()
            MeasureFactory(roadmap=roadmap)
            IndicatorValueFactory(indicator=IndicatorFactory(roadmap=roadmap))
            EmissionBalanceFactory(organisation=roadmap.organisation)
        with django_assert_num_queries(1):  # the roadmaps with their organisation and the data sets' last changes
            graph = build_graph()
        assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 3 * (2 if size == 2 else 12)


def test_served_from_the_cache_until_its_data_change(client, county, django_assert_num_queries):
    url = reverse("opendata:catalogue-file", args=["ttl"])
    first = client.get(url).content
    with django_assert_num_queries(0):
        assert client.get(url).content == first
    changes = [
        lambda: MeasureFactory(roadmap=county, title="Neue Maßnahme"),
        lambda: IndicatorValueFactory(indicator=county.indicators.get(), year=2024),
        lambda: EmissionBalanceFactory(organisation=county.organisation, year=2023),
        lambda: RoadmapFactory(slug="neu-im-katalog"),
    ]
    for change in changes:
        client.get(url)
        with django_assert_num_queries(0):  # stored
            client.get(url)
        change()
        with django_assert_num_queries(1):  # built again: the roadmaps with their data sets' last changes
            client.get(url)
    assert b"neu-im-katalog" in client.get(url).content


def test_a_new_value_shows_as_a_later_modified(client, county):
    url = reverse("opendata:catalogue-file", args=["ttl"])
    client.get(url)
    value = IndicatorValueFactory(indicator=county.indicators.get(), year=2024)
    graph = Graph().parse(data=client.get(url).content, format="turtle")
    modified = graph.value(anchor("indikatoren", county), DCTERMS.modified).toPython()
    assert modified == value.updated_at.replace(microsecond=0)
