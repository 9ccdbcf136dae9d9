"""Integration tests run against the real services: PostgreSQL and Redis.

CI (``.ci/run``) starts both and sets ``REQUIRE_SERVICES=1``: there a missing service is a
failure, not a skip. Locally, without ``DATABASE_URL``/``REDIS_URL``, these tests are skipped.
"""

import os

import pytest
from django.conf import settings

from tests.integration import services as svc


def services_missing() -> list[str]:
    missing = []
    if not os.environ.get("REDIS_URL"):
        missing.append("REDIS_URL is not set (no Redis)")
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        missing.append(f"the database is {engine.rsplit('.', 1)[-1]}, not PostgreSQL (DATABASE_URL is not set)")
    return missing


@pytest.fixture
def services_required():
    """Fail (CI, REQUIRE_SERVICES=1) or skip (locally) unless PostgreSQL and Redis are configured."""
    missing = services_missing()
    if missing:
        reason = "needs PostgreSQL and Redis: " + "; ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _pgbouncer_released(django_db_setup):
    """At the end of the run, before pytest-django drops the test database (this fixture is torn down before the
    one it depends on): PgBouncer (TEST_PGBOUNCER_URL, CI) closes its pooled server connections to that database,
    which the servers and workers the tests started left open."""
    yield
    if os.environ.get(svc.PGBOUNCER_ENV) and "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        svc.pgbouncer_release(svc.connection.settings_dict["NAME"])


@pytest.fixture
def pgbouncer_required():
    """Fail (CI, REQUIRE_SERVICES=1) or skip (locally) unless TEST_PGBOUNCER_URL names a PgBouncer."""
    if not os.environ.get(svc.PGBOUNCER_ENV):
        reason = f"needs PgBouncer: {svc.PGBOUNCER_ENV} is not set (.ci/pgbouncer.sh)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
