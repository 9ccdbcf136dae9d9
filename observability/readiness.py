"""The checks of /readyz, each bounded and cheap: ``run_checks()`` → {check: "ok" | "failed" | "off"}.

- database: ``SELECT 1``;
- migrations: every migration on disk is recorded as applied (one query on the recorder's table, no migration
  graph); once true, this process does not ask again (a deploy migrates before it starts new processes);
- broker: PING to Celery's Redis ("off" with the in-memory broker of the embedded defaults);
- cache: a probe key written and read back through Django's cache (Redis in production; config.cache answers an
  unreachable Redis with a miss, so the read tells);
- storage: ``exists()`` on a probe name in the default storage (local disk or the object store: the storage API
  only, so any backend works).
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

logger = logging.getLogger(__name__)

TIMEOUT = 0.5  # seconds for the broker's PING: a probe must answer before the load balancer gives up
PROBE_NAME = "readyz/probe"
_state = {"migrated": False, "broker": None, "on_disk": None}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations_on_disk() -> set[tuple[str, str]]:
    """(app label, migration name) of every migration file of the installed apps, found without importing them."""
    if _state["on_disk"] is not None:
        return _state["on_disk"]
    found = set()
    for config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(config.label)
        try:
            spec = find_spec(module_name) if module_name else None
        except ImportError:
            spec = None
        for directory in (spec and spec.submodule_search_locations) or ():
            for entry in os.scandir(directory):
                name, suffix = os.path.splitext(entry.name)
                if suffix == ".py" and name[0] not in "_~" and entry.is_file():
                    found.add((config.label, name))
    _state["on_disk"] = found
    return found


def _migrations() -> None:
    if _state["migrated"]:
        return
    applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    missing = _migrations_on_disk() - applied
    if missing:
        raise RuntimeError(f"{len(missing)} migrations not applied, e.g. {sorted(missing)[0]}")
    _state["migrated"] = True


def _broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return "off"
    client = _state["broker"]
    if client is None or client[0] != url:
        import redis

        client = (url, redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT))
        _state["broker"] = client
    client[1].ping()
    return None


def _cache() -> None:
    token = uuid.uuid4().hex
    key = "readyz:probe"
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise RuntimeError("the cache did not keep a probe key")


def _storage() -> None:
    default_storage.exists(PROBE_NAME)


CHECKS = {
    "database": _database,
    "migrations": _migrations,
    "broker": _broker,
    "cache": _cache,
    "storage": _storage,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results["database"] != "ok":
            results[name] = "failed"  # not asked: the database did not answer
            continue
        started = time.perf_counter()
        try:
            results[name] = check() or "ok"
        except Exception as error:  # noqa: BLE001 (any failure makes the node unready; it is logged)
            logger.warning("readyz: %s failed after %.0f ms: %s", name, (time.perf_counter() - started) * 1000, error)
            results[name] = "failed"
    return results
