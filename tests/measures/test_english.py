"""English pages (issue 16 §5): English dates ("31 Dec 2028", config/formats/en) and an English summary per
measure where the editors wrote one, otherwise a clear note that the content is German."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

from tests.measures.factories import MeasureFactory, RoadmapFactory


@pytest.fixture
def measure(db):
    roadmap = RoadmapFactory(slug="kreis-dueren")
    return MeasureFactory(
        roadmap=roadmap,
        slug="waermeplanung",
        title="Kommunale Wärmeplanung",
        summary="Ein Wärmeplan für alle Gemeinden.",
        end=date(2028, 12, 31),
        start=date(2025, 1, 1),
    )


def _english(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_english_formats_are_british_and_german_stay():
    with translation.override("en"):
        assert formats.date_format(date(2028, 12, 31)) == "31 Dec 2028"
        assert formats.date_format(date(2028, 12, 31), "SHORT_DATE_FORMAT") == "31 Dec 2028"
        assert formats.date_format(datetime(2028, 12, 31, 14, 30), "DATETIME_FORMAT") == "31 Dec 2028, 14:30"
    with translation.override("de"):
        assert formats.date_format(date(2028, 12, 31), "SHORT_DATE_FORMAT") == "31.12.2028"
        assert formats.date_format(date(2028, 12, 31)) == "31. Dezember 2028"


def test_english_measure_list_shows_english_dates(client, measure):
    page = client.get(_english("measures:measure-list", "kreis-dueren")).content.decode()
    assert ">31 Dec 2028</time>" in page and "12/31/2028" not in page and "Dec. 31" not in page
    assert "The measures are described in German" in page


def test_english_page_without_english_summary_says_the_content_is_german(client, measure):
    page = client.get(_english("measures:measure", "kreis-dueren", "waermeplanung")).content.decode()
    assert "The content of this measure is in German" in page
    assert '<p class="lead" lang="de">Ein Wärmeplan für alle Gemeinden.</p>' in page


def test_english_page_shows_the_english_summary(client, measure):
    measure.summary_en = "A heat plan for every municipality."
    measure.save()
    page = client.get(_english("measures:measure", "kreis-dueren", "waermeplanung")).content.decode()
    assert '<p class="lead" lang="en">A heat plan for every municipality.</p>' in page
    assert "Ein Wärmeplan für alle Gemeinden." not in page
    assert "The rest of this page is in German" in page
    listing = client.get(_english("measures:measure-list", "kreis-dueren")).content.decode()
    assert "A heat plan for every municipality." in listing


def test_german_page_shows_the_german_summary_without_a_note(client, measure):
    measure.summary_en = "A heat plan for every municipality."
    measure.save()
    page = client.get(measure.get_absolute_url()).content.decode()
    assert '<p class="lead">Ein Wärmeplan für alle Gemeinden.</p>' in page
    assert "A heat plan" not in page and "content-language-note" not in page


def test_editor_form_has_the_english_summary(client, personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    roadmap = RoadmapFactory(organisation=organisation)
    personas.login(client, "editor")
    page = client.get(reverse("measures:measure-create", args=[roadmap.slug])).content.decode()
    assert 'name="summary_en"' in page and "Zusammenfassung auf Englisch" in page
