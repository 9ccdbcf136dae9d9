"""One test database per run on PostgreSQL, copied for each pytest-xdist worker.

Migrating an empty database takes about a minute of CPU (Django renders the models' states again and again). Each
pytest-xdist worker used to migrate its own test database (test_<name>_gw0, _gw1) at the same time, after its
collection. Now the controller process starts one template at once, test_<name>_template, in a process of its own
(``python -m tests.template_db``) while the workers start and collect: loaded from tests/schema.sql and migrated
(nothing left to apply) when that file was made from these migrations (tests/schema.py), else migrated as before
(``load_schema``). Each worker waits for it and creates its database as a copy of it (PostgreSQL's
``CREATE DATABASE ... TEMPLATE``, Django's ``TEST["TEMPLATE"]`` setting: well under a second). Django's test
database creation runs as before on the copy: its ``migrate`` finds every migration applied (and would apply any the
copy lacked), the post-migrate signals and the cache table run as before.

The same process then loads the demo portal once for the run (when the collection has a test that uses it: the
controller's scheduler says so, ``want_demo``) into a copy of the template and writes its snapshot to a file that
tests/demo_snapshot.py restores in each worker, instead of each worker running load_demo (10-35 s) itself.

Not used: on SQLite, without workers (``-n 0``), with ``--reuse-db``, ``--no-migrations``, or with
KLIMANETZ_TEST_TEMPLATE=0. If the migration fails, each worker says so and migrates its own database as before.
The controller drops the template when the run ends.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

ENV = "KLIMANETZ_TEST_TEMPLATE"  # to the workers: {"name": ..., "status": ...}; "0" switches the template off
WAIT = 900  # seconds a worker waits for the template before it migrates its own database


def _wanted(config) -> bool:
    from django.conf import settings

    if os.environ.get(ENV) == "0" or hasattr(config, "workerinput"):
        return False
    if not getattr(config.option, "numprocesses", None) or getattr(config.option, "dist", "no") == "no":
        return False
    if config.getoption("reuse_db", False) or config.getoption("nomigrations", False):
        return False
    return list(settings.DATABASES) == ["default"] and "postgresql" in settings.DATABASES["default"]["ENGINE"]


def template_name() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"{db.get('TEST', {}).get('NAME') or 'test_' + db['NAME']}_template"


def start(config) -> None:
    """The controller: start building the template (pytest_configure, before the workers are started)."""
    if not _wanted(config):
        return
    work = Path(tempfile.mkdtemp(prefix="klimanetz-template-"))
    name, status, log = template_name(), work / "status", work / "log"
    env = dict(os.environ, KLIMANETZ_TESTING="1")
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (this interpreter, this module)
            [sys.executable, "-m", "tests.template_db", name, str(status), str(work / "demo")],
            cwd=str(Path(__file__).resolve().parent.parent),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    os.environ[ENV] = json.dumps({"name": name, "status": str(status), "log": str(log), "demo": str(work / "demo")})
    config._klimanetz_template = (process, name, work)


def want_demo(config, wanted: bool) -> None:
    """The controller, once the collection is known: does any test use the demo (the template's process then loads
    it for the whole run) or not (the process ends)?"""
    started = getattr(config, "_klimanetz_template", None)
    if started is not None:
        (started[2] / ("demo.wanted" if wanted else "demo.unwanted")).touch()


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def note_database_free(config, items) -> None:
    """A worker, after its collection: which modules none of whose tests needs the database (no ``django_db`` mark,
    none of DATABASE_FIXTURES), in a file for the controller (``database_free``). The controller hands them out first:
    they run while the template is migrated (half a minute and more), when the workers would otherwise wait."""
    announced = os.environ.get(ENV)
    if not hasattr(config, "workerinput") or not announced or announced == "0":
        return
    needs: dict[str, bool] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        uses = item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))
        needs[path] = needs.get(path, False) or uses
    target = Path(json.loads(announced)["status"]).parent / f"database-free.{config.workerinput['workerid']}"
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text("\n".join(path for path, used in needs.items() if not used))
    partial.replace(target)  # whole or not at all for the controller


def database_free(config) -> frozenset[str]:
    """The controller, when it orders the units: the modules every worker found to need no database (none without the
    template)."""
    started = getattr(config, "_klimanetz_template", None)
    if started is None:
        return frozenset()
    found = [set(path.read_text().split()) for path in started[2].glob("database-free.gw*")]
    return frozenset(set.intersection(*found)) if found else frozenset()


def finish(config) -> None:
    """The controller, at the end of the run: stop the build if it still runs, drop the template."""
    started = getattr(config, "_klimanetz_template", None)
    if started is None:
        return
    process, name, work = started
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    os.environ.pop(ENV, None)
    try:
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name + '_demo')}")
    except Exception as error:  # noqa: BLE001 (the run's result stands; the next run replaces it)
        warnings.warn(f"the template test database {name} was not dropped: {error!r}", stacklevel=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def use() -> bool:
    """A worker, before its test database is created: wait for the template and copy it (True), or migrate as
    before (False) when there is none or its build failed."""
    announced = os.environ.get(ENV)
    if not announced or announced == "0":
        return False
    from django.conf import settings

    template = json.loads(announced)
    status = Path(template["status"])
    deadline = time.monotonic() + WAIT
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    result = status.read_text() if status.exists() else "timeout"
    if result != "ok":
        log = Path(template["log"])
        output = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        warnings.warn(f"no template test database ({result}): migrating this worker's own.\n{output}", stacklevel=1)
        return False
    settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = template["name"]
    return True


def build(name: str, status: Path, demo: Path | None = None) -> None:
    """The template's own process: the test database as Django's test runner creates it, under the name ``name``;
    writes "ok" (or the error) to ``status`` once every connection to it is closed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection, connections
        from django.test.utils import setup_test_environment

        setup_test_environment(debug=False)
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
        started = time.monotonic()
        loaded = load_schema(connection)
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=loaded)
        connections.close_all()
        how = "loaded from tests/schema.sql and migrated" if loaded else "migrated"
        print(f"template test database {name} {how} in {time.monotonic() - started:.1f} s", flush=True)
        result = "ok"
    except BaseException:  # noqa: BLE001 (reported to the workers, which then migrate their own)
        traceback.print_exc()
        result = "failed"
    partial = status.with_suffix(".partial")
    partial.write_text(result)
    partial.rename(status)  # the workers never read half a word
    if result == "ok" and demo is not None:
        build_demo(name, demo)


def load_schema(connection) -> bool:
    """Create the (empty) template database and load tests/schema.sql into it, when the file was made from these
    migrations (tests/schema.py); False, with the template left to ``migrate``, when it was not or loading failed."""
    from tests import schema

    if not schema.usable(connection):
        print("tests/schema.sql does not match the migrations (make test-schema): migrating", flush=True)
        return False
    name, settings_dict = connection.settings_dict["NAME"], connection.settings_dict
    try:
        settings_dict["NAME"] = connection.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        connection.close()
        schema.load(connection)
        return True
    except Exception:  # noqa: BLE001 (migrated as before)
        traceback.print_exc()
        return False
    finally:
        settings_dict["NAME"] = name
        connection.close()


def build_demo(template: str, path: Path) -> None:
    """After the template: wait for the controller's word (``want_demo``), then load the demo into a copy of the
    template as a test would (eager tasks, German, files in a directory of their own, a local cache), write its
    snapshot to ``path`` (tests/demo_snapshot.py) or ``path``.failed, and drop the copy."""
    deadline = time.monotonic() + WAIT
    wanted, unwanted = path.with_name("demo.wanted"), path.with_name("demo.unwanted")
    while not wanted.exists() and not unwanted.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if not wanted.exists():
        return
    from django.conf import settings
    from django.db import connection, connections
    from django.test.utils import override_settings
    from django.utils import translation

    from config.celery import app
    from tests import demo_snapshot

    name = f"{template}_demo"
    quoted, started = connection.ops.quote_name(name), time.monotonic()
    try:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE {connection.ops.quote_name(template)}")
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name
        media = path.with_name("demo-load-media")
        local_cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        app.conf.task_always_eager = True
        with (
            override_settings(MEDIA_ROOT=str(media), CELERY_TASK_ALWAYS_EAGER=True, CACHES=local_cache),
            translation.override("de"),
        ):
            from django.core.management import call_command

            out = io.StringIO()
            call_command("load_demo", force=True, stdout=out)
            snapshot = demo_snapshot.take(out.getvalue(), media)
        demo_snapshot.save(snapshot, path)
        print(f"demo loaded for the run in {time.monotonic() - started:.1f} s", flush=True)
    except BaseException:  # noqa: BLE001 (each worker then loads its own)
        traceback.print_exc()
        path.with_name(path.name + ".failed").touch()
    finally:
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


if __name__ == "__main__":
    build(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
