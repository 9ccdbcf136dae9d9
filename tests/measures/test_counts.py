"""The one rule for numbers and grammar on the overview cards (issue 16 §5, measures.templatetags.counts)."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from measures.models import Measure
from measures.selectors import Progress
from measures.templatetags.counts import completed_of, measure_count, progress_sentence
from tests.measures.factories import MeasureFactory, RoadmapFactory


@pytest.mark.parametrize(
    ("completed", "counted", "german", "english"),
    [
        (1, 5, "1 von 5 Maßnahmen ist abgeschlossen", "1 of 5 measures is completed"),
        (3, 25, "3 von 25 Maßnahmen sind abgeschlossen", "3 of 25 measures are completed"),
        (0, 5, "0 von 5 Maßnahmen sind abgeschlossen", "0 of 5 measures are completed"),
        (1, 1, "1 von 1 Maßnahme ist abgeschlossen", "1 of 1 measure is completed"),
        (0, 1, "0 von 1 Maßnahme ist abgeschlossen", "0 of 1 measure is completed"),
    ],
)
def test_completed_of_agrees_noun_with_the_total_and_verb_with_the_part(completed, counted, german, english):
    with translation.override("de"):
        assert completed_of(completed, counted) == german
    with translation.override("en"):
        assert completed_of(completed, counted) == english


@pytest.mark.parametrize(("count", "german"), [(1, "1 Maßnahme"), (26, "26 Maßnahmen"), (0, "0 Maßnahmen")])
def test_measure_count(count, german):
    with translation.override("de"):
        assert measure_count(count) == german


def test_progress_sentence_lets_each_part_agree():
    progress = Progress(completed=1, in_progress=1, not_started=3)
    with translation.override("de"):
        assert progress_sentence(progress) == (
            "1 von 5 Maßnahmen ist abgeschlossen, 1 ist in Umsetzung und 3 haben noch nicht begonnen."
        )


def test_every_card_uses_the_rule(client, db):
    """The roadmap cards (list and home page) and the roadmap page say it by the same tags."""
    roadmap = RoadmapFactory()
    MeasureFactory(roadmap=roadmap, status=Measure.Status.COMPLETED)
    MeasureFactory.create_batch(4, roadmap=roadmap, status=Measure.Status.PLANNED)
    cards = client.get(reverse("measures:roadmap-list")).content.decode()
    assert "5 Maßnahmen" in cards and "1 von 5 Maßnahmen ist abgeschlossen (20 %)" in cards
    page = client.get(roadmap.get_absolute_url()).content.decode()
    assert "1 von 5 Maßnahmen ist abgeschlossen, 0 sind in Umsetzung und 4 haben noch nicht begonnen." in page
    rendered = Template("{% load counts %}{% measure_count n %}").render(Context({"n": 1}))
    assert rendered == "1 Maßnahme"
