"""Error reports to any Sentry-compatible service (Sentry, GlitchTip, Bugsink) when ``SENTRY_DSN`` is set.

No personal data leaves the portal: ``send_default_pii=False`` (no user, no IP address, no cookies from the SDK),
no request bodies, no local variables of the frames, and ``before_send``/``before_breadcrumb`` take out what is
left: email addresses and secret-looking strings anywhere in the event (messages, exception values, log
breadcrumbs, URLs: the personal calendar feed carries its secret in the path), the request's cookies, body and
credentials headers. Each event is tagged with the request id of its request or task (the log lines' id).
"""

from __future__ import annotations

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from observability import context

FILTERED = "[Filtered]"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
BEARER = re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]+")
# a token, key or hash: 24 and more characters of letters, digits, - and _ (with at least one digit)
SECRET = re.compile(r"\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{24,}\b")
SECRET_PARAMS = re.compile(r"(?i)((?:token|key|secret|password|passwort|code|sig|signature|session)[^=&]*=)[^&]*")
CREDENTIAL_HEADERS = {
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-csrftoken",
    "x-api-key",
    "x-forwarded-for",
    "x-real-ip",
}
# the frames' places in the code: never personal, and a module path is no token
# and the event's own ids and the SDK's fields (an event id looks like a token)
KEPT_KEYS = {"filename", "abs_path", "module", "function", "package", "type", "lineno", "colno", "in_app"} | {
    "event_id",
    "trace_id",
    "span_id",
    "parent_span_id",
    "release",
    "environment",
    "sdk",
    "modules",
    "platform",
    "timestamp",
    "start_timestamp",
}


def scrub_text(text: str) -> str:
    text = EMAIL.sub(FILTERED, text)
    text = BEARER.sub(lambda m: f"{m.group(1)} {FILTERED}", text)
    text = SECRET_PARAMS.sub(lambda m: m.group(1) + FILTERED, text)
    return SECRET.sub(FILTERED, text)


def _scrub(value, key: str = ""):
    if key in KEPT_KEYS:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: _scrub(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def _scrub_request(request: dict) -> dict:
    request = dict(request)
    request.pop("cookies", None)
    request.pop("data", None)  # the body: form fields, uploads, passwords
    request.pop("env", None)  # REMOTE_ADDR, SERVER_NAME
    headers = request.get("headers") or {}
    request["headers"] = {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}
    return request


def before_send(event: dict, hint: dict | None = None) -> dict:
    event = dict(event)
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    event.pop("user", None)
    event = _scrub(event)
    request_id = context.current_request_id()
    if request_id:
        event["tags"] = {**(event.get("tags") or {}), "request_id": request_id}
    return event


def before_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return _scrub(crumb)


def init(dsn: str, *, environment: str = "", release: str = "", traces_sample_rate: float = 0.0) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
    )
