"""Report pages: who may ask for, read, download, retry and publish a report; the yearly-report settings.

The personas, the editor's roadmap and its finished report are built once for the module (``world``), in a
transaction rolled back at its end; each test runs in a savepoint inside it.
"""

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Roadmap
from monitoring.models import Report, ReportSchedule
from monitoring.services import reports as service
from tests.conftest import Personas, build_personas, built_once
from tests.helpers import assert_flat, de, messages_of
from tests.measures.factories import RoadmapFactory
from tests.monitoring.conftest import fresh
from tests.monitoring.factories import ReportFactory
from tests.monitoring.test_reports import Data, report_data
from tests.networks.factories import NetworkFactory, OrganisationFactory

Status = Report.Status
EVERYONE = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
MANAGERS = {"editor", "staff"}


@dataclass
class World:
    personas: Personas
    data: Data
    report: Report  # finished, unpublished, of the editor's published roadmap, with all four files
    media: Path


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, "klimanetz-monitoring-") as media:
        personas = build_personas(
            NetworkFactory(name="Klima.Taten.Team Westpfalz", short_name="KTT", slug="ktt"),
            NetworkFactory(name="Netzwerk Köln/Bonn", short_name="NKK", slug="nkk"),
        )
        data = report_data(personas.people["editor"].organisation_roles.get().organisation)
        report = ReportFactory(roadmap=data.roadmap, requested_by=data.person)
        assert service.report_build(report.pk) == "done"
        yield World(personas, data, Report.objects.get(pk=report.pk), media)


@pytest.fixture
def personas(world, db, settings) -> Personas:
    settings.MEDIA_ROOT = world.media
    return world.personas


@pytest.fixture
def data(world, personas) -> Data:
    return Data(*(fresh(getattr(world.data, f.name)) for f in fields(Data)))


@pytest.fixture
def organisation(data):
    return data.organisation


@pytest.fixture
def report(world, data) -> Report:
    return fresh(world.report)


def create_url(**subject) -> str:
    key, value = next(iter(subject.items()))
    return reverse("monitoring:report-create") + f"?{key}={value}"


# --- Asking for a report ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 403),
        ("editor", 200),
        ("staff", 200),
    ],
)
def test_create_for_a_roadmap_permissions(client, personas, data, persona, status):
    personas.login(client, persona)
    assert client.get(create_url(roadmap=data.roadmap.slug)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("other_network", 404),
        ("member", 404),
        ("coordinator", 404),
        ("editor", 200),
        ("staff", 200),
    ],
)
def test_create_for_an_unpublished_roadmap_is_hidden_from_outsiders(client, personas, data, persona, status):
    Roadmap.objects.filter(pk=data.roadmap.pk).update(published=False)
    personas.login(client, persona)
    assert client.get(create_url(roadmap=data.roadmap.slug)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 200),
        ("editor", 403),
        ("staff", 200),
    ],
)
def test_create_for_a_network_permissions(client, personas, persona, status):
    personas.login(client, persona)
    assert client.get(create_url(network=personas.network.slug)).status_code == status


@pytest.mark.parametrize("persona", ["citizen", "member", "coordinator", "other_network"])
def test_create_for_an_organisation_only_its_editors(client, personas, organisation, persona):
    personas.login(client, persona)
    assert client.get(create_url(organisation=organisation.slug)).status_code == 403
    personas.login(client, "editor")
    assert client.get(create_url(organisation=organisation.slug)).status_code == 200


def test_create_form_defaults_to_last_year(client, personas, data):
    personas.login(client, "editor")
    response = client.get(create_url(roadmap=data.roadmap.slug))
    year = timezone.localdate().year - 1
    form = response.context["form"]
    assert form["period_start"].value() == date(year, 1, 1)
    assert form["period_end"].value() == date(year, 12, 31)
    assert form["title"].value() == de(
        "Monitoring report %(subject)s %(year)s", subject=data.organisation.name, year=year
    )


def test_create_queues_and_builds_and_redirects(client, personas, data, django_capture_on_commit_callbacks, html_only):
    personas.login(client, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create_url(roadmap=data.roadmap.slug),
            {"period_start": "2025-01-01", "period_end": "2025-12-31", "title": "Bericht für den Kreistag"},
        )
    report = Report.objects.get(title="Bericht für den Kreistag")
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert (report.title, report.roadmap, report.requested_by) == (
        "Bericht für den Kreistag",
        data.roadmap,
        personas.people["editor"],
    )
    assert report.status == Status.DONE, report.error


@pytest.mark.parametrize(
    ("query", "status"), [("", 200), ("?roadmap=gibt-es-nicht", 404), ("?roadmap=a&network=b", 400)]
)
def test_create_without_a_clear_subject(client, personas, query, status):
    personas.login(client, "editor")
    assert client.get(reverse("monitoring:report-create") + query).status_code == status


def _choices(response) -> list[str]:
    from tests.announcements.html import page as parse

    return [a["href"].split("?", 1)[1] for a in parse(response.content).select("main a[href*='/berichte/neu/?']")]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("citizen", []),
        ("member", []),
        ("other_network", []),
        ("coordinator", ["network=ktt"]),
        ("editor", ["organisation=<org>", "roadmap=<roadmap>"]),
    ],
)
def test_without_a_subject_the_page_offers_what_the_person_may_report_on(client, personas, data, persona, expected):
    """/berichte/neu/ alone: not a plain-text 400 but a styled page to choose (or why there is nothing to choose)."""
    personas.login(client, persona)
    response = client.get(reverse("monitoring:report-create"))
    assert response.status_code == 200 and b"<main" in response.content
    org, roadmap = data.roadmap.organisation.slug, data.roadmap.slug
    wanted = [e.replace("<org>", org).replace("<roadmap>", roadmap) for e in expected]
    if persona == "coordinator":
        wanted = [f"network={personas.network.slug}"]
    assert sorted(_choices(response)) == sorted(wanted)
    if not expected:
        assert de("To your overview").encode() in response.content


def test_without_a_subject_staff_may_choose_every_network(client, personas, data):
    from tests.helpers import login_with_second_factor

    login_with_second_factor(client, personas.people["staff"].user)
    response = client.get(reverse("monitoring:report-create"))
    assert {f"network={personas.network.slug}", f"network={personas.other.slug}"} <= set(_choices(response))


def test_without_a_subject_anonymous_is_sent_to_log_in(client, personas):
    response = client.get(reverse("monitoring:report-create"))
    assert response.status_code == 302 and "/login/" in response.url


def test_two_subjects_answer_a_styled_400_with_the_reason_and_the_choice(client, personas):
    personas.login(client, "editor")
    response = client.get(reverse("monitoring:report-create") + "?roadmap=a&network=b")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert b'class="form-errors"' in response.content and b"<main" in response.content


def test_the_choice_keeps_its_queries_as_roles_grow(client, personas, django_assert_num_queries):
    from tests.networks import factories as f

    editor = personas.people["editor"]

    def grow(n):
        for _ in range(n):
            organisation = f.OrganisationRoleFactory(person=editor).organisation
            RoadmapFactory(organisation=organisation)
            f.NetworkRoleFactory(person=editor, role="coordinator")

    personas.login(client, "editor")
    client.get(reverse("monitoring:report-create"))  # the session's first request reads more (person, language)
    # the user, the coordinated networks, the edited organisations, their roadmaps (prefetch)
    assert_flat(client, reverse("monitoring:report-create"), grow, django_assert_num_queries, 4)


@pytest.mark.parametrize(
    "period",
    [
        {"period_start": "2025-12-31", "period_end": "2025-01-01"},
        {"period_start": "31.12.", "period_end": ""},
        {"period_start": "2099-01-01", "period_end": "2099-12-31"},
    ],
)
def test_create_with_a_bad_period_shows_errors_and_writes_nothing(client, personas, data, period):
    personas.login(client, "editor")
    before = Report.objects.count()
    response = client.post(create_url(roadmap=data.roadmap.slug), period)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Report.objects.count() == before


# --- Reading and downloading --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_unpublished_report_only_for_its_managers(client, personas, report, persona):
    personas.login(client, persona)
    expected = 200 if persona in MANAGERS else 404
    assert client.get(report.get_absolute_url()).status_code == expected
    assert client.get(reverse("monitoring:report-status", args=[report.pk])).status_code == expected
    for fmt in Report.FORMATS:
        assert client.get(reverse("monitoring:report-download", args=[report.pk, fmt])).status_code == expected


@pytest.mark.parametrize("persona", EVERYONE)
def test_published_report_of_a_published_roadmap_is_public(client, personas, report, persona):
    Report.objects.filter(pk=report.pk).update(published=True, published_at=timezone.now())
    personas.login(client, persona)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_manage"] is (persona in MANAGERS)
    assert (b"veroeffentlichen" in response.content) is (persona in MANAGERS)  # the publish form
    assert client.get(reverse("monitoring:report-download", args=[report.pk, "pdf"])).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "member", "coordinator"])
def test_published_report_of_an_unpublished_roadmap_stays_hidden(client, personas, report, persona):
    Report.objects.filter(pk=report.pk).update(published=True)
    report.roadmap.published = False
    report.roadmap.save(update_fields=["published"])
    personas.login(client, persona)
    assert client.get(report.get_absolute_url()).status_code == 404


def test_downloads_have_types_and_names(client, personas, report):
    personas.login(client, "editor")
    name = f"monitoringbericht-{report.roadmap.organisation.slug}-2025"
    expected = {
        "pdf": ("application/pdf", "attachment"),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment"),
        "csv": ("text/csv; charset=utf-8", "attachment"),
        "html": ("text/html; charset=utf-8", "inline"),
    }
    for fmt, (content_type, disposition) in expected.items():
        response = client.get(reverse("monitoring:report-download", args=[report.pk, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        header = response["Content-Disposition"]
        assert header.startswith(disposition), header
        assert f"{name}.{fmt}" in header or f"monitoring-report-{report.roadmap.organisation.slug}-2025.{fmt}" in header
        assert (
            b"".join(response.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04", b"\xef\xbb\xbf" + b"Ab"[:1], b"<!do")
            or fmt == "csv"
        )


@pytest.mark.parametrize("fmt", ["docx", "exe", "PDF", "pdf.exe"])
def test_unknown_download_format_is_404(client, personas, report, fmt):
    personas.login(client, "editor")
    assert client.get(reverse("monitoring:report-download", args=[report.pk, fmt])).status_code == 404


def test_no_download_before_the_report_is_done(client, personas, data):
    queued = ReportFactory(roadmap=data.roadmap)
    personas.login(client, "editor")
    assert client.get(reverse("monitoring:report-download", args=[queued.pk, "pdf"])).status_code == 404


def test_another_organisations_report_is_404_and_unchanged(client, personas, data):
    stranger = report_data(OrganisationFactory(name="Stadt Anderswo", slug="stadt-anderswo"))
    other = ReportFactory(roadmap=stranger.roadmap, status=Status.FAILED, error="kaputt")
    personas.login(client, "editor")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("monitoring:report-download", args=[other.pk, "pdf"])).status_code == 404
    assert client.post(reverse("monitoring:report-retry", args=[other.pk])).status_code == 404
    assert client.post(reverse("monitoring:report-publish", args=[other.pk]), {"publish": "1"}).status_code == 404
    other.refresh_from_db()
    assert (other.status, other.published) == (Status.FAILED, False)


def test_running_report_page_shows_progress_without_meta_refresh(client, personas, data):
    running = ReportFactory(roadmap=data.roadmap, status=Status.RUNNING, progress=45, step="PDF wird gesetzt")
    personas.login(client, "editor")
    html = client.get(running.get_absolute_url()).content.decode()
    assert '<progress id="report-progress-bar" max="100" value="45">' in html
    assert 'aria-live="polite"' in html and "PDF wird gesetzt" in html
    assert "report-progress.js" in html
    assert 'http-equiv="refresh"' not in html.lower()
    assert f'href="{running.get_absolute_url()}"' in html  # the refresh link for browsers without JavaScript


def test_status_json(client, personas, data):
    failed = ReportFactory(roadmap=data.roadmap, status=Status.FAILED, error="Der Grund.", progress=75)
    personas.login(client, "editor")
    response = client.get(reverse("monitoring:report-status", args=[failed.pk]))
    assert response.json() == {
        "status": "failed",
        "status_label": de("failed"),
        "progress": 75,
        "step": "",
        "error": "Der Grund.",
        "done": True,
    }
    assert response["Cache-Control"] == "no-store"


# --- Retry and publish --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_retry_permissions(client, personas, data, persona, django_capture_on_commit_callbacks, html_only):
    failed = ReportFactory(roadmap=data.roadmap, status=Status.FAILED, error="Der Grund.")
    personas.login(client, persona)
    page = client.get(failed.get_absolute_url())
    if persona in MANAGERS:
        assert "Der Grund." in page.content.decode()
        assert reverse("monitoring:report-retry", args=[failed.pk]) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:report-retry", args=[failed.pk]))
    failed.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert failed.status == Status.DONE and failed.error == ""
    else:
        assert response.status_code == (302 if persona == "anonymous" else 404)
        assert failed.status == Status.FAILED


def test_retry_of_a_done_report_says_why(client, personas, report):
    personas.login(client, "editor")
    response = client.post(reverse("monitoring:report-retry", args=[report.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [de("Only a failed report can be tried again.")]
    assert Report.objects.get(pk=report.pk).status == Status.DONE


def test_retry_and_publish_need_post(client, personas, report):
    personas.login(client, "editor")
    assert client.get(reverse("monitoring:report-retry", args=[report.pk])).status_code == 405
    assert client.get(reverse("monitoring:report-publish", args=[report.pk])).status_code == 405


@pytest.mark.parametrize("persona", EVERYONE)
def test_publish_permissions(client, personas, report, persona):
    personas.login(client, persona)
    response = client.post(reverse("monitoring:report-publish", args=[report.pk]), {"publish": "1"})
    report.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302 and report.published
    else:
        assert response.status_code == (302 if persona == "anonymous" else 404)
        assert not report.published


@pytest.mark.parametrize("persona", ["citizen", "member", "coordinator", "other_network"])
def test_unpublishing_a_public_report_is_403_for_outsiders(client, personas, report, persona):
    Report.objects.filter(pk=report.pk).update(published=True, published_at=timezone.now())
    personas.login(client, persona)
    assert client.post(reverse("monitoring:report-publish", args=[report.pk]), {"publish": "0"}).status_code == 403
    assert Report.objects.get(pk=report.pk).published


def test_publishing_leaves_draft_measures_private(client, personas, report, data):
    """A roadmap report holds only published measures: publishing it shows no draft, whose page stays 404."""
    personas.login(client, "editor")
    client.post(reverse("monitoring:report-publish", args=[report.pk]), {"publish": "1"})
    assert Report.objects.get(pk=report.pk).published
    client.logout()
    html = b"".join(client.get(reverse("monitoring:report-download", args=[report.pk, "html"])).streaming_content)
    assert "Solaroffensive Kreishaus" in html.decode() and data.hidden.title not in html.decode()
    draft = reverse("measures:measure", args=[data.roadmap.slug, data.hidden.slug])
    assert client.get(draft).status_code == 404
    personas.login(client, "editor")
    response = client.post(reverse("monitoring:report-publish", args=[report.pk]), {"publish": "0"})
    assert messages_of(response)[-1] == de("The report is no longer published.")
    assert not Report.objects.get(pk=report.pk).published


def test_a_report_listing_drafts_cannot_be_published(client, personas, report):
    """A report built before drafts were left out (its frozen data lists one) is refused, with the reason."""
    snapshot = {**report.snapshot, "summary": {**report.snapshot["summary"], "measures_unpublished": 1}}
    Report.objects.filter(pk=report.pk).update(snapshot=snapshot)
    personas.login(client, "editor")
    page = client.get(report.get_absolute_url())
    assert page.context["unpublished_measures"] == 1
    assert reverse("monitoring:report-publish", args=[report.pk]) not in page.content.decode()  # no publish form
    response = client.post(reverse("monitoring:report-publish", args=[report.pk]), {"publish": "1"})
    assert messages_of(response) == [de(str(service.DRAFTS_REFUSAL))]
    assert not Report.objects.get(pk=report.pk).published


def test_a_queued_report_cannot_be_published(client, personas, data):
    queued = ReportFactory(roadmap=data.roadmap)
    personas.login(client, "editor")
    response = client.post(reverse("monitoring:report-publish", args=[queued.pk]), {"publish": "1"})
    assert messages_of(response) == [de("Only a finished report can be published.")]
    assert not Report.objects.get(pk=queued.pk).published


# --- The yearly report --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 403),
        ("editor", 200),
        ("staff", 200),
    ],
)
def test_schedule_permissions(client, personas, data, persona, status):
    personas.login(client, persona)
    url = reverse("monitoring:report-schedule", args=[data.roadmap.slug])
    assert client.get(url).status_code == status
    response = client.post(url, {"enabled": "on", "publish": "on"})
    assert response.status_code == (302 if status == 200 else status)
    assert ReportSchedule.objects.filter(roadmap=data.roadmap).exists() is (status == 200)


def test_schedule_switches_on_and_off(client, personas, data):
    personas.login(client, "editor")
    url = reverse("monitoring:report-schedule", args=[data.roadmap.slug])
    assert client.post(url, {"enabled": "on"}).status_code == 302
    schedule = ReportSchedule.objects.get(roadmap=data.roadmap)
    assert (schedule.enabled, schedule.publish, schedule.requested_by) == (True, False, personas.people["editor"])
    client.post(url, {})
    schedule.refresh_from_db()
    assert (schedule.enabled, schedule.publish) == (False, False)


def test_schedule_of_another_organisations_roadmap_is_403(client, personas, data):
    other = RoadmapFactory()
    personas.login(client, "editor")
    url = reverse("monitoring:report-schedule", args=[other.slug])
    assert client.post(url, {"enabled": "on"}).status_code == 403
    assert not ReportSchedule.objects.exists()


def test_schedule_page_lists_reports_with_flat_queries(client, personas, data, django_assert_num_queries):
    personas.login(client, "editor")
    url = reverse("monitoring:report-schedule", args=[data.roadmap.slug])
    statuses = [Status.DONE, Status.FAILED, Status.RUNNING, Status.QUEUED]

    def grow(n):
        for i in range(n):
            ReportFactory(roadmap=data.roadmap, status=statuses[i % 4], published=False, title=f"Bericht {i}")

    # session and account from the cache (no query); roadmap, editor check (access), schedule, the reports
    assert_flat(client, url, grow, django_assert_num_queries, 4)
