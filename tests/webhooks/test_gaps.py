"""Issue 18 §2's gaps: the import's measures, withdrawn measures and a series' occurrences send their events."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Visibility
from measures import importing
from measures.importing import read_table
from measures.services.roadmap import measure_save
from networks.webhooks.models import Delivery
from tests.events.factories import EventSeriesFactory
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks import factories as f
from tests.webhooks.factories import endpoint_of

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.org/klimanetz"  # never contacted: these tests read the rows
HEADER = ["code", "title", "sector", "published"]


def bodies(kind: str | None = None) -> list[dict]:
    rows = Delivery.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return [json.loads(row.body) for row in rows]


def table(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return read_table("m.csv", buffer.getvalue().encode("utf-8"))


def imported(roadmap, rows, header=HEADER):
    preview = importing.run(roadmap=roadmap, table=table(rows, header), by=None)
    assert preview.ok, [row.errors for row in preview.rows if row.errors]
    return preview


# --- 1. The import ------------------------------------------------------------------------------------------


def test_the_import_sends_created_changed_and_withdrawn_per_measure(roadmap):
    endpoint_of(roadmap.organisation, URL)
    MeasureFactory(roadmap=roadmap, code="A-1", title="Alt", sector="mobility")
    MeasureFactory(roadmap=roadmap, code="A-2", title="Bleibt", sector="mobility")
    MeasureFactory(roadmap=roadmap, code="A-3", title="Geht", sector="mobility")
    MeasureFactory(roadmap=roadmap, code="A-4", title="Entwurf", sector="mobility", published=False)
    imported(
        roadmap,
        [
            ["A-1", "Neu betitelt", "mobility", "ja"],  # changed
            ["A-2", "Bleibt", "mobility", "ja"],  # unchanged: nothing
            ["A-3", "Geht", "mobility", "nein"],  # unpublished: withdrawn
            ["A-4", "Entwurf geändert", "mobility", "nein"],  # never public: nothing
            ["N-1", "Neue Maßnahme", "energy_supply", "ja"],  # created
            ["N-2", "Neuer Entwurf", "energy_supply", "nein"],  # created, not public: nothing
        ],
    )
    (created,) = bodies("measure.created")
    assert created["data"]["measure"]["code"] == "N-1"
    (changed,) = bodies("measure.changed")
    assert changed["data"]["measure"]["code"] == "A-1" and changed["data"]["changed_fields"] == ["title"]
    (withdrawn,) = bodies("measure.withdrawn")
    assert withdrawn["data"]["measure"]["code"] == "A-3" and "title" not in json.dumps(withdrawn["data"])
    assert Delivery.objects.count() == 3


def test_the_import_writes_nothing_to_other_owners_or_unsubscribed_endpoints(roadmap):
    endpoint_of(roadmap.organisation, URL, kinds=["measure.changed"])
    endpoint_of(f.OrganisationFactory(), URL)  # another organisation's
    imported(roadmap, [["N-1", "Neue Maßnahme", "energy_supply", "ja"]])
    assert not Delivery.objects.exists()


def test_the_import_rolls_its_deliveries_back_with_it(roadmap, monkeypatch):
    endpoint_of(roadmap.organisation, URL)

    def broken(**kwargs):
        raise RuntimeError("late failure")

    monkeypatch.setattr(importing.services, "measure_mark_late", lambda **kw: 0)
    original = importing.webhooks.measures_imported

    def then_fail(**kwargs):
        original(**kwargs)
        broken()

    monkeypatch.setattr(importing.webhooks, "measures_imported", then_fail)
    with pytest.raises(RuntimeError):
        importing.run(roadmap=roadmap, table=table([["N-1", "Neue Maßnahme", "energy_supply", "ja"]]), by=None)
    assert not Delivery.objects.exists() and not roadmap.measures.exists()


def test_the_import_sends_in_a_bounded_number_of_queries(roadmap):
    endpoint_of(roadmap.organisation, URL)
    endpoint_of(roadmap.organisation, URL + "/zwei")

    def count(n: int) -> int:
        here = RoadmapFactory(organisation=roadmap.organisation)
        MeasureFactory(roadmap=here, code="A-000", title="Alt", sector="mobility")
        rows = [["A-000", "Neu", "mobility", "ja"]] + [
            [f"N-{i:03d}", f"Neu {i}", "energy_supply", "ja"] for i in range(n)
        ]
        before = Delivery.objects.count()
        with CaptureQueriesContext(connection) as queries:
            imported(here, rows)
        assert Delivery.objects.count() - before == 2 * (n + 1)  # each event to both endpoints
        return len(queries)

    assert count(2) == count(30)


# --- 2. Withdrawn -------------------------------------------------------------------------------------------


def test_unpublishing_a_measure_sends_withdrawn_without_its_content(roadmap):
    endpoint_of(roadmap.organisation, URL)
    measure = measure_save(measure=MeasureFactory.build(roadmap=roadmap, code="M-1", title="Geheimer Titel"))
    Delivery.objects.all().delete()
    measure.published = False
    measure_save(measure=measure)
    (body,) = bodies()
    assert body["type"] == "measure.withdrawn"
    assert body["data"]["measure"] == {"id": measure.pk, "code": "M-1", "slug": measure.slug, "roadmap": roadmap.slug}
    assert body["data"]["withdrawn_at"] and "Geheimer" not in json.dumps(body)


def test_saving_a_measure_that_was_never_published_sends_nothing(roadmap):
    endpoint_of(roadmap.organisation, URL)
    measure = measure_save(measure=MeasureFactory.build(roadmap=roadmap, published=False))
    measure.title = "Anders"
    measure_save(measure=measure)
    assert not Delivery.objects.exists()


def test_unpublishing_a_roadmap_withdraws_its_published_measures(roadmap):
    endpoint_of(roadmap.organisation, URL)
    shown = MeasureFactory(roadmap=roadmap, code="M-1")
    MeasureFactory(roadmap=roadmap, code="M-2", published=False)
    roadmap.title = "Nur umbenannt"
    roadmap.save()
    assert not Delivery.objects.exists()  # still published: nothing to withdraw
    roadmap.published = False
    roadmap.save()
    (body,) = bodies("measure.withdrawn")
    assert body["data"]["measure"]["id"] == shown.pk
    roadmap.save()
    assert Delivery.objects.count() == 1  # saved again while unpublished: nothing new


# --- 3. A series' occurrences -------------------------------------------------------------------------------


def _series_of(network, visibility, **extra):
    from events.services.series import series_create

    series = EventSeriesFactory.build(network=network, visibility=visibility, **extra)
    return series_create(series=series, by=None)


def test_a_public_series_sends_event_created_for_each_occurrence(personas):
    endpoint_of(personas.network, URL)
    series = _series_of(personas.network, Visibility.PUBLIC)
    occurrences = list(series.occurrences.order_by("starts_at"))
    sent = bodies("event.created")
    assert len(occurrences) > 5 and len(sent) == len(occurrences)
    assert [b["data"]["event"]["uid"] for b in sent] == [str(e.uid) for e in occurrences]
    assert "meet.example.org" not in json.dumps(sent)  # the online link is for participants only
    from events.services.series import series_materialise

    series_materialise(series)  # again: nothing new, nothing sent
    assert len(bodies("event.created")) == len(occurrences)


def test_a_series_for_the_network_only_sends_nothing(personas):
    endpoint_of(personas.network, URL)
    _series_of(personas.network, Visibility.NETWORK)
    assert not Delivery.objects.exists()


def test_a_series_sends_in_a_bounded_number_of_queries(personas):
    endpoint_of(personas.network, URL)

    def count(interval: int) -> int:
        before = Delivery.objects.count()
        with CaptureQueriesContext(connection) as queries:
            series = _series_of(personas.network, Visibility.PUBLIC, interval=interval, title=f"Reihe {interval}")
        assert Delivery.objects.count() - before == series.occurrences.count()
        return len(queries)

    assert count(8) == count(1)  # about 4 against about 27 occurrences


# --- 4. The roadmap page links the DCAT catalogue (the open-data section, beside its files) ------------------


@pytest.mark.parametrize(
    ("language", "text"), [("de", "Im Datenkatalog (DCAT-AP.de)"), ("en", "In the data catalogue")]
)
def test_the_roadmap_page_links_the_data_catalogue(client, roadmap, language, text):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        page = client.get(roadmap.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        catalogue = reverse("opendata:catalogue")
    section = page[page.index('id="open-data"') :]
    assert f'<a href="{catalogue}">{text}' in section
