"""The apps' services write the outbox rows in their own transaction, and only public data leaves the portal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Visibility
from events.services.events import event_cancel, event_create, event_update
from measures.models import Measure
from measures.services.roadmap import measure_bulk_status, measure_save, update_add
from monitoring.models import IndicatorValue, Report
from monitoring.services.indicators import values_save
from monitoring.services.reports import report_publish
from networks.webhooks import services
from networks.webhooks.models import Delivery
from tests.events.factories import EventFactory
from tests.measures.factories import MeasureFactory
from tests.monitoring.factories import IndicatorFactory, ReportFactory
from tests.networks import factories as f
from tests.webhooks.factories import endpoint_of

pytestmark = pytest.mark.django_db

MARKER = "INTERN-7f3a"  # in every field the public must not see
URL = "https://hooks.example.org/klimanetz"  # never contacted: these tests read the rows


@pytest.fixture
def org_hook(roadmap):
    return endpoint_of(roadmap.organisation, URL)


def bodies(kind: str | None = None) -> list[dict]:
    rows = Delivery.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return [json.loads(row.body) for row in rows]


def _secret_measure(roadmap, **extra) -> Measure:
    contact = f.PersonFactory(name=f"Kontakt {MARKER}", user__email=f"kontakt-{MARKER.lower()}@example.org")
    return MeasureFactory.build(
        roadmap=roadmap,
        code="M-1",
        title="Balkon-PV für Mieter*innen",
        internal_note=f"Nur für uns {MARKER}",
        responsible_person=contact,
        cost_estimate=123456,
        funding_programme=f"Geheimes Programm {MARKER}",
        internal_fields=["funding", "cost_estimate"],
        **extra,
    )


def test_a_new_public_measure_sends_its_public_fields_only(org_hook, roadmap):
    measure_save(measure=_secret_measure(roadmap))
    (body,) = bodies("measure.created")
    text = json.dumps(body)
    assert MARKER not in text and MARKER.lower() not in text
    assert "123456" not in text  # marked internal
    data = body["data"]["measure"]
    assert data["title"] == "Balkon-PV für Mieter*innen"
    assert data["cost_estimate_eur"] is None and data["funding_programme"] is None
    assert data["url"] == f"{settings.SITE_URL}/klima-roadmaps/kreis-dueren/massnahmen/m-1/"  # German, absolute
    assert data["organisation"]["slug"] == roadmap.organisation.slug
    assert "responsible_person" not in data and "internal_note" not in data
    assert body["type"] == "measure.created" and body["created_at"]


def test_unpublished_measures_and_roadmaps_send_nothing(org_hook, roadmap):
    measure_save(measure=MeasureFactory.build(roadmap=roadmap, published=False))
    roadmap.published = False
    roadmap.save()
    measure_save(measure=MeasureFactory.build(roadmap=roadmap))
    assert not Delivery.objects.exists()


def test_a_status_change_lists_the_changed_fields_an_internal_note_sends_nothing(org_hook, roadmap):
    measure = measure_save(measure=_secret_measure(roadmap))
    Delivery.objects.all().delete()
    measure.internal_note = f"Neu {MARKER}"
    measure_save(measure=measure)
    assert not Delivery.objects.exists()
    measure.status = Measure.Status.COMPLETED
    measure_save(measure=measure)
    (body,) = bodies("measure.changed")
    assert body["data"]["changed_fields"] == ["status"]
    assert body["data"]["measure"]["status"] == "completed"
    measure_bulk_status(roadmap=roadmap, measure_ids=[measure.pk], status=Measure.Status.PAUSED, by=None)
    assert [b["data"]["measure"]["status"] for b in bodies("measure.changed")] == ["completed", "paused"]


def test_a_public_progress_report_is_sent_an_internal_one_is_not(org_hook, roadmap):
    measure = MeasureFactory(roadmap=roadmap)
    author = f.PersonFactory(name=f"Autorin {MARKER}")
    update_add(measure=measure, text=f"Intern {MARKER}", percent=10, public=False, by=author)
    update_add(measure=measure, text="Die ersten zehn Dächer sind belegt.", percent=40, public=True, by=author)
    (body,) = bodies("measure.progress_reported")
    assert body["data"]["progress_report"]["text"] == "Die ersten zehn Dächer sind belegt."
    assert body["data"]["measure"]["percent_complete"] == 40
    assert MARKER not in json.dumps(body)


def test_only_subscribed_endpoints_of_the_owner_get_rows(roadmap):
    wants = endpoint_of(roadmap.organisation, URL, kinds=["measure.created"])
    endpoint_of(roadmap.organisation, URL, kinds=["report.published"])
    endpoint_of(f.OrganisationFactory(), URL)  # another organisation's
    endpoint_of(roadmap.organisation, URL, status="paused")
    measure_save(measure=MeasureFactory.build(roadmap=roadmap))
    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [wants.pk]


def test_the_rows_roll_back_with_the_change(org_hook, roadmap):
    with pytest.raises(RuntimeError), transaction.atomic():
        measure_save(measure=MeasureFactory.build(roadmap=roadmap))
        assert Delivery.objects.count() == 1
        raise RuntimeError("the save fails after the webhook row was written")
    assert not Delivery.objects.exists()


def test_the_rows_are_queued_after_commit(org_hook, roadmap, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("networks.webhooks.tasks.delivery_send.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        measure_save(measure=MeasureFactory.build(roadmap=roadmap))
        assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [Delivery.objects.get().pk]


def test_no_listener_costs_one_query(roadmap, django_assert_num_queries):
    measure = MeasureFactory(roadmap=roadmap)
    with django_assert_num_queries(1):  # the owner's active endpoints
        services.emit("measure.changed", measure, lambda: pytest.fail("no payload without a listener"), owner_id=1)


def test_indicator_values_of_public_indicators(org_hook, roadmap):
    public = IndicatorFactory(roadmap=roadmap, name="PV-Leistung", public=True)
    hidden = IndicatorFactory(roadmap=roadmap, name=f"Intern {MARKER}", public=False)
    entry = {"kind": IndicatorValue.Kind.MEASURED, "value": 12.5, "source": "MaStR", "note": MARKER, "checked": True}
    values_save(year=2025, entries=[(public, entry), (hidden, entry)], by=None)
    values_save(year=2025, entries=[(public, {**entry, "value": 13})], by=None)  # a change: not "added"
    (body,) = bodies("indicator_value.added")
    assert body["data"]["indicator"]["name"] == "PV-Leistung"
    assert body["data"]["value"] == {"year": 2025, "date": None, "kind": "measured", "value": 12.5}
    assert MARKER not in json.dumps(body)


def test_a_published_report(org_hook, roadmap):
    report = ReportFactory(roadmap=roadmap, status=Report.Status.DONE, title="Monitoringbericht 2025")
    report_publish(report, True)
    report_publish(Report.objects.get(pk=report.pk), True)  # again: nothing new
    (body,) = bodies("report.published")
    assert body["data"]["report"]["title"] == "Monitoringbericht 2025"
    assert body["data"]["report"]["url"].endswith(f"/berichte/{report.pk}/")
    assert "requested_by" not in json.dumps(body)


def test_public_events_created_changed_cancelled(personas):
    network = personas.network
    endpoint_of(network, URL)
    event = EventFactory.build(network=network, visibility=Visibility.PUBLIC, title="Klimafrühstück")
    event_create(event=event, by=None)
    event.title, event.starts_at = "Klimafrühstück Düren", event.starts_at + timedelta(hours=1)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event_update(event=event, changed=["title", "starts_at", "ends_at", "online_url"], by=None)
    event_update(event=event, changed=["online_url"], by=None)  # participants only: nothing to tell
    event_cancel(event=event, reason="Krankheit", by=None)
    created, changed, cancelled = bodies()
    assert [created["type"], changed["type"], cancelled["type"]] == [
        "event.created",
        "event.changed",
        "event.cancelled",
    ]
    assert changed["data"]["changed_fields"] == ["ends_at", "starts_at", "title"]
    assert cancelled["data"]["event"]["status"] == "cancelled"
    assert cancelled["data"]["event"]["ical"].endswith(f"/{event.pk}/termin.ics")
    assert "meet.example.org" not in json.dumps([created, changed, cancelled])  # the online link stays inside


def test_internal_events_send_nothing_until_they_become_public(personas):
    network = personas.network
    endpoint_of(network, URL)
    event = event_create(event=EventFactory.build(network=network, visibility=Visibility.NETWORK), by=None)
    event_update(event=event, changed=["title"], by=None)
    assert not Delivery.objects.exists()
    event.visibility = Visibility.PUBLIC
    event_update(event=event, changed=["visibility"], by=None)
    assert [b["type"] for b in bodies()] == ["event.created"]


def test_emit_rejects_unknown_kinds(roadmap):
    with pytest.raises(ValueError, match="unknown"):
        services.emit("measure.deleted", None, {}, owner_id=roadmap.organisation_id, now=timezone.now())
