"""A Redis cache that keeps the site working when Redis is down.

Redis holds the cache, the sessions' cache layer (``cached_db``) and the task queue. When it is unreachable,
logins and pages must keep working, and background work waits: this cache answers a miss and drops writes
instead of raising, so ``cached_db`` sessions fall back to the database. Each outage is logged once a minute
at most, so the log is not flooded.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("mopr.cache")

try:  # redis-py's errors; the package is a dependency whenever this backend is configured
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover
    UNAVAILABLE = (OSError,)

_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Redis unavailable (%s: %s): serving without the cache", operation, exc)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        options = {**params.get("OPTIONS", {})}
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 2)
        params["OPTIONS"] = options
        super().__init__(server, params)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            _warn("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            _warn("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            _warn("has_key", exc)
            return False

    def set(self, key, value, timeout=None, version=None):  # noqa: A003 - Django's API
        try:
            return super().set(key, value, timeout, version)
        except UNAVAILABLE as exc:
            _warn("set", exc)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as exc:
            _warn("add", exc)
            return False

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as exc:
            _warn("set_many", exc)
            return list(data)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            _warn("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            _warn("delete_many", exc)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            _warn("touch", exc)
            return False
