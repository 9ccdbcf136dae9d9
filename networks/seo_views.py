"""robots.txt and sitemap.xml (networks.seo): at the root of the site, for every language."""

from __future__ import annotations

from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from networks import seo

# Kept out of search engines: member areas, editors' pages, accounts, search result pages, exports and feeds
# of personal data. Each path in German (no prefix) and under /en/. "*" and "$" as Google and Bing read them.
DISALLOWED = [
    "/admin/",
    "/konto/",
    "/profil/",
    "/start/",
    "/mein-bereich/",
    "/wer-weiss-was/",
    "/zugehoerigkeiten/",
    "/einladung/",
    "/e-mails/",
    "/suche/",
    "/kalender/",
    "/organisationen/",
    "/berichte/neu/",
    "/berichte/*/status.json",
    "/netzwerke/*/intern/",
    "/netzwerke/*/mitglieder/",
    "/netzwerke/*/mitgliedschaft-anfragen/",
    "/netzwerke/*/bearbeiten/",
    "/netzwerke/*/organisationen/",
    "/netzwerke/*/personen/",
    "/netzwerke/*/einladungen/",
    "/netzwerke/*/arbeitsgruppen/",
    "/netzwerke/*/kampagnen/",
    "/netzwerke/*/aufgaben/",
    "/netzwerke/*/ergebnisse/",
    "/netzwerke/*/fragen/",
    "/netzwerke/*/faq/",
    "/netzwerke/*/terminreihen/",
    "/netzwerke/*/diskussionen/",
    "/netzwerke/*/ankuendigungen/",
    "/netzwerke/*/dokumente/",
    "/netzwerke/*/benachrichtigungen/",
    "/netzwerke/*/selbstverpflichtungen/",
    "/netzwerke/*/monitoring/",
    "/netzwerke/*/termine/neu/",
    *(  # an event's pages for members and organisers (its own page is public when the event is)
        f"/netzwerke/*/termine/*/{sub}/"
        for sub in (
            "bearbeiten",
            "kopieren",
            "absagen",
            "einladen",
            "anmelden",
            "abmelden",
            "teilnehmende",
            "anwesenheit",
            "protokoll",
            "ergebnisse",
            "dokumente",
            "fragen",
        )
    ),
    "/klima-roadmaps/neu/",
    "/klima-roadmaps/*/redaktion/",
    "/klima-roadmaps/*/jahresbericht/",
    "/klima-roadmaps/*/vorschlaege/neu/",
    "/*.csv$",
    "/*.xlsx$",
    "/*.ics$",
]


def robots_lines() -> list[str]:
    lines = ["User-agent: *"]
    for path in DISALLOWED:
        lines.append(f"Disallow: {path}")
        lines.append(f"Disallow: /en{path}")
    lines.append("")
    lines.append(f"Sitemap: {seo.absolute('/sitemap.xml')}")
    return lines


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("\n".join(robots_lines()) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@cache_page(15 * 60, key_prefix="sitemap")
def sitemap(request: HttpRequest) -> HttpResponse:
    """The sitemap index: each registered section (networks.seo.register_sitemap) page by page (one count per
    section). A national portal has 200,000 measures: one file of everything took half a minute to build cold."""
    seo.autodiscover()
    files = []
    for section, sitemap_class in seo.SITEMAPS.items():
        url = seo.absolute(reverse("sitemap-section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        files += [SitemapIndexItem(url if n == 1 else f"{url}?p={n}") for n in range(1, pages + 1)]
    context = {"sitemaps": files}
    return TemplateResponse(request, "sitemap_index.xml", context, content_type="application/xml")


@require_safe
@cache_page(15 * 60, key_prefix="sitemap")
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (?p=) of one section: at most SiteSitemap.limit objects, each in both languages (1 query: the
    page's objects; networks.seo._EachLanguage counts nothing). An unknown section or page: 404. Django's view
    decides all that and the headers; its XML is written by seo.sitemap_xml instead of its template."""
    seo.autodiscover()
    response = sitemap_view(request, sitemaps=dict(seo.SITEMAPS), section=section)
    response.content = seo.sitemap_xml(response.context_data["urlset"])  # rendered: the template is not used
    return response
