"""Reports: request, build (snapshot → HTML, PDF, XLSX, CSV), fail, retry, publish, watchdog, yearly schedule.

The life of a report: ``report_request`` writes a QUEUED row and sends ``monitoring.tasks.report_build``
after the commit. The task claims the row (only a QUEUED one, or a RUNNING one whose heartbeat is stale),
freezes the data into ``Report.snapshot`` once and renders the four files from that snapshot alone, writing
progress, step and heartbeat after every stage. A failure ends FAILED with a readable reason; the watchdog
fails what a dead worker left RUNNING and sends a report that waits too long in the queue once more.

Marks a QUEUED row carries (no extra fields needed): ``heartbeat_at`` is when it was queued (request or
retry); ``started_at`` set on a QUEUED row means the watchdog already sent it a second time.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from measures.models import Roadmap
from measures.services.roadmap import slugify_de
from monitoring import webhooks
from monitoring.models import Report, ReportSchedule
from networks.models import Network, Organisation, Person
from networks.outbox import queue_on_commit
from observability import metrics

logger = logging.getLogger(__name__)

Status = Report.Status
Scope = Report.Scope

TIMEOUT_REASON = _(
    "The report took too long to generate and was stopped. Please try again; choose a shorter period if it "
    "happens again."
)
STOPPED_REASON = _("The generation stopped unexpectedly. Please try again.")
NOT_STARTED_REASON = _("The report could not be started: no worker took it up. Please try again later.")
DRAFTS_REFUSAL = _(
    "This report lists draft measures (it was generated before roadmap reports left drafts out) and cannot be "
    "published. Request a new report of the roadmap: it contains only published measures."
)
UNEXPECTED_REASON = _(
    "An unexpected error occurred while %(step)s. Please try again; if it happens again, tell the Klimanetz team."
)

WATCHDOG_MARGIN = timedelta(minutes=2)  # after the task's hard time limit, before a RUNNING report counts as dead
QUEUED_PATIENCE = timedelta(minutes=30)  # a QUEUED report is sent once more after this, and failed after twice
MAX_PERIOD_YEARS = 10

# (progress when the stage ends, step text while it runs, what failed) in the order of report_build.
STAGES = {
    "snapshot": (30, _("Collecting the data"), _("collecting the data")),
    "html": (45, _("Writing the HTML version"), _("writing the HTML version")),
    "pdf": (75, _("Typesetting the PDF"), _("typesetting the PDF")),
    "xlsx": (90, _("Writing the Excel workbook"), _("writing the Excel workbook")),
    "csv": (100, _("Writing the CSV file"), _("writing the CSV file")),
}
FILE_FIELDS = {"html": "html_file", "pdf": "pdf_file", "xlsx": "xlsx_file", "csv": "csv_file"}


class ReportLost(Exception):
    """The row is no longer this run's: the watchdog failed it or another run took it over."""


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _enqueue(report_id: int) -> None:
    from monitoring import tasks  # tasks imports this module

    queue_on_commit(tasks.report_build, report_id)  # a broker that is down: the watchdog sends it again


def _hard_limit() -> timedelta:
    from monitoring import tasks

    return timedelta(seconds=tasks.REPORT_HARD_LIMIT)


# --- Request ------------------------------------------------------------------------------------------------


def default_title(subject, year: int, language: str = "de") -> str:
    with translation.override(language):
        return str(_("Monitoring report %(subject)s %(year)s") % {"subject": subject_name(subject), "year": year})


def subject_name(subject) -> str:
    if isinstance(subject, Roadmap):
        return subject.organisation.name
    return subject.name


def download_name(report: Report, fmt: str) -> str:
    """monitoring-bericht-kreis-dueren-2025.pdf (the years of the period)."""
    years = {report.period_start.year, report.period_end.year}
    span = "-".join(str(y) for y in sorted(years))
    base = _in(report.language, _("monitoring-report"))
    name = slugify_de(subject_name(report.subject)) if report.subject is not None else str(report.pk)
    return f"{slugify_de(base)}-{name}-{span}.{fmt}"


def _validate(scope: str, subject, period_start: date, period_end: date, language: str) -> None:
    expected = {Scope.ROADMAP: Roadmap, Scope.ORGANISATION: Organisation, Scope.NETWORK: Network}.get(scope)
    if expected is None or not isinstance(subject, expected):
        raise ValidationError(_("A report needs a roadmap, an organisation or a network as its subject."))
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_end.year - period_start.year >= MAX_PERIOD_YEARS:
        errors["period_start"] = _("A report covers at most %(years)s years.") % {"years": MAX_PERIOD_YEARS}
    if period_start > timezone.localdate():
        errors["period_start"] = _("The period cannot start in the future.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Unknown language.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_request(
    *,
    person: Person | None,
    scope: str,
    subject,
    period_start: date,
    period_end: date,
    title: str = "",
    language: str = "de",
    scheduled: bool = False,
) -> Report:
    """A queued report of a roadmap, an organisation or a network; the build task is sent after the commit.

    The caller has checked the permission (monitoring.access.can_request_report).
    """
    _validate(scope, subject, period_start, period_end, language)
    report = Report(
        scope=scope,
        **{scope: subject},
        title=(title or "").strip() or default_title(subject, period_end.year, language),
        period_start=period_start,
        period_end=period_end,
        language=language,
        requested_by=person,
        scheduled=scheduled,
        step=_in(language, _("Waiting for a free worker")),
        heartbeat_at=timezone.now(),
    )
    report.full_clean(exclude=["roadmap", "organisation", "network", "requested_by"])
    report.save()
    _enqueue(report.pk)
    return report


# --- Build --------------------------------------------------------------------------------------------------


def _claim(report_id: int) -> Report | None:
    """Take the row for this run, or None (done, failed, missing, or running elsewhere with a fresh heartbeat)."""
    now = timezone.now()
    stale = now - _hard_limit() - WATCHDOG_MARGIN
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return None
        alive = report.heartbeat_at or report.started_at
        if report.status == Status.RUNNING and alive is not None and alive >= stale:
            return None
        if report.status not in (Status.QUEUED, Status.RUNNING):
            return None
        report.status = Status.RUNNING
        report.started_at = report.heartbeat_at = now
        report.attempts += 1
        report.progress = 0
        report.error = ""
        report.step = _in(report.language, STAGES["snapshot"][1])
        report.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "progress", "error", "step"])
    return report


def _mine(report: Report):
    """The row as long as it belongs to this run (same attempt, still RUNNING)."""
    return Report.objects.filter(pk=report.pk, status=Status.RUNNING, attempts=report.attempts)


def _advance(report: Report, done: str, following: str | None, **fields) -> None:
    """One small UPDATE after a stage: progress, the next step's text, the heartbeat (and e.g. the snapshot)."""
    step = _in(report.language, STAGES[following][1]) if following else ""
    updated = _mine(report).update(progress=STAGES[done][0], step=step, heartbeat_at=timezone.now(), **fields)
    if not updated:
        raise ReportLost


def report_build(report_id: int) -> str:
    """Build a report once: 'done', 'failed', 'lost', or 'skipped' when there was nothing to take."""
    from monitoring.reporting import RENDERERS
    from monitoring.reporting.snapshot import build_snapshot

    report = _claim(report_id)
    if report is None:
        return "skipped"
    stage = "snapshot"
    try:
        if report.snapshot is None:  # a retry or a re-render reuses the frozen data: that is the freeze
            with translation.override(report.language):
                report.snapshot = build_snapshot(report)
            _advance(report, "snapshot", "html", snapshot=report.snapshot)
        else:
            _advance(report, "snapshot", "html")
        files = {}
        stages = list(FILE_FIELDS)
        for i, fmt in enumerate(stages):
            stage = fmt
            files[FILE_FIELDS[fmt]] = _store(report, fmt, RENDERERS[fmt](report.snapshot))
            following = stages[i + 1] if i + 1 < len(stages) else None
            _advance(report, fmt, following)
        _finish(report, files)
    except ReportLost:
        logger.warning("report %s: the row was taken from this run (watchdog or another worker)", report_id)
        return "lost"
    except Exception:
        logger.exception("report %s failed while %s", report_id, stage)
        report_fail(
            report_id, _in(report.language, UNEXPECTED_REASON) % {"step": _in(report.language, STAGES[stage][2])}
        )
        return "failed"
    return "done"


def _store(report: Report, fmt: str, content: bytes) -> str:
    """Save a file under reports/<pk>/ with its download name, replacing the one of an earlier run."""
    field = getattr(report, FILE_FIELDS[fmt])
    if field.name:
        field.storage.delete(field.name)
    field.save(download_name(report, fmt), ContentFile(content), save=False)
    return field.name


def _finish(report: Report, files: dict[str, str]) -> None:
    now = timezone.now()
    with transaction.atomic():
        if not _mine(report).update(status=Status.DONE, finished_at=now, heartbeat_at=now, step="", **files):
            raise ReportLost
        publish = ReportSchedule.objects.filter(roadmap_id=report.roadmap_id, publish=True)
        if report.scheduled and report.roadmap_id and publish.exists():
            report_publish(report, True)  # the one way to publish: its save renews the cached public pages


def report_fail(report_id: int, reason) -> None:
    """A QUEUED or RUNNING report ends FAILED with ``reason`` (in the report's language)."""
    report = Report.objects.filter(pk=report_id).only("language").first()
    if report is None:
        return
    text = _in(report.language, reason)
    Report.objects.filter(pk=report_id, status__in=(Status.QUEUED, Status.RUNNING)).update(
        status=Status.FAILED, error=text, step="", finished_at=timezone.now()
    )


# --- Retry, re-render, publish ------------------------------------------------------------------------------


@transaction.atomic
def report_retry(report: Report) -> Report:
    """A FAILED report back to QUEUED and sent again; its frozen snapshot (if any) is kept."""
    updated = Report.objects.filter(pk=report.pk, status=Status.FAILED).update(
        status=Status.QUEUED,
        progress=0,
        error="",
        step=_in(report.language, _("Waiting for a free worker")),
        heartbeat_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )
    if not updated:
        raise ValidationError(_("Only a failed report can be tried again."))
    _enqueue(report.pk)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_rerender(report: Report) -> Report:
    """Render a DONE report's files again (after a template change) from the same frozen snapshot."""
    updated = Report.objects.filter(pk=report.pk, status=Status.DONE, published=False).update(
        status=Status.QUEUED, progress=0, heartbeat_at=timezone.now(), started_at=None, finished_at=None
    )
    if not updated:
        raise ValidationError(_("Only a finished report that is not published can be generated again."))
    _enqueue(report.pk)
    report.refresh_from_db()
    return report


def drafts_in(report: Report) -> int:
    """The number of draft (unpublished) measures the report's frozen data lists."""
    return ((report.snapshot or {}).get("summary") or {}).get("measures_unpublished", 0)


@transaction.atomic
def report_publish(report: Report, publish: bool) -> Report:
    """Show a finished roadmap report on the public roadmap page (or take it off)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if publish:
        if report.scope != Scope.ROADMAP:
            raise ValidationError(_("Only reports of a roadmap can be published."))
        if report.status != Status.DONE:
            raise ValidationError(_("Only a finished report can be published."))
        if drafts_in(report):
            raise ValidationError(DRAFTS_REFUSAL)
        newly = not report.published
        if newly:
            report.published, report.published_at = True, timezone.now()
    else:
        newly, report.published, report.published_at = False, False, None
    report.save(update_fields=["published", "published_at"])
    if newly:
        webhooks.report_published(report)  # the outbox rows, in this transaction
    return report


# --- Watchdog and schedule ----------------------------------------------------------------------------------


def reports_watchdog() -> int:
    """Fail RUNNING reports whose worker died; send long-QUEUED ones once more, then fail them. Returns changes."""
    now = timezone.now()
    changed = 0
    dead = Report.objects.annotate(alive=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
        status=Status.RUNNING, alive__lt=now - _hard_limit() - WATCHDOG_MARGIN
    )
    for pk in list(dead.values_list("pk", flat=True)):
        changed += _fail_if(Q(pk=pk, status=Status.RUNNING), pk, STOPPED_REASON)
    waiting = Report.objects.annotate(queued=Coalesce("heartbeat_at", "created_at")).filter(
        status=Status.QUEUED, queued__lt=now - QUEUED_PATIENCE
    )
    for pk, sent_again in list(waiting.values_list("pk", "started_at")):
        if sent_again is None:
            with transaction.atomic():
                if Report.objects.filter(pk=pk, status=Status.QUEUED, started_at=None).update(
                    started_at=now, heartbeat_at=now
                ):
                    _enqueue(pk)
                    changed += 1
        else:
            changed += _fail_if(Q(pk=pk, status=Status.QUEUED), pk, NOT_STARTED_REASON)
    return changed


def _fail_if(condition: Q, pk: int, reason) -> int:
    report = Report.objects.filter(pk=pk).only("language").first()
    if report is None:
        return 0
    failed = Report.objects.filter(condition).update(
        status=Status.FAILED, error=_in(report.language, reason), step="", finished_at=timezone.now()
    )
    metrics.REPORTS_FAILED_BY_WATCHDOG.inc(failed)  # an alert: workers die or none takes the reports
    return failed


def reports_schedule_yearly(today: date | None = None) -> int:
    """One scheduled report per enabled roadmap for the previous calendar year, once (a unique constraint)."""
    today = today or timezone.localdate()
    year = today.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    schedules = ReportSchedule.objects.filter(enabled=True).select_related("roadmap__organisation", "requested_by")
    done = set(
        Report.objects.filter(scheduled=True, period_start=start, period_end=end).values_list("roadmap_id", flat=True)
    )
    created = 0
    for schedule in schedules:
        if schedule.roadmap_id in done:
            continue
        language = schedule.requested_by.language if schedule.requested_by else "de"
        try:
            with transaction.atomic():
                report_request(
                    person=schedule.requested_by,
                    scope=Scope.ROADMAP,
                    subject=schedule.roadmap,
                    period_start=start,
                    period_end=end,
                    language=language,
                    scheduled=True,
                )
        except IntegrityError:  # beat ran twice at the same time: the other run queued it
            continue
        created += 1
    return created


@transaction.atomic
def report_schedule_set(*, roadmap: Roadmap, enabled: bool, publish: bool, person: Person | None) -> ReportSchedule:
    schedule, _created = ReportSchedule.objects.update_or_create(
        roadmap=roadmap, defaults={"enabled": enabled, "publish": publish, "requested_by": person}
    )
    return schedule
