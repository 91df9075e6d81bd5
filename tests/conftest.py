"""The usual cast: an admin, a facilitator, members of each group, a registered user, a visitor."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.utils import timezone

from definition.models import Clause, Draft, Membership
from definition.services import create_draft, publish_draft
from deliberation.consensus.recompute import ensure_summaries, recompute
from deliberation.models import Appeal, Disposition
from deliberation.votes.services import cast_vote
from tests.factories import (
    ClauseFactory,
    CommentFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    VoteFactory,
    open_draft,
)
from tests.helpers import client_for, client_of

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


# The cast of the API, page, export and workspace tests. ---------------------------------------

@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache, rendered figures in the fragments cache; each test
    starts from zero."""
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user)` is a client authenticated by token as that user; `api()` is a visitor."""
    return client_for


@pytest.fixture
def other_definition(db):
    return DefinitionFactory(slug="other", title="Another Definition")


@pytest.fixture
def cast(definition, facilitator, admin_user, user, other_definition):
    """One user per role of the permission table, keyed by role."""
    pending = MembershipFactory(user=UserFactory(username="pending"), definition=definition,
                                status=Membership.Status.PENDING).user
    member = MembershipFactory(user=UserFactory(username="member"), definition=definition).user
    outsider = MembershipFactory(user=UserFactory(username="outsider"),
                                 definition=other_definition).user
    other_facilitator = UserFactory(username="other-facilitator")
    other_definition.facilitators.add(other_facilitator)
    return {"visitor": None, "user": user, "pending": pending, "member": member,
            "outsider": outsider, "other_facilitator": other_facilitator,
            "facilitator": facilitator, "admin": admin_user}


@pytest.fixture
def world(cast, definition, published_draft):
    """osaid with a closed 0.0.7, an open 0.0.8 and an editing 0.0.9 based on it; a vote, a
    comment with a disposition, a suggestion and a hidden comment on 0.0.8's `freedoms`."""
    closed = DraftFactory(definition=definition, version="0.0.7")
    ClauseFactory(draft=closed, key="freedoms", body="Use and study.", position=0)
    Draft.objects.filter(pk=closed.pk).update(
        status=Draft.Status.CLOSED, created_at=published_draft.created_at - timedelta(days=30))
    editing = DraftFactory(definition=definition, version="0.0.9", based_on=published_draft)
    for clause in published_draft.clauses.filter(parent=None):
        ClauseFactory(draft=editing, key=clause.key, heading=clause.heading, body=clause.body,
                      position=clause.position)
    freedoms = published_draft.clauses.get(key="freedoms")
    member = cast["member"]
    VoteFactory(clause=freedoms, membership=member.memberships.get(), position="support")
    comment = CommentFactory(clause=freedoms, author=member, author_verified=True)
    Disposition.objects.create(comment=comment, status="deferred", response="Later.",
                               decided_at=timezone.now(), decided_by=cast["facilitator"],
                               acknowledged_satisfied=False, acknowledged_at=timezone.now())
    appealed = CommentFactory(clause=freedoms, author=member, author_verified=True)
    decided = Disposition.objects.create(comment=appealed, status="declined", response="No.",
                                         decided_at=timezone.now(),
                                         decided_by=cast["facilitator"],
                                         acknowledged_satisfied=False)
    appeal = Appeal.objects.create(comment=appealed, author=member, reason="Reconsider.",
                                   disposition_status="declined", disposition_response="No.",
                                   disposition_decided_by=cast["facilitator"],
                                   disposition_decided_at=decided.decided_at)
    suggestion = CommentFactory(clause=freedoms, author=cast["user"], kind="suggestion",
                                proposed_text="Use, study, change and share.")
    hidden = CommentFactory(clause=freedoms, author=cast["user"], hidden=True,
                            hidden_reason="Off topic.")
    return {"comment": comment, "suggestion": suggestion, "hidden": hidden,
            "pending": Membership.objects.get(user=cast["pending"]),
            "membership": member.memberships.get(), "freedoms": freedoms, "appeal": appeal}


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def user_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def make_draft(definition):
    """An open draft of `n` clauses (one section holding the rest) with empty summaries."""

    def make(n: int, version: str = "1.0"):
        draft = DraftFactory(definition=definition, version=version)
        section = ClauseFactory(draft=draft, key="section", heading="Section", body="", position=0)
        for i in range(1, n):
            ClauseFactory(draft=draft, key=f"k{i}", body=f"Clause number {i} text.",
                          parent=section if i % 2 else None, position=i)
        draft = open_draft(draft)
        ensure_summaries(draft)
        return draft

    return make


@pytest.fixture
def voted_draft(definition, facilitator, members, published_draft):
    """0.0.8 open, with votes from every group, an objection with a disposition and a comment."""
    definition.quorum = 2  # two members per group: every group that votes is quorate
    definition.save()
    freedoms = published_draft.clauses.get(key="freedoms")
    why = published_draft.clauses.get(key="why")
    positions = {"developers": "support", "lawyers": "accept", "legislators": "oppose",
                 "companies": "support"}
    for name, user in members.items():
        group = name.rsplit("-", 1)[0]
        membership = user.memberships.get()
        VoteFactory(clause=freedoms, membership=membership, position=positions[group],
                    rationale="Too broad." if positions[group] == "oppose" else "")
        VoteFactory(clause=why, membership=membership, position="support")
    objection = CommentFactory(clause=freedoms, author=members["legislators-1"], kind="objection",
                               body="Too broad.", author_verified=True,
                               vote=freedoms.votes.get(voter=members["legislators-1"]))
    Disposition.objects.create(comment=objection, status="declined", response="Kept as is.",
                               decided_at=timezone.now(), decided_by=facilitator,
                               acknowledged_satisfied=False,
                               acknowledgement_note="Still too broad.")
    CommentFactory(clause=why, author=members["developers-1"], body="Well put.",
                   author_verified=True)
    recompute(draft_id=published_draft.pk)
    return published_draft


@pytest.fixture
def fac(facilitator):
    return client_of(facilitator)


@pytest.fixture
def next_draft(facilitator, published_draft):
    """0.0.9 in `editing`, copied from the open 0.0.8 (keys preamble, why, freedoms)."""
    draft = create_draft(actor=facilitator, definition=published_draft.definition,
                         version="0.0.9", based_on=published_draft)
    draft.definition = published_draft.definition
    return draft


@pytest.fixture
def applicant(definition):
    """A pending application to the lawyers' group."""
    return MembershipFactory(user=UserFactory(username="applicant"), definition=definition,
                             group=definition.groups.get(slug="lawyers"), status="pending",
                             affiliation="Example Law LLP",
                             conflict_of_interest="Advises an AI vendor")


@pytest.fixture
def mailbox(settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def revoted(published_draft, facilitator, member):
    """The member supported `why` and opposed `freedoms` on 0.0.8; 0.0.9 (open) keeps `why`,
    rewords `freedoms` and adds `scope`."""
    clauses = published_draft.clauses
    cast_vote(actor=member, clause=clauses.get(key="why"), position="support")
    cast_vote(actor=member, clause=clauses.get(key="freedoms"), position="oppose",
              rationale="Too broad.")
    new = create_draft(actor=facilitator, definition=published_draft.definition, version="0.0.9",
                       based_on=published_draft)
    new.clauses.filter(key="freedoms").update(body="Use, study and share.")
    Clause.objects.create(draft=new, key="scope", body="Any AI system.", position=5)
    publish_draft(actor=facilitator, draft=new, closes_at=timezone.now() + timedelta(days=7))
    new.refresh_from_db()
    return new
