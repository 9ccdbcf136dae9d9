"""The one Markdown renderer: Markdown to sanitised HTML, bounded, with a profile per use.

Text is rendered once, when its row is saved (``MarkdownHTMLField``), and pages serve the stored HTML.
The parser is pulldown-cmark (CommonMark with tables, through pyromark), which parses in linear time;
nh3 then keeps only the profile's tags. What a text may hold is bounded, so that any accepted text
renders in a few milliseconds: its length, how many tags and character references its HTML has (the
sanitiser's work) and how deeply they nest (a deep nesting makes an HTML parser quadratic). ``check``
says why a text is refused (forms call it through ``MarkdownValidator``); ``render`` never refuses:
a text beyond the bounds (typed in before they existed) is shown as escaped plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from itertools import accumulate

import nh3
import pyromark
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import linebreaks
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from networks import keyset

MAX_DEPTH = 20  # nested elements: lists in lists, quotations, table cells, emphasis, links
URL_SCHEMES = frozenset({"http", "https", "mailto"})
INLINE = frozenset({"p", "br", "strong", "em", "del", "a", "code"})
BLOCKS = INLINE | {"ul", "ol", "li", "blockquote", "pre"}
DOCUMENT = BLOCKS | {"h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr"}
VOID = frozenset({"br", "hr", "img", "input", "wbr", "area", "base", "col", "embed", "link", "meta", "source"})


@dataclass(frozen=True)
class Profile:
    """What one use of Markdown allows and how its HTML sits in the page."""

    name: str
    max_length: int  # characters of Markdown
    max_markup: int  # tags and character references in the HTML (the sanitiser's work)
    tags: frozenset[str]
    heading_shift: int | None = 0  # "# Title" becomes h(1 + shift), under the page's own headings; None: a <p>
    line_breaks: bool = False  # a new line in the text is a new line on the page (not CommonMark's space)
    link_rel: str = "noopener noreferrer"


PROFILES = {
    profile.name: profile
    for profile in (
        # The minutes sit under the event page's h1 and a section h2: "# Title" becomes h3.
        Profile("minutes", max_length=100_000, max_markup=12_000, tags=DOCUMENT, heading_shift=2),
        # An event's description, under the page's h1 and its section's h2.
        Profile("description", max_length=20_000, max_markup=6_000, tags=DOCUMENT, heading_shift=2, line_breaks=True),
        # An office-hour answer, under the question's h3.
        Profile("answer", max_length=10_000, max_markup=4_000, tags=DOCUMENT, heading_shift=3, line_breaks=True),
        # A network's announcement (page and email), under its subject's h1 and its section's h2: "# Title" is h3.
        Profile("announcement", max_length=20_000, max_markup=6_000, tags=DOCUMENT, heading_shift=2, line_breaks=True),
        # A post in a network's discussion (also a reply by email): under the thread's h1, longer than a comment
        # (replies quote and explain), headings and tables allowed, links marked as user content.
        Profile(
            "discussion",
            max_length=20_000,
            max_markup=8_000,
            tags=DOCUMENT,
            heading_shift=1,
            line_breaks=True,
            link_rel="nofollow ugc noopener noreferrer",
        ),
        # A citizen's proposal or comment: no headings or tables, links marked as user content.
        Profile(
            "post",
            max_length=4_000,
            max_markup=8_000,
            tags=BLOCKS,
            heading_shift=None,
            line_breaks=True,
            link_rel="nofollow ugc noopener noreferrer",
        ),
    )
}

_PARSER = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH)
# The start of every tag but the void ones (which close nothing): "" for an opening tag, "/" for a closing one.
_TAG = re.compile(rf"<(/?)(?!(?:{'|'.join(sorted(VOID))})\b)[a-zA-Z]", re.IGNORECASE)
_STEP = {"": 1, "/": -1}.__getitem__


class TooComplex(ValueError):
    """The text is beyond its profile's bounds; ``args[0]`` is a ValidationError saying which."""


def _profile(profile: Profile | str) -> Profile:
    return PROFILES[profile] if isinstance(profile, str) else profile


def _depth(html: str) -> int:
    """How deeply the HTML's elements nest (raw tags included; a stray closing tag closes nothing)."""
    tags = _TAG.findall(html)
    levels = list(accumulate(map(_STEP, tags)))  # C speed: the parser's own HTML closes what it opens
    if not levels or min(levels) >= 0:
        return max(levels, default=0)
    depth = deepest = 0  # a raw closing tag without its opening one: count the slow way
    for slash in tags:
        depth = max(depth - 1, 0) if slash else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _parse(text: str, profile: Profile) -> str:
    """The parser's HTML of an accepted text, not yet sanitised; TooComplex beyond the bounds."""
    if len(text) > profile.max_length:
        raise TooComplex(
            ValidationError(
                _("The text has %(length)s characters; at most %(limit)s are possible."),
                code="markdown_length",
                params={"length": number_format(len(text), force_grouping=True), "limit": _n(profile.max_length)},
            )
        )
    if profile.line_breaks:
        text = text.replace("\r\n", "\n").replace("\n", "  \n")  # a hard break at the end of every line
    html = _PARSER.html(text)
    if html.count("<") + html.count("&") > profile.max_markup:
        raise TooComplex(
            ValidationError(
                _(
                    "The text has too much formatting to show it quickly: at most %(limit)s list items, table "
                    "cells, emphases, links and special characters such as < and & together."
                ),
                code="markdown_markup",
                params={"limit": _n(profile.max_markup // 2)},
            )
        )
    if _depth(html) > MAX_DEPTH:
        raise TooComplex(
            ValidationError(
                _("Lists, quotations and emphases are nested too deeply: at most %(limit)s levels are possible."),
                code="markdown_depth",
                params={"limit": MAX_DEPTH},
            )
        )
    return html


def _n(number: int) -> str:
    return number_format(number, force_grouping=True)


def _shift_headings(html: str, shift: int | None) -> str:
    """h1 to h(1 + shift), ...; from h6 down, so that no heading moves twice. No shift: headings are paragraphs."""
    for level in range(6, 0, -1) if shift != 0 else ():
        to = "p" if shift is None else f"h{min(level + shift, 6)}"
        html = html.replace(f"<h{level}>", f"<{to}>").replace(f"</h{level}>", f"</{to}>")
    return html


def check(text: str, *, profile: Profile | str) -> None:
    """Raise the ValidationError that says why ``text`` is beyond the profile's bounds, if it is."""
    try:
        _parse(text or "", _profile(profile))
    except TooComplex as error:
        raise error.args[0] from None


def render(text: str, *, profile: Profile | str) -> str:
    """Markdown to HTML that keeps only the profile's tags (no scripts, styles, images or unsafe links)."""
    profile = _profile(profile)
    if not text:
        return ""
    try:
        html = _shift_headings(_parse(text, profile), profile.heading_shift)
    except TooComplex:
        return linebreaks(text, autoescape=True)  # escaped, linear: beyond the bounds is plain text
    return nh3.clean(
        html,
        tags=set(profile.tags),
        attributes={"a": {"href", "title"}},
        url_schemes=set(URL_SCHEMES),
        link_rel=profile.link_rel,
    )


# --- @mentions ----------------------------------------------------------------------------------------------------

_MENTION_SKIP = frozenset({"code", "pre", "a", "blockquote"})  # where a mention does not count (channel.mentions)
_HTML_PART = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")


def mark_mentions(html: str, names) -> str:
    """Sanitised HTML with each "@Name" of ``names`` (the people a text mentions, resolved by the caller against who
    may be mentioned) wrapped in ``<span class="mention">``; not inside code, links and quotations. Linear in the
    HTML; the names and the text around them are escaped again here, so nothing unsanitised gets in."""
    names = sorted({" ".join(str(name).split()) for name in names if name and str(name).strip()}, key=len, reverse=True)
    if not names or "@" not in html:
        return html
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split(" "))) for name in names)
    pattern = re.compile(rf"(?<![\w@.])@(?:{alternatives})(?![\w-])", re.IGNORECASE)
    out, skipped = [], 0
    for part in _HTML_PART.split(html):
        if part.startswith("<"):
            tag = _TAG_NAME.match(part)
            if tag and tag.group(2).lower() in _MENTION_SKIP and not part.endswith("/>"):
                skipped = max(skipped - 1, 0) if tag.group(1) else skipped + 1
            out.append(part)
            continue
        if skipped or "@" not in part:
            out.append(part)
            continue
        text, pieces, last = unescape(part), [], 0
        for match in pattern.finditer(text):
            pieces += [escape(text[last : match.start()], quote=False), _MENTION.format(escape(match.group(0)))]
            last = match.end()
        out.append("".join([*pieces, escape(text[last:], quote=False)]) if pieces else part)
    return "".join(out)


_MENTION = '<span class="mention">{}</span>'


def plain_start(html: str, *, length: int = 1_000) -> str:
    """The text of the first ``length`` characters of stored HTML (an excerpt for lists; bounded work per item)."""
    head = html[:length]
    for opening, closing in (("<", ">"), ("&", ";")):  # no tag or character reference cut in two
        if head.rfind(opening) > head.rfind(closing):
            head = head[: head.rfind(opening)]
    return unescape(strip_tags(head))


@deconstructible
class MarkdownValidator:
    """A form field's check of a Markdown text against its profile's bounds (its length: the field's max_length)."""

    def __init__(self, profile: str):
        self.profile = profile

    def __call__(self, value: str) -> None:
        if len(value) <= PROFILES[self.profile].max_length:  # a longer text is the field's max_length error
            check(value, profile=self.profile)

    def __eq__(self, other) -> bool:
        return isinstance(other, MarkdownValidator) and other.profile == self.profile


class MarkdownHTMLField(models.TextField):
    """The sanitised HTML of the Markdown field ``source``, rendered whenever the row is saved.

    Like ``auto_now``, it is computed in ``pre_save``: every ``save()`` and ``bulk_create`` (forms, services,
    the admin, series occurrences, factories) stores the HTML of the text it stores. A ``save(update_fields=...)``
    that names the source names this column too; ``QuerySet.update`` of the source is not allowed.
    """

    def __init__(self, *args, source: str, profile: str, **kwargs):
        self.source, self.profile = source, profile
        super().__init__(*args, **{**kwargs, "editable": False, "blank": True, "default": ""})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("editable", "blank", "default"):
            del kwargs[key]
        return name, path, args, {**kwargs, "source": self.source, "profile": self.profile}

    def pre_save(self, model_instance, add: bool) -> str:
        html = render(getattr(model_instance, self.source), profile=self.profile)
        # A model whose texts mention people (channel's Post) says whom: their "@Name" is marked (mark_mentions).
        mentioned = getattr(model_instance, "mentioned_names", None)
        if html and mentioned is not None:
            html = mark_mentions(html, mentioned())
        setattr(model_instance, self.attname, html)
        return html


def render_stored(model, *, batch: int = 200) -> None:
    """Store the HTML of every row's Markdown, by the ``MarkdownHTMLField``\\ s ``model`` has (a data migration's
    step: ``model`` is then the migration's historical model, which carries the fields as they were)."""
    fields = [field for field in model._meta.concrete_fields if isinstance(field, MarkdownHTMLField)]
    rows = model._default_manager.only("pk", *(field.source for field in fields))
    for page in keyset.pages(rows, batch):  # one page in memory, also behind PgBouncer (no server-side cursor)
        for row in page:
            for field in fields:
                field.pre_save(row, add=False)
        model._default_manager.bulk_update(page, [field.attname for field in fields])
