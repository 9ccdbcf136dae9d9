"""Rate limits of the API, per token and per client address: a fixed window counted in the cache (Redis in
production, shared by every process), one round trip per request, which also reads the public cache's entry and
its versions for a tokenless GET (api.middleware.ApiCacheMiddleware: a hit is that one round trip). The client's
address is the one allauth's limits use (the trusted-proxy settings TRUSTED_PROXY_COUNT /
TRUSTED_CLIENT_IP_HEADER)."""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import PermissionDenied
from redis.exceptions import RedisError

WINDOW = 60  # seconds


def limits() -> dict[str, int]:
    """Requests per minute: per address without a token, per token with one."""
    return {"ip": settings.API_RATE_LIMIT_IP, "token": settings.API_RATE_LIMIT_TOKEN}


def client_ip(request) -> str:
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:  # no address at all (a WSGI test client): counted together
        return "unknown"


def consume(request, raw_token: str | None, read: list[str] | tuple[str, ...] = ()) -> tuple[int | None, dict]:
    """Count this request and read the cache keys ``read`` (their values by key, as ``cache.get_many``) in one
    round trip. The count's verdict: None when allowed, else the seconds until the window ends (Retry-After)."""
    if raw_token:
        kind, ident = "token", hashlib.sha256(raw_token.encode()).hexdigest()[:32]
    else:
        kind, ident = "ip", client_ip(request)
    limit = limits()[kind]
    now = time.time()
    window = int(now // WINDOW)
    count, found = _count_and_read(f"api:rl:{kind}:{ident}:{window}", list(read))
    if count is None or count <= limit:  # None: the cache is unreachable (config.cache): no limit then
        return None, found
    return max(1, int((window + 1) * WINDOW - now) + 1), found


def _count_and_read(counter: str, keys: list[str]) -> tuple[int | None, dict]:
    """INCR of ``counter`` (created for the window, WINDOW + 5 s) and MGET of ``keys``: one pipelined round trip
    on Redis (Django's incr() alone is two: EXISTS, INCRBY); the cache's own calls elsewhere."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        try:
            count = cache.incr(counter)
        except ValueError:
            count = 1 if cache.add(counter, 1, WINDOW + 5) else cache.incr(counter)
        return count, cache.get_many(keys) if keys else {}
    made = [cache.make_and_validate_key(key) for key in (counter, *keys)]
    try:
        pipe = cache._cache.get_client(made[0], write=True).pipeline(transaction=False)
        pipe.set(made[0], 0, ex=WINDOW + 5, nx=True)
        pipe.incr(made[0])
        if keys:
            pipe.mget(made[1:])
        _created, count, *values = pipe.execute()
    except RedisError:  # unreachable: no limit, nothing cached (as config.cache answers)
        return None, {}
    loads = cache._cache._serializer.loads
    read = zip(keys, values[0] if keys else [], strict=True)
    return count, {key: loads(value) for key, value in read if value is not None}
