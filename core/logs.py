"""Log records as one JSON line each on stderr, so that a collector can read them without parsing.

A record about a request (Django's `django.request` logger sets `record.request` on every 5xx and
uncaught exception) also carries its method, path, status and the id of the signed-in user; an
exception's traceback goes into the same line as `exc`. Never the request's body, headers or
cookies.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", None)
            entry["path"] = request.path
            entry["user_id"] = _user_id(request)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def _user_id(request) -> int | None:
    # DRF puts the token's user on the Django request too. Resolving a session user may need the
    # database, which may be why we are logging: then the id is simply unknown.
    try:
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # logging must never raise
        return None
