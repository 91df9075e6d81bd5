"""/healthz: is this process able to serve? For load balancers, orchestrators and Docker.

JSON `{"status": "ok"|"error", "database": ..., "broker": ...}`, 200 when both answer and 503
otherwise. No authentication, no throttle, no secrets (failures are logged, not shown), exempt
from the HTTPS redirect (SECURE_REDIRECT_EXEMPT) so that a probe can speak plain HTTP, and quick:
the broker gets one second, the database its connect timeout.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = "error" not in checks.values()
    return JsonResponse({"status": "ok" if healthy else "error", **checks},
                        status=200 if healthy else 503)
