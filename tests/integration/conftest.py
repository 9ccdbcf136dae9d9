"""Integration tests run against the real services: PostgreSQL and Redis.

CI (``.ci/run``) starts both and sets ``REQUIRE_SERVICES=1``: there a missing service is a
failure, not a skip. Locally, without ``DATABASE_URL``/``REDIS_URL``, these tests are skipped.
"""

import os

import pytest
from django.conf import settings


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
