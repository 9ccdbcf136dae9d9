"""Monitoring reports on a real Celery worker (Redis, PostgreSQL): a queued report is built with its four files,
and a worker killed in the middle of a build leaves a RUNNING report that the watchdog marks failed."""

import os
import signal
import time
from datetime import date, timedelta

import pytest
import redis
from django.utils import timezone
from django.utils.text import slugify

from config.celery import app as celery_app
from measures.models import Measure, Roadmap, Sector
from monitoring.models import Indicator, IndicatorValue, Report
from monitoring.services import reports as service
from networks.models import Organisation, Person, User
from tests.integration.test_celery_outbox import QUEUE, _start_worker, _stop_worker

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

WAIT_SECONDS = 90


def _roadmap(measures: int, indicators: int) -> tuple[Roadmap, Person]:
    organisation = Organisation.objects.create(name="Kreis Berichtstal", slug="kreis-berichtstal", kind="county")
    user = User.objects.create_user(email="redaktion@berichtstal.example")
    person = Person.objects.create(user=user, name="Rita Redaktion", organisation=organisation)
    roadmap = Roadmap.objects.create(
        organisation=organisation,
        slug="berichtstal",
        title="Klima-Roadmap Berichtstal",
        target_year=2035,
        published=True,
    )
    sectors = list(Sector.values)
    Measure.objects.bulk_create(
        Measure(
            roadmap=roadmap,
            code=f"M-{i:04d}",
            slug=slugify(f"m-{i:04d}"),
            title=f"Maßnahme {i} Wärmenetz",
            sector=sectors[i % len(sectors)],
            status="in_progress",
            effect_expected=10 + i,
            published=True,
        )
        for i in range(measures)
    )
    for i in range(indicators):
        indicator = Indicator.objects.create(
            organisation=organisation, roadmap=roadmap, name=f"Indikator {i}", unit="MWh"
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=indicator, year=year, value=1000 + year + i) for year in range(2016, 2026)
        )
    return roadmap, person


def _wait(report: Report, until, worker, log_path, what: str) -> Report:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        report.refresh_from_db()
        if until(report):
            return report
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(
                f"{what}: status={report.status} progress={report.progress} error={report.error!r}\n"
                + log_path.read_text(errors="replace")[-4000:],
                pytrace=False,
            )
        time.sleep(0.05)


@pytest.fixture
def real_celery(settings, monkeypatch):
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker writes the files where the test reads
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete(QUEUE)
    yield broker
    celery_app.conf.task_always_eager = before


def test_worker_builds_a_queued_report(transactional_db, real_celery, tmp_path):
    roadmap, person = _roadmap(measures=30, indicators=3)
    report = service.report_request(
        person=person, scope="roadmap", subject=roadmap, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    assert real_celery.llen(QUEUE) == 1  # sent on commit, waiting for a worker
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED
    log_path = tmp_path / "worker.log"
    worker = _start_worker(mail_dir=tmp_path / "mail", log_path=log_path)
    try:
        report = _wait(report, lambda r: r.is_finished, worker, log_path, "report not finished")
        tasks_run = log_path.read_text(errors="replace").count("report_build[")
    finally:
        _stop_worker(worker)
    assert report.status == Report.Status.DONE, report.error
    assert report.progress == 100 and report.attempts == 1
    assert tasks_run >= 1
    for field in ("html_file", "pdf_file", "xlsx_file", "csv_file"):
        with getattr(report, field).open("rb") as f:
            assert f.read(4), field
    assert report.snapshot["summary"]["measures"] == 30


def test_a_worker_killed_mid_build_leaves_a_report_the_watchdog_fails(transactional_db, real_celery, tmp_path):
    roadmap, person = _roadmap(measures=600, indicators=10)  # a PDF of some seconds: time to kill it
    report = service.report_request(
        person=person, scope="roadmap", subject=roadmap, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    log_path = tmp_path / "worker.log"
    worker = _start_worker(mail_dir=tmp_path / "mail", log_path=log_path)
    try:
        # Past the snapshot and the HTML, typesetting the PDF: the worker dies (out of memory, a deploy, ...).
        report = _wait(report, lambda r: r.progress >= 45 or r.is_finished, worker, log_path, "never got to the PDF")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        _stop_worker(worker)
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING, "the build finished before the worker was killed"
    assert service.reports_watchdog() == 0  # the heartbeat is fresh: it might still be alive
    # Time passes beyond the hard time limit and the margin without a heartbeat.
    stale = timezone.now() - timedelta(seconds=360) - service.WATCHDOG_MARGIN - timedelta(seconds=1)
    Report.objects.filter(pk=report.pk).update(heartbeat_at=stale, started_at=stale)
    assert service.reports_watchdog() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error and "Traceback" not in report.error
    assert service.report_build(report.pk) == "skipped"  # a late redelivery of the killed task does nothing
    real_celery.delete("unacked", "unacked_index")  # the killed task's message, not redelivered within the test
