"""The authentication and throttle classes named in REST_FRAMEWORK settings.

Kept apart from `config.api`: DRF imports these while defining APIView itself.
"""

import re

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

TOKEN_KEY = re.compile(r"^[0-9a-f]{40}$")


class StrictTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a malformed key is refused before it reaches the database."""

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.match(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)


class WriteThrottle(ScopedRateThrottle):
    """A per-user (or per-address when anonymous) rate for the writes of a view's `throttle_scope`.

    Reads are never throttled; rates are read at request time, so settings overrides apply."""

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
