"""Shared fixtures: the personas of DESIGN §4 around one network."""

import copy
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from networks.backends import ModelBackend
from networks.models import NetworkRole
from tests import collection_share, demo_snapshot, template_db, timeline
from tests.helpers import login_persona
from tests.networks import factories as f

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]

# pytest-xdist (make test: -n 2 --dist loadgroup): tests that must not run beside each other, or that share a world
# built once per module, run on one worker. The tests with real services (a Celery worker taking tasks from the one
# queue on REDIS_URL, private PostgreSQL and Redis servers started and stopped); the modules that load the demo once
# (demo_once) or build a report world once. The browser journeys run module by module (each journey loads its own
# demo into its worker's database and drives its own Chromium against its own live server), so both workers share
# them: together they take longer than half the suite.
XDIST_GROUPS = {"tests/integration/": "services"}
ONE_WORKER_PREFIXES = ("tests/browser/",)  # each module of these folders is a group of its own
ONE_WORKER_MODULES = {
    "tests/events/test_demo.py",
    "tests/measures/test_demo.py",
    "tests/monitoring/test_demo.py",
    "tests/monitoring/test_reports.py",
    "tests/council/test_demo.py",
}


# The tests that use the demo portal (demo_data, demo_once): with any of them collected, the run loads it once
# (tests/template_db.py) for every worker. The two longest units without it go out first, while it loads.
DEMO_USERS = (
    "tests/browser/",
    *("tests/council/test_demo.py", "tests/events/test_demo.py"),
    *("tests/measures/test_demo.py", "tests/monitoring/test_demo.py"),
)
FIRST_UNITS = ("tests/fuzz/test_forms_fuzz.py", "tests/security/test_url_matrix.py")


def xdist_group(nodeid: str) -> str | None:
    path = nodeid.split("::", 1)[0]
    for prefix, group in XDIST_GROUPS.items():
        if path.startswith(prefix):
            return group
    if path in ONE_WORKER_MODULES or path.startswith(ONE_WORKER_PREFIXES):
        return path
    return None


def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup by the path of each test (above). pytest-xdist's own loadgroup reads xdist_group marks
    from a renamed node id that pytest 9 no longer uses (every test was its own group). Units are handed out
    long ones first (long_units_first)."""
    if config.getoption("dist") != "loadgroup":
        template_db.want_demo(config, False)  # each worker loads its own
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByPath(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            # A module is a unit: its module-scoped world (personas, reports) is built on one worker, once.
            return xdist_group(nodeid) or nodeid.split("::", 1)[0]

        def _assign_work_unit(self, node) -> None:
            """Before the first unit goes out, the queue of units (built in the order of collection) is put in the
            order of long_units_first. The workers' collections stay as they are: a worker runs the tests at the
            positions it is sent in its own collection (reordering those lists, as before, sent each worker the
            positions of other tests: groups were split over both workers, module fixtures built again and again)."""
            if not self.ordered:
                self.ordered = True
                template_db.want_demo(config, any(n.startswith(DEMO_USERS) for n in self.collection))
                units = dict(self.workqueue)
                self.workqueue.clear()
                for nodeid in long_units_first(self.collection, template_db.database_free(config)):
                    scope = self._split_scope(nodeid)
                    if scope in units:
                        self.workqueue[scope] = units.pop(scope)
            super()._assign_work_unit(node)

    config.option.loadscopereorder = False
    return ByPath(config, log)


# Single tests known to take long (tens of seconds): started with the groups, not left for the end.
LONG_TESTS = {"tests/mail/test_migration.py"}


def long_units_first(nodeids: list[str], database_free: frozenset[str] = frozenset()) -> list[str]:
    """The order in which the units of work are handed out: the modules none of whose tests needs the database
    (``database_free``, largest first: they run while the run's test database is migrated, tests/template_db.py), the
    FIRST_UNITS (long, without the demo: they run while the run's demo loads), the browser journeys' modules (both
    workers share them),
    the other one-worker modules (a demo or a report world loaded once), the LONG_TESTS, then every other module
    (and the services group), those with more tests first. A group or a long module left for the end would otherwise
    run alone while the other worker idles; the last units are the small modules.

    (Two of the services' Celery tests failed in CI when the services were handed out early: the scheduler then split
    groups over both workers, see ByPath, and two Celery workers, one per pytest worker, took each other's tasks
    from the one queue on REDIS_URL.)"""

    def unit(nodeid: str) -> str:
        return xdist_group(nodeid) or nodeid.split("::", 1)[0]

    sizes = Counter(unit(nodeid) for nodeid in nodeids)
    first = {}
    for index, nodeid in enumerate(nodeids):
        first.setdefault(unit(nodeid), index)

    def rank(item: tuple[int, str]) -> tuple:
        index, nodeid = item
        group, name = xdist_group(nodeid), unit(nodeid)
        if name in database_free and not group:
            return (-2, -sizes[name], first[name], index)
        if name in FIRST_UNITS:
            return (-1, FIRST_UNITS.index(name), index)
        if group and group not in XDIST_GROUPS.values():
            return (0, 0 if group.startswith(ONE_WORKER_PREFIXES) else 1, group, index)
        if nodeid.split("::", 1)[0] in LONG_TESTS:
            return (1, index)
        return (2, -sizes[name], first[name], index)

    return [nodeid for _index, nodeid in sorted(enumerate(nodeids), key=rank)]


def pytest_configure(config):
    if os.environ.get(timeline.ENV):
        config.pluginmanager.register(timeline, "klimanetz-timeline")  # per-worker timeline: tests/timeline.py
    template_db.start(config)  # the controller of a pytest-xdist run: one migration for all workers


def pytest_collection(session):
    collection_share.share(session.config)  # a worker: rewrites the asserts of its share of the modules first


def pytest_collection_modifyitems(config, items):
    template_db.note_database_free(config, items)  # a worker: its modules without a database, for the controller


def pytest_unconfigure(config):
    template_db.finish(config)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """pytest-django's hook before the test databases are created: a worker's is a copy of the run's template."""
    template_db.use()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # allauth rate limits live in the cache
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _account_remembered_on_login(monkeypatch):
    """force_login leaves the account in the cache (networks.backends) as the first request of a session does in
    production: a signed-in request then reads its session and its account from the cache, without a query, and
    the pinned query counts count what production runs on every later request."""
    force_login = Client.force_login

    def logged_in_and_remembered(self, user, backend=None):
        force_login(self, user, backend)
        ModelBackend().get_user(user.pk)

    monkeypatch.setattr(Client, "force_login", logged_in_and_remembered)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in German: a request to an /en/ page leaves English active in the thread,
    and reverse() in a later test would then build /en/ addresses."""
    translation.activate("de")
    yield
    translation.deactivate()


@contextmanager
def eager_tasks() -> Iterator[None]:
    """Celery tasks run in-process inside the block, also when REDIS_URL is set (CI)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
            yield
    finally:
        app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in unit tests, also when REDIS_URL is set (CI); tests/integration turns this off. Data
    built once for a module is built before this fixture runs: built_once and added_once use eager_tasks themselves."""
    with eager_tasks():
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Personas:
    network: object
    other: object
    people: dict = field(default_factory=dict)

    def user(self, name: str):
        return None if name == "anonymous" else self.people[name].user

    def login(self, client, name: str) -> None:
        login_persona(client, name, self.user(name))


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """A block for data built once for a module (or package): inside a transaction rolled back at its end; each
    test runs in a savepoint inside it (pytest-django's ``db``), as Django's setUpTestData does."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@contextmanager
def added_once(django_db_blocker) -> Iterator[None]:
    """A block that adds data once for a module (``rolled_back``), in German, its Celery tasks run in-process as in
    every test (the test's own fixtures, _eager_celery among them, run only after the module's)."""
    with rolled_back(django_db_blocker), translation.override("de"), eager_tasks():
        yield


@contextmanager
def built_once(django_db_blocker, prefix: str = "klimanetz-") -> Iterator[Path]:
    """A block that builds data once for a module (``added_once``) with a media directory of its own (the reports'
    files), which it yields; each test points MEDIA_ROOT at it again."""
    with (
        tempfile.TemporaryDirectory(prefix=prefix) as media,
        override_settings(MEDIA_ROOT=media),
        added_once(django_db_blocker),
    ):
        yield Path(media)


@dataclass
class Demo:
    output: str  # what load_demo printed
    media: Path  # its files (the published report's PDF)


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    """The demo portal (load_demo), loaded once for the module (restored from the process's snapshot if one was
    taken: tests/demo_snapshot.py) and rolled back at its end."""
    with built_once(django_db_blocker, "klimanetz-demo-") as media:
        yield Demo(output=demo_snapshot.demo(media), media=media)


def _ktt():
    return f.NetworkFactory(name="Klima.Taten.Team Westpfalz", short_name="KTT", slug="ktt")


def _nkk():
    return f.NetworkFactory(name="Netzwerk Köln/Bonn", short_name="NKK", slug="nkk")


def _commits(item) -> bool:
    """Does the test commit (transactional_db, live_server)? Then nothing may be open around it."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture(scope="module")
def _personas_once(request, django_db_setup, django_db_blocker) -> Iterator[Personas | None]:
    """The two networks and the personas, built once for the module inside a transaction rolled back at its end
    (each test in a savepoint inside it); None in a module with a test that commits: there each test builds its
    own, as before."""
    if any(_commits(item) for item in request.session.items if item.module is request.module):
        yield None
        return
    with rolled_back(django_db_blocker):
        yield build_personas(_ktt(), _nkk())


@pytest.fixture
def _personas_of_test(db, _personas_once) -> Personas | None:
    """The module's personas as a copy of their own for the test (as setUpTestData's): a test that changes one
    in memory changes nothing for the next."""
    return copy.deepcopy(_personas_once) if _personas_once is not None else None


@pytest.fixture
def network(_personas_of_test):
    return _personas_of_test.network if _personas_of_test is not None else _ktt()


@pytest.fixture
def other_network(_personas_of_test):
    return _personas_of_test.other if _personas_of_test is not None else _nkk()


@pytest.fixture
def personas(_personas_of_test, network, other_network) -> Personas:
    return _personas_of_test if _personas_of_test is not None else build_personas(network, other_network)


def build_personas(network, other_network) -> Personas:
    """The personas around ``network`` (also for worlds built once per module, see tests/monitoring/conftest.py)."""
    p = Personas(network=network, other=other_network)
    p.people["citizen"] = f.PersonFactory(name="Bürgerin", organisation=None)
    p.people["member"] = f.NetworkRoleFactory(network=network, person__name="Mitglied").person
    p.people["coordinator"] = f.NetworkRoleFactory(
        network=network, role=NetworkRole.Role.COORDINATOR, person__name="Koordinatorin"
    ).person
    p.people["other_network"] = f.NetworkRoleFactory(network=other_network, person__name="Fremdes Mitglied").person
    p.people["editor"] = f.OrganisationRoleFactory(person__name="Redakteurin").person
    p.people["staff"] = f.PersonFactory(name="Betrieb", user__is_staff=True, user__is_superuser=True)
    return p
