"""Search answers kept in the cache: a repeated search is one cache read instead of the full-text statement.

A search's answer (the counts per kind and network, the total, one page of rows with their marked snippets)
depends on the words, the filters, the page, the order, the scopes the viewer holds, and the index entries of
those scopes; never on who the viewer is beyond their scopes, nor on the language (addresses are translated
after, networks.search.query). So it is kept (networks.cache.remembered) under a key made of exactly these
and checked against the versions of the viewer's scopes, ``search:<scope>``:

- every index write (networks.search.index) bumps the versions of the scopes of each entry it writes or
  removes, the scopes it had before and the ones it has now, and ``search:*`` (staff see every entry): an item
  that changes, appears or disappears is seen by the next search of everyone who may see it, old answers are
  never served again;
- a viewer whose roles change holds another set of scopes, so another key: an answer is only ever served to
  viewers with the very scopes it was computed for, and it holds only entries of those scopes (the leak test,
  tests/search/test_no_leaks.py, runs with this cache on);
- the answer holds the names of its facets' networks too (so a repeated search runs no query at all), under the
  version of ``NAMES_SCOPE``, which every network saved bumps (networks.apps).

Entries live at most ``SECONDS``; a bump lost while the cache was unreachable is bounded by that.
"""

from __future__ import annotations

import dataclasses
import hashlib

from networks import cache as page_cache
from networks.search.backends import Answer, Filters, backend
from networks.search.selectors import ALL, network_names

SECONDS = 600
PREFIX = "search"
NAMES_SCOPE = "search-network-names"
FORMAT = 2  # of the cached Answer: a deploy that changes its fields changes it, so no old entry is read as new


def _version_scope(scope: str) -> str:
    return f"{PREFIX}:{scope}"


def answer(query, filters: Filters, *, order: str, offset: int) -> Answer:
    """The backend's answer for this search, from the cache when the viewer's scopes are unchanged since."""
    engine = backend()
    held = sorted(filters.scopes)
    identity = repr((engine.vendor, query, held, filters.kind, filters.network_id, order, offset))
    key = f"{PREFIX}:answer:{FORMAT}:{hashlib.sha256(identity.encode()).hexdigest()}"
    return page_cache.remembered(
        key,
        [NAMES_SCOPE, *(_version_scope(scope) for scope in held)],
        lambda: _named(engine.run(query, filters, order=order, offset=offset)),
        seconds=SECONDS,
    )


def _named(found: Answer) -> Answer:
    """The answer with the names of the networks its facets count (one query; the page's rows are among them)."""
    return dataclasses.replace(found, networks=network_names({network for _, network, _ in found.facets}))


def changed(scope_lists) -> None:
    """Entries with these scopes (space-separated, as stored) were written or removed: answers that may hold
    them are not served again, now and once the transaction commits."""
    if not page_cache.enabled():
        return
    names = {_version_scope(ALL)}
    for scopes in scope_lists:
        names.update(_version_scope(scope) for scope in (scopes or "").split())
    page_cache.bump_now_and_on_commit(sorted(names))
