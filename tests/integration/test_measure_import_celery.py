"""A confirmed import of measures on a real Celery worker (Redis, PostgreSQL): its task, queued twice, writes the
measures once, with one history entry each, and the job ends DONE with its counts."""

import csv
import io
import os
import time

import pytest
import redis

from config.celery import app as celery_app
from measures import tasks
from measures.models import Measure, MeasureImport, Roadmap
from measures.services import imports
from networks.models import Organisation, OrganisationRole, Person, User
from networks.tabular import read_table
from tests.integration.test_celery_outbox import QUEUE, _start_worker, _stop_worker

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

WAIT_SECONDS = 60
ROWS = 300


@pytest.fixture
def real_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete(QUEUE)
    yield broker
    celery_app.conf.task_always_eager = before


def _file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Kürzel", "Titel", "Handlungsfeld", "Federführung"])
    writer.writerows([f"W-{i:04d}", f"Maßnahme {i}", "mobility", "Kreis Importtal"] for i in range(ROWS))
    return ("\ufeff" + buffer.getvalue()).encode()


def test_a_worker_imports_a_job_once_although_its_task_comes_twice(transactional_db, real_celery, tmp_path):
    organisation = Organisation.objects.create(name="Kreis Importtal", slug="kreis-importtal", kind="county")
    user = User.objects.create_user(email="redaktion@importtal.example")
    editor = Person.objects.create(user=user, name="Ida Import", organisation=organisation)
    OrganisationRole.objects.create(organisation=organisation, person=editor)
    roadmap = Roadmap.objects.create(organisation=organisation, slug="importtal", title="Importtal", target_year=2035)
    content = _file()
    job = imports.import_queue(
        roadmap=roadmap, table=read_table("massnahmen.csv", content), content=content, by=editor, language="de"
    )
    tasks.measure_import_run.delay(job.pk)  # the same message once more (a redelivery)
    assert real_celery.llen(QUEUE) == 2 and MeasureImport.objects.get(pk=job.pk).status == "queued"

    log_path = tmp_path / "worker.log"
    worker = _start_worker(mail_dir=tmp_path / "mail", log_path=log_path)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            job.refresh_from_db()
            runs = log_path.read_text(errors="replace").count("succeeded in")
            if (job.is_finished and runs >= 2) or worker.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        _stop_worker(worker)
    log = log_path.read_text(errors="replace")
    assert job.status == MeasureImport.Status.DONE, (job.error, log[-3000:])
    assert (job.attempts, job.created_count, job.progress) == (1, ROWS, 100)
    assert "'done'" in log and "'skipped'" in log, log[-3000:]
    measures = Measure.objects.filter(roadmap=roadmap)
    assert measures.count() == ROWS and Measure.history.filter(roadmap_id=roadmap.pk).count() == ROWS
    assert set(measures.values_list("lead_organisation", flat=True)) == {organisation.pk}
