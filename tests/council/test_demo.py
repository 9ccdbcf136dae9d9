"""The council demo: Kreis Düren's example council information system, loaded with the demo portal, never read."""

from __future__ import annotations

import pytest
from django.utils import translation

from measures.council import demo
from measures.council.models import CouncilConsultation, CouncilEndpoint, CouncilLink, CouncilPaper
from measures.council.tasks import endpoints_sync_all
from measures.models import Measure


@pytest.fixture
def loaded(demo_once, settings, db) -> str:
    settings.MEDIA_ROOT = demo_once.media
    return demo_once.output


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (CouncilEndpoint, CouncilPaper, CouncilConsultation, CouncilLink))


def test_the_demo_links_dueren_measures_to_example_papers_twice_is_once(loaded):
    assert "Council (OParl, example data)" in loaded
    first = _counts()
    assert first == (1, len(demo.PAPERS), 6, len(demo.LINKS))
    demo.load()
    assert _counts() == first
    endpoint = CouncilEndpoint.objects.get()
    assert endpoint.is_demo and endpoint.organisation.slug == "kreis-dueren"
    assert endpoints_sync_all() == 0  # example data is never fetched


def test_the_balkon_pv_page_shows_the_kreistag_decision(loaded, client):
    measure = Measure.objects.get(roadmap__slug=demo.ROADMAP, code="PH-01")
    with translation.override("de"):
        page = client.get(measure.get_absolute_url())
    text = " ".join(page.content.decode().split())
    assert "Beschlossen am 27.03.2025 im Kreistag, " in text and ">Drucksache 2025/0412</a>" in text
    assert "Beispieldaten" in text
