"""The authentication and throttle classes named in REST_FRAMEWORK settings.

Kept apart from `config.api`: DRF imports these while defining APIView itself.
"""

import re

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
    The history lives in the cache (Redis when configured): when it cannot be reached the throttle
    lets the write through (fails open) rather than lose it, and the outage is logged once."""

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if not cache_breaker.available():
            return True
        try:
            allowed = super().allow_request(request, view)
        except CACHE_ERRORS as error:
            cache_breaker.failed(error)
            return True
        cache_breaker.succeeded()
        return allowed

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
