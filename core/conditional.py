"""Conditional GET for answers that no longer change (closed drafts, published text).

The caller names what the answer depends on (a version stamp: ids, states, the newest
summary's time, the viewer, the language, the query string); the ETag is a hash of it, checked
before anything is rendered, so a matching `If-None-Match` (or `If-Modified-Since`) costs the
stamp's queries and answers 304 without a body.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language


def etag_of(request, *parts) -> str:
    """A strong ETag over `parts`, the viewer, the language and the query string."""
    user = getattr(request, "user", None)
    viewer = user.pk if user is not None and user.is_authenticated else 0
    text = "|".join(str(p) for p in (*parts, viewer, get_language(), request.GET.urlencode()))
    return quote_etag(hashlib.sha256(text.encode()).hexdigest()[:32])


def conditional(request, *, etag: str, last_modified: datetime | None,
                render: Callable[[], HttpResponse]) -> HttpResponse:
    """304 when the client's copy is current, else `render()` with ETag and Last-Modified;
    caches must revalidate every time (the answer may depend on the viewer)."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = render()
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, private=True, no_cache=True)
    return response
