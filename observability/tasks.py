"""Celery's side (imported by config/celery.py, so connected in web processes and workers alike):

- ``before_task_publish``: a task queued while a request or task runs carries its request id in a header;
- ``task_prerun``/``task_postrun``: the worker binds that id (or a new one for beat's tasks) for every log line of
  the task and every outbox row it writes, and counts the task by name and outcome with its duration;
- metrics of a worker machine: each worker node serves its processes' metrics on ``CELERY_METRICS_PORT`` (the
  prefork children write to the node's own ``PROMETHEUS_MULTIPROC_DIR``, wiped when the node starts; a child that
  exits is marked dead). Prometheus scrapes every worker node beside the web nodes' /metrics.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time

from celery import signals

from observability import context, metrics

logger = logging.getLogger(__name__)

HEADER = "klimanetz_request_id"
_running: dict[str, tuple[float, tuple]] = {}


@signals.before_task_publish.connect(weak=False)
def _carry_request_id(headers=None, **kwargs) -> None:
    request_id = context.current_request_id()
    if request_id and headers is not None and HEADER not in headers:
        headers[HEADER] = request_id


@signals.task_prerun.connect(weak=False)
def _task_started(task_id=None, task=None, **kwargs) -> None:
    # a worker finds the message's headers on the request; an eager apply(headers=...) under request.headers
    given = context.sane(getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER))
    request_id = given or context.current_request_id() or context.new_request_id()
    _running[task_id] = (time.perf_counter(), context.bind(request_id, task.name))


@signals.task_postrun.connect(weak=False)
def _task_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _running.pop(task_id, None)
    if started is None:
        return
    began, tokens = started
    metrics.TASKS.labels(task.name, (state or "unknown").lower()).observe(time.perf_counter() - began)
    with contextlib.suppress(ValueError):  # bound in another context: never fail a task for it
        context.unbind(tokens)


def _metrics_port() -> int:
    return int(os.environ.get("CELERY_METRICS_PORT") or 0)


@signals.after_setup_logger.connect(weak=False)
@signals.after_setup_task_logger.connect(weak=False)
def _log_request_ids(logger=None, **kwargs) -> None:
    """A worker logs through Celery's handlers (it takes over the root logger): they get the request id too, in the
    JSON lines of LOG_FORMAT=json, or in brackets before the message in Celery's text lines."""
    from django.conf import settings

    from observability import logs

    for handler in getattr(logger, "handlers", ()):
        handler.addFilter(logs.RequestIdFilter())
        if getattr(settings, "LOG_FORMAT", "text") == "json":
            handler.setFormatter(logs.JsonFormatter())
            continue
        formatter = handler.formatter
        fmt = getattr(formatter, "_fmt", None)
        if fmt and "%(request_id)s" not in fmt and "%(message)s" in fmt:
            formatter._fmt = formatter._style._fmt = fmt.replace("%(message)s", "[%(request_id)s] %(message)s")


@signals.worker_init.connect(weak=False)
def _serve_worker_metrics(**kwargs) -> None:
    port = _metrics_port()
    directory = metrics.multiprocess_dir()
    if not port:
        return
    if directory:
        for entry in os.scandir(directory):  # the last run's processes are gone
            if entry.is_file():
                os.unlink(entry.path)
            else:
                shutil.rmtree(entry.path)
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    if directory:
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        from prometheus_client import REGISTRY as registry
    address = os.environ.get("CELERY_METRICS_ADDRESS", "127.0.0.1")
    start_http_server(port, addr=address, registry=registry)
    logger.info("worker metrics on http://%s:%s/metrics", address, port)


@signals.worker_process_shutdown.connect(weak=False)
def _worker_process_gone(pid=None, **kwargs) -> None:
    if metrics.multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())
