"""Findable and shareable pages: the <head> every public page needs, and the registries that fill it.

- ``describe(text, limit=160)``: the plain text of Markdown or HTML, cut at a word boundary (meta description,
  OpenGraph, feed summaries). Any app may use it.
- ``canonical_url(request)``: the page's absolute address (SITE_URL) without tracking parameters and without
  list filters, except those a page registers as its identity (``register_page(..., identity=("page",))``).
- ``alternates(request)``: the German and English twins (networks.language rewrites the prefix) and x-default.
- Which pages may be indexed: ``register_page(view_name, when=...)``. A page not registered is ``noindex``
  (member areas, editors' pages, accounts, search results: unknown means private); ``when(context)`` decides
  per object (a public roadmap yes, an internal one no).
- Sitemaps: ``register_sitemap(section, sitemap_class)``; every app's ``seo`` module is imported at start-up
  (``autodiscover``, like the admin's), so events, measures and monitoring register themselves without networks
  importing them (DESIGN §2); the first page that asks imports them (no AppConfig to edit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape as html_escape
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core import paginator as paging
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from networks.language import path_in_language

DESCRIPTION_LIMIT = 160
SITE_DESCRIPTION = _(
    "Klimanetz: municipal climate-protection networks and their climate roadmaps – what is planned, how far it is "
    "and how citizens can take part."
)
NETWORK_LIST_DESCRIPTION = _(
    "Municipal climate-protection networks: who works together on climate protection, their events and roadmaps."
)
LOCALES = {"de": "de_DE", "en": "en_GB"}

# Markdown syntax that is not text: images, link targets, emphasis, headings, quotes, list markers, code fences.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_MD_LINE_MARKERS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|```.*$|~~~.*$)", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1")
_SPACE = re.compile(r"\s+")


def describe(text: str | None, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text of Markdown or HTML in at most ``limit`` characters, cut at a word boundary with "…".

    ``describe("## Wärme\\n\\nDie **kommunale** Wärmeplanung …")`` -> ``"Wärme Die kommunale Wärmeplanung …"``.
    Bounded work: only the first ``limit * 20`` characters are looked at.
    """
    if not text:
        return ""
    text = str(text)[: max(limit, 1) * 20]
    if "<" in text:
        text = re.sub(r"<(br|/p|/li|/h\d|/div|/blockquote)\b[^>]*>", " ", text, flags=re.IGNORECASE)
        text = strip_tags(text)
    text = unescape(text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REF_LINK.sub(r"\1", text)
    text = _MD_LINE_MARKERS.sub("", text)
    for _round in range(2):  # **_nested_**
        text = _MD_EMPHASIS.sub(r"\2", text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = cut.rfind(" ")
    if boundary > limit // 2:
        cut = cut[:boundary]
    return cut.rstrip(" ,;:.–-") + "…"


def absolute(path_or_url: str) -> str:
    """``/klima-roadmaps/x/`` -> ``https://klimanetz.example/klima-roadmaps/x/`` (SITE_URL); full URLs unchanged."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL + (path_or_url if path_or_url.startswith("/") else "/" + path_or_url)


# --- Which pages are public -----------------------------------------------------------------------------


ContextRule = Callable[[dict], object]


@dataclass(frozen=True)
class Page:
    view_name: str
    when: ContextRule | None = None  # the template context -> may the page be indexed? (public object)
    identity: tuple[str, ...] = ()  # query parameters that make a different page (kept in the canonical URL)
    description: ContextRule | None = None  # context -> the page's own text (Markdown/HTML/plain; describe()d)
    image: ContextRule | None = None  # context -> path of the preview image (absolute()d)
    feeds: ContextRule | None = None  # context -> [(title, path)] of Atom feeds (<link rel=alternate>)
    og_type: str = "website"


PAGES: dict[str, Page] = {}


def register_page(
    view_name: str,
    *,
    when: ContextRule | None = None,
    identity: Iterable[str] = (),
    description: ContextRule | None = None,
    image: ContextRule | None = None,
    feeds: ContextRule | None = None,
    og_type: str = "website",
) -> None:
    """A public page shape: indexed (for the objects ``when`` accepts), canonical keeping ``identity``; its
    description, preview image and feeds from the page's context (so page templates need no edits; a template
    may still fill the blocks of base.html itself)."""
    PAGES[view_name] = Page(view_name, when, tuple(identity), description, image, feeds, og_type)


def page_of(request: HttpRequest | None) -> Page | None:
    autodiscover()
    return PAGES.get(_view_name(request) or "")


def _ask(rule: ContextRule | None, context: dict, default=None):
    """A rule's answer; a rule that does not fit the context (a missing key, a None) gives the default: the
    <head> of a page never fails it."""
    if rule is None:
        return default
    try:
        answer = rule(context)
    except (KeyError, AttributeError, TypeError, ValueError, LookupError, NoReverseMatch):
        return default
    return default if answer is None or answer == "" else answer


def head(request: HttpRequest | None, context: dict) -> dict:
    """Everything base.html's <head> shows for this request and context (networks.templatetags.seo)."""
    page = page_of(request)
    indexable_ = page is not None and (page.when is None or bool(_ask(page.when, context, False)))
    description = describe(str(_ask(page.description, context, "") if page else "")) or str(SITE_DESCRIPTION)
    image = _ask(page.image, context) if page and indexable_ else None
    feeds = _ask(page.feeds, context, []) if page and indexable_ else []
    return {
        "indexable": indexable_,
        "description": description,
        "image": absolute(str(image)) if image else None,
        "feeds": [(title, absolute(str(path))) for title, path in feeds],
        "og_type": page.og_type if page else "website",
    }


def _view_name(request: HttpRequest | None) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def indexable(request: HttpRequest | None, context: dict | None = None) -> bool:
    """May search engines index this page? Only registered public shapes, and only for public objects."""
    page = page_of(request)
    return page is not None and (page.when is None or bool(_ask(page.when, context or {}, False)))


# Tracking parameters are never part of an address (utm_*, click identifiers of ad networks and mailers).
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "matomo_")
TRACKING = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid"}


def is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING or key.startswith(TRACKING_PREFIXES)


def canonical_path(request: HttpRequest, language: str | None = None) -> str:
    """Path and identity query of the page (in ``language``, by default the page's own)."""
    page = page_of(request)
    identity = page.identity if page else ()
    kept = [
        (key, value)
        for key, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=False)
        if key in identity and not is_tracking(key) and not (key == "page" and value == "1")
    ]
    path = request.path if language is None else path_in_language(request.path, language)
    return path + ("?" + urlencode(sorted(kept)) if kept else "")


def canonical_url(request: HttpRequest) -> str:
    return absolute(canonical_path(request))


def alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for each language and x-default (the German page, the default language)."""
    links = [(code, absolute(canonical_path(request, code))) for code, _name in settings.LANGUAGES]
    links.append(("x-default", absolute(canonical_path(request, settings.LANGUAGE_CODE))))
    return links


def locale_of(language: str) -> str:
    return LOCALES.get(language, language)


# --- Sitemaps ------------------------------------------------------------------------------------------

SITEMAPS: dict[str, type] = {}


class SiteSitemap(Sitemap):
    """A sitemap section on SITE_URL, each address in German and English with their alternates and x-default."""

    i18n = True
    alternates = True
    x_default = True
    # Objects per file, each in 2 languages with alternates: about 0.25 ms an object cold, so a file answers in
    # about 130 ms at national size (the protocol allows 50,000 addresses; the index lists the files).
    limit = 500

    def _location(self, item, force_lang_code=None) -> str:
        """Django's, once per object and language: its i18n sitemap asks for each object's address in each
        language again for every language's entry and for x-default (8 reverses an object instead of 2)."""
        obj, language = item
        key = (id(obj), force_lang_code or language)
        known = self.__dict__.setdefault("_locations", {})
        if key not in known:
            known[key] = super()._location(item, force_lang_code)
        return known[key]

    @property
    def paginator(self) -> paging.Paginator:
        """Pages of objects, each object in every language. Django's i18n sitemap first lists every object in every
        language, reading all of them for each page and for the count (issue 19 §6: 200,000 measures)."""
        return _EachLanguage(self.items(), self.limit, languages=self._languages())

    def get_latest_lastmod(self):
        return None  # Django's reads every object's lastmod; the index names no dates

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class _EachLanguage(paging.Paginator):
    """A paginator over objects whose pages hold (object, language) pairs, as Django's i18n sitemap expects."""

    def __init__(self, object_list, per_page: int, *, languages: list[str]) -> None:
        super().__init__(object_list, per_page)
        self.languages = languages

    def _get_page(self, object_list, number, paginator) -> paging.Page:
        pairs = [(obj, code) for obj in object_list for code in self.languages]
        return super()._get_page(pairs, number, paginator)

    def page(self, number) -> paging.Page:
        """One file's objects without counting them all first (the count of 200,000 measures took 120 ms of every
        file): a number past the end is found by its empty page (404), as Django's paginator would say."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise paging.PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise paging.EmptyPage(_("That page number is less than 1"))
        bottom = (number - 1) * self.per_page
        objects = list(self.object_list[bottom : bottom + self.per_page])
        if not objects and number > 1:
            raise paging.EmptyPage(_("That page contains no results"))
        return self._get_page(objects, number, self)


def _reverses(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:  # a page registered ahead of its URL
        return False
    return True


class PagesSitemap(SiteSitemap):
    """The fixed public pages (home, lists, legal pages)."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return [name for name in STATIC_PAGES if name in PAGES and _reverses(name)]

    def location(self, item: str) -> str:
        return reverse(item)


class NetworkSitemap(SiteSitemap):
    """Public networks' profiles."""

    changefreq = "weekly"

    def items(self):
        from networks.models import Network

        return Network.objects.public().only("slug").order_by("pk")  # no change date kept: no lastmod


def sitemap_xml(urls: list[dict]) -> str:
    """The urlset of Django's sitemap.xml template for ``urls`` (Sitemap.get_urls), written directly: the template
    engine took a second for a file of 1,000 objects in two languages with their alternates."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    ]
    for url in urls:
        out.append(f"<url><loc>{html_escape(url['location'])}</loc>")
        lastmod = url.get("lastmod")
        if lastmod:
            day = timezone.localtime(lastmod).date() if isinstance(lastmod, datetime) else lastmod
            out.append(f"<lastmod>{day.isoformat()}</lastmod>")
        if url.get("changefreq"):
            out.append(f"<changefreq>{html_escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            out.append(f"<priority>{html_escape(url['priority'])}</priority>")
        for alternate in url.get("alternates", ()):
            out.append(
                f'<xhtml:link rel="alternate" hreflang="{html_escape(alternate["lang_code"])}" '
                f'href="{html_escape(alternate["location"])}"/>'
            )
        out.append("</url>")
    out.append("</urlset>\n")
    return "".join(out)


def register_sitemap(section: str, sitemap_class: type) -> None:
    SITEMAPS[section] = sitemap_class


_discovered = False


def autodiscover() -> None:
    """Import ``<app>.seo`` of every installed app once: their pages and sitemaps register themselves."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("seo")


# networks' own public page shapes (a network's profile only when the network is public; its space never).
STATIC_PAGES = [  # public pages without an object (their sitemap section); apps add theirs
    "networks:home",
    "networks:network-list",
    "networks:imprint",
    "networks:privacy",
    "networks:accessibility",
    "networks:easy-read",
]
register_page("networks:home")
register_page("networks:network-list", identity=("page",), description=lambda context: NETWORK_LIST_DESCRIPTION)
register_page("networks:imprint", description=lambda context: _("Imprint of the Klimanetz portal."))
register_page("networks:privacy", description=lambda context: _("How the Klimanetz portal handles personal data."))
register_page(
    "networks:accessibility",
    description=lambda context: _("Accessibility statement of the Klimanetz portal: state, known gaps, feedback."),
)
register_page(
    "networks:easy-read", description=lambda context: _("Klimanetz in easy language: what this portal is for.")
)
register_page(
    "networks:network-detail",
    when=lambda context: context["network"].is_public,
    description=lambda context: context["network"].description,
)
register_sitemap("pages", PagesSitemap)
register_sitemap("networks", NetworkSitemap)
