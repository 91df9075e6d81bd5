"""`manage.py bench`: the whole benchmark of PRODUCT.md §8 in one table (PostgreSQL).

Creates and migrates its own database (DATABASE_URL), seeds three sizes with fixed seeds (kept for
the next run: `--reuse` skips seeding a size whose data is already there), then prints figure x
size with median, p95, baseline, ratio, target and pass/fail. See docs/performance.md."""

import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from deliberation.benchmarks import pages, suite
from deliberation.benchmarks import votes as vote_bench


class Command(BaseCommand):
    help = "Seed three sizes and print every performance figure of PRODUCT.md §8 in one table."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=",".join(suite.SIZES),
                            help=f"comma-separated, of {', '.join(suite.SIZES)}")
        parser.add_argument("--repeats", type=int, default=7, help="full recomputes per size")
        parser.add_argument("--requests", type=int, default=20, help="GETs per page and size")
        parser.add_argument("--vote-seconds", type=float, default=10.0,
                            help="seconds of each vote-write run (0: skip)")
        parser.add_argument("--skip-pdf", action="store_true")
        parser.add_argument("--skip-engine", action="store_true", help="no recompute timings")
        parser.add_argument("--skip-pages", action="store_true", help="no gunicorn timings")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--reuse", action="store_true",
                            help="keep the data of a size already seeded (same size, same seed)")

    def handle(self, *args, sizes, repeats, requests, vote_seconds, skip_pdf, seed, reuse,
               skip_engine, skip_pages, **options):
        names = [s.strip() for s in sizes.split(",") if s.strip()]
        if unknown := set(names) - set(suite.SIZES):
            raise CommandError(f"unknown sizes {sorted(unknown)}: use {', '.join(suite.SIZES)}")
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        if vote_bench.create_database():
            self.stdout.write(f"created the database {connection.settings_dict['NAME']}")
        call_command("migrate", verbosity=0, interactive=False)
        report, loaded = suite.Report(echo=self.stdout.write), {}
        for name in names:
            start = time.perf_counter()
            loaded[name] = suite.load(name, seed=seed, reuse=reuse)
            self.stdout.write(f"{name}: {loaded[name].votes:,} votes ready in "
                              f"{time.perf_counter() - start:.0f} s")
        for name in names if not skip_engine else ():
            report.add(*suite.engine_rows(name, loaded[name], repeats))
            # Every size: the job's time, and a stored analysis whose page and API the page
            # rows then time (and whose query counts are compared across sizes).
            report.add(suite.opinion_row(name, loaded[name]))
            self.stdout.write(f"{name}: engine timed")
        if len(names) > 1 and not skip_engine:
            report.add(suite.slope_row(report, {n: loaded[n].votes for n in names}))
        for name in names:  # the desk reads the stored grouping: compute it once seeded
            report.add(suite.grouping_row(name, loaded[name]))
        if not skip_pages:
            self._pages(report, names, requests)
        report.add(*suite.query_rows(names))
        for name in names:  # in-process, so also with --skip-pages
            report.add(*suite.desk_rows(name))
        if not skip_pdf:
            report.add(suite.pdf_row())
        if vote_seconds:
            report.add(suite.vote_ratio_row(vote_seconds))
        self.stdout.write("\n" + suite.render(report))

    def _pages(self, report, names, requests) -> None:
        processes = vote_bench.Processes(Path(tempfile.mkdtemp(prefix="bench-pages-")))
        try:
            base = processes.gunicorn("pages", "config.wsgi", vote_bench.ROOT, 2)
            for name in names:
                report.add(*suite.page_rows(name, base, requests))
                self.stdout.write(f"{name}: pages timed")
            report.add(suite.Row("worker peak memory", "all",
                                 pages.worker_peak_mib(processes.started[-1].pid), unit="MiB",
                                 target=suite.TARGETS["worker peak memory"]))
        finally:
            processes.stop_all()
