"""The request id of the work in progress: set by the middleware for a request, by the Celery signals for a task
(observability.tasks), read by the logging filter, the outbox rows and the tasks a request queues."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("klimanetz_request_id", default="")
_task_name: ContextVar[str] = ContextVar("klimanetz_task_name", default="")

# What a proxy may hand us as X-Request-ID: a UUID, a hex id, nginx's $request_id, a trace id; never a log line.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def current_request_id() -> str:
    """The request id of this request or task, "" outside of both (the outbox rows' default)."""
    return _request_id.get()


def current_task_name() -> str:
    return _task_name.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane(candidate: str | None) -> str | None:
    """``candidate`` when it looks like an id (8 to 128 characters of letters, digits and ._:-), else None."""
    if candidate and SANE_ID.fullmatch(candidate):
        return candidate
    return None


def bind(request_id: str, task_name: str = "") -> tuple[Token, Token]:
    return _request_id.set(request_id), _task_name.set(task_name)


def unbind(tokens: tuple[Token, Token]) -> None:
    _request_id.reset(tokens[0])
    _task_name.reset(tokens[1])
