"""Rate limits of the API, per token and per client address: a fixed window counted in the cache (Redis in
production, shared by every process), one round trip per request. The client's address is the one allauth's
limits use (the trusted-proxy settings TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER)."""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

WINDOW = 60  # seconds


def limits() -> dict[str, int]:
    """Requests per minute: per address without a token, per token with one."""
    return {"ip": settings.API_RATE_LIMIT_IP, "token": settings.API_RATE_LIMIT_TOKEN}


def client_ip(request) -> str:
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:  # no address at all (a WSGI test client): counted together
        return "unknown"


def consume(request, raw_token: str | None) -> int | None:
    """Count this request; None when allowed, else the seconds until the window ends (Retry-After)."""
    if raw_token:
        kind, ident = "token", hashlib.sha256(raw_token.encode()).hexdigest()[:32]
    else:
        kind, ident = "ip", client_ip(request)
    limit = limits()[kind]
    now = time.time()
    window = int(now // WINDOW)
    key = f"api:rl:{kind}:{ident}:{window}"
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1 if cache.add(key, 1, WINDOW + 5) else cache.incr(key)
    if count is None or count <= limit:  # None: the cache is unreachable (config.cache): no limit then
        return None
    return max(1, int((window + 1) * WINDOW - now) + 1)
