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
from html import unescape
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from networks.language import path_in_language

DESCRIPTION_LIMIT = 160
SITE_DESCRIPTION = _(
    "Klimanetz: municipal climate-protection networks and their climate roadmaps – what is planned, how far it is "
    "and how citizens can take part."
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


@dataclass(frozen=True)
class Page:
    view_name: str
    when: Callable[[dict], bool] | None = None  # per object: the template context -> may it be indexed?
    identity: tuple[str, ...] = ()  # query parameters that make a different page (kept in the canonical URL)


PAGES: dict[str, Page] = {}


def register_page(view_name: str, *, when: Callable[[dict], bool] | None = None, identity: Iterable[str] = ()) -> None:
    """A public page shape: indexed (for the objects ``when`` accepts), canonical keeping ``identity``."""
    PAGES[view_name] = Page(view_name, when, tuple(identity))


def _view_name(request: HttpRequest | None) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def indexable(request: HttpRequest | None, context: dict | None = None) -> bool:
    """May search engines index this page? Only registered public shapes, and only for public objects."""
    autodiscover()
    page = PAGES.get(_view_name(request) or "")
    if page is None:
        return False
    if page.when is None:
        return True
    try:
        return bool(page.when(context or {}))
    except (KeyError, AttributeError, TypeError):  # an object the rule does not know: private
        return False


# Tracking parameters are never part of an address (utm_*, click identifiers of ad networks and mailers).
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "matomo_")
TRACKING = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid"}


def is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING or key.startswith(TRACKING_PREFIXES)


def canonical_path(request: HttpRequest, language: str | None = None) -> str:
    """Path and identity query of the page (in ``language``, by default the page's own)."""
    autodiscover()
    page = PAGES.get(_view_name(request) or "")
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
for _name in ("networks:home", "networks:network-list", "networks:imprint", "networks:privacy"):
    register_page(_name)
for _name in ("networks:accessibility", "networks:easy-read"):
    register_page(_name)
register_page("networks:network-detail", when=lambda context: context["network"].is_public)
