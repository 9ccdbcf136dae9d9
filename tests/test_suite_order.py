"""The order in which pytest-xdist hands out the suite's units (tests/conftest.py): long units first."""

from types import SimpleNamespace

from tests.conftest import long_units_first, pytest_xdist_make_scheduler, xdist_group


def test_browser_modules_then_modules_then_long_tests_then_the_larger_modules_first():
    nodeids = [
        "tests/announcements/test_a.py::test_one",
        "tests/integration/test_s.py::test_service",
        "tests/browser/test_x.py::test_journey",
        "tests/mail/test_migration.py::test_data_migration",
        "tests/monitoring/test_reports.py::test_one",
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/browser/test_y.py::test_journey",
        "tests/zeta/test_z.py::test_one",
        "tests/zeta/test_z.py::test_two",
        "tests/integration/test_t.py::test_service_two",
    ]
    assert long_units_first(nodeids) == [
        "tests/browser/test_x.py::test_journey",  # each browser journey's module is a group: both workers share them
        "tests/browser/test_y.py::test_journey",
        "tests/monitoring/test_reports.py::test_one",  # a module sharing one world, in its own order
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/mail/test_migration.py::test_data_migration",
        "tests/integration/test_s.py::test_service",  # the services: one unit of two tests
        "tests/integration/test_t.py::test_service_two",
        "tests/zeta/test_z.py::test_one",  # a module of two tests, after the services (collected later)
        "tests/zeta/test_z.py::test_two",
        "tests/announcements/test_a.py::test_one",  # the smallest last
    ]
    assert sorted(long_units_first(nodeids)) == sorted(nodeids)  # nothing lost, nothing twice
    first = ["tests/security/test_url_matrix.py::test_matrix[1]", "tests/fuzz/test_forms_fuzz.py::test_fuzz[a]"]
    assert long_units_first(nodeids + first)[:2] == first[::-1]  # the longest units without the demo before all
    assert xdist_group("tests/browser/test_x.py::test_journey") != xdist_group("tests/browser/test_y.py::test_journey")
    assert xdist_group("tests/integration/test_a.py::t") == xdist_group("tests/integration/test_b.py::t")


class FakeConfig:
    """What the scheduler reads of pytest's config: two workers, --dist loadgroup."""

    option = SimpleNamespace(loadscopereorder=True)

    def getoption(self, name):
        return {"dist": "loadgroup"}[name]

    def getvalue(self, name):
        return {"tx": ["2*popen"]}[name]


class FakeWorker:
    """A worker as the scheduler sees it: it is sent positions in its own collection to run."""

    def __init__(self, name: str):
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.pending: list[int] = []
        self.ran: list[int] = []

    def send_runtest_some(self, indices):
        self.pending.extend(indices)

    def shutdown(self):
        self.shutting_down = True


def test_each_worker_is_sent_the_positions_of_whole_units_in_its_own_collection():
    """A worker runs the tests at the positions it is sent, in its own collection (the order of collection): the
    scheduler hands out whole groups, the one-worker modules first, by their positions there."""
    collection = [
        "tests/accounts/test_a.py::test_one",
        "tests/accounts/test_a.py::test_two",
        "tests/integration/test_s.py::test_service_one",
        "tests/monitoring/test_reports.py::test_one",
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/zeta/test_z.py::test_one",
        "tests/zeta/test_z.py::test_two",
        "tests/integration/test_t.py::test_service_two",
    ]
    scheduler = pytest_xdist_make_scheduler(FakeConfig(), None)
    workers = [FakeWorker("gw0"), FakeWorker("gw1")]
    for worker in workers:
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, list(collection))
    scheduler.schedule()
    first = [collection[i] for i in workers[0].pending[:3]]
    while any(worker.pending for worker in workers):
        for worker in workers:
            if worker.pending:
                index = worker.pending.pop(0)
                worker.ran.append(index)
                scheduler.mark_test_complete(worker, index)

    assert first == [f"tests/monitoring/test_reports.py::test_{n}" for n in ("one", "two", "three")]
    owner = {collection[i]: worker.gateway.id for worker in workers for i in worker.ran}
    assert sorted(owner) == sorted(collection) and sum(len(w.ran) for w in workers) == len(collection)
    assert len({owner[n] for n in collection if n.startswith("tests/monitoring/test_reports.py")}) == 1
    assert len({owner[n] for n in collection if n.startswith("tests/integration/")}) == 1
    assert len({owner[n] for n in collection if n.startswith("tests/zeta/")}) == 1  # a module is a unit
    for worker in workers:
        assert scheduler.registered_collections[worker] == collection, "each worker's collection keeps its order"


def test_a_worker_copies_the_template_once_it_is_built_and_migrates_its_own_without_it(tmp_path, monkeypatch):
    """tests/template_db.py: the worker waits for the controller's template build and then creates its database as
    a copy of it (Django's TEST["TEMPLATE"]); a failed build leaves the worker migrating its own, with the build's
    output in a warning."""
    import json
    import warnings

    from django.conf import settings

    from tests import template_db

    monkeypatch.setattr(
        settings, "DATABASES", {"default": dict(settings.DATABASES["default"], TEST={"NAME": "test_x_gw0"})}
    )
    monkeypatch.delenv(template_db.ENV, raising=False)
    assert template_db.use() is False  # no controller template: as before

    status, log = tmp_path / "status", tmp_path / "log"
    monkeypatch.setenv(template_db.ENV, json.dumps({"name": "test_x_template", "status": str(status), "log": str(log)}))
    status.write_text("failed")
    log.write_text("Traceback: the migration broke")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert template_db.use() is False
    assert "the migration broke" in str(caught[0].message)
    assert "TEMPLATE" not in settings.DATABASES["default"]["TEST"]

    status.write_text("ok")
    assert template_db.use() is True
    assert settings.DATABASES["default"]["TEST"] == {"NAME": "test_x_gw0", "TEMPLATE": "test_x_template"}


def test_only_the_controller_of_a_postgresql_xdist_run_builds_a_template(monkeypatch):
    from django.conf import settings

    from tests import template_db

    class Config:
        def __init__(self, **options):
            self.option = SimpleNamespace(numprocesses=2, dist="loadgroup", **options)

        def getoption(self, name, default=None):
            return getattr(self.option, name, default)

    monkeypatch.delenv(template_db.ENV, raising=False)
    monkeypatch.setattr(
        settings, "DATABASES", {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "klimanetz"}}
    )
    assert template_db._wanted(Config())
    assert template_db.template_name() == "test_klimanetz_template"
    worker = Config()
    worker.workerinput = {"workerid": "gw0"}
    assert not template_db._wanted(worker)
    assert not template_db._wanted(Config(reuse_db=True))
    assert not template_db._wanted(Config(nomigrations=True))
    no_workers = Config()
    no_workers.option.numprocesses = 0
    assert not template_db._wanted(no_workers)
    monkeypatch.setenv(template_db.ENV, "0")
    assert not template_db._wanted(Config())
    monkeypatch.delenv(template_db.ENV)
    monkeypatch.setattr(
        settings, "DATABASES", {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    )
    assert not template_db._wanted(Config())


def test_modules_without_a_database_go_out_first_as_every_worker_found_them(tmp_path, monkeypatch):
    """While the run's test database is migrated the workers run the modules that need none (tests/template_db.py):
    each worker notes its own after its collection, the controller hands out those all workers agree on first."""
    import json

    import pytest

    from tests import template_db

    status = tmp_path / "status"
    monkeypatch.setenv(template_db.ENV, json.dumps({"name": "t", "status": str(status), "log": str(tmp_path / "log")}))

    def item(nodeid, fixtures=(), marked=False):
        mark = pytest.mark.django_db.mark if marked else None
        return SimpleNamespace(nodeid=nodeid, fixturenames=list(fixtures), get_closest_marker=lambda name: mark)

    items = [
        item("tests/numbers/test_parse.py::test_a"),
        item("tests/numbers/test_parse.py::test_b", fixtures=("settings",)),
        item("tests/mixed/test_m.py::test_pure"),
        item("tests/mixed/test_m.py::test_page", fixtures=("client", "db")),
        item("tests/marked/test_k.py::test_one", marked=True),
        item("tests/browser/test_x.py::test_journey", fixtures=("live_server",)),
    ]
    for worker in ("gw0", "gw1"):
        template_db.note_database_free(SimpleNamespace(workerinput={"workerid": worker}), items)
    template_db.note_database_free(SimpleNamespace(), items)  # the controller itself notes nothing
    config = SimpleNamespace(_klimanetz_template=(None, "t", tmp_path))
    assert template_db.database_free(config) == {"tests/numbers/test_parse.py"}
    assert template_db.database_free(SimpleNamespace()) == set()  # no template (SQLite, -n 0): nothing first

    nodeids = [i.nodeid for i in items] + ["tests/fuzz/test_forms_fuzz.py::test_fuzz[a]"]
    ordered = long_units_first(nodeids, template_db.database_free(config))
    assert ordered[:3] == [
        "tests/numbers/test_parse.py::test_a",
        "tests/numbers/test_parse.py::test_b",
        "tests/fuzz/test_forms_fuzz.py::test_fuzz[a]",
    ]
