"""Redis is optional for writes: a failed cache or broker call trips a breaker that skips Redis
for a while, logging the outage once (and once when it is over), never once per request.

Every write path that touches Redis (throttle history, the recompute debounce key, enqueuing a
task) asks `available()` first and reports `failed(error)` / `succeeded()`; while the breaker is
open a request pays nothing, and after `REDIS_RETRY_SECONDS` one request tries again.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

log = logging.getLogger("concord.redis")


class Unavailable(Exception):
    """Redis was skipped (its breaker is open: `cause` is None) or the call failed (`cause`)."""

    def __init__(self, cause: BaseException | None = None):
        super().__init__(str(cause) if cause else "skipped while Redis is down")
        self.cause = cause


class Breaker:
    def __init__(self, name: str):
        self.name = name
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._down = False

    def available(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self._open_until = time.monotonic() + getattr(settings, "REDIS_RETRY_SECONDS", 10.0)
            if self._down:
                return
            self._down = True
        log.warning("%s unreachable (%s: %s); writes go on without it, retrying every %.0f s",
                    self.name, type(error).__name__, error,
                    getattr(settings, "REDIS_RETRY_SECONDS", 10.0))

    def succeeded(self) -> None:
        if not self._down:
            return
        with self._lock:
            if not self._down:
                return
            self._down = False
            self._open_until = 0.0
        log.warning("%s is back", self.name)

    def call(self, function, *args, errors=(Exception,), **kwargs):
        """`function(*args, **kwargs)` through the breaker: its result, or `Unavailable` when
        the breaker is open or the call raised one of `errors` (which opens it)."""
        if not self.available():
            raise Unavailable()
        try:
            result = function(*args, **kwargs)
        except errors as error:
            self.failed(error)
            raise Unavailable(error) from error
        self.succeeded()
        return result

    def reset(self) -> None:
        with self._lock:
            self._down = False
            self._open_until = 0.0


cache_breaker = Breaker("the Redis cache")
broker_breaker = Breaker("the task queue (Redis)")


def _redis_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a dependency
        return (OSError,)
    return (RedisError, OSError)


# What a cache call raises when Redis is down or hangs (connection refused, timeouts).
CACHE_ERRORS = _redis_errors()
