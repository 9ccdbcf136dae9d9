"""The portal's Prometheus metrics (prometheus-client), defined once here and counted where things happen.

Multi-process: under gunicorn (and Celery's prefork pool) each process writes its values to files in
``PROMETHEUS_MULTIPROC_DIR`` (config/gunicorn.conf.py sets and wipes it; dead workers are marked in child_exit) and
a scrape adds up every process's files (``scrape``). Without the variable (``make run``, the tests) the values live
in this process. The variable must be in the environment before prometheus_client is imported: gunicorn's
configuration and Celery's worker start (observability.tasks) set it before Django loads.

Gauges that the database answers (outbox backlog, reports) are not kept by any process: observability.collector
reads them at scrape time.
"""

from __future__ import annotations

import os
import tempfile

if os.environ.get("CELERY_METRICS_PORT") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # a Celery worker node serving its metrics (observability.tasks): its prefork children share a directory
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="klimanetz-celery-metrics-")

from prometheus_client import (  # noqa: E402 (after the directory is chosen: prometheus_client reads it on import)
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

# Latency of pages: 5 ms (a cached page) to 10 s (a timeout is near); Prometheus' default buckets end at 10 s too.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
QUERY_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0)

REQUESTS = Histogram(
    "klimanetz_http_request_duration_seconds",
    "Requests by view (the URL pattern's name, never the path), method and status, with their latency.",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
QUERIES = Histogram(
    "klimanetz_http_request_queries",
    "Database queries per request, by view.",
    ["view"],
    buckets=QUERY_BUCKETS,
)
CACHE = Counter(
    "klimanetz_cache_lookups_total",
    "Lookups of the page caches (networks.cache) by cache and result: hit, stale (served while one request renders "
    "it afresh) or miss.",
    ["cache", "result"],
)
TASKS = Histogram(
    "klimanetz_celery_task_duration_seconds",
    "Celery tasks by name and outcome (success, failure, retry, ...), with their duration.",
    ["task", "outcome"],
    buckets=TASK_BUCKETS,
)
REPORT_BUILDS = Histogram(
    "klimanetz_report_build_duration_seconds",
    "Monitoring report builds by outcome (done, failed, lost, skipped, timeout), with their duration.",
    ["outcome"],
    buckets=TASK_BUCKETS,
)
REPORTS_FAILED_BY_WATCHDOG = Counter(
    "klimanetz_reports_watchdog_failed_total",
    "Reports the watchdog ended as failed (their worker died, or no worker took them).",
)
LOGIN_FAILURES = Counter("klimanetz_login_failures_total", "Failed logins (wrong password or unknown account).")
INBOUND_BACKLOG = Gauge(
    "klimanetz_inbound_backlog_messages",
    "Unread replies left in the IMAP mailbox after the last fetch run.",
    multiprocess_mode="mostrecent",
)
INBOUND_LAST_RUN = Gauge(
    "klimanetz_inbound_last_fetch_timestamp_seconds",
    "When the last fetch run over the IMAP mailbox ended (Unix time).",
    multiprocess_mode="mostrecent",
)


def cache_lookup(cache: str, result: str) -> None:
    """One lookup of a page cache: ``cache`` public_page, member_page, feed or remembered; ``result`` hit, stale
    or miss. The one place that counts them (networks.cache calls it)."""
    CACHE.labels(cache, result).inc()


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


class _Local:
    """This process's metrics (no multi-process directory), as a collector of a registry made for one scrape."""

    def collect(self):
        return REGISTRY.collect()


def scrape(*extra_collectors) -> tuple[bytes, str]:
    """The text exposition of every process's metrics plus ``extra_collectors`` (read now), and its content type."""
    registry = CollectorRegistry(auto_describe=False)
    directory = multiprocess_dir()
    if directory:
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_Local())
    for collector in extra_collectors:
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST
