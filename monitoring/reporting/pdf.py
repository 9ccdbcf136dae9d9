"""The report as PDF: the HTML document typeset by WeasyPrint with static/css/report.css (@page rules)."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from monitoring.reporting.html import render_document

STYLESHEET = "css/report.css"
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per page and pass in the worker log

# WeasyPrint's user-agent stylesheet gives every element a ::marker and five footnote and note pseudo-elements
# (rules on the universal selector); each of them gets a computed style of its own, though a report has no
# footnotes and markers only on list items. Without those rules a report of 1,000 measures and 50 indicators
# needs 330 MB instead of 510 MB and is typeset 10 % faster, to the same bytes.
UNIVERSAL_PSEUDO_ELEMENTS = re.compile(r"^::(?:footnote|note)-[\w-]+ \{[^}]*\}$", re.MULTILINE)


@cache
def _stylesheet():
    from weasyprint import CSS

    path = finders.find(STYLESHEET) or str(Path(settings.STATIC_ROOT) / STYLESHEET)
    return CSS(filename=path)


def lean_user_agent_css() -> str:
    from weasyprint.html import UA

    return UNIVERSAL_PSEUDO_ELEMENTS.sub("", UA.replace("\n::marker {", "\nli::marker, summary::marker {", 1))


@cache
def _user_agent_stylesheet():
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    # its @counter-style rules are in the documents' counter styles already (weasyprint.html.UA_COUNTER_STYLE)
    return CSS(string=lean_user_agent_css(), counter_style=CounterStyle())


@cache
def _document_class():
    from weasyprint import HTML

    class ReportHTML(HTML):
        """WeasyPrint's HTML with the leaner user-agent stylesheet (the hook WeasyPrint's own tests use)."""

        def _ua_stylesheets(self, forms=False):
            return [_user_agent_stylesheet()]

    return ReportHTML


def _no_fetch(url: str, *args, **kwargs):
    """The document needs nothing from outside: images are inline SVG, the stylesheet is passed in."""
    raise ValueError(f"report PDFs load no resources ({url})")


def render_pdf(snapshot: dict) -> bytes:
    html = render_document(snapshot, for_pdf=True)
    document = _document_class()(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetch)
    return document.write_pdf(stylesheets=[_stylesheet()])
