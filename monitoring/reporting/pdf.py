"""The report as PDF: the HTML document typeset by WeasyPrint with static/css/report.css (@page rules)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from monitoring.reporting.html import render_document

STYLESHEET = "css/report.css"
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per page and pass in the worker log


@cache
def _stylesheet():
    from weasyprint import CSS

    path = finders.find(STYLESHEET) or str(Path(settings.STATIC_ROOT) / STYLESHEET)
    return CSS(filename=path)


def _no_fetch(url: str, *args, **kwargs):
    """The document needs nothing from outside: images are inline SVG, the stylesheet is passed in."""
    raise ValueError(f"report PDFs load no resources ({url})")


def render_pdf(snapshot: dict) -> bytes:
    from weasyprint import HTML

    html = render_document(snapshot, for_pdf=True)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetch)
    return document.write_pdf(stylesheets=[_stylesheet()])
