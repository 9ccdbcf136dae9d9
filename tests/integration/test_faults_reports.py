"""Fault: a report task killed midway, then tried again. test_monitoring_reports.py shows that a SIGKILLed build
leaves a RUNNING report which the watchdog fails; here the retry that follows is built by a real worker (on
Redis, PostgreSQL) from the same row: DONE with its four files, the second attempt, and a late redelivery of the
killed task does nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from monitoring.models import Report
from monitoring.services import reports as service
from tests.integration.test_celery_outbox import QUEUE, _start_worker, _stop_worker
from tests.integration.test_monitoring_reports import _roadmap, _wait, real_celery  # noqa: F401 - a fixture

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]


def test_a_report_failed_by_the_watchdog_is_built_when_tried_again(transactional_db, real_celery, tmp_path):  # noqa: F811
    roadmap, person = _roadmap(measures=30, indicators=3)
    report = service.report_request(
        person=person, scope="roadmap", subject=roadmap, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    # What a worker killed mid-build leaves behind (test_monitoring_reports.py): RUNNING, first attempt, a
    # heartbeat older than the hard time limit and the margin; its task message is not in the queue.
    real_celery.delete(QUEUE)
    stale = timezone.now() - timedelta(seconds=360) - service.WATCHDOG_MARGIN - timedelta(seconds=1)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=1, progress=45, started_at=stale, heartbeat_at=stale
    )
    assert service.reports_watchdog() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED

    report = service.report_retry(report)
    assert report.status == Report.Status.QUEUED
    assert real_celery.llen(QUEUE) == 1  # sent again on commit
    log_path = tmp_path / "worker.log"
    worker = _start_worker(mail_dir=tmp_path / "mail", log_path=log_path)
    try:
        report = _wait(report, lambda r: r.is_finished, worker, log_path, "retry not finished")
    finally:
        _stop_worker(worker)
    assert report.status == Report.Status.DONE, report.error
    assert report.attempts == 2 and report.progress == 100 and report.error == ""
    for field in ("html_file", "pdf_file", "xlsx_file", "csv_file"):
        with getattr(report, field).open("rb") as f:
            assert f.read(4), field
    assert service.report_build(report.pk) == "skipped"  # the killed task, redelivered late, does nothing
    assert service.reports_watchdog() == 0
