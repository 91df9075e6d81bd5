"""The usual cast: an admin, a facilitator, members of each group, a registered user, a visitor."""

from pathlib import Path

import pytest
from django.db import connection

from tests.factories import (
    ClauseFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    open_draft,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "osaid"


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the OSAID corpus is not at {CORPUS} (it lives in ../shared beside the repo)")
    return CORPUS


def pytest_collection_modifyitems(config, items):
    """Skip `postgres`-marked tests on SQLite, saying why."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# What a skip says about the machine, so that the last lines of a run name what it could not test.
MISSING = (("Chromium", "browser"), ("poppler", "PDF"), ("CJK font", "PDF CJK"),
           ("PostgreSQL", "PostgreSQL"), ("Redis", "Redis/worker"), ("corpus", "OSAID corpus"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """After pytest's own summary: "N browser tests skipped: <why>", one line per missing thing."""
    result = yield
    counts: dict[tuple[str, str], int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        kind = next((kind for needle, kind in MISSING if needle in reason), None)
        if kind:
            counts[kind, reason] = counts.get((kind, reason), 0) + 1
    if counts:
        terminalreporter.write_sep("-", "not tested in this run")
        for (kind, reason), n in sorted(counts.items()):
            terminalreporter.write_line(f"{n} {kind} test{'s' * (n != 1)} skipped: {reason}")
    return result


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def definition(db):
    return DefinitionFactory(slug="osaid", title="Open Source AI Definition")


@pytest.fixture
def facilitator(definition):
    user = UserFactory(username="facilitator")
    definition.facilitators.add(user)
    return user


@pytest.fixture
def user(db):
    return UserFactory(username="registered")


@pytest.fixture
def members(definition):
    """Two verified members in each of the four groups, keyed '<group>-<n>'."""
    result = {}
    for group in definition.groups.all():
        for n in (1, 2):
            membership = MembershipFactory(user=UserFactory(username=f"{group.slug}-{n}"),
                                           definition=definition, group=group)
            result[f"{group.slug}-{n}"] = membership.user
    return result


@pytest.fixture
def member(members):
    return members["developers-1"]


@pytest.fixture
def editing_draft(definition):
    draft = DraftFactory(definition=definition, version="0.0.8")
    section = ClauseFactory(draft=draft, key="preamble", heading="Preamble", body="", position=0)
    ClauseFactory(draft=draft, key="why", body="Open Source has demonstrated benefits.",
                  parent=section, position=0)
    ClauseFactory(draft=draft, key="freedoms", body="Use, study, modify and share.", position=1)
    return draft


@pytest.fixture
def published_draft(editing_draft):
    return open_draft(editing_draft)


@pytest.fixture
def clause(published_draft):
    return published_draft.clauses.get(key="freedoms")


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run tasks in-process, except in tests marked `redis`, which talk to a real worker."""
    from config.celery import app

    if "redis" in request.keywords:
        yield
        return
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _redis_breakers_closed():
    """A test that saw Redis down must not leave later tests skipping it."""
    from core.degraded import broker_breaker, cache_breaker

    yield
    cache_breaker.reset()
    broker_breaker.reset()


@pytest.fixture
def broker(settings):
    """The real Celery broker (REDIS_URL): tasks are sent to it instead of run in-process, on
    emptied queues. Tests that use it start their own workers (tests/processes.py)."""
    from config.celery import app
    from deliberation import tasks
    from tests.processes import purge_queues

    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis broker: set REDIS_URL")
    app.conf.task_always_eager = False
    purge_queues(app)
    tasks.forget_enqueued()  # the purged runs no longer count for the in-process debounce
    yield app
    app.conf.task_always_eager = True
