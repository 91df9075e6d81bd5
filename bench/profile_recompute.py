"""Time the one-clause recompute after one vote (PRODUCT.md §8: ≤ 10 ms), with its statements.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_recompute.py [N]
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from definition.models import Clause  # noqa: E402
from deliberation import tasks  # noqa: E402
from deliberation.benchmarks import votes as bench  # noqa: E402
from deliberation.votes import services as vote_services  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seeded = bench.seed(members=50, clauses=10)
    clauses = list(Clause.objects.filter(draft_id=seeded.draft_id).select_related("draft"))
    users = list(User.objects.filter(pk__in=seeded.tokens))
    rng = random.Random(3)
    with tasks.recompute_deferred():
        for user in users:  # everyone has voted on every clause
            for clause in clauses:
                vote_services.cast_vote(actor=user, clause=clause, position="support")
    for clause in clauses:
        tasks.recompute_clause_task(clause.pk)
    timings, statements = [], []
    for i in range(n):
        clause, user = rng.choice(clauses), rng.choice(users)
        position = rng.choice(bench.POSITIONS)
        with tasks.recompute_deferred():
            vote_services.cast_vote(actor=user, clause=clause, position=position,
                               rationale=f"Because {i}." if position in ("oppose", "block") else "")
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            tasks.recompute_clause_task(clause.pk)
            timings.append(time.perf_counter() - start)
        statements.append(len(queries.captured_queries))
    ordered = sorted(timings)
    print(f"one-clause recompute after one vote, {n} runs: median "
          f"{statistics.median(timings) * 1000:.1f} ms, p95 {ordered[int(0.95 * n)] * 1000:.1f} ms,"
          f" {statistics.median(statements):.0f} statements")
    if "-v" in sys.argv:
        for q in queries.captured_queries:
            print(q["time"], q["sql"][:300])


if __name__ == "__main__":
    main()
