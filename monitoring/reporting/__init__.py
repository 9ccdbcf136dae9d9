"""Monitoring reports as documents: the frozen snapshot (snapshot.py) and its renderings.

Each renderer takes the snapshot (a dict) and returns bytes; none reads the database.
"""

from __future__ import annotations

from collections.abc import Callable


def _html(snapshot: dict) -> bytes:
    from monitoring.reporting.html import render_html

    return render_html(snapshot)


def _pdf(snapshot: dict) -> bytes:
    from monitoring.reporting.pdf import render_pdf

    return render_pdf(snapshot)


def _xlsx(snapshot: dict) -> bytes:
    from monitoring.reporting.xlsx import render_xlsx

    return render_xlsx(snapshot)


def _csv(snapshot: dict) -> bytes:
    from monitoring.reporting.csv import render_csv

    return render_csv(snapshot)


RENDERERS: dict[str, Callable[[dict], bytes]] = {"html": _html, "pdf": _pdf, "xlsx": _xlsx, "csv": _csv}
