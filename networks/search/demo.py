"""Demo of networks.search: index everything the other demos made (load_demo runs this room last)."""

from __future__ import annotations

import time

from networks.search import registry


def load(*, stdout=None) -> None:
    started = time.monotonic()
    total = registry.reindex()  # idempotent: entries are replaced, stale ones dropped
    if stdout is not None:
        stdout.write(f"Search: {total} items indexed in {time.monotonic() - started:.1f} s")
