"""The search a viewer runs: parse, filter by their scopes, count per facet, one page of hits.

A constant number of queries, whatever the index holds: the viewer's scopes (1, once per request; none when they
are in the cache: networks.search.selectors), the search itself with its counts per kind and network and the page
with its snippets (1, networks.search.backends; on PostgreSQL one more before it for a query of several words with a
prefix word, its lexemes), the names of the facets' networks (1). None of the last three when the same search by
viewers of the same scopes is in the cache (networks.search.answers): a repeated search runs no query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from networks.search import answers, registry
from networks.search import text as search_text
from networks.search.backends import CAP, PAGE_SIZE, Filters
from networks.search.selectors import NetworkName, viewer_scopes

MAX_PAGE = CAP // PAGE_SIZE  # deeper pages are not offered; narrow the search instead
ORDERS = ("relevance", "date")


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title_html: SafeString
    snippet_html: SafeString
    url: str
    date: object
    network: NetworkName | None


@dataclass(frozen=True)
class Facet:
    value: str  # the kind or the network id, as in the query string
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    query: search_text.Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # hits with the chosen kind and network (at most CAP)
    more: bool = False  # more than CAP items match: the newest CAP are counted and ranked
    kinds: list[Facet] = field(default_factory=list)
    networks: list[Facet] = field(default_factory=list)
    page: int = 1
    pages: int = 0
    order: str = "relevance"

    @property
    def cap(self) -> int:
        return CAP

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def localised(url: str, language: str) -> str:
    """The stored (German) address in ``language``: resolved as German, reversed in the viewer's language."""
    if language == settings.LANGUAGE_CODE:
        return url
    parts = urlsplit(url)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(parts.path)
        with translation.override(language):
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return url
    return urlunsplit(parts._replace(path=path))


def search(user, q: str, *, kind: str = "", network: str = "", order: str = "relevance", page: int = 1) -> SearchPage:
    """Everything ``user`` may see that matches ``q``; unknown filters and pages are read as none / the nearest."""
    query = search_text.parse(q)
    order = order if order in ORDERS else "relevance"
    result = SearchPage(query=query, order=order)
    if not query:
        return result
    kind = kind if registry.get(kind) else ""
    network_id = int(network) if network.isdigit() and len(network) < 12 else None
    scopes = viewer_scopes(user)
    page = min(max(page, 1), MAX_PAGE)
    filters = Filters(scopes=scopes, kind=kind or None, network_id=network_id)
    answer = answers.answer(query, filters, order=order, offset=(page - 1) * PAGE_SIZE)
    by_kind: dict[str, int] = {}
    by_network: dict[int, int] = {}
    candidates = 0
    for row_kind, row_network, n in answer.facets:
        candidates += n
        if registry.get(row_kind) is None:
            continue  # entries of a source no longer registered
        if network_id is None or row_network == network_id:
            by_kind[row_kind] = by_kind.get(row_kind, 0) + n
        if row_network is not None and (not kind or row_kind == kind):
            by_network[row_network] = by_network.get(row_network, 0) + n
    result.total = answer.total
    result.more = candidates >= CAP or answer.total >= CAP

    result.pages = min(math.ceil(result.total / PAGE_SIZE), MAX_PAGE)
    result.page = min(page, max(result.pages, 1))
    names = answer.networks

    result.kinds = [
        Facet(value=s.kind, label=str(s.label), count=by_kind[s.kind], selected=s.kind == kind)
        for s in registry.sources()
        if by_kind.get(s.kind)
    ]
    result.networks = sorted(
        (
            Facet(value=str(pk), label=names[pk].label, count=n, selected=pk == network_id)
            for pk, n in by_network.items()
            if pk in names
        ),
        key=lambda f: (-f.count, f.label),
    )
    rows = answer.rows
    if result.page != page and result.total:  # a page past the end (an old link): the last page instead
        rows = answers.answer(query, filters, order=order, offset=(result.page - 1) * PAGE_SIZE).rows
    language = get_language()
    labels: dict[str, str] = {}  # each kind's label translated once
    for row in rows:
        source = registry.get(row.kind)
        if source is None:
            continue
        if row.kind not in labels:
            labels[row.kind] = str(source.label)
        result.hits.append(
            Hit(
                kind=row.kind,
                kind_label=labels[row.kind],
                object_id=row.object_id,
                title_html=mark_safe(row.title_html),  # noqa: S308 # nosec B308 B703 (escaped: backends._rows)
                snippet_html=mark_safe(row.snippet_html),  # noqa: S308 # nosec B308 B703 (escaped: backends._rows)
                url=localised(row.url, language),
                date=row.date,
                network=names.get(row.network_id),
            )
        )
    return result
