"""Findable and shareable (issue 16 §3) in a real Chromium on the demo portal.

1. A measure link pasted into a chat: the page's OpenGraph tags give its title, its own description and a
   preview image that loads (1200x630 PNG, from the portal itself); the roadmap links its Atom feed, which
   parses; sitemap.xml lists every public measure of the demo.
2. A visitor on a dead link: the 404 page offers the search box (axe-core finds no violation there) and the
   roadmaps; searching from it lands on the search page. A measure whose slug changed is reached at its old
   address (301 to the new one).
"""

import xml.etree.ElementTree as ET  # our own responses (feed, sitemap), not untrusted input
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from PIL import Image

from measures.models import Measure
from tests.browser.helpers import assert_clean, untranslated

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
MEASURE = ROADMAP + "massnahmen/ph-01-balkon-pv-fuer-mieterinnen/"


def meta(page, key: str) -> str:
    return page.locator(f'meta[property="{key}"], meta[name="{key}"]').first.get_attribute("content")


def path_of(url: str) -> str:
    """SITE_URL is the public address; the live server answers the same paths."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.django_db(transaction=True)
def test_a_shared_measure_previews_and_the_roadmap_is_findable(browsing, demo_data):
    page = browsing.page
    page.goto(browsing.url(MEASURE))
    title = page.locator("h1").inner_text()
    assert title in meta(page, "og:title")
    description = meta(page, "description")
    assert 20 <= len(description) <= 160 and description == meta(page, "og:description")
    assert page.locator('meta[name="robots"]').count() == 0
    assert path_of(page.locator('link[rel="canonical"]').get_attribute("href")) == MEASURE
    image = page.request.get(browsing.url(path_of(meta(page, "og:image"))))
    assert image.status == 200 and image.headers["content-type"] == "image/png"
    assert Image.open(BytesIO(image.body())).size == (1200, 630)

    page.goto(browsing.url(ROADMAP))
    feed_url = page.locator('link[rel="alternate"][type="application/atom+xml"]').first.get_attribute("href")
    feed = page.request.get(browsing.url(path_of(feed_url)))
    assert feed.status == 200
    root = ET.fromstring(feed.body())  # noqa: S314
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.findall("{http://www.w3.org/2005/Atom}entry")

    sitemap = page.request.get(browsing.url("/sitemap.xml"))
    locations = {
        path_of(loc.text)
        for loc in ET.fromstring(sitemap.body()).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")  # noqa: S314
    }
    public = [measure.get_absolute_url() for measure in Measure.objects.public().select_related("roadmap")]
    connections.close_all()
    assert public and all(url in locations and "/en" + url in locations for url in public)
    assert_clean(browsing)


@pytest.mark.django_db(transaction=True)
def test_a_dead_link_offers_search_and_roadmaps_and_a_moved_measure_is_found(browsing, demo_data):
    page = browsing.page
    response = page.goto(browsing.url("/klima-roadmaps/gibt-es-nicht/"))
    assert response.status == 404
    assert page.locator(f'main a[href="{ROADMAP}"]').count() == 1
    page.evaluate(AXE)
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag", values:
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})).violations.map(v => v.id)"""
    )
    assert found == [] and untranslated(page) == []
    page.locator("main input[type=search]").fill("Balkon")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url("**/suche/?q=Balkon*")
    assert page.locator(".search-hit").count() >= 1

    measure = Measure.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", slug="ph-01-balkon-pv-fuer-mieterinnen")
    measure.slug = "balkon-pv"
    measure.save()
    connections.close_all()
    response = page.goto(browsing.url(MEASURE))
    assert response.status == 200 and page.url == browsing.url(ROADMAP + "massnahmen/balkon-pv/")
    assert response.request.redirected_from is not None
    assert browsing.foreign_requests == []
    assert [error for error in browsing.console_errors if "404" not in error] == []  # the dead link's own 404
