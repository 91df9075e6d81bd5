"""Writes never depend on Redis, against real processes: gunicorn (2 workers) on PostgreSQL with
its cache and broker on a redis-server this test starts on a spare port, kills mid-test
(SIGKILL) and restarts. While Redis is down, registration, tokens, votes and comments through
the API and the pages are stored, each answered quickly; once it is back, a consensus worker with
beat brings every summary fresh within one refresh period."""

import os
import re
import subprocess
import sys
import time

import pytest
import requests
from django.contrib.auth.hashers import make_password

from accounts.models import User
from deliberation.models import Comment, Vote
from tests.factories import (
    ClauseFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    open_draft,
)
from tests.processes import (
    ROOT,
    database_url,
    kill,
    start_redis,
    start_worker,
    stop,
    wait_port,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REDIS_PORT, WEB_PORT = 6321, 8121  # the spare ports of this test
WEB = f"http://127.0.0.1:{WEB_PORT}"
REFRESH = 2  # seconds between the beat's catch-ups, for this test (30 in production)
PASSWORD = "correct horse battery staple"
API = "/api/v1/definitions/outage/drafts/1.0/clauses/{key}/"


@pytest.fixture
def redis_server(tmp_path):
    process = start_redis(REDIS_PORT, tmp_path)
    yield process
    stop(process)


@pytest.fixture
def env(redis_server, tmp_path):
    return {"DATABASE_URL": database_url(), "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CONSENSUS_REFRESH_SECONDS": str(REFRESH), "REDIS_RETRY_SECONDS": "2"}


@pytest.fixture
def web(env, tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{WEB_PORT}",
         "-w", "2", "--timeout", "60"],
        cwd=ROOT, env={**os.environ, **env}, stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT, start_new_session=True)
    wait_port(WEB_PORT)
    yield process
    stop(process)


@pytest.fixture
def members(settings):
    """Four members of two groups on a three-clause open draft, passwords hashed as in
    production (the gunicorn processes do not know the tests' fast hasher)."""
    definition = DefinitionFactory(slug="outage", title="Outage")
    draft = DraftFactory(definition=definition, version="1.0")
    for n in range(3):
        ClauseFactory(draft=draft, key=f"c-{n}", position=n)
    open_draft(draft)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    hashed = make_password(PASSWORD)
    people = []
    for slug in ("developers", "lawyers"):
        for n in range(2):
            user = UserFactory(username=f"{slug}-{n}")
            User.objects.filter(pk=user.pk).update(password=hashed)
            MembershipFactory(user=user, definition=definition,
                              group=definition.groups.get(slug=slug))
            people.append(user)
    return people


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def _token(username: str) -> str:
    response = requests.post(f"{WEB}/api/v1/auth/token/",
                             json={"username": username, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _page_session(username: str) -> requests.Session:
    session = requests.Session()
    login = session.get(f"{WEB}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    signed_in = session.post(f"{WEB}/accounts/login/", timeout=10, allow_redirects=False, data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert signed_in.status_code == 302, signed_in.text[:500]
    return session


def _page_post(session: requests.Session, path: str, data: dict):
    return _timed(session.post, f"{WEB}{path}", timeout=10, allow_redirects=False,
                  data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]})


def _summary(key: str) -> dict:
    return requests.get(f"{WEB}{API.format(key=key)}consensus/", timeout=10).json()


def test_writes_are_stored_while_redis_is_down_and_summaries_catch_up_after(
        redis_server, env, web, members, tmp_path):
    developer, other_developer, lawyer, other_lawyer = members
    tokens = {user.username: _token(user.username) for user in members}  # Redis up
    page = _page_session(other_lawyer.username)

    kill(redis_server)  # SIGKILL: the cache and the broker vanish mid-test
    timings = {}
    response, timings["api register"] = _timed(
        requests.post, f"{WEB}/api/v1/auth/register/", timeout=10,
        json={"username": "newcomer", "email": "new@example.org", "password": PASSWORD})
    assert response.status_code == 201, response.text
    response, timings["api token"] = _timed(
        requests.post, f"{WEB}/api/v1/auth/token/", timeout=10,
        json={"username": "newcomer", "password": PASSWORD})
    assert response.status_code == 200, response.text
    for n, user in enumerate((developer, other_developer, lawyer)):
        for key in ("c-0", "c-1"):
            response, timings[f"api vote {n}{key}"] = _timed(
                requests.put, f"{WEB}{API.format(key=key)}vote/", timeout=10,
                headers={"Authorization": f"Token {tokens[user.username]}"},
                json={"position": "support"})
            assert response.status_code == 200, response.text
    response, timings["api comment"] = _timed(
        requests.post, f"{WEB}{API.format(key='c-0')}comments/", timeout=10,
        headers={"Authorization": f"Token {tokens[developer.username]}"},
        json={"body": "Posted while Redis was down."})
    assert response.status_code == 201, response.text
    response, timings["page vote"] = _page_post(page, "/d/outage/v/1.0/c/c-0/vote/",
                                                {"position": "accept", "rationale": ""})
    assert response.status_code == 302, response.text[:500]
    response, timings["page comment"] = _page_post(page, "/d/outage/v/1.0/c/c-1/comments/",
                                                   {"body": "A page comment, Redis down."})
    assert response.status_code == 302, response.text[:500]
    signup = requests.Session()
    form = signup.get(f"{WEB}/accounts/signup/", timeout=10)
    assert form.status_code == 200
    response, timings["page signup"] = _page_post(signup, "/accounts/signup/", {
        "username": "signed-up", "email": "s@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.text[:500]

    assert Vote.objects.filter(clause__key="c-0").count() == 4
    assert Vote.objects.get(clause__key="c-0", membership__user=other_lawyer).position == "accept"
    assert Vote.objects.filter(clause__key="c-1").count() == 3
    assert Comment.objects.filter(body__contains="Redis").count() == 2
    assert User.objects.filter(username__in=("newcomer", "signed-up")).count() == 2
    assert _summary("c-0")["stale"]
    slowest = max(timings, key=timings.get)
    print(f"\nwrites with Redis down: {len(timings)} requests, slowest {slowest} "
          f"{timings[slowest] * 1000:.0f} ms")
    assert timings[slowest] < 3.0  # registration and sign-in hash a password, on a busy machine

    # Redis returns, empty (its queued recomputes are lost); a consensus worker with beat starts.
    restarted = start_redis(REDIS_PORT, tmp_path)
    worker = None
    try:
        worker = start_worker(None, tmp_path / "consensus.log", queues="consensus",
                              name="consensus", env=env, beat=True, ping=False)
        started = time.monotonic()
        deadline = started + 60
        while not all(not _summary(key)["stale"] and _summary(key)["computed_at"]
                      for key in ("c-0", "c-1")):
            assert worker.poll() is None, (tmp_path / "consensus.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "consensus.log").read_text()
            time.sleep(0.2)
        fresh_after = time.monotonic() - started
    finally:
        if worker is not None:
            stop(worker)
        stop(restarted)
    c0 = _summary("c-0")
    assert sum(g["decisive"] for g in c0["groups"]) == 4
    print(f"summaries fresh {fresh_after:.1f} s after a worker with beat started "
          f"(refresh every {REFRESH} s, plus the worker's start)")
