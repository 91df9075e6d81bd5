"""The authentication and throttle classes named in REST_FRAMEWORK settings.

Kept apart from `config.api`: DRF imports these while defining APIView itself.
"""

import re

from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from .degraded import CACHE_ERRORS, cache_breaker

TOKEN_KEY = re.compile(r"^[0-9a-f]{40}$")


class StrictTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a malformed key is refused before it reaches the database."""

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.match(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)


class WriteThrottle(ScopedRateThrottle):
    """A per-user (or per-address when anonymous) rate for the writes of a view's `throttle_scope`.

    Reads are never throttled; rates are read at request time, so settings overrides apply.
    The count lives in the cache (Redis when configured): when it cannot be reached the throttle
    lets the write through (fails open) rather than lose it, and the outage is logged once.

    On Redis the window is fixed, opened by the first write (a counter with the window's expiry):
    one round trip per write (SET NX EX, INCR, TTL in one MULTI), instead of DRF's read and
    rewrite of a pickled list of timestamps. Other caches keep DRF's sliding history."""

    _wait_seconds: float | None = None

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if not cache_breaker.available():
            return True
        try:
            client = _redis_client()
            allowed = (super().allow_request(request, view) if client is None
                       else self._allow_counted(client, request, view))
        except CACHE_ERRORS as error:
            cache_breaker.failed(error)
            return True
        cache_breaker.succeeded()
        return allowed

    def _allow_counted(self, client, request, view) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        self.rate = self.get_rate() if self.scope else None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        key = cache.make_and_validate_key(f"{key}:window")
        with client.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=self.duration, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = pipe.execute()
        self._wait_seconds = float(ttl if ttl and ttl > 0 else self.duration)
        return count <= self.num_requests

    def wait(self):
        if self._wait_seconds is not None:
            return self._wait_seconds
        return super().wait()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def _redis_client():
    """The default cache's Redis client (one per cache connection, reused), or None."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    client = getattr(backend, "_concord_client", None)
    if client is None:
        client = backend._concord_client = backend.get_client(write=True)
    return client
