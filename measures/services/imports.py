"""Confirmed imports of measures as background jobs: queue, run once, report progress, fail, watchdog.

The life of a job: the preview keeps the checked file in a CHECKED ``MeasureImport`` (``import_draft``); the
editor confirms it without choosing the file again and ``import_confirm`` makes it QUEUED (``import_queue``
stores a file as QUEUED at once) and sends ``measures.tasks.measure_import_run`` after the commit
(``queue_on_commit``: a broker that is down never raises into the request; the watchdog sends the job again).
The task claims the row with one conditional UPDATE (QUEUED → RUNNING, or a RUNNING row whose worker is known
dead): a second delivery of the same message finds nothing to claim and does nothing. It reads the stored file and runs
``measures.importing.run``: the rows are checked again against the data as it is now (it may have changed
since the preview) and written in ONE transaction, all or nothing. A row that became invalid fails the job
with the list of rows and their errors; nothing is written. Then the file's bytes are dropped.

Progress. The check and the write happen inside that one transaction, so the job row cannot carry the
progress while they run: an UPDATE of it in the same transaction is invisible to the status page until the
commit, and on SQLite a second connection cannot write while the import holds the database's write lock
(on PostgreSQL it could, but only at the price of a second connection per job). Committing between batches
would break all-or-nothing. So the job row is written at the edges (claimed, finished, failed), and the
task reports the rows checked and "writing n measures" in between through Django's cache, outside any
transaction (Redis in production, shared by the worker and the web processes; ``progress_of`` merges it
into what the status page shows). Without the cache (unreachable: the cache backend misses) the page
still shows the row's state, "Checking and writing", until the end. With ``CELERY_TASK_ALWAYS_EAGER``
(development, tests) the task runs in the request at the commit, and the status page shows the result.

One code path for every size: a small import runs through the same job (it takes a fraction of a second
in the worker, and the status page reloads to the result after one poll); no second, synchronous path to
keep in step with it, and no request that may run past gunicorn's timeout when a file is larger than
expected.

The watchdog (beat, every five minutes): a RUNNING job whose task is beyond its hard time limit (a worker
that died: its transaction was rolled back, nothing was written) becomes FAILED; a job QUEUED for longer
than QUEUED_PATIENCE is sent once more, and failed after another such wait.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from measures import importing
from measures.models import MeasureImport, Roadmap
from networks.models import Person
from networks.outbox import queue_on_commit
from networks.tabular import ImportFileError, Table

logger = logging.getLogger(__name__)

Status = MeasureImport.Status

WATCHDOG_MARGIN = timedelta(minutes=2)  # after the task's hard time limit, before a RUNNING job counts as dead
QUEUED_PATIENCE = timedelta(minutes=15)  # a QUEUED job is sent once more after this, and failed after twice
DRAFT_MAX_AGE = timedelta(hours=1)  # between the preview and its confirmation; older drafts are dropped
PROBLEM_ROWS = 1000  # rows with errors kept on a failed job (the first ones; the count is always complete)
PROGRESS_SECONDS = 600  # how long a progress entry stays in the cache (longer than the task may run)

# Progress of the stages: reading the file, checking the rows (up to 70 %), writing.
READ_DONE, CHECK_DONE = 5, 70

WAITING = _("Waiting for a free worker")
READING = _("Reading the file")
CHECKING_AND_WRITING = _("Checking and writing")
CHANGED_MEANWHILE = _(
    "The measures of the roadmap changed while importing (someone saved a measure with a code or address of "
    "this file); nothing was imported. Please check the file again."
)
STOPPED_REASON = _("The import stopped unexpectedly; nothing was imported. Please try again.")
NOT_STARTED_REASON = _("The import could not be started: no worker took it up. Please try again later.")
TIMEOUT_REASON = _("The import took too long and was stopped; nothing was imported. Please split the file.")
UNEXPECTED_REASON = _(
    "An unexpected error stopped the import; nothing was imported. Please try again; if it happens again, "
    "tell the Klimanetz team."
)


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _hard_limit() -> timedelta:
    from measures import tasks  # tasks imports this module

    return timedelta(seconds=tasks.IMPORT_HARD_LIMIT)


def _enqueue(job_id: int) -> None:
    from measures import tasks

    queue_on_commit(tasks.measure_import_run, job_id)  # a broker that is down: the watchdog sends it again


# --- Queue --------------------------------------------------------------------------------------------------


@transaction.atomic
def import_queue(
    *, roadmap: Roadmap, table: Table, content: bytes, by: Person | None, language: str = "de"
) -> MeasureImport:
    """A QUEUED job of the checked file (``table``: what the upload form read from ``content``); its task is
    sent after the commit. The caller has checked that ``by`` edits the roadmap (measures.access)."""
    job = MeasureImport.objects.create(
        roadmap=roadmap,
        requested_by=by,
        file_name=(table.name or "import")[:255],
        content=content,
        digest=table.digest,
        language=language,
        rows_total=len(table.rows),
        step=_in(language, WAITING),
        heartbeat_at=timezone.now(),
    )
    _enqueue(job.pk)
    return job


# --- The file of a preview, kept for its confirmation ---------------------------------------------------------


@transaction.atomic
def import_draft(
    *, roadmap: Roadmap, table: Table, content: bytes, by: Person | None, language: str = "de"
) -> MeasureImport:
    """Keep the checked file (a CHECKED job) so that confirming does not ask for it again. The editor's earlier
    drafts of this roadmap are dropped: only the latest check can be confirmed."""
    _drafts().filter(roadmap=roadmap, requested_by=by).delete()
    return MeasureImport.objects.create(
        roadmap=roadmap,
        requested_by=by,
        status=Status.CHECKED,
        file_name=(table.name or "import")[:255],
        content=content,
        digest=table.digest,
        language=language,
        rows_total=len(table.rows),
    )


def import_confirm(*, roadmap: Roadmap, draft_id: int, by: Person | None, language: str = "de") -> MeasureImport | None:
    """Queue the draft the editor checked (one conditional UPDATE: a second click queues nothing) and send its
    task after the commit; None when there is no such draft of this editor and roadmap, or it is too old."""
    now = timezone.now()
    with transaction.atomic():
        queued = (
            _drafts()
            .filter(pk=draft_id, roadmap=roadmap, requested_by=by, created_at__gte=now - DRAFT_MAX_AGE)
            .update(
                status=Status.QUEUED, language=language, step=_in(language, WAITING), created_at=now, heartbeat_at=now
            )
        )
        if not queued:
            return None
        _enqueue(draft_id)
    return MeasureImport.objects.defer("content").get(pk=draft_id)


def _drafts():
    return MeasureImport.objects.filter(status=Status.CHECKED)


# --- Run ----------------------------------------------------------------------------------------------------


def _claim(job_id: int) -> MeasureImport | None:
    """Take the job for this run with one conditional UPDATE, or None: done, failed, missing, or running
    elsewhere and not yet known dead (a redelivered message while the first delivery still runs)."""
    now = timezone.now()
    dead = now - _hard_limit() - WATCHDOG_MARGIN
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=dead)
    language = MeasureImport.objects.filter(pk=job_id).values_list("language", flat=True).first()
    if language is None:
        return None
    claimed = MeasureImport.objects.filter(claimable, pk=job_id).update(
        status=Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        rows_done=0,
        error="",
        problems=[],
        step=_in(language, READING),
    )
    if not claimed:
        return None
    return MeasureImport.objects.select_related("roadmap", "requested_by__user").get(pk=job_id)


def _progress_key(job_id: int) -> str:
    return f"measure-import:{job_id}:progress"


def _report(job: MeasureImport, progress: int, step, rows_done: int) -> None:
    """Progress through the cache (outside the import's transaction; see the module's docstring)."""
    state = {"attempt": job.attempts, "progress": progress, "step": _in(job.language, step), "rows_done": rows_done}
    cache.set(_progress_key(job.pk), state, PROGRESS_SECONDS)


def progress_of(job: MeasureImport) -> dict:
    """What the status page shows: the row, with a running job's latest progress from the cache."""
    state = {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "step": job.step,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "error": job.error if job.status == Status.FAILED else "",
        "done": job.is_finished,
    }
    if job.status == Status.RUNNING:
        latest = cache.get(_progress_key(job.pk))
        if latest and latest.get("attempt") == job.attempts:
            state |= {key: latest[key] for key in ("progress", "step", "rows_done")}
    return state


def _reporter(job: MeasureImport, total: int):
    def progress(stage: str, done: int, count: int) -> None:
        if stage == importing.CHECKING:
            percent = READ_DONE + (CHECK_DONE - READ_DONE) * done // max(count, 1)
            step = _("Checking row %(done)s of %(total)s") % {"done": done, "total": count}
            _report(job, percent, step, done)
        else:
            step = ngettext("Writing %(count)s measure", "Writing %(count)s measures", count) % {"count": count}
            _report(job, CHECK_DONE, step, total)

    return progress


def import_run(job_id: int) -> str:
    """Run a job once: 'done', 'failed', 'timeout', or 'skipped' when there was nothing to claim."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    with translation.override(job.language):
        try:
            table = importing.read_table(job.file_name, bytes(job.content))
        except ImportFileError as error:
            _fail(job, str(error))
            return "failed"
        total = len(table.rows)
        _mine(job).update(
            rows_total=total,
            progress=READ_DONE,
            step=_in(job.language, CHECKING_AND_WRITING),
            heartbeat_at=timezone.now(),
        )
        try:
            preview = importing.run(
                roadmap=job.roadmap, table=table, by=job.requested_by, progress=_reporter(job, total)
            )
        except SoftTimeLimitExceeded:
            _fail(job, _in(job.language, TIMEOUT_REASON))
            return "timeout"
        except ImportFileError as error:  # the headers (checked at the upload already)
            _fail(job, str(error))
            return "failed"
        except DatabaseError:  # IntegrityError: a code or address taken meanwhile; a deadlock
            logger.warning("measure import %s: the roadmap changed while importing", job_id, exc_info=True)
            _fail(job, _in(job.language, CHANGED_MEANWHILE))
            return "failed"
        except Exception:
            logger.exception("measure import %s failed", job_id)
            _fail(job, _in(job.language, UNEXPECTED_REASON))
            return "failed"
        if not preview.ok:
            _fail(job, _bad_rows_text(preview), problems=_problems(preview))
            return "failed"
        _finish(job, preview)
    return "done"


def _mine(job: MeasureImport):
    """The row as long as it belongs to this run (same attempt, still RUNNING)."""
    return MeasureImport.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)


def _bad_rows_text(preview: importing.Preview) -> str:
    bad = preview.bad_rows
    rows = ", ".join(str(row.number) for row in bad[:20]) + (", …" if len(bad) > 20 else "")
    return ngettext(
        "%(count)s row has errors (row %(rows)s); nothing was imported. Correct the file and check it again.",
        "%(count)s rows have errors (rows %(rows)s); nothing was imported. Correct the file and check it again.",
        len(bad),
    ) % {"count": len(bad), "rows": rows}


def _problems(preview: importing.Preview) -> list[dict]:
    return [{"row": row.number, "code": row.code, "errors": row.errors} for row in preview.bad_rows[:PROBLEM_ROWS]]


def _finish(job: MeasureImport, preview: importing.Preview) -> None:
    at = timezone.now()
    _mine(job).update(
        status=Status.DONE,
        progress=100,
        step="",
        rows_done=len(preview.rows),
        created_count=preview.count(importing.CREATE),
        changed_count=preview.count(importing.UPDATE),
        unchanged_count=preview.count(importing.UNCHANGED),
        measure_ids=preview.written_ids,
        content=b"",
        finished_at=at,
        heartbeat_at=at,
    )
    cache.delete(_progress_key(job.pk))


def _fail(job: MeasureImport, reason: str, *, problems: list | None = None) -> None:
    _mine(job).update(
        status=Status.FAILED, error=reason, problems=problems or [], step="", content=b"", finished_at=timezone.now()
    )
    cache.delete(_progress_key(job.pk))


def _fail_each(jobs, reason, at=None) -> int:
    """Each job of ``jobs`` (a queryset that also says which jobs may still be failed) ends FAILED with ``reason``
    in the job's language; nothing was written. Returns how many."""
    at = at or timezone.now()
    changed = 0
    for pk, language in list(jobs.values_list("pk", "language")):
        changed += jobs.filter(pk=pk).update(
            status=Status.FAILED, error=_in(language, reason), step="", content=b"", finished_at=at
        )
    return changed


def import_fail(job_id: int, reason) -> int:
    """A QUEUED or RUNNING job ends FAILED with ``reason`` (in the job's language); nothing was written."""
    return _fail_each(MeasureImport.objects.filter(pk=job_id, status__in=(Status.QUEUED, Status.RUNNING)), reason)


# --- Watchdog -----------------------------------------------------------------------------------------------


def imports_watchdog() -> int:
    """Fail RUNNING jobs whose worker died; send long-QUEUED ones once more, then fail them; drop the files of
    previews nobody confirmed within DRAFT_MAX_AGE. Returns changes."""
    at = timezone.now()
    _drafts().filter(created_at__lt=at - DRAFT_MAX_AGE).delete()
    dead = MeasureImport.objects.annotate(alive=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
        status=Status.RUNNING, alive__lt=at - _hard_limit() - WATCHDOG_MARGIN
    )
    changed = _fail_each(dead, STOPPED_REASON, at)
    waiting = MeasureImport.objects.annotate(queued=Coalesce("heartbeat_at", "created_at")).filter(
        status=Status.QUEUED, queued__lt=at - QUEUED_PATIENCE
    )
    for pk, sent_again in list(waiting.values_list("pk", "sent_again")):
        if not sent_again:
            with transaction.atomic():
                if MeasureImport.objects.filter(pk=pk, status=Status.QUEUED, sent_again=False).update(
                    sent_again=True, heartbeat_at=at
                ):
                    _enqueue(pk)
                    changed += 1
        else:
            changed += import_fail(pk, NOT_STARTED_REASON)
    return changed
