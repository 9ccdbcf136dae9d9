"""Shared fixtures: the personas of DESIGN §4 around one network."""

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import translation

from networks.models import NetworkRole
from tests.helpers import login_with_second_factor
from tests.networks import factories as f

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # allauth rate limits live in the cache
    yield
    cache.clear()


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
