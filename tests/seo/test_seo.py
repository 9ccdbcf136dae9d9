"""Findable and shareable (issue 16 §3): the <head> of every public page shape, noindex on member pages,
sitemap.xml, robots.txt, preview images, the roadmap's Atom feed, the 404 page and moved measures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # our own responses (sitemap, feed), not untrusted input
from datetime import date
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from events.models import Visibility
from measures.models import Measure
from measures.models.participation import Moderation
from monitoring.models import Report
from networks import seo
from networks.seo_views import robots_lines
from tests.events.factories import EventFactory
from tests.measures.factories import (
    MeasureFactory,
    MeasureUpdateFactory,
    MilestoneFactory,
    ProposalFactory,
    RoadmapFactory,
)
from tests.monitoring.factories import ReportFactory

pytestmark = pytest.mark.django_db

SITE = "https://klimanetz.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.PUBLIC_PAGE_CACHE = True  # as in production: the head must be right in cached pages too


class Head(HTMLParser):
    """The <meta> and <link> tags of a page's <head>."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.in_head = True
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "body":
            self.in_head = False
        if not self.in_head:
            return
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs.get("content", ""))
        if tag == "link":
            self.links.append(attrs)

    def one(self, name: str) -> str:
        values = self.meta.get(name, [])
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def link(self, rel: str, **attrs) -> list[dict[str, str]]:
        return [
            link
            for link in self.links
            if link.get("rel") == rel and all(link.get(key) == value for key, value in attrs.items())
        ]


@pytest.fixture
def world(network):
    roadmap = RoadmapFactory(title="Klima-Roadmap Kreis Düren", description="Der **Kreis Düren** wird klimaneutral.")
    measure = MeasureFactory(roadmap=roadmap, title="Kommunale Wärmeplanung", summary="Wärmeplan für alle Gemeinden.")
    MeasureUpdateFactory(measure=measure, percent=40)
    proposal = ProposalFactory(roadmap=roadmap, status=Moderation.PUBLISHED, text="Mehr **Radwege** an Schulen.")
    event = EventFactory(network=network, visibility=Visibility.PUBLIC, title="Bürgerwerkstatt Wärme")
    report = ReportFactory(roadmap=roadmap, status=Report.Status.DONE, published=True, published_at=timezone.now())
    return {"roadmap": roadmap, "measure": measure, "proposal": proposal, "event": event, "report": report}


def _public_shapes(world, network) -> dict[str, tuple[str, str | None]]:
    """Page shape -> (path, a text of its own description or None for a generic one)."""
    roadmap, measure = world["roadmap"], world["measure"]
    shapes = {
        "home": (reverse("networks:home"), None),
        "roadmap list": (reverse("measures:roadmap-list"), None),
        "roadmap": (roadmap.get_absolute_url(), "Der Kreis Düren wird klimaneutral."),
        "measure list": (reverse("measures:measure-list", args=[roadmap.slug]), "Klima-Roadmap Kreis Düren"),
        "measure": (measure.get_absolute_url(), "Wärmeplan für alle Gemeinden."),
        "proposal list": (reverse("measures:proposal-list", args=[roadmap.slug]), "Klima-Roadmap Kreis Düren"),
        "proposal": (
            reverse("measures:proposal", args=[roadmap.slug, world["proposal"].pk]),
            "Mehr Radwege an Schulen.",
        ),
        "event list": (reverse("events:event-list"), None),
        "event": (world["event"].get_absolute_url(), "Austausch zur kommunalen Wärmeplanung."),
        "network list": (reverse("networks:network-list"), None),
        "network profile": (network.get_absolute_url(), "Ein Netzwerk kommunaler Klimaschutzmanager*innen."),
        "report": (world["report"].get_absolute_url(), "Monitoringbericht 2025"),
    }
    for name, args in (("participate", []), ("roadmap participate", [roadmap.slug])):
        try:  # the "Mitmachen" pages (helper "public"), once they exist
            url = reverse("measures:participate" if not args else "measures:roadmap-participate", args=args)
        except NoReverseMatch:
            continue
        shapes[name] = (url, None if not args else "Klima-Roadmap Kreis Düren")
    return shapes


SHAPES = [
    "home",
    "roadmap list",
    "roadmap",
    "measure list",
    "measure",
    "proposal list",
    "proposal",
    "event list",
    "event",
    "network list",
    "network profile",
    "report",
    "participate",
    "roadmap participate",
]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("shape", SHAPES)
def test_head_of_every_public_page_shape(client, world, network, shape, language):
    shapes = _public_shapes(world, network)
    if shape not in shapes:
        pytest.skip(f"{shape}: not built yet")
    path, own_text = shapes[shape]
    path = seo.path_in_language(path, language)
    response = client.get(path + "?utm_source=newsletter&fbclid=abc&gclid=x")
    assert response.status_code == 200, path
    head = Head(response.content.decode())

    assert "robots" not in head.meta  # indexable
    canonical = SITE + path
    assert [link["href"] for link in head.link("canonical")] == [canonical]
    twins = {link["hreflang"]: link["href"] for link in head.link("alternate") if "hreflang" in link}
    assert twins == {
        "de": SITE + seo.path_in_language(path, "de"),
        "en": SITE + seo.path_in_language(path, "en"),
        "x-default": SITE + seo.path_in_language(path, "de"),
    }
    description = head.one("description")
    assert 20 <= len(description) <= 160 and "*" not in description.replace("*innen", "")
    if own_text:
        assert own_text in description or own_text in head.one("og:title"), (shape, description)
    assert head.one("og:description") == head.one("twitter:description") == description
    assert head.one("og:title") and head.one("og:title") == head.one("twitter:title")
    assert head.one("og:url") == canonical
    assert head.one("og:type") in ("website", "article")
    image = head.one("og:image")
    assert image.startswith(SITE + "/") and image == head.one("twitter:image")
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("og:locale") == {"de": "de_DE", "en": "en_GB"}[language]
    assert head.meta["og:locale:alternate"] == [{"de": "en_GB", "en": "de_DE"}[language]]


def test_roadmap_and_measure_pages_share_their_own_preview_image_and_feed(client, world):
    roadmap, measure = world["roadmap"], world["measure"]
    head = Head(client.get(measure.get_absolute_url()).content.decode())
    assert head.one("og:image") == SITE + reverse("seo:measure-image", args=[roadmap.slug, measure.slug])
    head = Head(client.get(roadmap.get_absolute_url()).content.decode())
    assert head.one("og:image") == SITE + reverse("seo:roadmap-image", args=[roadmap.slug])
    feeds = head.link("alternate", type="application/atom+xml")
    assert [feed["href"] for feed in feeds] == [SITE + reverse("seo:roadmap-feed", args=[roadmap.slug])]


def test_canonical_keeps_only_a_page_s_identity(rf):
    seo.register_page("tests:listing", identity=("page", "sector"))
    request = rf.get("/liste/", {"utm_campaign": "x", "sector": "mobility", "q": "rad", "page": "2", "fbclid": "y"})
    request.resolver_match = type("Match", (), {"view_name": "tests:listing"})()
    try:
        assert seo.canonical_url(request) == SITE + "/liste/?page=2&sector=mobility"
        request = rf.get("/liste/", {"page": "1"})
        request.resolver_match = type("Match", (), {"view_name": "tests:listing"})()
        assert seo.canonical_url(request) == SITE + "/liste/"
    finally:
        del seo.PAGES["tests:listing"]


def test_measure_list_filters_are_not_its_identity(client, world):
    url = reverse("measures:measure-list", args=[world["roadmap"].slug])
    head = Head(client.get(url + "?sector=mobility&utm_medium=email").content.decode())
    assert [link["href"] for link in head.link("canonical")] == [SITE + url]


@pytest.mark.parametrize("persona", ["member", "coordinator", "staff"])
def test_member_pages_are_noindex(client, personas, persona):
    personas.login(client, persona)
    network = personas.network
    for url in (
        reverse("networks:dashboard"),
        reverse("networks:profile"),
        reverse("networks:network-space", args=[network.slug]),
        reverse("networks:member-list", args=[network.slug]),
        reverse("search:search") + "?q=klima",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        head = Head(response.content.decode())
        assert head.one("robots") == "noindex, nofollow", url
        assert not head.link("canonical") and not [link for link in head.link("alternate") if "hreflang" in link]


def test_internal_objects_are_noindex_for_who_may_see_them(client, personas):
    event = EventFactory(network=personas.network, visibility=Visibility.NETWORK)
    personas.login(client, "member")
    head = Head(client.get(event.get_absolute_url()).content.decode())
    assert head.one("robots") == "noindex, nofollow"
    personas.login(client, "staff")  # staff may preview an unpublished roadmap and measure
    measure = MeasureFactory(roadmap=RoadmapFactory(published=False), published=False)
    for url in (measure.roadmap.get_absolute_url(), measure.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        head = Head(response.content.decode())
        assert head.one("robots") == "noindex, nofollow"
        assert "vorschau.png" not in head.one("og:image")  # never a card address of an unpublished object


# --- sitemap.xml -----------------------------------------------------------------------------------------


def _sitemap_files(client) -> list[str]:
    """The files the sitemap index names, as paths on the site."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314
    files = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert files and all(loc.startswith(SITE + "/sitemap-") for loc in files)
    return [loc.removeprefix(SITE) for loc in files]


def _sitemap(client) -> dict[str, dict[str, str]]:
    """Every address of every file of the sitemap index."""
    entries = {}
    for path in _sitemap_files(client):
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
        entries.update(_entries(response))
    return entries


def _entries(response) -> dict[str, dict[str, str]]:
    root = ET.fromstring(response.content)  # noqa: S314
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        entries[loc] = {"lastmod": url.findtext(f"{SITEMAP}lastmod") or "", **alternates}
    return entries


def test_sitemap_lists_every_public_thing_in_both_languages_and_nothing_internal(client, world, network, other_network):
    roadmap = world["roadmap"]
    draft_roadmap = RoadmapFactory(published=False)
    hidden = [
        MeasureFactory(roadmap=roadmap, published=False),
        MeasureFactory(roadmap=draft_roadmap, published=True),
        EventFactory(network=network, visibility=Visibility.NETWORK),
        ReportFactory(roadmap=roadmap, status=Report.Status.DONE, published=False),
    ]
    other_network.is_public = False
    other_network.save()
    entries = _sitemap(client)
    public = [
        roadmap.get_absolute_url(),
        world["measure"].get_absolute_url(),
        world["event"].get_absolute_url(),
        world["report"].get_absolute_url(),
        network.get_absolute_url(),
        reverse("networks:home"),
        reverse("measures:roadmap-list"),
        reverse("events:event-list"),
    ]
    for path in public:
        german, english = SITE + path, SITE + "/en" + path
        assert german in entries and english in entries, path
        assert entries[german]["de"] == german and entries[german]["en"] == english
        assert entries[german]["x-default"] == german
    assert entries[SITE + world["measure"].get_absolute_url()]["lastmod"].startswith(str(date.today().year))
    listed = set(entries)
    for thing in [*hidden, draft_roadmap, other_network]:
        assert SITE + thing.get_absolute_url() not in listed
    assert not any("/suche/" in loc or "/redaktion/" in loc or "/intern/" in loc for loc in listed)


def test_sitemap_is_an_index_of_files_of_bounded_size_in_a_constant_number_of_queries(
    client, django_assert_num_queries, settings, monkeypatch
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # no cache_page hit
    limit = 3
    monkeypatch.setattr(seo.SiteSitemap, "limit", limit)
    roadmap = RoadmapFactory()
    sections = len(seo.SITEMAPS) - 1  # pages: a list, no query
    for size in (2, 12):
        MeasureFactory.create_batch(size, roadmap=roadmap)
        with django_assert_num_queries(sections):  # the index: one count per section
            files = _sitemap_files(client)
        measure_files = [path for path in files if path.startswith("/sitemap-measures.xml")]
        assert len(measure_files) == -(-Measure.objects.public().count() // limit)
        measures = []
        for path in measure_files:
            with django_assert_num_queries(1):  # a file: the page's measures (no count of them all)
                response = client.get(path)
            addresses = [url for url in _entries(response) if "/massnahmen/" in url]
            assert len(addresses) <= 2 * limit  # each measure in German and English
            measures += addresses
        assert len(set(measures)) == 2 * Measure.objects.public().count()
    assert client.get("/sitemap-measures.xml?p=99").status_code == 404
    for odd in ("0", "-1", "zwei", "1.5"):
        assert client.get("/sitemap-measures.xml", {"p": odd}).status_code == 404
    assert client.get("/sitemap-unknown.xml").status_code == 404


def test_sitemap_files_say_what_djangos_template_says(client, world):
    """seo.sitemap_xml writes the file without the template engine: the same XML as Django's sitemap.xml, for
    every section (addresses, lastmod, changefreq, alternates with x-default)."""
    from django.template.loader import render_to_string

    seo.autodiscover()
    for section, sitemap_class in seo.SITEMAPS.items():
        urls = sitemap_class().get_urls(page=1, protocol="https")
        ours = seo.sitemap_xml(urls)
        django = render_to_string("sitemap.xml", {"urlset": urls})
        assert ET.canonicalize(ours, strip_text=True) == ET.canonicalize(django, strip_text=True), section
        assert ET.canonicalize(client.get(f"/sitemap-{section}.xml").content.decode(), strip_text=True) == (
            ET.canonicalize(ours, strip_text=True)
        )


# --- robots.txt ------------------------------------------------------------------------------------------


def _allowed(lines: list[str], path: str) -> bool:
    """Google's reading: the longest matching rule wins, Allow on a tie; "*" any characters, "$" the end."""
    best, allowed = -1, True
    for line in lines:
        field, _sep, value = line.partition(": ")
        if field not in ("Allow", "Disallow") or not value:
            continue
        pattern = "^" + re.escape(value).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(pattern, path) and (len(value) > best or (len(value) == best and field == "Allow")):
            best, allowed = len(value), field == "Allow"
    return allowed


def test_robots_txt_keeps_member_areas_out_and_points_at_the_sitemap(client, world, network):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert lines == robots_lines()
    roadmap, event = world["roadmap"], world["event"]
    kept_out = [
        reverse("networks:dashboard"),
        reverse("networks:profile"),
        reverse("networks:network-space", args=[network.slug]),
        reverse("networks:member-list", args=[network.slug]),
        reverse("search:search") + "?q=wärme",
        reverse("measures:editor-dashboard", args=[roadmap.slug]),
        reverse("measures:measure-export-csv", args=[roadmap.slug]),
        reverse("measures:proposal-create", args=[roadmap.slug]),
        reverse("events:participant-list", args=[network.slug, event.pk]),
        reverse("events:event-ics", args=[network.slug, event.pk]),
        reverse("account_login"),
        reverse("admin:index"),
    ]
    for path in kept_out:
        for language in ("de", "en"):
            assert not _allowed(lines, seo.path_in_language(path, language)), path
    public = [path for path, _text in _public_shapes(world, network).values()]
    for path in public:
        for language in ("de", "en"):
            assert _allowed(lines, seo.path_in_language(path, language)), path


# --- Preview images --------------------------------------------------------------------------------------


def test_preview_images_of_public_roadmaps_and_measures(client, world):
    roadmap, measure = world["roadmap"], world["measure"]
    for url in (
        reverse("seo:roadmap-image", args=[roadmap.slug]),
        reverse("seo:measure-image", args=[roadmap.slug, measure.slug]),
        "/en" + reverse("seo:measure-image", args=[roadmap.slug, measure.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(BytesIO(response.content)).size == (1200, 630)
        assert response["ETag"] and response["Last-Modified"] and "public" in response["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again.content == b""


def test_a_new_status_or_title_draws_a_new_card(client, world):
    roadmap, measure = world["roadmap"], world["measure"]
    url = reverse("seo:measure-image", args=[roadmap.slug, measure.slug])
    first = client.get(url)
    measure.status = Measure.Status.COMPLETED
    measure.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert second.content != first.content
    measure.title = "Wärmeplanung abgeschlossen"
    measure.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"])["ETag"] != second["ETag"]


@pytest.mark.parametrize("persona", [None, "editor", "staff"])
def test_no_preview_image_of_unpublished_things_for_anyone(client, personas, persona):
    if persona:
        personas.login(client, persona)
    draft = RoadmapFactory(published=False)
    draft_measure = MeasureFactory(roadmap=draft)
    roadmap = RoadmapFactory()
    unpublished = MeasureFactory(roadmap=roadmap, published=False)
    for url in (
        reverse("seo:roadmap-image", args=[draft.slug]),
        reverse("seo:measure-image", args=[draft.slug, draft_measure.slug]),
        reverse("seo:measure-image", args=[roadmap.slug, unpublished.slug]),
        reverse("seo:roadmap-image", args=["gibt-es-nicht"]),
    ):
        assert client.get(url).status_code == 404, url


# --- Atom feed of a roadmap's updates --------------------------------------------------------------------


def test_roadmap_feed_is_valid_atom_with_reports_milestones_and_status_changes(client, world):
    roadmap, measure = world["roadmap"], world["measure"]
    MilestoneFactory(measure=measure, title="Bestandsanalyse fertig", done_date=date.today())
    MilestoneFactory(measure=measure, title="Noch offen")  # not reached: not in the feed
    measure.status = Measure.Status.COMPLETED
    measure.save()
    internal = MeasureFactory(roadmap=roadmap, published=False, title="Geheime Maßnahme")
    MeasureUpdateFactory(measure=internal, text="Intern")
    MeasureUpdateFactory(measure=measure, public=False, text="Nur für die Redaktion")
    internal.status = Measure.Status.COMPLETED
    internal.save()

    measure_url = SITE + "/en" + measure.get_absolute_url()
    response = client.get("/en" + reverse("seo:roadmap-feed", args=[roadmap.slug]))  # English: the strings below
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Updates: Klima-Roadmap Kreis Düren"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "Progress report: Kommunale Wärmeplanung (40 %)" in titles
    assert "Milestone reached: Bestandsanalyse fertig" in titles
    assert "Status changed: Kommunale Wärmeplanung" in titles
    assert len(titles) == 3
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href") == measure_url
        assert entry.findtext(f"{ATOM}updated")
    body = response.content.decode()
    assert "Geheime" not in body and "Intern" not in body and "Redaktion" not in body


def test_roadmap_feed_in_a_constant_number_of_queries(client, django_assert_num_queries):
    roadmap = RoadmapFactory()
    for size in (1, 6):
        for _ in range(size):
            measure = MeasureFactory(roadmap=roadmap)
            MeasureUpdateFactory(measure=measure)
            MilestoneFactory(measure=measure, done_date=date.today())
            measure.status = Measure.Status.COMPLETED
            measure.save()
        # roadmap, updates, milestones, status changes (history), their measures
        with django_assert_num_queries(5):
            response = client.get(reverse("seo:roadmap-feed", args=[roadmap.slug]))
        assert len(ET.fromstring(response.content).findall(f"{ATOM}entry")) > size  # noqa: S314


@pytest.mark.parametrize("persona", [None, "editor", "staff"])
def test_no_feed_of_an_unpublished_roadmap(client, personas, persona):
    if persona:
        personas.login(client, persona)
    assert client.get(reverse("seo:roadmap-feed", args=[RoadmapFactory(published=False).slug])).status_code == 404


# --- 404 page and moved measures -------------------------------------------------------------------------


def test_404_page_offers_the_search_and_the_public_roadmaps(client, world):
    RoadmapFactory(published=False, title="Entwurf Roadmap")
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'action="{reverse("search:search")}"' in html and 'name="q"' in html
    assert "Klima-Roadmap Kreis Düren" in html and world["roadmap"].get_absolute_url() in html
    assert "Entwurf Roadmap" not in html
    assert Head(html).one("robots") == "noindex, nofollow"


def test_404_page_needs_no_query_once_cached(client, world, django_assert_num_queries, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "seo404"}}
    client.get("/gibt-es-nicht/")
    with django_assert_num_queries(0):
        assert client.get("/auch-nicht/").status_code == 404


def test_404_page_without_a_database_still_answers(client, monkeypatch):
    from django.db import DatabaseError

    from measures import seo as measures_seo

    class Broken:
        def published(self):
            raise DatabaseError("slow")

    monkeypatch.setattr(measures_seo.Roadmap, "objects", Broken())
    monkeypatch.setattr(measures_seo, "cache", type("NoCache", (), {"get": lambda *a: None})())
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404 and b'name="q"' in response.content


def test_a_measure_whose_slug_changed_redirects_permanently(client, world):
    roadmap, measure = world["roadmap"], world["measure"]
    old = measure.get_absolute_url()
    measure.slug = "waermeplanung"
    measure.save()
    measure.slug = "kommunale-waermeplanung"
    measure.save()
    for path in (old, reverse("measures:measure", args=[roadmap.slug, "waermeplanung"])):
        response = client.get(path + "?utm_source=x")
        assert response.status_code == 301
        assert response["Location"] == measure.get_absolute_url() + "?utm_source=x"
    new = measure.get_absolute_url()
    english = client.get("/en" + old)
    assert english.status_code == 301 and english["Location"] == "/en" + new
    image = client.get(reverse("seo:measure-image", args=[roadmap.slug, "waermeplanung"]))
    assert image.status_code == 301


def test_no_redirect_to_an_unpublished_measure_nor_across_roadmaps(client, world):
    measure = MeasureFactory(roadmap=world["roadmap"])
    old = measure.get_absolute_url()
    measure.slug, measure.published = "neu", False
    measure.save()
    assert client.get(old).status_code == 404
    other = RoadmapFactory()
    assert client.get(reverse("measures:measure", args=[other.slug, world["measure"].slug])).status_code == 404


def test_a_moved_measure_redirects_with_debug_on_as_well(client, world, settings):
    """measures.middleware: not only the portal's 404 handler (DEBUG off) but Django's technical 404 (make run)."""
    settings.DEBUG = True
    measure = world["measure"]
    old = measure.get_absolute_url()
    measure.slug = "waermeplanung-neu"
    measure.save()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == measure.get_absolute_url()
    assert client.get(old.replace(measure.roadmap.slug, "gibt-es-nicht")).status_code == 404
    assert client.post(old).status_code in (403, 404, 405)  # only GET and HEAD are redirected
