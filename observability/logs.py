"""Structured logs: ``LOG_FORMAT=json`` writes one JSON object per line (for Loki, Elasticsearch, journald's
JSON), ``text`` (the default in development) a readable line. Every record carries the request id of the request
or task it belongs to (RequestIdFilter, on the handler: also the records of libraries and of Celery)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from observability import context

# What a LogRecord has anyway; everything else on a record is an ``extra`` field and goes into the JSON object.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "task"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = context.current_request_id() or "-"
        if not getattr(record, "task", None):
            record.task = context.current_task_name()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if getattr(record, "task", ""):
            entry["task"] = record.task
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, log_format: str, level: str, redis_configured: bool) -> dict:
    """settings.LOGGING for ``LOG_FORMAT`` (json or text)."""
    formatter = {"()": JsonFormatter} if log_format == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # The in-memory broker of the embedded defaults has no host; kombu says so on every connection.
            "kombu.connection": {"level": "WARNING" if redis_configured else "ERROR"},
        },
    }
