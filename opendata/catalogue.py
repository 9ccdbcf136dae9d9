"""The DCAT-AP.de 3.0 catalogue of the public roadmaps' open data, as an rdflib graph.

Each public roadmap gives up to three ``dcat:Dataset``s, as DCAT-AP.de has one data set per kind of data with a
distribution per format: its measures, its indicator values and its organisation's greenhouse-gas balance
(the last two only where there are data). Every data set has the CSV, XLSX and JSON files the roadmap page
offers (measures.opendata, monitoring.exports) as ``dcat:Distribution``s, with file type and media type from the
EU vocabularies, the roadmap's licence from the DCAT-AP.de licence list, the organisation as publisher,
creator and contact point, and its AGS as political geocoding (``dct:spatial`` with the municipality key, or the
district key for a county, and ``dcatde:politicalGeocodingLevelURI``). DCAT-AP.de 3.0 deprecates
``dcatde:maintainer`` and ``dcatde:politicalGeocodingURI`` (its shapes warn about them): their place is taken by
``dct:creator``/``dcat:contactPoint`` and ``dct:spatial``. The CSV's column descriptions are the roadmap's
``datapackage.json`` (``foaf:page`` of the CSV distribution).

The graph is built from one query (opendata.selectors.catalogue_roadmaps) and kept, serialised per format, in the
cache under the page-cache scopes that every change of a roadmap, measure, indicator, value or balance bumps
(networks.cache: Roadmap and the monitoring models bump "global", measures and their children "home").
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from measures.models.roadmap import Licence
from networks import cache
from networks.models import Organisation
from opendata.selectors import catalogue_roadmaps

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = URIRef(EU + "data-theme")
ENVI = URIRef(EU + "data-theme/ENVI")
GERMAN = URIRef(EU + "language/DEU")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
IRREGULAR = URIRef(EU + "frequency/IRREG")
IANA = "https://www.iana.org/assignments/media-types/"
DCATDE_SPEC = URIRef("http://dcat-ap.de/def/dcatde/3.0")

# The roadmap's licence (measures.models.roadmap.Licence) in the DCAT-AP.de licence list.
LICENCES = {
    Licence.DL_BY: URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
    Licence.DL_ZERO: URIRef("http://dcat-ap.de/def/licenses/dl-zero-de/2.0"),
    Licence.CC_BY: URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0"),
    Licence.CC0: URIRef("http://dcat-ap.de/def/licenses/cc-zero"),
}
ATTRIBUTION_NEEDED = (Licence.DL_BY, Licence.CC_BY)

# (format in the URL, EU file type, IANA media type)
FORMATS = (
    ("csv", "CSV", "text/csv"),
    ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("json", "JSON", "application/json"),
)

GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"


def political_geocoding(organisation: Organisation) -> tuple[URIRef, URIRef] | None:
    """(area URI, level URI) of the organisation's AGS: a county by its district key (the AGS's first five
    digits), a city or municipality by its municipality key; None without an AGS."""
    ags = organisation.ags
    if not ags:
        return None
    if organisation.kind == Organisation.Kind.COUNTY:
        return URIRef(f"{GEOCODING}districtKey/{ags[:5]}"), URIRef(f"{GEOCODING}Level/administrativeDistrict")
    return URIRef(f"{GEOCODING}municipalityKey/{ags}"), URIRef(f"{GEOCODING}Level/municipality")


SLOT = re.compile(r"slot(\d)slot")


@functools.cache
def _url_pattern(name: str, arity: int, site: str) -> str:
    """The absolute URL of ``name`` with slots for its arguments: reversed once per process, not per row."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=[f"slot{i}slot" for i in range(arity)])
    return site.rstrip("/") + path


def absolute(name: str, *args) -> str:
    """An absolute URL without language prefix, as measures.opendata.absolute, for the hundreds of addresses of one
    catalogue: each URL name is reversed once per process (a third of the build went to reverse())."""
    # text, slot number, text, ...: the arguments put in are not read again
    pieces = SLOT.split(_url_pattern(name, len(args), settings.SITE_URL))
    return "".join(str(args[int(p)]) if i % 2 else p for i, p in enumerate(pieces))


def catalogue_url() -> str:
    return absolute("opendata:catalogue")


# --- The three data sets of a roadmap -----------------------------------------------------------------------


class DatasetKind:
    def __init__(self, key, title, description, keywords, url_name, fmt_in_url, modified, present=lambda r: True):
        self.key, self.title, self.description, self.keywords = key, title, description, keywords
        self.url_name, self.fmt_in_url = url_name, fmt_in_url
        self.modified, self.present = modified, present

    def download_url(self, roadmap, fmt: str) -> str:
        if self.fmt_in_url:
            return absolute(self.url_name, roadmap.slug, fmt)
        return absolute(f"{self.url_name}-{fmt}", roadmap.slug)


def _latest(*moments) -> datetime | None:
    found = [m for m in moments if m]
    return max(found) if found else None


KINDS = (
    DatasetKind(
        "massnahmen",
        "Klimaschutzmaßnahmen: {roadmap}",
        "Die veröffentlichten Maßnahmen der Roadmap „{roadmap}“ von {organisation}: Handlungsfeld, Stand der "
        "Umsetzung, Fortschritt, Zeitraum, Kosten, Förderung und erwartete Minderung von Treibhausgasen.",
        ("Klimaschutz", "Klimaschutzmaßnahmen", "Maßnahmen", "Klima-Roadmap"),
        "measures:open-data",
        False,
        lambda r: _latest(r.measures_modified, r.updated_at),
    ),
    DatasetKind(
        "indikatoren",
        "Klimaschutz-Indikatoren: {roadmap}",
        "Die Werte der öffentlichen Indikatoren der Roadmap „{roadmap}“ von {organisation} nach Jahr: "
        "Ausgangswerte, Messwerte, Schätzungen und Zielwerte mit Einheit und Quelle.",
        ("Klimaschutz", "Indikatoren", "Monitoring", "Klima-Roadmap"),
        "monitoring:indicator-data",
        True,
        lambda r: _latest(r.indicators_modified, r.values_modified),
        lambda r: r.has_indicators,
    ),
    DatasetKind(
        "treibhausgasbilanz",
        "Treibhausgasbilanz: {organisation}",
        "Die Treibhausgasbilanz (BISKO) von {organisation} nach Jahr und Sektor in t CO2-Äquivalenten und der "
        "Zielpfad der Roadmap „{roadmap}“.",
        ("Klimaschutz", "Treibhausgasbilanz", "BISKO", "CO2-Emissionen", "Klimaneutralität"),
        "monitoring:balance-data",
        True,
        lambda r: _latest(r.balance_modified, r.path_modified),
        lambda r: r.has_balance,
    ),
)


# --- The graph ---------------------------------------------------------------------------------------------


def _literal_time(moment: datetime) -> Literal:
    return Literal(moment.astimezone(timezone.get_default_timezone()).replace(microsecond=0), datatype=XSD.dateTime)


def _organisation(graph: Graph, organisation: Organisation, agents: dict) -> URIRef:
    """The organisation as foaf:Organization (once per graph), named by its public page."""
    if organisation.pk in agents:
        return agents[organisation.pk]
    agent = URIRef(f"{catalogue_url()}#organisation-{organisation.slug}")
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, RDF.type, FOAF.Agent))  # said outright: a validator without the FOAF ontology infers nothing
    graph.add((agent, FOAF.name, Literal(organisation.name, lang="de")))
    if organisation.website:
        graph.add((agent, FOAF.homepage, URIRef(organisation.website)))
    agents[organisation.pk] = agent
    return agent


def _contact(graph: Graph, roadmap) -> BNode:
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(roadmap.organisation.name, lang="de")))
    graph.add((contact, VCARD.hasURL, URIRef(roadmap_page(roadmap))))
    return contact


def roadmap_page(roadmap) -> str:
    return absolute("measures:roadmap", roadmap.slug)


def _distribution(graph: Graph, dataset: URIRef, kind: DatasetKind, roadmap, fmt, file_type, media_type, licence):
    url = URIRef(kind.download_url(roadmap, fmt))
    node = URIRef(f"{dataset}-{fmt}")
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(f"{file_type}: {kind.title.split(':')[0]}", lang="de")))
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCTERMS.format, URIRef(f"{EU}file-type/{file_type}")))
    graph.add((node, DCAT.mediaType, URIRef(IANA + media_type)))
    graph.add((node, DCTERMS.license, licence))
    if fmt == "csv":
        graph.add((node, FOAF.page, URIRef(absolute("measures:datapackage", roadmap.slug))))


def _dataset(graph: Graph, catalog: URIRef, kind: DatasetKind, roadmap, agents: dict) -> datetime | None:
    organisation = roadmap.organisation
    dataset = URIRef(f"{catalogue_url()}#{kind.key}-{roadmap.slug}")
    words = {"roadmap": roadmap.title, "organisation": organisation.name}
    licence = LICENCES.get(roadmap.licence, LICENCES[Licence.DL_BY])
    agent = _organisation(graph, organisation, agents)
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(kind.title.format(**words), lang="de")))
    graph.add((dataset, DCTERMS.description, Literal(kind.description.format(**words), lang="de")))
    graph.add((dataset, DCTERMS.identifier, Literal(f"klimanetz-{kind.key}-{roadmap.slug}")))
    graph.add((dataset, DCTERMS.publisher, agent))
    graph.add((dataset, DCTERMS.creator, agent))
    graph.add((dataset, DCAT.contactPoint, _contact(graph, roadmap)))
    graph.add((dataset, DCAT.theme, ENVI))
    graph.add((dataset, DCTERMS.language, GERMAN))
    graph.add((dataset, DCTERMS.accessRights, PUBLIC))
    graph.add((dataset, DCTERMS.accrualPeriodicity, IRREGULAR))
    graph.add((dataset, DCAT.landingPage, URIRef(roadmap_page(roadmap))))
    for word in (*kind.keywords, organisation.name):
        graph.add((dataset, DCAT.keyword, Literal(word, lang="de")))
    if roadmap.licence in ATTRIBUTION_NEEDED:
        graph.add((dataset, DCATDE.licenseAttributionByText, Literal(organisation.name, lang="de")))
    geocoding = political_geocoding(organisation)
    if geocoding:
        graph.add((dataset, DCTERMS.spatial, geocoding[0]))
        graph.add((geocoding[0], RDF.type, DCTERMS.Location))
        graph.add((dataset, DCATDE.politicalGeocodingLevelURI, geocoding[1]))
    modified = kind.modified(roadmap)
    if modified:
        graph.add((dataset, DCTERMS.modified, _literal_time(modified)))
    # issued: when the roadmap went online, or the data's last change where that is older (data entered as dated)
    graph.add((dataset, DCTERMS.issued, _literal_time(min(filter(None, (roadmap.created_at, modified))))))
    for fmt, file_type, media_type in FORMATS:
        _distribution(graph, dataset, kind, roadmap, fmt, file_type, media_type, licence)
    return modified


def build_graph() -> Graph:
    """The whole catalogue: one query for the roadmaps, none per roadmap."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("dcatde", DCATDE), ("vcard", VCARD)):
        graph.bind(prefix, namespace)
    graph.bind("skos", SKOS)
    catalog = URIRef(catalogue_url())
    operator = URIRef(f"{catalog}#betreiber")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("Klimanetz: Klima-Roadmaps und Klimaschutzdaten", lang="de")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Offene Daten der veröffentlichten Klima-Roadmaps auf Klimanetz: Maßnahmen, Indikatoren und "
                "Treibhausgasbilanzen von Kommunen und Kreisen.",
                lang="de",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, operator))
    graph.add((operator, RDF.type, FOAF.Organization))
    graph.add((operator, RDF.type, FOAF.Agent))
    graph.add((operator, FOAF.name, Literal(getattr(settings, "CATALOGUE_PUBLISHER", "Klimanetz"), lang="de")))
    graph.add((catalog, FOAF.homepage, URIRef(settings.SITE_URL.rstrip("/") + "/")))
    graph.add((catalog, DCTERMS.language, GERMAN))
    graph.add((catalog, DCAT.themeTaxonomy, THEME_SCHEME))
    graph.add((catalog, DCTERMS.conformsTo, DCATDE_SPEC))
    agents: dict = {}
    changes = []
    for roadmap in catalogue_roadmaps():
        for kind in KINDS:
            if kind.present(roadmap):
                changes.append(_dataset(graph, catalog, kind, roadmap, agents))
    last = _latest(*changes)
    if last:
        graph.add((catalog, DCTERMS.modified, _literal_time(last)))
    return graph


# --- Serialisations, cached ----------------------------------------------------------------------------------

# format key: (rdflib serializer, media type, file name)
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle", "katalog.ttl"),
    "rdf": ("xml", "application/rdf+xml", "katalog.rdf"),
    "jsonld": ("json-ld", "application/ld+json", "katalog.jsonld"),
}
SCOPES = ("global", "home")  # networks.cache: what every change of the catalogue's rows bumps
CACHE_SECONDS = 24 * 3600


def serialise(graph: Graph, fmt: str) -> bytes:
    serializer = SERIALISATIONS[fmt][0]
    if serializer == "json-ld":
        return graph.serialize(format="json-ld", auto_compact=True, indent=1).encode("utf-8")
    return graph.serialize(format=serializer, encoding="utf-8")


def catalogue_bytes(fmt: str) -> bytes:
    """The catalogue in ``fmt`` (a SERIALISATIONS key), from the cache while no row behind it changed."""
    return cache.remembered(
        f"opendata:catalogue:{fmt}", SCOPES, lambda: serialise(build_graph(), fmt), seconds=CACHE_SECONDS
    )
