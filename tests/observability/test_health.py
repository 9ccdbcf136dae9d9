"""/healthz (liveness, no database) and /readyz (database, Redis, object store, migrations), each under 50 ms."""

import json
import time

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage

from observability import readiness

pytestmark = pytest.mark.django_db

LIMIT = 0.050  # seconds


def timed(client, path):
    started = time.perf_counter()
    response = client.get(path)
    return response, time.perf_counter() - started


def fastest(client, path, times=5):
    """The best of a few answers: the machine may be busy with other tests; the probe's own cost is the minimum."""
    return min(timed(client, path)[1] for _ in range(times))


def test_healthz_needs_no_database_and_answers_fast(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert fastest(client, "/healthz") < LIMIT


def test_readyz_checks_everything_and_asks_the_migrations_once_per_process(client, django_assert_num_queries):
    readiness._state["migrated"] = False
    with django_assert_num_queries(2):  # SELECT 1; the applied migrations (until they were all found once)
        response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "broker", "cache", "storage"}
    assert all(value in ("ok", "off") for value in body["checks"].values())
    assert body["checks"]["broker"] == ("ok" if readiness.settings.CELERY_BROKER_URL.startswith("redis") else "off")
    with django_assert_num_queries(1):  # SELECT 1 only
        assert client.get("/readyz").status_code == 200
    assert fastest(client, "/readyz") < LIMIT
    assert "no-cache" in response["Cache-Control"]


def test_readyz_503_when_the_object_store_fails(client, monkeypatch):
    def unreachable(name):
        raise OSError("connection refused")

    monkeypatch.setattr(default_storage, "exists", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable" and body["checks"]["storage"] == "failed"
    assert body["checks"]["database"] == "ok"
    assert "refused" not in response.content.decode()  # why: in the log only


def test_readyz_503_when_the_cache_loses_what_it_was_given(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda key, default=None: default)  # as config.cache answers a Redis outage
    response = client.get("/readyz")
    assert response.status_code == 503 and json.loads(response.content)["checks"]["cache"] == "failed"


def test_readyz_503_while_a_migration_is_not_applied(client, monkeypatch):
    readiness._state["migrated"] = False
    on_disk = readiness._migrations_on_disk() | {("networks", "9999_not_yet")}
    monkeypatch.setattr(readiness, "_migrations_on_disk", lambda: on_disk)
    response = client.get("/readyz")
    assert response.status_code == 503 and json.loads(response.content)["checks"]["migrations"] == "failed"
    assert readiness._state["migrated"] is False  # asked again next time


def test_readyz_503_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    started = time.perf_counter()
    response = client.get("/readyz")
    assert response.status_code == 503 and json.loads(response.content)["checks"]["broker"] == "failed"
    assert time.perf_counter() - started < 2 * readiness.TIMEOUT + 0.5


def test_readyz_head_and_other_methods(client):
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405
