"""How a delivery is signed, and the verification snippets the endpoint page and the README show.

Every request carries:

- ``Klimanetz-Webhook-Id``: the delivery's id (the same on every retry: receivers drop repeats by it);
- ``Klimanetz-Event``: the event type, e.g. ``measure.changed``;
- ``Klimanetz-Timestamp``: Unix seconds when this attempt was signed;
- ``Klimanetz-Signature``: ``v1=<hex>``, HMAC-SHA256 with the endpoint's secret over
  ``<timestamp>.<body>`` (the timestamp as sent, a dot, the raw request body). Several values may come
  comma-separated (a later key rotation); one matching ``v1`` suffices.

The snippets are the documentation: tests/webhooks run exactly this text against a real delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER_ID = "Klimanetz-Webhook-Id"
HEADER_EVENT = "Klimanetz-Event"
HEADER_TIMESTAMP = "Klimanetz-Timestamp"
HEADER_SIGNATURE = "Klimanetz-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def headers(*, secret: str, delivery_id: str, kind: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        HEADER_ID: delivery_id,
        HEADER_EVENT: kind,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: signature(secret, timestamp, body),
    }


PYTHON_SNIPPET = '''\
import hashlib
import hmac
import time


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """True when the request comes from Klimanetz: headers as received, body as raw bytes."""
    timestamp = headers["Klimanetz-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old (or from the future): a replayed request
    signed = timestamp.encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    for part in headers["Klimanetz-Signature"].split(","):
        version, _, value = part.strip().partition("=")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False
'''

SHELL_SNIPPET = """\
# SECRET: the endpoint's secret; TIMESTAMP: the Klimanetz-Timestamp header;
# body.json: the request body exactly as received
{ printf '%s.' "$TIMESTAMP"; cat body.json; } \\
  | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1
# compare the output with the hex after "v1=" in the Klimanetz-Signature header
"""
