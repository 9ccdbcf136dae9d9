"""Sessions read from the cache (Redis) and written through to the database (Django's cached_db).

A logged-in page no longer asks PostgreSQL for its session. The copy in the cache lives at most
CACHED_SECONDS (not the session's two weeks): a logout while Redis was unreachable deletes the session in
the database only, and the stale copy left in Redis must not outlive that by long. The database stays the
record: a missing or evicted copy is read from there (config.cache.TolerantRedisCache misses while Redis is
down). Settings: SESSION_ENGINE = "config.sessions" where the cache is Redis.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

CACHED_SECONDS = 300


class _Capped:
    """The cache, with every timeout set by the session store capped at CACHED_SECONDS."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None):
        timeout = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        return self._cache.set(key, value, timeout)

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def __contains__(self, key) -> bool:
        return key in self._cache


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _Capped(self._cache)
