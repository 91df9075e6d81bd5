"""/healthz: is this process able to serve? For load balancers, orchestrators and Docker.

JSON `{"status": "ok"|"error", "database": ..., "broker": ...}`, 200 when both answer and 503
otherwise. Answered by the first middleware, before anything else runs: no host check (probes
ask for an IP address or `localhost`), no HTTPS redirect (probes speak plain HTTP), no session,
no authentication, no throttle. No secrets: failures are logged, never shown. Quick: the broker
gets one second, the database its connect timeout (DB_CONNECT_TIMEOUT).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)
BROKER_TIMEOUT = 1.0


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: the database does not answer")
        return "error"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        return "in-process"  # no broker configured: tasks run in the web process
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=BROKER_TIMEOUT,
                                      socket_timeout=BROKER_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        logger.exception("healthz: the broker does not answer")
        return "error"
    return "ok"


def healthz() -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = "error" not in checks.values()
    response = JsonResponse({"status": "ok" if healthy else "error", **checks},
                            status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


class HealthzMiddleware:
    """First in MIDDLEWARE: answers /healthz itself, passes every other request on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != "/healthz":
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return healthz()
