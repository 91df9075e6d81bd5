"""Writes never depend on Redis: with the cache unreachable, throttled API writes are accepted
and stored (the throttle fails open) and the outage is logged once, not once per request."""

import logging
import time

import pytest

from deliberation.models import Comment, Vote
from tests.helpers import client_for

DEAD = "redis://127.0.0.1:6329/0"  # nothing listens there
VOTE = "/api/v1/definitions/osaid/drafts/0.0.8/clauses/freedoms/vote/"
COMMENTS = "/api/v1/definitions/osaid/drafts/0.0.8/clauses/freedoms/comments/"


@pytest.fixture
def redis_down(settings):
    working = settings.CACHES
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    settings.REDIS_RETRY_SECONDS = 0  # every request tries Redis again: still one log line
    yield
    settings.CACHES = working  # before the API tests clear the throttle history


def test_throttled_writes_are_stored_and_the_outage_logged_once(
        redis_down, clause, member, user, caplog):
    caplog.set_level(logging.WARNING, logger="concord.redis")
    assert client_for(member).put(VOTE, {"position": "block"}, format="json").status_code == 400
    started = time.monotonic()  # after a first request has loaded the code
    registered = client_for().post("/api/v1/auth/register/", {
        "username": "newcomer", "email": "new@example.org",
        "password": "correct horse battery staple"}, format="json")
    assert registered.status_code == 201, registered.content
    token = client_for().post("/api/v1/auth/token/", {
        "username": "registered", "password": "correct horse battery staple"}, format="json")
    assert token.status_code == 200, token.content
    for position in ("support", "abstain", "accept"):
        vote = client_for(member).put(VOTE, {"position": position}, format="json")
        assert vote.status_code == 200, vote.content
    comment = client_for(member).post(COMMENTS, {"body": "Still stored."}, format="json")
    assert comment.status_code == 201, comment.content
    assert time.monotonic() - started < 5  # six writes, no multi-second wait on each

    assert Vote.objects.get(membership__user=member, clause=clause).position == "accept"
    assert Comment.objects.filter(body="Still stored.").exists()
    outage = [r for r in caplog.records if r.name == "concord.redis"]
    assert len(outage) == 1 and "unreachable" in outage[0].getMessage()


def test_the_throttle_still_limits_when_redis_is_up(clause, member, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"votes": "2/min"}}
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        codes = [client_for(member).put(VOTE, {"position": "support"}, format="json").status_code
                 for _ in range(3)]
    finally:
        api_settings.reload()
    assert codes == [200, 200, 429]
