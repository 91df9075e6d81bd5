"""The authentication and throttle classes named in REST_FRAMEWORK settings.

Kept apart from `core.api`: DRF imports these while defining APIView itself.
"""

import json
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from .degraded import CACHE_ERRORS, Unavailable, cache_breaker
from .transactions import prepared_cursor

TOKEN_KEY = re.compile(r"^[0-9a-f]{40}$")


class StrictTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a malformed key is refused before it reaches the database.

    The token and its user come from one query, as DRF's `select_related("user").get(key=key)`
    reads them, but from SQL written once: compiling that queryset on every request cost more
    CPU than the database spends answering it. Same checks, same messages."""

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.match(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        found = _token_and_user(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token, user = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token


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
        try:
            return cache_breaker.call(self._allow, request, view, errors=CACHE_ERRORS)
        except Unavailable:
            return True  # fail open: a write never waits on, or fails for, the throttle's store

    def _allow(self, request, view) -> bool:
        client = redis_client()
        if client is None:
            return super().allow_request(request, view)
        return self._allow_counted(client, request, view)

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


class BoundedJSONParser(JSONParser):
    """JSON with a size limit and a nesting-depth limit, each refused with a 400 naming it.

    Without them a body nested a thousand levels deep raised RecursionError (a 500) in any view,
    and a body of any size was read into memory. Limits are read at request time (settings
    `API_JSON_MAX_BYTES`, `API_JSON_MAX_DEPTH`)."""

    limit_setting = "API_JSON_MAX_BYTES"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = getattr(settings, self.limit_setting)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(f"The request body is larger than {limit} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(_too_deep()) from None
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        if _depth_exceeds(data, settings.API_JSON_MAX_DEPTH):
            raise exceptions.ParseError(_too_deep())
        return data


class ArchiveJSONParser(BoundedJSONParser):
    """A whole definition's archive: the same depth limit, a larger size (API_ARCHIVE_MAX_BYTES)."""

    limit_setting = "API_ARCHIVE_MAX_BYTES"


def _too_deep() -> str:
    return f"The JSON is nested more than {settings.API_JSON_MAX_DEPTH} levels deep."


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _depth_exceeds(data, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def redis_client():
    """The default cache's Redis client (one per cache connection, reused), or None."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    client = getattr(backend, "_concord_client", None)
    if client is None:
        client = backend._concord_client = backend.get_client(write=True)
    return client


_token_query: dict[str, tuple] = {}


def _token_and_user(key: str):
    """(token, user) for a token key, or None: one query, both models built as the ORM would."""
    from rest_framework.authtoken.models import Token

    if connection.vendor not in _token_query:
        user_model = Token._meta.get_field("user").related_model
        q = connection.ops.quote_name
        parts, columns = [], []
        for model, alias in ((Token, "t"), (user_model, "u")):
            fields = model._meta.concrete_fields
            converters = [connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                          for col in (f.get_col(model._meta.db_table) for f in fields)]
            parts.append((model, [f.attname for f in fields], converters,
                          [f.get_col(model._meta.db_table) for f in fields]))
            columns += [f"{alias}.{q(f.column)}" for f in fields]
        sql = (f"SELECT {', '.join(columns)} FROM {q(Token._meta.db_table)} t "
               f"JOIN {q(user_model._meta.db_table)} u ON u.{q(user_model._meta.pk.column)} = "
               f"t.{q(Token._meta.get_field('user').column)} WHERE t.{q('key')} = %s")
        _token_query[connection.vendor] = (sql, parts)
    sql, parts = _token_query[connection.vendor]
    with prepared_cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    built, start = [], 0
    for model, names, converters, cols in parts:
        values = list(row[start:start + len(names)])
        for n, convert_all in enumerate(converters):
            for convert in convert_all:
                values[n] = convert(values[n], cols[n], connection)
        built.append(model.from_db(connection.alias, names, values))
        start += len(names)
    token, user = built
    token._state.fields_cache["user"] = user
    return token, user
