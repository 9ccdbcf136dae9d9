"""A confirmed import as a background job (measures.services.imports): queued, claimed once, checked again
and written all or nothing, its progress on a status page for the roadmap's editors, the watchdog."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from measures import importing, tasks
from measures.models import Measure, MeasureImport
from measures.services import imports
from networks import cache as page_cache
from networks.tabular import read_table
from tests.conftest import PERSONAS
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks.factories import OrganisationFactory

Status = MeasureImport.Status
HEADER = ["code", "title", "sector", "lead_organisation", "partners", "effect_expected", "effect_low"]


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren 2035")


@pytest.fixture
def lead(db):
    return OrganisationFactory(name="Stadtwerke Düren")


def content(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def rows(n, lead_name="Stadtwerke Düren", start=0):
    return [[f"I-{i:03d}", f"Import {i}", "mobility", lead_name, lead_name, "10", "5"] for i in range(start, start + n)]


def queue(roadmap, person, data: bytes, *, run=False, language="de") -> MeasureImport:
    """A queued job (its task sent at the commit: run eagerly with ``run``, else left for the test)."""
    table = read_table("massnahmen.csv", data)
    with TestCase.captureOnCommitCallbacks(execute=run) as callbacks:
        job = imports.import_queue(roadmap=roadmap, table=table, content=data, by=person, language=language)
    assert callbacks  # the task is sent after the commit, not before
    job.refresh_from_db()
    return job


def job_url(name, job, language="en"):
    with translation.override(language):
        return reverse(f"measures:{name}", args=[job.roadmap.slug, job.pk])


# --- The job: claimed once, all or nothing ------------------------------------------------------------------


def test_a_queued_job_runs_once_even_when_its_message_comes_twice(personas, roadmap, lead):
    editor = personas.people["editor"]
    job = queue(roadmap, editor, content(rows(3)))
    assert job.status == Status.QUEUED and job.rows_total == 3 and not Measure.objects.exists()

    assert tasks.measure_import_run(job.pk) == "done"
    assert tasks.measure_import_run(job.pk) == "skipped"  # redelivered (acks_late): nothing to claim

    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (Status.DONE, 100, 1)
    assert (job.created_count, job.changed_count, job.unchanged_count) == (3, 0, 0)
    assert bytes(job.content) == b"" and job.finished_at is not None  # the file is not kept
    measures = list(roadmap.measures.order_by("code"))
    assert [m.code for m in measures] == ["I-000", "I-001", "I-002"]
    assert job.measure_ids == [m.pk for m in measures]
    for measure in measures:  # one history entry each, by the editor, with the partners as written
        (record,) = measure.history.all()
        assert record.history_type == "+" and record.history_user == editor.user
        assert [p.organisation_id for p in record.partners.all()] == [lead.pk]
        assert list(measure.partners.all()) == [lead] and measure.lead_organisation == lead


def test_a_running_job_is_not_taken_by_a_second_delivery(personas, roadmap, lead):
    job = queue(roadmap, personas.people["editor"], content(rows(1)))
    MeasureImport.objects.filter(pk=job.pk).update(status=Status.RUNNING, heartbeat_at=timezone.now(), attempts=1)
    assert tasks.measure_import_run(job.pk) == "skipped"
    assert not Measure.objects.exists()
    assert tasks.measure_import_run(10**6) == "skipped"  # a job that is gone


def test_updates_write_history_only_for_changed_measures(personas, roadmap, lead):
    same = MeasureFactory(roadmap=roadmap, code="I-000", title="Import 0", sector="mobility", lead_organisation=lead)
    same.effect_expected, same.effect_low = Decimal(10), Decimal(5)
    same.save()
    same.partners.add(lead)
    changed = MeasureFactory(roadmap=roadmap, code="I-001", title="Alt", sector="mobility")
    before = {m.pk: m.history.count() for m in (same, changed)}

    job = queue(roadmap, personas.people["editor"], content(rows(2)), run=True)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.changed_count, job.unchanged_count) == (Status.DONE, 0, 1, 1)
    assert job.measure_ids == [changed.pk]
    assert same.history.count() == before[same.pk]  # unchanged: no entry
    assert changed.history.count() == before[changed.pk] + 1
    record = changed.history.first()
    assert record.history_type == "~" and record.title == "Import 1"
    assert [p.organisation_id for p in record.partners.all()] == [lead.pk]
    changed.refresh_from_db()
    assert changed.title == "Import 1" and list(changed.partners.all()) == [lead]
    assert changed.updated_at >= job.started_at


def test_a_row_that_became_invalid_after_the_check_fails_the_job_and_nothing_is_written(
    client, personas, roadmap, lead
):
    """The preview was fine; before the task runs, the organisation of row 3 is renamed: the task checks again,
    names the row, and writes none of the rows (also not the valid ones)."""
    kept = MeasureFactory(roadmap=roadmap, code="I-000", title="Bleibt", sector="mobility")
    other = OrganisationFactory(name="Verbraucherzentrale")
    data = content([*rows(1), ["I-001", "Neu", "mobility", "Verbraucherzentrale", "", "10", "5"]])
    assert importing.check(roadmap=roadmap, table=read_table("m.csv", data)).ok
    job = queue(roadmap, personas.people["editor"], data, language="en")
    other.name = "Verbraucherzentrale NRW"
    other.save()

    assert tasks.measure_import_run(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == Status.FAILED and bytes(job.content) == b""
    error = "lead_organisation: No organisation called “Verbraucherzentrale” is known on Klimanetz."
    assert job.problems == [{"row": 3, "code": "I-001", "errors": [error]}]
    assert job.error == "1 row has errors (row 3); nothing was imported. Correct the file and check it again."
    kept.refresh_from_db()
    assert kept.title == "Bleibt" and roadmap.measures.count() == 1
    personas.login(client, "editor")
    page = client.get(job_url("import-job", job)).content.decode()
    assert "Nothing was imported" in page and '<th scope="row">3</th>' in page


def test_a_code_taken_while_importing_rolls_everything_back(personas, roadmap, lead, monkeypatch):
    job = queue(roadmap, personas.people["editor"], content(rows(2)), language="en")
    original = importing.write

    def someone_was_faster(**kwargs):
        MeasureFactory(roadmap=roadmap, code="I-001")  # saved between the check and the insert
        return original(**kwargs)

    monkeypatch.setattr(importing, "write", someone_was_faster)
    assert tasks.measure_import_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error.startswith("The measures of the roadmap changed while importing")
    assert not roadmap.measures.exists()  # the measure of the test's helper was rolled back too


def test_the_soft_time_limit_fails_the_job(personas, roadmap, lead, monkeypatch):
    job = queue(roadmap, personas.people["editor"], content(rows(1)), language="en")

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(importing, "run", too_slow)
    assert tasks.measure_import_run(job.pk) == "timeout"
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "The import took too long and was stopped; nothing was imported. Please split the file."


def test_writing_takes_the_same_queries_for_few_and_many_rows(personas, roadmap, lead):
    editor = personas.people["editor"]

    def count(n):
        here = RoadmapFactory(organisation=roadmap.organisation)
        MeasureFactory(roadmap=here, code="I-000", title="Alt", sector="mobility")  # one row updates
        table = read_table("m.csv", content(rows(n)))
        with CaptureQueriesContext(connection) as queries:
            preview = importing.run(roadmap=here, table=table, by=editor)
        assert preview.ok and preview.count(importing.CREATE) == n - 1 and preview.count(importing.UPDATE) == 1
        return len(queries)

    # Both within one batch (PostgreSQL: 500 rows per INSERT; SQLite: its 999 parameters, about 20 measures)
    assert count(2) == count(20)


def test_the_public_pages_are_renewed_once_per_import(personas, roadmap, lead, settings, monkeypatch):
    settings.PUBLIC_PAGE_CACHE = True
    bumped = []
    monkeypatch.setattr(page_cache, "bump", lambda *scopes: bumped.append(scopes))
    queue(roadmap, personas.people["editor"], content(rows(5)), run=True)
    assert bumped.count(("roadmap:kreis-dueren", "home")) == 2  # now and after the commit; not per measure


def test_progress_is_reported_while_checking_and_writing(personas, roadmap, lead, monkeypatch):
    job = queue(roadmap, personas.people["editor"], content(rows(7)), language="en")
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    seen = []
    report = imports._report

    def watch(job, progress, step, rows_done):
        report(job, progress, step, rows_done)
        running = MeasureImport.objects.get(pk=job.pk)
        seen.append((imports.progress_of(running)["progress"], imports.progress_of(running)["step"], rows_done))

    monkeypatch.setattr(imports, "_report", watch)
    assert tasks.measure_import_run(job.pk) == "done"
    assert [s[2] for s in seen] == [2, 4, 6, 7, 7]
    assert [s[0] for s in seen] == sorted(s[0] for s in seen) and seen[-1][0] == imports.CHECK_DONE
    assert [s[1] for s in seen] == [
        "Checking row 2 of 7",
        "Checking row 4 of 7",
        "Checking row 6 of 7",
        "Checking row 7 of 7",
        "Writing 7 measures",
    ]
    job.refresh_from_db()
    assert job.progress == 100 and cache.get(imports._progress_key(job.pk)) is None


# --- The status page and its JSON --------------------------------------------------------------------------


def test_the_status_json_follows_the_job(client, personas, roadmap, lead):
    job = queue(roadmap, personas.people["editor"], content(rows(2)), language="en")
    personas.login(client, "editor")
    status_url = job_url("import-job-status", job)

    state = client.get(status_url)
    assert state["Cache-Control"] == "no-store" and state["Content-Type"] == "application/json"
    assert json.loads(state.content) == {
        "status": "queued",
        "status_label": "queued",
        "progress": 0,
        "step": "Waiting for a free worker",
        "rows_done": 0,
        "rows_total": 2,
        "error": "",
        "done": False,
    }

    MeasureImport.objects.filter(pk=job.pk).update(status=Status.RUNNING, attempts=1, progress=5)
    job.refresh_from_db()
    imports._report(job, 40, "Checking row 1 of 2", 1)  # what the task writes while its transaction is open
    state = json.loads(client.get(status_url).content)
    assert (state["status"], state["progress"], state["step"], state["rows_done"]) == (
        "running",
        40,
        "Checking row 1 of 2",
        1,
    )
    MeasureImport.objects.filter(pk=job.pk).update(attempts=2)  # an entry of an earlier attempt is ignored
    assert json.loads(client.get(status_url).content)["progress"] == 5

    MeasureImport.objects.filter(pk=job.pk).update(status=Status.QUEUED)
    assert tasks.measure_import_run(job.pk) == "done"
    state = json.loads(client.get(status_url).content)
    assert (state["status"], state["progress"], state["done"]) == ("done", 100, True)


def test_a_running_job_page_polls_and_works_without_javascript(client, personas, roadmap, lead):
    job = queue(roadmap, personas.people["editor"], content(rows(2)))
    personas.login(client, "editor")
    page = client.get(job_url("import-job", job)).content.decode()
    assert f'data-status-url="{job_url("import-job-status", job)}"' in page
    assert 'src="/static/js/report-progress.js"' in page and "<script>" not in page and " style=" not in page
    assert f'href="{job_url("import-job", job)}">Refresh</a>' in page  # reload by hand without JavaScript
    assert '<progress id="import-progress-bar" max="100" value="0">' in page


def test_confirming_in_the_browser_runs_the_job_and_shows_the_result(transactional_db, client, personas, roadmap, lead):
    """Development (eager tasks, as `make run`): the request's commit runs the job before the redirect, so the
    editor lands on the result (a real commit: transactional_db)."""
    personas.login(client, "editor")
    data = content(rows(3))
    with translation.override("en"):
        target = reverse("measures:measure-import", args=[roadmap.slug])

    def upload(**extra):
        file = io.BytesIO(data)
        file.name = "massnahmen.csv"
        return client.post(target, {"file": file, **extra})

    checked = upload(action="check")
    confirmed = client.post(target, {"action": "import", "draft": checked.context["confirm_form"]["draft"].value()})

    job = MeasureImport.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == job_url("import-job", job)
    page = client.get(confirmed["Location"])
    text = page.content.decode()
    assert text.count("3 measures imported (3 new, 0 changed, 0 unchanged).") == 2  # the message and the result
    assert "data-status-url" not in text and "report-progress.js" not in text  # finished: no polling
    for measure in roadmap.measures.all():
        assert reverse("measures:measure-edit", args=[roadmap.slug, measure.pk]) in text
    assert job.requested_by == personas.people["editor"] and job.language == "en"


def test_the_dashboard_and_the_import_page_list_recent_imports(client, personas, roadmap, lead):
    personas.login(client, "editor")
    dashboard = reverse("measures:editor-dashboard", args=[roadmap.slug])

    def queries_with(n):
        for _ in range(n):
            queue(roadmap, personas.people["editor"], content(rows(1)))
        client.get(dashboard)  # warm: the session and the access as every later page reads them (from the cache)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(dashboard).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(3)
    page = client.get(dashboard).content.decode()
    jobs = list(MeasureImport.objects.all()[:3])
    assert all(job_url("import-job", job, "de") in page for job in jobs) and "massnahmen.csv" in page
    assert job_url("import-job", MeasureImport.objects.last(), "de") not in page  # the three latest only
    import_page = client.get(reverse("measures:measure-import", args=[roadmap.slug])).content.decode()
    assert job_url("import-job", jobs[0], "de") in import_page


# --- Permissions -------------------------------------------------------------------------------------------

EXPECTED = {
    "anonymous": 302,
    "citizen": 403,
    "other_network": 403,
    "member": 403,
    "coordinator": 403,
    "editor": 200,
    "staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["import-job", "import-job-status"])
def test_the_job_pages_are_for_the_roadmaps_editors(client, personas, roadmap, lead, persona, name):
    job = queue(roadmap, personas.people["editor"], content(rows(1)))
    personas.login(client, persona)
    response = client.get(job_url(name, job))
    assert response.status_code == EXPECTED[persona]
    if response.status_code != 200:
        assert b"massnahmen.csv" not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_jobs_of_an_unpublished_roadmap_are_unknown_to_non_editors(client, personas, roadmap, lead, persona):
    job = queue(roadmap, personas.people["editor"], content(rows(1)))
    roadmap.published = False
    roadmap.save(update_fields=["published"])
    personas.login(client, persona)
    expected = {"anonymous": 302, "editor": 200, "staff": 200}.get(persona, 404)
    assert client.get(job_url("import-job-status", job)).status_code == expected


def test_a_job_is_only_found_under_its_own_roadmap(client, personas, roadmap, lead):
    job = queue(roadmap, personas.people["editor"], content(rows(1)))
    mine_too = RoadmapFactory(organisation=roadmap.organisation)
    personas.login(client, "editor")
    with translation.override("en"):
        wrong = reverse("measures:import-job", args=[mine_too.slug, job.pk])
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_job_pages_only_answer_get(client, personas, roadmap, lead, method):
    job = queue(roadmap, personas.people["editor"], content(rows(1)))
    personas.login(client, "editor")
    for name in ("import-job", "import-job-status"):
        assert getattr(client, method)(job_url(name, job)).status_code == 405


# --- Watchdog ----------------------------------------------------------------------------------------------


def test_the_watchdog_fails_dead_jobs_and_sends_forgotten_ones_again(personas, roadmap, lead):
    editor = personas.people["editor"]
    now = timezone.now()
    dead_since = now - imports._hard_limit() - imports.WATCHDOG_MARGIN - timedelta(seconds=5)
    dead = queue(roadmap, editor, content(rows(1)), language="en")
    alive = queue(roadmap, editor, content(rows(1, start=1)))
    forgotten = queue(roadmap, editor, content(rows(1, start=2)))
    given_up = queue(roadmap, editor, content(rows(1, start=3)), language="en")
    done = queue(roadmap, editor, content(rows(1, start=4)), run=True)
    MeasureImport.objects.filter(pk=dead.pk).update(status=Status.RUNNING, heartbeat_at=dead_since, attempts=1)
    MeasureImport.objects.filter(pk=alive.pk).update(status=Status.RUNNING, heartbeat_at=now, attempts=1)
    long_ago = now - imports.QUEUED_PATIENCE - timedelta(seconds=5)
    MeasureImport.objects.filter(pk=forgotten.pk).update(heartbeat_at=long_ago)
    MeasureImport.objects.filter(pk=given_up.pk).update(heartbeat_at=long_ago, sent_again=True)
    MeasureImport.objects.filter(pk=done.pk).update(heartbeat_at=dead_since)

    with TestCase.captureOnCommitCallbacks(execute=True) as sent:
        assert tasks.measure_imports_watchdog() == 3

    status = dict(MeasureImport.objects.values_list("pk", "status"))
    assert status == {
        dead.pk: Status.FAILED,
        alive.pk: Status.RUNNING,
        forgotten.pk: Status.DONE,  # sent again, and this time a worker took it (eager)
        given_up.pk: Status.FAILED,
        done.pk: Status.DONE,
    }
    assert [callback.__qualname__ for callback in sent].count("queue_on_commit.<locals>.send") == 1  # sent once
    dead.refresh_from_db()
    given_up.refresh_from_db()
    assert dead.error == "The import stopped unexpectedly; nothing was imported. Please try again."
    assert given_up.error == "The import could not be started: no worker took it up. Please try again later."
    assert bytes(given_up.content) == b"" and bytes(dead.content) == b""
    assert tasks.measure_imports_watchdog() == 0  # nothing left to do
    assert roadmap.measures.count() == 2  # done and forgotten; the dead one wrote nothing
