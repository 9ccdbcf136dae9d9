"""The first middleware (settings.MIDDLEWARE): it sees every answer, also the ones other middleware gives.

Per request: the request id (the trusted proxy's ``X-Request-ID`` when it looks like an id, else a new one; sent
back as ``X-Request-ID``, bound for the logs, the tasks queued and the outbox rows written), the database queries,
the latency; then one log line (logger ``klimanetz.request``) and the metrics by view name (the URL pattern's,
never the path: "<unresolved>" for a path that matches none).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject, empty

from observability import context, metrics

logger = logging.getLogger("klimanetz.request")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "<unresolved>"


def user_hash(pk) -> str:
    """The account in the logs: an HMAC of its id under the secret key (never the email; not reversible without
    the key, the same for one account across requests and machines)."""
    return salted_hmac("klimanetz.observability.user", str(pk)).hexdigest()[:16]


def _proxy_trusted() -> bool:
    return bool(settings.ALLAUTH_TRUSTED_PROXY_COUNT or settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)


def _request_id(request) -> str:
    if _proxy_trusted():
        given = context.sane(request.headers.get("X-Request-ID"))
        if given:
            return given
    return context.new_request_id()


def _user(request) -> str:
    """The hashed account id when the request looked at its user (an untouched lazy user is not loaded here)."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return ""
    return user_hash(user.pk) if user.is_authenticated else ""


class _QueryCounter:
    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class ObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = _request_id(request)
        request.request_id = request_id
        queries = _QueryCounter()
        tokens = context.bind(request_id)
        try:
            with connection.execute_wrapper(queries):
                response = self.get_response(request)
            seconds = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match is not None else UNRESOLVED
            method = request.method if request.method in METHODS else "other"
            status = response.status_code
            metrics.REQUESTS.labels(view, method, str(status)).observe(seconds)
            metrics.QUERIES.labels(view).observe(queries.count)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s %.1f ms",
                method,
                view,
                status,
                seconds * 1000,
                extra={
                    "request_id": request_id,
                    "user": _user(request),
                    "view": view,
                    "method": method,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "queries": queries.count,
                },
            )
            return response
        finally:
            context.unbind(tokens)
