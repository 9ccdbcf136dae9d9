"""XSS: every free-text field of the world carries a payload (conftest.poison); the matrix fetches every page for
every persona and finds it never raw. Here: the control that the payload is really on the pages (escaped), the
Markdown minutes, the emails, and that JSON, calendar and CSV outputs keep it as data and do not break."""

from __future__ import annotations

import csv
import io
import json

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from events.models import Registration
from networks.models import OutboxMessage
from tests.security.conftest import PAYLOAD, RAW_MARKERS

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def page(w, persona: str, name: str, **kwargs) -> str:
    client = Client()
    w.login(client, persona)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "name", "kwargs"),
    [
        ("anonymous", "networks:network-detail", lambda w: {"slug": w.network.slug}),
        ("anonymous", "events:event-detail", lambda w: {"slug": w.network.slug, "pk": w.event_public.pk}),
        ("member", "events:event-detail", lambda w: {"slug": w.network.slug, "pk": w.office_hour.pk}),
        ("anonymous", "measures:measure", lambda w: {"slug": w.roadmap.slug, "measure": w.measure.slug}),
        ("anonymous", "measures:roadmap", lambda w: {"slug": w.roadmap.slug}),
        ("anonymous", "measures:proposal", lambda w: {"slug": w.roadmap.slug, "pk": w.proposal.pk}),
        ("editor", "measures:moderation", lambda w: {"slug": w.roadmap.slug}),
        ("anonymous", "monitoring:report", lambda w: {"pk": w.report.pk}),
        ("editor", "monitoring:organisation", lambda w: {"organisation": w.org.slug}),
        ("member", "networks:member-list", lambda w: {"slug": w.network.slug}),
        ("coordinator", "events:participant-list", lambda w: {"slug": w.network.slug, "pk": w.event_public.pk}),
    ],
)
def test_the_payload_is_shown_escaped(w, persona, name, kwargs):
    """The control for the matrix's check: the pages do show the payload, as text."""
    body = page(w, persona, name, **kwargs(w))
    assert ESCAPED in body or ESCAPED.replace("&quot;", "&#x27;") in body or "&lt;script&gt;alert(1)" in body
    for marker in RAW_MARKERS:
        assert marker not in body


def test_minutes_markdown_is_sanitised(w):
    body = page(w, "anonymous", "events:event-detail", slug=w.network.slug, pk=w.event_public.pk)
    assert "&lt;script&gt;alert(1)" in body or "alert(1)" not in body
    assert "javascript:" not in body
    assert "<script>alert" not in body


def test_emails_escape_the_payload(w):
    """The minutes mail went to the participants when the world published the minutes."""
    mails = list(OutboxMessage.objects.exclude(body_html=""))
    assert mails, "the world sends at least the minutes mails"
    for mail in mails:
        for marker in RAW_MARKERS:
            assert marker not in mail.body_html, (mail.occasion, marker)
        assert PAYLOAD.split(">")[0] not in mail.subject or "\n" not in mail.subject


def test_open_data_json_keeps_the_text_as_data(w):
    client = Client()
    response = client.get(reverse("measures:open-data-json", args=[w.roadmap.slug]))
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    text = response.content.decode()
    data = json.loads(text)
    assert PAYLOAD in text.encode().decode("unicode_escape") or PAYLOAD in json.dumps(data, ensure_ascii=False)


def test_report_status_json_parses(w):
    response = Client().get(reverse("monitoring:report-status", args=[w.report.pk]))
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


@pytest.mark.parametrize("feed", ["event", "network", "personal"])
def test_calendars_parse_and_keep_the_title(w, feed):
    if feed == "event":
        url = reverse("events:event-ics", args=[w.network.slug, w.event_public.pk])
    elif feed == "network":
        url = reverse("events:network-feed", args=[w.network.slug])
    else:
        url = reverse("events:personal-feed", args=[w.token])
    response = Client().get(url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert w.event_public.title in summaries
    assert all("\n" not in summary for summary in summaries)


def test_open_data_csv_parses_with_the_text_intact(w):
    response = Client().get(reverse("measures:open-data-csv", args=[w.roadmap.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=_delimiter(response)))
    assert len(rows) >= 2
    assert any(w.measure.title in row for row in rows[1:])


def _delimiter(response) -> str:
    first = response.content.decode("utf-8-sig").split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") else ","


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_participant_csv_neutralises_formulas(w, formula):
    person = w.people["citizen"]
    person.name = formula
    person.save(update_fields=["name"])
    assert Registration.objects.filter(event=w.event_public, person=person).exists()
    client = Client()
    w.login(client, "coordinator")
    response = client.get(reverse("events:participant-csv", args=[w.network.slug, w.event_public.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=_delimiter(response)))
    cells = [cell for row in rows for cell in row]
    assert "'" + formula in cells
    assert formula not in cells


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "@SUM(A1)"])
def test_measure_exports_neutralise_formulas(w, formula):
    measure = w.measure
    measure.title = formula
    measure.save(update_fields=["title"])
    client = Client()
    w.login(client, "editor")
    for url in (
        reverse("measures:open-data-csv", args=[w.roadmap.slug]),
        reverse("measures:measure-export-csv", args=[w.roadmap.slug]),
    ):
        response = client.get(url)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=_delimiter(response)))
        cells = [cell for row in rows for cell in row]
        assert formula not in cells, url
