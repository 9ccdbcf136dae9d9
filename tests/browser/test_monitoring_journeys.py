"""Monitoring as new users try it (issue 5 "Done when"), in a real Chromium, on the demo data.

1. dueren.redaktion logs in from the home page, goes from "my area" to the roadmap's editors' page and the
   values form, enters this year's values of the county's indicators, asks for a monitoring report of the
   Düren roadmap for this year, watches the report page while a (held) worker builds it until it shows the
   downloads, and downloads the PDF and the XLSX: a PDF whose text has the title and the values just
   entered, a workbook with a sheet per section and the values as numbers (issue 7 §1, journey 4; the
   report at 390 px as docs/screenshots/phone-report.png).
2. An anonymous citizen opens the public Düren roadmap page: the indicators are charts (drawn by the
   vendored Chart.js) each with a table of the same numbers, the GHG balance against the target path too,
   and the published report of 2025 downloads as a PDF.
3. nkk.mitglied finds the network's board in the members' space: the heat planning of the member
   municipalities with the legal deadlines (30 June 2026 above 100,000 inhabitants, 30 June 2028 below),
   days left, the overdue ones marked; members only.
4. ktt.koordination finds the health view in the members' space: the member organisations with overdue
   indicator values first, and a drill-down that names the overdue indicator; a plain member is refused.

No page may load anything from another host or log a console error. The pages are kept as
docs/screenshots/monitoring-*.png. Interface strings are looked up by structure (links, ids, classes), so the
journeys pass before the German catalogue of the monitoring app is compiled.
"""

import io
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.db import connections, transaction
from django.utils import timezone
from pypdf import PdfReader

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, log_out, phone_screenshot, submit

pytestmark = pytest.mark.browser

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
VALUES = "/organisationen/kreis-dueren/monitoring/werte/"
REPORT_CREATE = "/berichte/neu/?roadmap=klima-roadmap-kreis-dueren"
PUBLISHED_REPORT = "Monitoringbericht 2025 der Klima-Roadmap Kreis Düren"
NKK = "/netzwerke/nkk-koeln-bonn/"
KTT = "/netzwerke/klima-taten-team-westpfalz/"
# This year's values the editor enters: indicator code -> (typed as a German would, the number, kind)
ENTRIES = {
    "pv-leistung": ("402,7", Decimal("402.7"), "measured"),
    "ladepunkte": ("547", Decimal("547"), "measured"),
    "ee-anteil-strom": ("66,1", Decimal("66.1"), "estimate"),
}


def status_of(browsing, path: str) -> int:
    return browsing.page.request.get(browsing.url(path), max_redirects=0).status


class HeldWorker:
    """A Celery worker stand-in: builds a queued report in its own thread once released.

    In the tests Celery runs eagerly, which would build the report inside the request; a real worker takes it
    a moment later, while the report page shows the progress. This does the same, at the test's command.
    """

    def __init__(self):
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []
        self.results: list[str] = []

    def enqueue(self, report_id: int) -> None:
        transaction.on_commit(lambda: self._start(report_id))

    def _start(self, report_id: int) -> None:
        thread = threading.Thread(target=self._run, args=(report_id,), daemon=True)
        self.threads.append(thread)
        thread.start()

    def _run(self, report_id: int) -> None:
        from monitoring import tasks

        try:
            if self.release.wait(60):
                self.results.append(tasks.report_build(report_id))  # the task itself, in this thread
        finally:
            connections.close_all()

    def join(self) -> None:
        self.release.set()
        for thread in self.threads:
            thread.join(60)


@pytest.fixture
def worker(monkeypatch):
    from monitoring.services import reports

    held = HeldWorker()
    monkeypatch.setattr(reports, "_enqueue", held.enqueue)
    yield held
    held.join()


def download(page, link) -> Path:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path())


def pdf_text(data: bytes) -> str:
    assert data[:5] == b"%PDF-"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_editor_enters_this_years_values_asks_for_a_report_watches_it_and_downloads_pdf_and_xlsx(
    demo_data, browsing, worker
):
    from monitoring.models import Indicator, IndicatorValue, Report

    page = browsing.page
    year = timezone.localdate().year
    indicators = {i.code: i for i in Indicator.objects.filter(organisation__slug="kreis-dueren")}
    assert (
        not IndicatorValue.objects.filter(indicator__in=indicators.values(), year=year).exclude(kind="target").exists()
    )
    try:
        log_in(browsing, "dueren.redaktion@example.org", from_home=True)

        # "My area" → the roadmap's editors' page → the values form (last year first) → this year.
        assert page.url.endswith("/start/")
        page.locator(f'main a[href="{ROADMAP}redaktion/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}redaktion/")
        monitoring = page.locator("section#monitoring")
        assert monitoring.locator(".stats").is_visible()  # indicators, overdue, due soon
        monitoring.locator(f'a[href="{VALUES}"]').click()
        page.wait_for_url(f"**{VALUES}")
        assert str(year - 1) in page.locator("h1").inner_text()
        page.locator(f'.year-switcher a[rel=next][href$="?jahr={year}"]').click()
        page.wait_for_url(f"**{VALUES}?jahr={year}")
        assert str(year) in page.locator("h1").inner_text()
        form = page.locator("form.values-form")
        assert form.locator("tbody tr").count() == len(indicators)

        for code, (typed, _number, kind) in ENTRIES.items():
            prefix = f"i{indicators[code].pk}"
            form.locator(f"[name={prefix}-value]").fill(typed)
            form.locator(f"[name={prefix}-kind]").select_option(kind)
        form.locator(f"[name=i{indicators['pv-leistung'].pk}-note]").fill("Stand 31. Oktober")
        form.locator(f"[name=i{indicators['pv-leistung'].pk}-checked]").check()
        submit(page, form.locator(".form-actions button[type=submit]"))
        assert page.url.endswith(f"{VALUES}?jahr={year}")
        assert page.locator(".row-invalid").count() == 0
        for code, (_typed, number, kind) in ENTRIES.items():
            value = IndicatorValue.objects.get(indicator=indicators[code], year=year, date=None, kind=kind)
            assert value.value == number and value.entered_by.user.email == "dueren.redaktion@example.org"
        assert IndicatorValue.objects.get(indicator=indicators["pv-leistung"], year=year, kind="measured").checked
        # The values form shows what was saved, in German numbers.
        assert page.locator(f"[name=i{indicators['pv-leistung'].pk}-value]").input_value() in ("402,7", "402,700")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "monitoring-values.png"), full_page=True)

        # Ask for a report of the roadmap for this year (so far): back through "my area".
        page.locator("header").get_by_role("link", name="Mein Bereich", exact=True).click()
        page.wait_for_url("**/start/")
        page.locator(f'main a[href="{ROADMAP}redaktion/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}redaktion/")
        page.locator("section#monitoring").locator(f'a[href="{REPORT_CREATE}"]').click()
        page.wait_for_url("**/berichte/neu/?roadmap=klima-roadmap-kreis-dueren")
        title = f"Monitoringbericht {year} der Klima-Roadmap Kreis Düren (Zwischenstand)"
        page.locator("input[name=period_start]").fill(date(year, 1, 1).isoformat())
        page.locator("input[name=period_end]").fill(date(year, 12, 31).isoformat())
        page.locator("input[name=title]").fill(title)
        submit(page, page.locator("main form button[type=submit]"))
        report = Report.objects.get(title=title)
        assert page.url.endswith(report.get_absolute_url())
        assert report.status == Report.Status.QUEUED and report.requested_by.user.email == (
            "dueren.redaktion@example.org"
        )

        # The report page shows the progress while the worker builds it, then reloads itself with the downloads.
        progress = page.locator("section.report-progress")
        assert progress.is_visible() and page.locator("progress#report-progress-bar").get_attribute("value") == "0"
        page.screenshot(path=str(SCREENSHOTS / "monitoring-report-progress.png"))
        worker.release.set()
        page.locator("#downloads-title").wait_for(timeout=60_000)
        assert worker.results == ["done"]
        report.refresh_from_db()
        assert report.status == Report.Status.DONE and report.progress == 100
        assert page.locator("section.report-progress").count() == 0
        page.screenshot(path=str(SCREENSHOTS / "monitoring-report.png"), full_page=True)
        phone_screenshot(page, "report")

        # The PDF: the title, the roadmap, the indicators with the values just entered (German numbers).
        downloads = page.locator("ul.report-downloads")
        text = pdf_text(download(page, downloads.locator('a[href$="/bericht.pdf"]')).read_bytes())
        flat = " ".join(text.split())
        assert "Kreis Düren" in flat and "Installierte Photovoltaik-Leistung" in flat
        assert "Monitoringbericht" in flat and "(Zwischenstand)" in flat
        assert "402,7" in flat and "547" in flat

        # The workbook: a sheet per section, this year's values as numbers.
        data = download(page, downloads.locator('a[href$="/bericht.xlsx"]')).read_bytes()
        assert data[:2] == b"PK"
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        assert len(workbook.sheetnames) >= 4
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
        numbers = {Decimal(str(cell)) for cell in cells if isinstance(cell, int | float)}
        assert {Decimal("402.7"), Decimal("547"), Decimal("66.1")} <= numbers
        assert any(isinstance(cell, str) and "Photovoltaik" in cell for cell in cells)
        assert_clean(browsing)
    finally:
        connections.close_all()


def test_citizen_sees_the_indicators_as_charts_with_tables_and_the_published_report(demo_data, browsing):
    from monitoring.models import Indicator, Report

    page = browsing.page
    try:
        page.goto(browsing.url(ROADMAP))
        section = page.locator("section#indicators")
        public = Indicator.objects.public().filter(roadmap__slug="klima-roadmap-kreis-dueren")
        assert section.locator("article.indicator").count() == public.count() >= 5
        pv = public.get(code="pv-leistung")
        article = section.locator(f"article.indicator:has(#indicator-{pv.pk}-heading)")
        assert article.locator("h3").inner_text() == pv.name
        # The chart: drawn by Chart.js in the browser (the server's SVG stays for those without scripts) ...
        chart = article.locator("figure.chart")
        chart.locator(".chart-canvas canvas").wait_for(state="visible")
        # ... with the same numbers as a table, German formats, the target path beside the measured values.
        chart.locator("details.chart-data summary").click()
        table = chart.locator("table.chart-table")
        assert table.is_visible() and table.locator("caption").inner_text()
        row_2025 = table.locator("tbody tr", has=page.locator("th", has_text="2025"))
        assert row_2025.locator("td").all_inner_texts()[:2] == ["366,8", "380"]
        assert table.locator("tbody tr", has=page.locator("th", has_text="2035")).count() == 1
        # Estimates are marked in the tables, the balance is a chart against the path with its table.
        assert page.locator("section#indicators .chart-estimate").count() >= 2
        emissions = page.locator("section#emissions")
        assert emissions.locator("figure.chart table.chart-table").count() == 1
        assert emissions.locator(".status-late").is_visible()  # above the target path
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 1600})  # the first indicator, its chart and table
        page.goto(browsing.url(ROADMAP + "#indicators"))  # the same document, scrolled to the indicators
        assert table.is_visible()
        page.screenshot(path=str(SCREENSHOTS / "monitoring-roadmap.png"))
        page.set_viewport_size({"width": 1280, "height": 900})

        # The published report of 2025: listed on the page, its PDF downloads for everyone.
        report = Report.objects.published().get(roadmap__slug="klima-roadmap-kreis-dueren")
        reports = page.locator("section#reports")
        assert reports.get_by_role("link", name=PUBLISHED_REPORT, exact=True).is_visible()
        text = pdf_text(download(page, reports.locator(f'a[href="/berichte/{report.pk}/bericht.pdf"]')).read_bytes())
        assert PUBLISHED_REPORT.split(" der ")[0] in " ".join(text.split()) and "366,8" in text
        reports.get_by_role("link", name=PUBLISHED_REPORT, exact=True).click()
        page.wait_for_url(f"**{report.get_absolute_url()}")
        assert page.locator("ul.report-downloads li").count() == 4
        assert page.locator("section.report-publish").count() == 0  # citizens do not manage it
        assert_clean(browsing)
    finally:
        connections.close_all()


def test_nkk_member_sees_the_heat_planning_board_with_deadlines(demo_data, browsing):
    page = browsing.page
    board = NKK + "monitoring/"
    try:
        assert status_of(browsing, board) in (302, 403)  # members only (anonymous: to the login)
        log_in(browsing, "nkk.mitglied@example.org")
        page.goto(browsing.url(NKK + "intern/"))
        page.locator(f'main a[href="{board}"]').first.click()
        page.wait_for_url(f"**{board}")
        table = page.locator("#heat-planning-heading ~ .table-scroll table.board-table")
        rows = table.locator("tbody tr")
        assert rows.count() >= 10

        def row(name: str):
            return table.locator("tbody tr", has=page.locator("th", has_text=name))

        # The legal deadline by size: above 100,000 inhabitants 30 June 2026, below 30 June 2028.
        assert row("Stadt Köln").locator("time.deadline").get_attribute("datetime") == "2026-06-30"
        assert row("Stadt Troisdorf").locator("time.deadline").get_attribute("datetime") == "2028-06-30"
        assert row("Stadt Troisdorf").locator(".days-left").is_visible()
        assert row("Stadt Köln").locator(".status-done").is_visible()  # adopted before the deadline
        # A large city not finished by 30 June 2026 is overdue, marked in words, not only by colour.
        overdue = row("Stadt Bergisch Gladbach")
        assert overdue.get_attribute("class") == "board-overdue" and overdue.locator(".overdue").is_visible()
        assert row("Stadt Siegburg").locator(".meta", has_text="Königswinter").count() == 1  # the convoy
        assert row("Stadt Hürth").locator(".badge-demo").is_visible()
        # The spread of target years is a chart with its table.
        assert page.locator("figure.chart table.chart-table").count() >= 2
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "monitoring-board.png"), full_page=True)
        assert_clean(browsing)
    finally:
        connections.close_all()


def test_ktt_coordinator_sees_the_health_view(demo_data, browsing):
    from monitoring.models import Indicator

    page = browsing.page
    health = KTT + "monitoring/gesundheit/"
    try:
        log_in(browsing, "ktt.kl@example.org")
        assert status_of(browsing, health) == 403  # a member, not a coordinator
        log_out(browsing)

        log_in(browsing, "ktt.koordination@example.org")
        page.goto(browsing.url(KTT + "intern/"))
        page.locator(f'main a[href="{health}"]').first.click()
        page.wait_for_url(f"**{health}")
        table = page.locator("table.health-table")
        assert table.locator("tbody tr").count() == 7  # the Klima.Taten.Team's member organisations
        first = table.locator("tbody tr").first
        assert first.locator("th").inner_text() in ("Landkreis Kusel", "Stadt Kaiserslautern")
        assert first.locator("a.health-bad").count() >= 1  # an overdue indicator, marked
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "monitoring-health.png"), full_page=True)

        # The drill-down names the overdue indicator.
        kusel = table.locator("tbody tr", has=page.locator("th", has_text="Landkreis Kusel"))
        kusel.locator('a[href$="#overdue-heading"]').click()
        page.wait_for_url("**/gesundheit/landkreis-kusel/#overdue-heading")
        overdue = Indicator.objects.get(organisation__slug="landkreis-kusel")
        assert overdue.name in page.locator("main").inner_text()
        assert_clean(browsing)
    finally:
        connections.close_all()
