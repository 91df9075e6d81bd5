"""Profile the vote API in-process: cProfile around the WSGI handler over N token-authenticated
PUTs (django.test.Client), on the configured database (use PostgreSQL + Redis, production-like).

    DATABASE_URL=postgres://... REDIS_URL=redis://... DEBUG=false CONCORD_DEV=false \
    SECURE_SSL_REDIRECT=false .venv/bin/python bench/profile_vote.py [N] [--sort tottime]
"""

import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from deliberation.benchmarks import votes as bench  # noqa: E402

POSITIONS = ("support", "accept", "abstain", "oppose", "block")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 300
    sort = sys.argv[sys.argv.index("--sort") + 1] if "--sort" in sys.argv else "cumulative"
    seeded = bench.seed(members=50, clauses=10)
    client = Client()
    users = sorted(seeded.tokens)
    rng = random.Random(7)
    base = f"/api/v1/definitions/{seeded.slug}/drafts/{seeded.version}/clauses/"

    def put(i: int) -> None:
        user, key = rng.choice(users), rng.choice(seeded.clause_keys)
        position = rng.choice(POSITIONS)
        body = bench._body(position, i)
        response = client.put(f"{base}{key}/vote/", body, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Token {seeded.tokens[user]}")
        assert response.status_code == 200, response.content[:300]

    for i in range(30):  # warm up: connections, caches, first-vote rows
        put(i)
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for i in range(n):
        put(i)
    profile.disable()
    elapsed = time.perf_counter() - start
    print(f"{n} votes, {elapsed / n * 1000:.2f} ms per vote (profiled)")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(sort)
    stats.print_stats(60)
    for name in sys.argv[sys.argv.index("--callees") + 1:] if "--callees" in sys.argv else ():
        stats.print_callees(name)
    print(out.getvalue())


if __name__ == "__main__":
    main()
