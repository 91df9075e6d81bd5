"""`manage.py bench_consensus --votes 1000000`: measured figures for PRODUCT.md §8 (PostgreSQL)."""

import resource
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from deliberation.benchmarks import consensus as bench
from deliberation.benchmarks.votes import create_database

TARGETS = {"full_ms": 2000.0, "ratio": 2.0, "one_clause_ms": 10.0}
FLOORS = {"vote_writes_per_s": 500.0}


class Command(BaseCommand):
    help = "Time the consensus recompute against the plain SQL GROUP BY over the same votes."

    def add_arguments(self, parser):
        parser.add_argument("--votes", type=int, default=1_000_000)
        parser.add_argument("--clauses", type=int, default=500)
        parser.add_argument("--repeats", type=int, default=7)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--keep", action="store_true", help="keep the data afterwards")
        parser.add_argument("--reuse", action="store_true",
                            help="reuse the data an earlier --keep run left, if of this size")

    def handle(self, *args, votes, clauses, repeats, seed, keep, reuse, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL.")
        create_database()  # a fresh database: created and migrated, as `manage.py bench` does
        call_command("migrate", verbosity=0, interactive=False)
        start = time.perf_counter()
        data = bench.existing(votes=votes, clauses=clauses) if reuse else None
        data = data or bench.build(votes=votes, clauses=clauses, seed=seed)
        self.stdout.write(f"{data.votes:,} votes ({data.members:,} members x "
                          f"{len(data.clause_ids)} clauses) in {time.perf_counter() - start:.1f} s")
        figures = {**bench.time_full(data, repeats), **bench.time_one_clause(data, 25),
                   **bench.peak_memory(data)}
        figures["process_max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._report(figures)
        if not keep:
            bench.teardown()

    def _report(self, figures: dict) -> None:
        self.stdout.write(f"{'figure':<28}{'measured':>12}{'target':>10}")
        for name, value in figures.items():
            target = TARGETS.get(name, FLOORS.get(name))
            met = value <= target if name in TARGETS else value >= FLOORS.get(name, 0)
            mark = "" if target is None else ("  ok" if met else "  MISSED")
            target_text = "" if target is None else f"{target:g}"
            self.stdout.write(f"{name:<28}{value:>12.2f}{target_text:>10}{mark}")
