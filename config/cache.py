"""Django's Redis cache, answering like an empty cache while Redis is unreachable.

The cache holds only what can be rebuilt: public pages (networks.cache), their version numbers and allauth's
rate-limit counters. With Django's own backend an unreachable Redis raised into every anonymous page view and
every save of a watched model (a registration while Redis restarts answered 500). Here reads miss, writes are
dropped, and a warning is logged: the portal keeps serving from the database. Pages cached before the outage
live at most their timeout (60 s) after a missed version bump; rate limits do not count during the outage.
"""

import logging
import re

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
GLOB_SPECIAL = re.compile(r"[\\*?\[\]]")

# INCR each key that exists, SET the others to ARGV[1]: one round trip for what incr() does in two (EXISTS, INCRBY)
# and a third for a missing key.
INCR_OR_START = """
for _, key in ipairs(KEYS) do
    if redis.call('EXISTS', key) == 1 then redis.call('INCR', key) else redis.call('SET', key, ARGV[1]) end
end
"""


def _down(operation: str, error: Exception) -> None:
    logger.warning("cache %s skipped, Redis unreachable: %s", operation, error)


def _tolerant(name: str, on_error):
    """``RedisCache.<name>`` with the same arguments; ``on_error(args, kwargs)`` answers while Redis is down."""
    parent = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return parent(self, *args, **kwargs)
        except RedisError as error:
            _down(name, error)
            return on_error(args, kwargs)

    method.__name__ = name
    return method


def _default(args, kwargs):
    return args[1] if len(args) > 1 else kwargs.get("default")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, but one redis.Redis per connection pool instead of a new one for every operation:
    redis-py 5+ fills ~170 response callbacks in each Redis() (about 0.2 ms, as much as the round trip
    itself). A Redis object is thread-safe: each command takes a connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._incr_or_start = None  # the Lua script, registered on first use

    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda args, kwargs: {})
    has_key = _tolerant("has_key", lambda args, kwargs: False)
    add = _tolerant("add", lambda args, kwargs: False)
    set = _tolerant("set", lambda args, kwargs: None)
    set_many = _tolerant("set_many", lambda args, kwargs: list(args[0] if args else kwargs.get("data", ())))
    incr = _tolerant("incr", lambda args, kwargs: None)
    touch = _tolerant("touch", lambda args, kwargs: False)
    delete = _tolerant("delete", lambda args, kwargs: False)
    delete_many = _tolerant("delete_many", lambda args, kwargs: None)

    def incr_or_start(self, keys, start: int) -> None:
        """Add one to each of ``keys`` that holds a number; set the others (new or evicted) to ``start``. Atomic,
        one round trip (a Lua script; redis-py sends it by its SHA1 and loads it once per server)."""
        if not keys:
            return
        try:
            client = self._cache.get_client(None, write=True)
            if self._incr_or_start is None:
                self._incr_or_start = client.register_script(INCR_OR_START)
            self._incr_or_start(keys=[self.make_and_validate_key(key) for key in keys], args=[start], client=client)
        except RedisError as error:
            _down("incr_or_start", error)

    def clear(self) -> bool:
        """FLUSHDB; with a KEY_PREFIX (a Redis database shared with other sites, or with the other test
        processes of a parallel run) only the keys under this prefix."""
        try:
            if not self.key_prefix:
                return super().clear()
            client = self._cache.get_client(None, write=True)
            keys = list(client.scan_iter(match=GLOB_SPECIAL.sub(r"\\\g<0>", self.key_prefix) + ":*", count=1000))
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
            return True
        except RedisError as error:
            _down("clear", error)
            return False
