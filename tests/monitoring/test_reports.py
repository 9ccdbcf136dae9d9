"""Reports: the build (claim, snapshot, four renderings, progress), the freeze, failure and retry, the watchdog,
the yearly schedule and publishing; the PDF, XLSX and CSV read back.

The reports the tests read are built once for the module (``built``), in a transaction rolled back at its end;
a test that changes data or needs a build of its own works in its savepoint and builds what it needs.
"""

import csv
import io
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import Registration
from measures.models import Measure, Sector
from monitoring import tasks
from monitoring.models import BiskoSector, IndicatorValue, Report, ReportSchedule, Stage
from monitoring.reporting import RENDERERS
from monitoring.reporting.snapshot import build_snapshot
from monitoring.services import reports as service
from tests.conftest import built_once
from tests.events.factories import EventFactory, RegistrationFactory
from tests.helpers import de
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.monitoring.conftest import fresh
from tests.monitoring.factories import (
    ClimateStrategyFactory,
    EmissionBalanceFactory,
    EmissionPathFactory,
    HeatPlanningFactory,
    HeatPlanningStepFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.networks.factories import MembershipFactory, NetworkFactory, OrganisationFactory, PersonFactory

Status = Report.Status
START, END = date(2025, 1, 1), date(2025, 12, 31)


@dataclass
class Data:
    organisation: object
    roadmap: object
    measure: object
    hidden: object
    indicator: object
    network: object
    person: object


def report_data(organisation=None, *, roadmap_published: bool = True) -> Data:
    """A roadmap of a county with measures (one unpublished, internal bits everywhere), an indicator with values
    before and after 2025, a balance and path, heat planning, and a network meeting of 2025 it attended."""
    organisation = organisation or OrganisationFactory(name="Kreis Düren", slug="kreis-dueren", kind="county")
    organisation.population = 265_000
    organisation.save(update_fields=["population"])
    roadmap = RoadmapFactory(
        organisation=organisation,
        slug=organisation.slug,
        title=f"Klima-Roadmap {organisation.name}",
        published=roadmap_published,
    )
    measure = MeasureFactory(
        roadmap=roadmap,
        code="EV-01",
        title="Solaroffensive Kreishaus",
        sector=Sector.ENERGY_SUPPLY,
        status=Measure.Status.IN_PROGRESS,
        effect_expected=1234.5,
        internal_note="GEHEIMNOTIZ Haushaltssperre",
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    MeasureUpdateFactory(measure=measure, percent=40, date=date(2025, 5, 1), public=True)
    MeasureUpdateFactory(measure=measure, percent=93, date=date(2025, 6, 1), public=False, text="INTERNER SACHSTAND")
    MeasureFactory(
        roadmap=roadmap,
        code="MO-01",
        title="Radschnellweg Düren–Jülich",
        sector=Sector.MOBILITY,
        status=Measure.Status.COMPLETED,
    )
    hidden = MeasureFactory(
        roadmap=roadmap,
        code="VW-01",
        title="Contracting Schulzentrum",
        sector=Sector.ADMINISTRATION,
        status=Measure.Status.PLANNED,
        published=False,
        effect_expected=777.7,
        internal_fields=["effect"],
    )
    indicator = IndicatorFactory(roadmap=roadmap, name="Installierte PV-Leistung", unit="MWp")
    IndicatorValueFactory(indicator=indicator, year=2023, value=1000)
    IndicatorValueFactory(indicator=indicator, year=2025, value="1234.5")
    IndicatorValueFactory(indicator=indicator, year=2026, value=9876)  # after the period: left out
    IndicatorValueFactory(indicator=indicator, year=2030, value=5000, kind=IndicatorValue.Kind.TARGET)
    EmissionBalanceFactory(organisation=organisation, year=2024, sector=BiskoSector.HOUSEHOLDS, emissions=420_000)
    EmissionBalanceFactory(organisation=organisation, year=2024, sector=BiskoSector.TRANSPORT, emissions=380_000)
    EmissionPathFactory(organisation=organisation, baseline_year=2019, baseline_emissions=1_000_000, target_year=2035)
    planning = HeatPlanningFactory(organisation=organisation, stage=Stage.POTENTIAL, office="Planungsbüro Wärme GmbH")
    HeatPlanningStepFactory(planning=planning, stage=Stage.OFFICE_COMMISSIONED, reached_on=date(2024, 9, 1))
    ClimateStrategyFactory(organisation=organisation, neutrality_year=2035)
    network = NetworkFactory(name=f"Klimanetzwerk {organisation.name}", slug=f"netz-{organisation.slug}")
    MembershipFactory(network=network, organisation=organisation, since=date(2020, 1, 1))
    person = PersonFactory(name="Dana Düren", organisation=organisation)
    meeting = EventFactory(
        network=network,
        title="Netzwerktreffen Wärmeplanung",
        starts_at=timezone.make_aware(datetime(2025, 1, 30, 10)),
        ends_at=timezone.make_aware(datetime(2025, 1, 30, 12)),
    )
    RegistrationFactory(event=meeting, person=person, status=Registration.Status.ATTENDED)
    return Data(organisation, roadmap, measure, hidden, indicator, network, person)


def request(data: Data, django_capture_on_commit_callbacks, **kwargs) -> Report:
    """Request a roadmap report of 2025; the build task runs on commit (eagerly, as Celery is in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        report = service.report_request(
            person=data.person,
            scope=Report.Scope.ROADMAP,
            subject=data.roadmap,
            period_start=START,
            period_end=END,
            **kwargs,
        )
    report.refresh_from_db()
    return report


def build(data: Data, scope: str = Report.Scope.ROADMAP, subject=None, **kwargs) -> Report:
    """A report of 2025 requested and built at once (in a transaction that never commits, the task is not sent)."""
    report = service.report_request(
        person=kwargs.pop("person", data.person),
        scope=scope,
        subject=subject or data.roadmap,
        period_start=START,
        period_end=END,
        **kwargs,
    )
    assert service.report_build(report.pk) == "done", Report.objects.get(pk=report.pk).error
    return Report.objects.get(pk=report.pk)


def pdf_text(report: Report) -> str:
    """The PDF's text with every run of white space as one space (table cells wrap)."""
    with report.pdf_file.open("rb") as f:
        return " ".join(" ".join(page.extract_text() for page in PdfReader(f).pages).split())


def html_text(report: Report) -> str:
    with report.html_file.open("rb") as f:
        return f.read().decode()


@dataclass
class Built:
    data: Data
    media: Path
    report: Report  # the roadmap's report of 2025 in German
    english: Report
    organisation: Report
    network: Report


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, "klimanetz-monitoring-") as media:
        data = report_data()
        yield Built(
            data,
            media,
            report=build(data),
            english=build(data, language="en"),
            organisation=build(data, Report.Scope.ORGANISATION, data.organisation, person=None),
            network=build(data, Report.Scope.NETWORK, data.network, person=None),
        )


@pytest.fixture
def data(built, db, settings) -> Data:
    settings.MEDIA_ROOT = built.media
    return Data(*(fresh(getattr(built.data, f.name)) for f in fields(Data)))


@pytest.fixture
def report(built, data) -> Report:
    return fresh(built.report)


# --- The build ----------------------------------------------------------------------------------------------


def test_request_builds_all_four_files(report):
    assert report.status == Status.DONE, report.error
    assert (report.progress, report.step, report.attempts) == (100, "", 1)
    assert report.started_at and report.finished_at and report.finished_at >= report.started_at
    for field in ("html_file", "pdf_file", "xlsx_file", "csv_file"):
        assert getattr(report, field).name, field
    assert report.pdf_file.name.endswith("monitoringbericht-kreis-dueren-2025.pdf") or report.pdf_file.name.endswith(
        "monitoring-report-kreis-dueren-2025.pdf"
    )
    assert report.title == de("Monitoring report %(subject)s %(year)s", subject="Kreis Düren", year=2025)


def test_request_is_queued_and_sent_only_after_commit(data, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = service.report_request(
            person=data.person, scope="roadmap", subject=data.roadmap, period_start=START, period_end=END
        )
    assert sent == [] and callbacks
    assert Report.objects.get(pk=report.pk).status == Status.QUEUED
    for callback in callbacks:  # the task, and whatever else waits for the commit (the page cache's versions)
        callback()
    assert sent == [report.pk]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2025, 12, 31), date(2025, 1, 1), "period_end"),
        (date(2010, 1, 1), date(2025, 12, 31), "period_start"),
        (date(2099, 1, 1), date(2099, 12, 31), "period_start"),
    ],
)
def test_request_refuses_bad_periods(data, start, end, field):
    before = Report.objects.count()
    with pytest.raises(ValidationError) as error:
        service.report_request(person=None, scope="roadmap", subject=data.roadmap, period_start=start, period_end=end)
    assert field in error.value.message_dict
    assert Report.objects.count() == before


def test_request_refuses_a_subject_of_another_scope(data):
    before = Report.objects.count()
    with pytest.raises(ValidationError):
        service.report_request(person=None, scope="network", subject=data.roadmap, period_start=START, period_end=END)
    assert Report.objects.count() == before


def test_snapshot_content_and_what_stays_out(report):
    s = report.snapshot
    assert s["summary"]["measures"] == 2  # the draft VW-01 stays out of a roadmap report (it can be published)
    assert s["summary"]["measures_unpublished"] == 0
    measures = {m["code"]: m for sector in s["sectors"] for m in sector["measures"]}
    assert set(measures) == {"EV-01", "MO-01"}
    assert measures["EV-01"]["percent"] == 40  # the internal 93 % never counts
    assert measures["EV-01"]["effect_expected"] == 1234.5
    assert s["summary"]["expected_reduction"] == 1234.5
    [indicator] = s["indicators"]
    assert (indicator["latest_year"], indicator["latest_value"]) == (2025, 1234.5)  # 2026 is after the period
    assert "2026" not in indicator["chart"]["labels"] or None in indicator["chart"]["series"][0]["values"]
    assert s["emissions"]["latest_total"] == 800_000
    assert s["heat_planning"]["rows"][0]["stage"] == Stage.POTENTIAL
    [network] = s["activity"]["networks"]
    assert (network["meetings"], network["attended"], network["participants"]) == (1, 1, 1)
    text = str(s)
    assert "GEHEIMNOTIZ" not in text and "INTERNER SACHSTAND" not in text and "777.7" not in text


def test_pdf_reads_well_in_german(report):
    text = pdf_text(report)
    assert report.title in text
    assert "Solaroffensive Kreishaus" in text
    assert "1.234,5" in text  # the indicator's 2025 value (and the expected reduction) in German format
    assert "30.01.2025" in text  # the network meeting
    assert "1.000" in text  # grouped thousands
    assert "GEHEIMNOTIZ" not in text and "INTERNER SACHSTAND" not in text
    reader = PdfReader(report.pdf_file.open("rb"))
    pages = len(reader.pages)
    assert pages >= 4  # title page, contents, sections each on a new page
    assert f"2 / {pages}" in reader.pages[1].extract_text()  # the page number in the footer
    assert f"1 / {pages}" not in reader.pages[0].extract_text()  # none on the title page


def test_pdf_is_typeset_with_the_lean_user_agent_stylesheet(report, monkeypatch):
    """Without WeasyPrint's universal ::marker and footnote rules (monitoring.reporting.pdf): the hook is still
    the one WeasyPrint asks, and the list markers of the contents are still drawn."""
    from monitoring.reporting import pdf

    asked = []
    original = pdf._document_class()._ua_stylesheets
    monkeypatch.setattr(
        pdf._document_class(), "_ua_stylesheets", lambda self, forms=False: asked.append(1) or original(self)
    )
    typeset = RENDERERS["pdf"](report.snapshot)
    assert asked  # a renamed hook in a newer WeasyPrint would silently bring the 180 MB back
    lean = pdf.lean_user_agent_css()
    assert not [line for line in lean.splitlines() if line.startswith("::")] and "li::marker" in lean
    contents = PdfReader(io.BytesIO(typeset)).pages[1].extract_text()
    assert "1." in contents and "2." in contents  # the numbered list of sections


def test_pdf_in_english_uses_english_formats(built, data):
    text = pdf_text(built.english)
    assert "1,234.5" in text
    assert "Monitoring report" in text


def test_xlsx_has_a_sheet_per_section_with_numbers(report):
    workbook = load_workbook(report.xlsx_file.open("rb"))
    names = [de(n) for n in ("Summary", "Measures", "Indicators", "GHG balance", "Heat planning", "Network activity")]
    assert workbook.sheetnames == names
    measures = workbook[de("Measures")]
    assert measures.freeze_panes == "A2"
    assert all(cell.font.bold for cell in measures[1])
    assert measures.column_dimensions["C"].width == 50
    rows = {row[1]: row for row in measures.iter_rows(min_row=2, values_only=True)}
    assert rows["EV-01"][2] == "Solaroffensive Kreishaus"
    assert rows["EV-01"][4] == 40 and rows["EV-01"][6] == 1234.5  # numbers, not text
    assert rows["EV-01"][8] == datetime(2024, 1, 1)
    values = list(workbook[de("Indicators")].iter_rows(min_row=2, values_only=True))
    assert ("Installierte PV-Leistung", 2025, de("Measured value"), 1234.5, "MWp") in values


def test_csv_is_a_long_table_excel_opens(report):
    raw = report.csv_file.open("rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [de(h) for h in ("Section", "Name", "Year", "Kind", "Value", "Unit")]
    assert [de("Indicators"), "Installierte PV-Leistung", "2025", de("Measured value"), "1234,5", "MWp"] in rows
    assert all(len(row) == 6 for row in rows)


def test_csv_neutralises_formulas(data):
    data.indicator.name = '=HYPERLINK("http://evil")'
    data.indicator.save()
    snapshot = build_snapshot(
        Report(scope="roadmap", roadmap=data.roadmap, title="x", period_start=START, period_end=END)
    )
    raw = RENDERERS["csv"](snapshot)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert any(row[1] == '\'=HYPERLINK("http://evil")' for row in rows)
    assert not any(row[1].startswith("=") for row in rows)


def test_organisation_and_network_reports_build(built, data):
    org, net = built.organisation, built.network
    assert org.status == net.status == Status.DONE, (org.error, net.error)
    assert org.snapshot["summary"]["measures"] == 3  # the editors' internal report keeps the draft, marked
    assert org.snapshot["summary"]["measures_unpublished"] == 1
    drafts = {m["code"]: m for sector in org.snapshot["sectors"] for m in sector["measures"] if not m["published"]}
    assert list(drafts) == ["VW-01"] and drafts["VW-01"]["effect_expected"] is None  # its effect marked internal
    assert "777.7" not in str(org.snapshot)
    with org.html_file.open("rb") as f:
        html = f.read().decode()
    with translation.override("de"):
        assert "Contracting Schulzentrum" in html and translation.pgettext("measure", "draft") in html
    assert net.snapshot["summary"]["members"] == 1
    assert net.snapshot["members"][0]["measures"] == 2  # public measures only
    assert net.snapshot["activity"]["networks"][0]["meetings"] == 1
    assert "Kreis Düren" in pdf_text(net)
    with net.html_file.open("rb") as f:
        assert '<td class="num">265.000</td>' in f.read().decode()  # the population, grouped as in German
    assert load_workbook(net.xlsx_file.open("rb")).sheetnames[1] == de("Member organisations")


def test_every_figure_is_as_of_the_end_of_the_period(data):
    """A 2025 report of a plan finished and adopted in 2026 shows the stage of 2025; a measure completed in 2026
    shows its status of 2025; the network's count of finished plans is that of 2025."""
    planning = data.organisation.heat_planning
    for stage, day in [
        (Stage.INVENTORY, date(2025, 3, 1)),
        (Stage.POTENTIAL, date(2025, 10, 1)),
        (Stage.TARGET_SCENARIO, date(2026, 2, 1)),
        (Stage.STRATEGY, date(2026, 3, 1)),
        (Stage.FINISHED, date(2026, 5, 1)),
    ]:
        HeatPlanningStepFactory(planning=planning, stage=stage, reached_on=day)
    planning.stage, planning.council_decision_on = Stage.FINISHED, date(2026, 6, 1)
    planning.save()
    data.measure.history.update(history_date=timezone.make_aware(datetime(2024, 6, 1)))
    data.measure.status = Measure.Status.COMPLETED
    data.measure.save()

    def snapshot(scope, subject, year):
        report = Report(scope=scope, **{scope: subject}, title="x", period_start=date(year, 1, 1))
        report.period_end = date(year, 12, 31)
        return build_snapshot(report, today=date(2026, 12, 6))

    [row] = snapshot("roadmap", data.roadmap, 2025)["heat_planning"]["rows"]
    assert (row["stage"], row["done"], row["council_decision_on"], row["update_due"]) == (
        Stage.POTENTIAL,
        False,
        None,
        None,
    )
    assert [step["date"] for step in row["steps"]] == ["2024-09-01", "2025-03-01", "2025-10-01"]
    measures = {m["code"]: m for s in snapshot("roadmap", data.roadmap, 2025)["sectors"] for m in s["measures"]}
    assert measures["EV-01"]["status"] == Measure.Status.IN_PROGRESS
    assert snapshot("network", data.network, 2025)["summary"]["heat_planning_done"] == 0
    later = snapshot("network", data.network, 2026)
    assert later["summary"]["heat_planning_done"] == 1 and later["heat_planning"]["rows"][0]["stage"] == Stage.FINISHED


def test_a_network_without_meetings_has_no_activity_section(data):
    """Not "0 meetings, 0 participants": the section, its sheet and its CSV rows are left out."""
    Registration.objects.all().delete()
    data.network.events.all().delete()
    snapshot = build_snapshot(
        Report(scope="network", network=data.network, title="x", period_start=START, period_end=END)
    )
    html = RENDERERS["html"](snapshot).decode()
    with translation.override("de"):
        heading = translation.gettext("Network activity")
        assert heading not in html and 'id="netzwerkaktivitaet"' not in html
        assert translation.gettext("meetings in the period") not in html
        assert heading not in load_workbook(io.BytesIO(RENDERERS["xlsx"](snapshot))).sheetnames
        assert heading not in RENDERERS["csv"](snapshot).decode("utf-8-sig")


def test_a_ghg_indicator_that_disagrees_with_the_balance_gets_a_note(data):
    """Both give a figure for 2024 (the balance: 800,000 t) and differ: the report says so, once, for that year."""
    ghg = IndicatorFactory(roadmap=data.roadmap, name="Treibhausgasemissionen im Kreisgebiet", unit="t CO2e")
    IndicatorValueFactory(indicator=ghg, year=2024, value=790_000)
    IndicatorValueFactory(indicator=ghg, year=2023, value=810_000)  # no balance of 2023: nothing to compare
    same = IndicatorFactory(roadmap=data.roadmap, name="THG gesamt", unit="kt CO2e")
    IndicatorValueFactory(indicator=same, year=2024, value=800)  # 800 kt: the balance's figure
    snapshot = build_snapshot(
        Report(scope="roadmap", roadmap=data.roadmap, title="x", period_start=START, period_end=END)
    )
    assert snapshot["emissions"]["disagreements"] == [
        {"indicator": ghg.name, "year": 2024, "indicator_value": 790_000, "balance": 800_000}
    ]
    balance_section = RENDERERS["html"](snapshot).decode().split('id="thg-bilanz"')[1].split("</section>")[0]
    assert balance_section.count(ghg.name) == 1 and "790.000" in balance_section
    assert "THG gesamt" not in balance_section


# --- The freeze ---------------------------------------------------------------------------------------------


def test_rerender_after_the_data_changed_gives_the_same_numbers(data, django_capture_on_commit_callbacks, html_only):
    report = request(data, django_capture_on_commit_callbacks)
    frozen = report.snapshot
    assert "1.234,5" in html_text(report)
    # The data change: a new progress report, a corrected value, a measure renamed and one more measure.
    MeasureUpdateFactory(measure=data.measure, percent=85, date=date(2025, 11, 1), public=True)
    IndicatorValue.objects.filter(indicator=data.indicator, year=2025).update(value=4321)
    Measure.objects.filter(pk=data.measure.pk).update(title="Solaroffensive umbenannt")
    MeasureFactory(roadmap=data.roadmap, code="NEU-01", title="Neue Maßnahme")

    with django_capture_on_commit_callbacks(execute=True):
        service.report_rerender(report)
    report.refresh_from_db()
    assert report.status == Status.DONE and report.attempts == 2
    assert report.snapshot == frozen
    html = html_text(report)
    assert "1.234,5" in html and "4.321" not in html
    assert "Solaroffensive Kreishaus" in html and "umbenannt" not in html and "NEU-01" not in html
    assert "40 %" in html and "85 %" not in html
    assert "4.321" in html_text(request(data, django_capture_on_commit_callbacks))  # a new report sees the change


def test_failure_keeps_the_snapshot_shows_a_reason_and_retry_reuses_it(
    data, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(snapshot):
        raise RuntimeError("cairo exploded at 0xdeadbeef")

    monkeypatch.setitem(RENDERERS, "pdf", broken)
    report = request(data, django_capture_on_commit_callbacks)
    assert report.status == Status.FAILED
    with translation.override("de"):
        expected = str(service.UNEXPECTED_REASON) % {"step": str(service.STAGES["pdf"][2])}
    assert report.error == expected
    assert "0xdeadbeef" not in report.error and "Traceback" not in report.error
    frozen = report.snapshot
    assert frozen is not None and report.finished_at is not None

    monkeypatch.undo()
    IndicatorValue.objects.filter(indicator=data.indicator, year=2025).update(value=4321)
    with django_capture_on_commit_callbacks(execute=True):
        service.report_retry(report)
    report.refresh_from_db()
    assert report.status == Status.DONE and report.error == "" and report.attempts == 2
    assert report.snapshot == frozen


def test_retry_only_for_failed_reports(report):
    with pytest.raises(ValidationError):
        service.report_retry(report)
    assert Report.objects.get(pk=report.pk).status == Status.DONE


def test_a_second_build_of_a_done_report_does_nothing(report):
    before = Report.objects.values().get(pk=report.pk)
    assert service.report_build(report.pk) == "skipped"
    assert tasks.report_build(report.pk) == "skipped"
    assert Report.objects.values().get(pk=report.pk) == before


def test_a_running_report_with_a_fresh_heartbeat_is_not_taken_twice(data):
    report = Report.objects.create(
        scope="roadmap",
        roadmap=data.roadmap,
        title="x",
        period_start=START,
        period_end=END,
        status=Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    assert service.report_build(report.pk) == "skipped"
    report.refresh_from_db()
    assert report.status == Status.RUNNING and report.attempts == 1


def test_a_running_report_with_a_stale_heartbeat_is_taken_over(data, html_only):
    old = timezone.now() - timedelta(hours=1)
    report = Report.objects.create(
        scope="roadmap",
        roadmap=data.roadmap,
        title="x",
        period_start=START,
        period_end=END,
        status=Status.RUNNING,
        started_at=old,
        heartbeat_at=old,
        attempts=1,
    )
    assert service.report_build(report.pk) == "done"
    report.refresh_from_db()
    assert report.status == Status.DONE and report.attempts == 2


def test_a_run_whose_row_was_failed_meanwhile_stops(data, monkeypatch):
    report = Report.objects.create(scope="roadmap", roadmap=data.roadmap, title="x", period_start=START, period_end=END)
    html = RENDERERS["html"]

    def watchdog_strikes(snapshot):
        Report.objects.filter(pk=report.pk).update(status=Status.FAILED, error="weg")
        return html(snapshot)

    monkeypatch.setitem(RENDERERS, "html", watchdog_strikes)
    assert service.report_build(report.pk) == "lost"
    report.refresh_from_db()
    assert (report.status, report.error) == (Status.FAILED, "weg")


def test_soft_time_limit_fails_the_report_with_a_readable_reason(data, monkeypatch):
    report = Report.objects.create(
        scope="roadmap", roadmap=data.roadmap, title="x", period_start=START, period_end=END, status=Status.RUNNING
    )

    def slow(report_id):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(service, "report_build", slow)
    assert tasks.report_build(report.pk) == "timeout"
    report.refresh_from_db()
    assert report.status == Status.FAILED
    with translation.override("de"):
        assert report.error == str(service.TIMEOUT_REASON)


def test_progress_is_written_after_every_stage(data, monkeypatch, html_only):
    report = Report.objects.create(scope="roadmap", roadmap=data.roadmap, title="x", period_start=START, period_end=END)
    seen = []
    for fmt, render in list(RENDERERS.items()):

        def spy(snapshot, render=render):
            seen.append(Report.objects.values_list("progress", "step", "status").get(pk=report.pk))
            return render(snapshot)

        monkeypatch.setitem(RENDERERS, fmt, spy)
    service.report_build(report.pk)
    with translation.override("de"):
        steps = [str(service.STAGES[s][1]) for s in ("html", "pdf", "xlsx", "csv")]
    assert seen == [(p, step, Status.RUNNING) for p, step in zip((30, 45, 75, 90), steps, strict=True)]


# --- The watchdog -------------------------------------------------------------------------------------------


def _report(data, **fields) -> Report:
    return Report.objects.create(
        scope="roadmap", roadmap=data.roadmap, title="x", period_start=START, period_end=END, **fields
    )


def test_watchdog_fails_dead_runs_only(data, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build, "delay", sent.append)
    now = timezone.now()
    dead = _report(
        data, status=Status.RUNNING, started_at=now - timedelta(hours=2), heartbeat_at=now - timedelta(hours=1)
    )
    fresh = _report(data, status=Status.RUNNING, started_at=now - timedelta(minutes=4), heartbeat_at=now)
    done = _report(data, status=Status.DONE, started_at=now - timedelta(days=3), heartbeat_at=now - timedelta(days=3))
    assert service.reports_watchdog() == 1
    dead.refresh_from_db()
    assert dead.status == Status.FAILED
    assert dead.error == de("The generation stopped unexpectedly. Please try again.")
    assert Report.objects.get(pk=fresh.pk).status == Status.RUNNING
    assert Report.objects.get(pk=done.pk).status == Status.DONE
    assert service.reports_watchdog() == 0  # a second run changes nothing
    assert sent == []


def test_watchdog_sends_a_long_queued_report_once_then_fails_it(data, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build, "delay", sent.append)
    waiting = _report(data, heartbeat_at=timezone.now() - timedelta(minutes=45))
    recent = _report(data, heartbeat_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert service.reports_watchdog() == 1
        assert service.reports_watchdog() == 0  # sent again just now: not twice
    assert sent == [waiting.pk]
    later = timezone.now() - timedelta(minutes=31)  # another half hour without a worker taking it
    Report.objects.filter(pk=waiting.pk).update(started_at=later, heartbeat_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert service.reports_watchdog() == 1
    waiting.refresh_from_db()
    assert waiting.status == Status.FAILED and waiting.error
    assert Report.objects.get(pk=recent.pk).status == Status.QUEUED
    assert sent == [waiting.pk]


def test_watchdog_task_runs_the_service(data):
    _report(data, status=Status.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1))
    assert tasks.reports_watchdog() == 1


# --- Publish and the yearly schedule ------------------------------------------------------------------------


def test_publish_only_done_roadmap_reports(data, report):
    queued = _report(data)
    with pytest.raises(ValidationError):
        service.report_publish(queued, True)
    assert not Report.objects.get(pk=queued.pk).published
    service.report_publish(report, True)
    report.refresh_from_db()
    assert report.published and report.published_at
    first = report.published_at
    service.report_publish(report, True)  # twice: the first date stays
    assert Report.objects.get(pk=report.pk).published_at == first
    service.report_publish(report, False)
    report.refresh_from_db()
    assert not report.published and report.published_at is None


def test_network_reports_cannot_be_published(data):
    report = Report.objects.create(
        scope="network", network=data.network, title="x", period_start=START, period_end=END, status=Status.DONE
    )
    with pytest.raises(ValidationError):
        service.report_publish(report, True)
    assert not Report.objects.get(pk=report.pk).published


def test_yearly_schedule_queues_once_per_year_even_when_run_twice(data, django_capture_on_commit_callbacks, html_only):
    ReportSchedule.objects.create(roadmap=data.roadmap, publish=True, requested_by=data.person)
    off = RoadmapFactory(organisation=data.organisation)
    ReportSchedule.objects.create(roadmap=off, enabled=False)
    today = date(2026, 1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert service.reports_schedule_yearly(today) == 1
        assert service.reports_schedule_yearly(today) == 0
    [report] = Report.objects.filter(scheduled=True)
    assert report.scheduled and (report.period_start, report.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert report.status == Status.DONE and report.published  # "publish at once"
    with django_capture_on_commit_callbacks(execute=True):
        assert service.reports_schedule_yearly(date(2027, 1, 5)) == 1  # the next year: the next report
    assert Report.objects.filter(scheduled=True).count() == 2


def test_yearly_schedule_without_publish_leaves_it_unpublished(data, django_capture_on_commit_callbacks, html_only):
    ReportSchedule.objects.create(roadmap=data.roadmap, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reports_schedule_yearly() == 1
    report = Report.objects.get(scheduled=True)
    assert report.status == Status.DONE and not report.published and report.requested_by is None


def test_the_unique_constraint_stops_a_second_scheduled_report(data):
    _report(data, scheduled=True)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _report(data, scheduled=True)


def test_an_organisation_report_leaves_out_its_networks_that_did_not_meet(data):
    """Member of two networks, one met in the period: only that one is in the activity (HTML, sheet, CSV)."""
    quiet = NetworkFactory(name="Stilles Netzwerk")
    MembershipFactory(network=quiet, organisation=data.organisation, since=date(2020, 1, 1))
    snapshot = build_snapshot(
        Report(scope="organisation", organisation=data.organisation, title="x", period_start=START, period_end=END)
    )
    assert {n["name"] for n in snapshot["activity"]["networks"]} >= {"Stilles Netzwerk", data.network.name}
    html = RENDERERS["html"](snapshot).decode()
    assert data.network.name in html and 'id="netzwerkaktivitaet"' in html
    assert "Stilles Netzwerk" not in html
    assert "Stilles Netzwerk" not in RENDERERS["csv"](snapshot).decode("utf-8-sig")


def test_a_network_report_without_meetings_has_no_meeting_figures_in_its_summary_sheet(data):
    Registration.objects.all().delete()
    data.network.events.all().delete()
    snapshot = build_snapshot(
        Report(scope="network", network=data.network, title="x", period_start=START, period_end=END)
    )
    workbook = load_workbook(io.BytesIO(RENDERERS["xlsx"](snapshot)))
    labels = [row[0].value for sheet in workbook.worksheets[:1] for row in sheet.iter_rows()]
    with translation.override("de"):
        assert translation.gettext("Member organisations") in labels
        assert translation.gettext("Meetings in the period") not in labels
        assert translation.gettext("Participating organisations") not in labels
