"""Many members voting on the same few clauses at once, on PostgreSQL: no error, no lost write.

Each thread is its own verified member with its own database connection and goes through the
real vote API (view, service, on-commit recompute), for a few seconds."""

import random
import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from deliberation.consensus import recompute
from deliberation.models import ClauseSummary, Vote
from tests.factories import (
    ClauseFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    open_draft,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 32
SECONDS = 3.0  # each thread votes for this long, and at least MIN_WRITES times (within 30 s)
MIN_WRITES = 4
POSITIONS = ("support", "accept", "abstain", "oppose", "block")


@pytest.fixture
def contested():
    definition = DefinitionFactory(slug="contested", title="Contested")
    draft = DraftFactory(definition=definition, version="1.0")
    clauses = [ClauseFactory(draft=draft, key=f"c-{n}", position=n) for n in range(3)]
    open_draft(draft)
    slugs = list(definition.groups.values_list("slug", flat=True))
    members = [MembershipFactory(user=UserFactory(), definition=definition,
                                 group=definition.groups.get(slug=slugs[n % len(slugs)])).user
               for n in range(THREADS)]
    return draft, clauses, members


def _vote_for_a_while(member, clauses, seed, outcome):
    """PUT (and now and then DELETE) votes until time is up; record what was acknowledged."""
    rng = random.Random(seed)
    client = APIClient()
    client.force_authenticate(member)
    acked, errors, done = {}, [], 0
    stop_at, hard_stop = time.monotonic() + SECONDS, time.monotonic() + 30
    try:
        while (time.monotonic() < stop_at or done < MIN_WRITES) and time.monotonic() < hard_stop:
            clause = rng.choice(clauses)
            url = f"/api/v1/definitions/contested/drafts/1.0/clauses/{clause.key}/vote/"
            try:
                if clause.pk in acked and acked[clause.pk] and rng.random() < 0.1:
                    response = client.delete(url)
                    if response.status_code == 204:
                        acked[clause.pk], done = None, done + 1
                        continue
                else:
                    position = rng.choice(POSITIONS)
                    response = client.put(url, {"position": position, "rationale": "Because."},
                                          format="json")
                    if response.status_code == 200:
                        acked[clause.pk], done = position, done + 1
                        continue
                errors.append(f"{response.status_code}: {response.content[:300]!r}")
            except Exception as error:  # noqa: BLE001 - a 500 in the test client
                errors.append(f"{type(error).__name__}: {error}")
    finally:
        connection.close()
    outcome[member.pk] = (acked, errors, done)


def test_thirty_members_changing_votes_on_the_same_clauses_lose_nothing(contested):
    draft, clauses, members = contested
    outcome = {}
    threads = [threading.Thread(target=_vote_for_a_while, args=(m, clauses, n, outcome))
               for n, m in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert len(outcome) == THREADS
    errors = [e for _, member_errors, _ in outcome.values() for e in member_errors]
    done = sum(n for _, _, n in outcome.values())
    assert errors == [], f"{len(errors)} errors in {done + len(errors)} writes, e.g. {errors[:2]}"
    stored = {(v.voter_id, v.clause_id): v.position
              for v in Vote.objects.filter(clause__draft=draft)}
    expected = {(member_id, clause_id): position
                for member_id, (acked, _, _) in outcome.items()
                for clause_id, position in acked.items() if position is not None}
    assert stored == expected
    assert Vote.objects.filter(clause__draft=draft).count() == len(expected)  # one per pair
    assert done >= MIN_WRITES * THREADS
    summaries = ClauseSummary.objects.filter(draft=draft).select_related("draft__definition")
    assert [s.clause_id for s in summaries if s.stale] == []
    assert recompute.verify_and_repair(draft_id=draft.pk) == 0
