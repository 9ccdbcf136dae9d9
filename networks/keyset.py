"""Reading many rows a page at a time, in primary-key order (keyset pagination).

``.iterator()`` streams only through a server-side cursor; behind PgBouncer in transaction mode those are off
(config/settings.py, DATABASE_POOLER=pgbouncer), and then ``.iterator()`` reads the whole result into memory at
once: a million search entries, 200,000 measures. ``pages`` keeps one page in memory on every database and every
pooler, and each page is its own short query (no cursor held open across transactions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet


def pages(queryset: QuerySet, size: int, *, pk_of: Callable[[Any], Any] = attrgetter("pk")) -> Iterator[list]:
    """The rows of ``queryset`` in lists of at most ``size``, ordered by primary key. Rows of ``values_list`` say
    where their primary key is: ``pk_of=itemgetter(0)`` with ``"pk"`` first. One row per primary key (no join
    that repeats a row), or a page boundary would skip the repeats."""
    queryset, last = queryset.order_by("pk"), None
    while True:
        page = list((queryset if last is None else queryset.filter(pk__gt=last))[:size])
        if page:
            yield page
        if len(page) < size:
            return
        last = pk_of(page[-1])
