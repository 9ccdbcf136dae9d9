"""Shared fixtures: the personas of DESIGN §4 around one network."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from networks.backends import ModelBackend
from networks.models import NetworkRole
from tests.helpers import login_with_second_factor
from tests.networks import factories as f

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]

# pytest-xdist (make test: -n 2 --dist loadgroup): tests that must not run beside each other run on one worker.
# The browser journeys (one Chromium each, and the live servers); the tests with real services (a Celery worker
# taking tasks from the one queue on REDIS_URL, private PostgreSQL and Redis servers started and stopped).
XDIST_GROUPS = {"tests/browser/": "browser", "tests/integration/": "services"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    root = str(config.rootpath) + "/"
    for item in items:
        path = str(item.path).removeprefix(root)
        for prefix, group in XDIST_GROUPS.items():
            if path.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(group))
        if "demo_once" in item.fixturenames and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(path))  # the module on one worker: the demo loaded once


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


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process in unit tests, also when REDIS_URL is set (CI); tests/integration turns this off."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


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
        if name == "staff":
            login_with_second_factor(client, self.user(name))  # staff powers need the second factor
        elif name != "anonymous":
            client.force_login(self.user(name))


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """A block for data built once for a module (or package): inside a transaction rolled back at its end; each
    test runs in a savepoint inside it (pytest-django's ``db``), as Django's setUpTestData does."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@dataclass
class Demo:
    output: str  # what load_demo printed
    media: Path  # its files (the published report's PDF)


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    """The demo portal (load_demo), loaded once for the module and rolled back at its end."""
    out = StringIO()
    with (
        tempfile.TemporaryDirectory(prefix="klimanetz-demo-") as media,
        override_settings(MEDIA_ROOT=media),
        rolled_back(django_db_blocker),
        translation.override("de"),
    ):
        call_command("load_demo", force=True, stdout=out)
        yield Demo(output=out.getvalue(), media=Path(media))


@pytest.fixture
def network(db):
    return f.NetworkFactory(name="Klima.Taten.Team Westpfalz", short_name="KTT", slug="ktt")


@pytest.fixture
def other_network(db):
    return f.NetworkFactory(name="Netzwerk Köln/Bonn", short_name="NKK", slug="nkk")


@pytest.fixture
def personas(db, network, other_network) -> Personas:
    return build_personas(network, other_network)


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
