"""What both benchmarks share: a fresh PostgreSQL database for one run, and how figures are printed.

Import it after django.setup() (the benchmark modules set up Django themselves).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def fresh_database(title: str) -> Iterator[bool]:
    """Create ``klimanetz_bench_<pid>`` on the configured PostgreSQL server, migrate it, drop it afterwards.

    Yields False (and prints why) when the database is not PostgreSQL.
    """
    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL, or run `make bench`.", file=sys.stderr)
        yield False
        return
    name = f"klimanetz_bench_{os.getpid()}"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"Klimanetz {title} benchmark on PostgreSQL {version}, fresh database {name}", flush=True)
        yield True
    finally:
        connection.close()
        connection.creation.destroy_test_db(original, verbosity=0)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def ratio(a: float, b: float) -> str:
    """b relative to a: '12.3×', or '1/250' when b is far smaller."""
    if not a:
        return "–"
    if b and b / a < 0.1:
        return f"1/{a / b:,.0f}"
    return f"{b / a:,.1f}×"
