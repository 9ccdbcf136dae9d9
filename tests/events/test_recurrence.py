"""A series' rule in words (issue 14 §4): "every second Thursday, 10:00–11:00", German
"jeden zweiten Donnerstag, 10:00–11:00 Uhr", for every shape the series form produces."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import EventSeries
from events.recurrence import describe_series
from tests.events.factories import EventFactory, EventSeriesFactory

W, M = EventSeries.Frequency.WEEKLY, EventSeries.Frequency.MONTHLY
THU, MON = EventSeries.Weekday.THURSDAY, EventSeries.Weekday.MONDAY


@pytest.mark.parametrize(
    ("frequency", "interval", "weekday", "ordinal", "english", "german"),
    [
        (W, 1, THU, None, "every Thursday, 10:00–11:00", "jeden Donnerstag, 10:00–11:00 Uhr"),
        (W, 2, THU, None, "every second Thursday, 10:00–11:00", "jeden zweiten Donnerstag, 10:00–11:00 Uhr"),
        (W, 3, MON, None, "every third Monday, 10:00–11:00", "jeden dritten Montag, 10:00–11:00 Uhr"),
        (W, 12, MON, None, "every twelfth Monday, 10:00–11:00", "jeden zwölften Montag, 10:00–11:00 Uhr"),
        (
            M,
            1,
            THU,
            1,
            "on the first Thursday of every month, 10:00–11:00",
            "jeden ersten Donnerstag im Monat, 10:00–11:00 Uhr",
        ),
        (
            M,
            1,
            MON,
            -1,
            "on the last Monday of every month, 10:00–11:00",
            "jeden letzten Montag im Monat, 10:00–11:00 Uhr",
        ),
        (
            M,
            2,
            THU,
            3,
            "on the third Thursday of every second month, 10:00–11:00",
            "am dritten Donnerstag jedes zweiten Monats, 10:00–11:00 Uhr",
        ),
    ],
)
def test_every_shape_in_both_languages(frequency, interval, weekday, ordinal, english, german):
    series = EventSeries(
        frequency=frequency,
        interval=interval,
        weekday=weekday,
        ordinal=ordinal,
        start_time=time(10),
        end_time=time(11),
    )
    with translation.override("en"):
        assert describe_series(series) == english
    with translation.override("de"):
        assert describe_series(series) == german
    assert series.describe() == german  # the model's one way to say it


def test_series_page_and_its_dates_show_the_rule_in_words(client, personas):
    series = EventSeriesFactory(
        network=personas.network, weekday=THU, interval=2, start_time=time(10), end_time=time(11)
    )
    event = EventFactory(network=personas.network, series=series)
    personas.login(client, "coordinator")
    page = client.get(reverse("events:series-detail", args=[personas.network.slug, series.pk])).text
    assert "jeden zweiten Donnerstag, 10:00–11:00 Uhr" in page
    assert "FREQ=" not in page and "BYDAY" not in page
    assert "jeden zweiten Donnerstag, 10:00–11:00 Uhr" in client.get(event.get_absolute_url()).text
    with translation.override("en"):
        english = client.get(reverse("events:series-detail", args=[personas.network.slug, series.pk])).text
    assert "every second Thursday, 10:00–11:00" in english


def test_series_dates_fold_into_labelled_rows_on_a_phone(client, personas):
    """The dates table is a responsive one (each cell labelled): at 390 px the page scrolled sideways (455 px)."""
    series = EventSeriesFactory(network=personas.network, weekday=THU, interval=1)
    EventFactory(network=personas.network, series=series)
    personas.login(client, "coordinator")
    page = client.get(reverse("events:series-detail", args=[personas.network.slug, series.pk])).text
    assert '<table class="responsive">' in page
    for label in ("Datum", "Uhrzeit", "Anmeldungen", "Status"):
        assert f'data-label="{label}"' in page
