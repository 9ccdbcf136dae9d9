"""The <head> of every page (templates/base.html): ``{% seo_context as seo %}``, ``{% seo_block "name" %}`` and
the ``seo_describe`` filter. See networks.seo for the rules."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.templatetags.static import static
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from networks import seo

register = template.Library()

DEFAULT_IMAGE = "img/og-default.png"


@register.simple_tag(takes_context=True)
def seo_context(context) -> dict:
    """What base.html's <head> needs: canonical URL, language twins, indexable, locales, defaults."""
    request = context.get("request")
    language = get_language() or settings.LANGUAGE_CODE
    return {
        **seo.head(request, context.flatten()),
        "canonical": seo.canonical_url(request) if request is not None else seo.absolute("/"),
        "alternates": seo.alternates(request) if request is not None else [],
        "locale": seo.locale_of(language),
        "locale_alternates": [seo.locale_of(code) for code, _name in settings.LANGUAGES if code != language],
        "default_image": seo.absolute(static(DEFAULT_IMAGE)),
    }


@register.simple_tag(takes_context=True)
def seo_block(context, name: str) -> str:
    """The content of block ``name`` as the page filled it (one line): the description once written, used for
    meta description, og:description and twitter:description alike."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context is not None else None
    if block is None:
        return ""
    text = " ".join(block.render(context).split())  # the rendered block: escaped by its template
    return mark_safe(text)  # noqa: S308  # nosec B703 B308


@register.filter
def seo_describe(value, limit: int = seo.DESCRIPTION_LIMIT) -> str:
    """``{{ measure.summary|seo_describe }}``: plain text, at most 160 characters, escaped by the template."""
    return seo.describe(str(value) if value is not None else "", int(limit))


@register.simple_tag
def seo_absolute(path: str) -> str:
    return conditional_escape(seo.absolute(str(path)))
