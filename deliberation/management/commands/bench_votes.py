"""`manage.py bench_votes`: vote API writes/s against a bare Django + DRF upsert (PostgreSQL)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from deliberation.benchmarks import votes as bench


class Command(BaseCommand):
    help = ("Load the vote API through gunicorn with concurrent clients, then a bare Django + DRF "
            "upsert endpoint the same way; print both and check the stored ballot.")

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50)
        parser.add_argument("--clauses", type=int, default=10)
        parser.add_argument("--threads", type=int, default=16)
        parser.add_argument("--seconds", type=float, default=20.0)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=0,
                            help="gunicorn port (the bare server uses the next); default: free")
        parser.add_argument("--skip-bare", action="store_true", help="only the vote API")

    def handle(self, *args, members, clauses, threads, seconds, workers, skip_bare, port,
               **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_votes needs PostgreSQL (and Redis for the Celery worker): "
                               "set DATABASE_URL=postgres://... (and REDIS_URL).")
        if not settings.REDIS_URL:
            self.stderr.write("REDIS_URL is not set: recomputes run inside the web workers.")
        if bench.create_database():
            self.stdout.write(f"created the database {connection.settings_dict['NAME']}")
        call_command("migrate", verbosity=0, interactive=False)
        bench.prepare_bare_table()
        seeded = bench.seed(members=members, clauses=clauses)
        self.stdout.write(f"{members} members, {clauses} clauses, {threads} clients, "
                          f"{seconds:g} s each, gunicorn -w {workers}")
        logs = Path(tempfile.mkdtemp(prefix="bench-votes-"))
        processes = bench.Processes(logs)
        try:
            concord, bare, fresh_after = self._run(processes, seeded, threads, seconds, workers,
                                                   skip_bare, port)
        finally:
            processes.stop_all()
        self.stdout.write(bench.table(concord, bare))
        if fresh_after is not None:
            self.stdout.write(f"summaries fresh {fresh_after:.1f} s after the last vote")
        else:
            self.stdout.write("summaries still stale 60 s after the last vote")
        problems = bench.check_concord(seeded, concord)
        if not skip_bare:
            problems += [f"bare {p}" for p in bench.check_bare(seeded, bare)]
        for error in sorted(set(concord.errors + bare.errors))[:10]:
            self.stdout.write(f"error: {error}")
        self.stdout.write(f"integrity: {len(concord.acked)} (member, clause) pairs checked, "
                          f"{len(problems)} problems; logs in {logs}")
        for problem in problems[:20]:
            self.stdout.write(f"  {problem}")
        if problems:
            raise CommandError("integrity check failed")

    def _run(self, processes, seeded, threads, seconds, workers, skip_bare, port):
        worker = processes.celery_worker() if settings.REDIS_URL else None
        base = processes.gunicorn("concord", "config.wsgi", bench.ROOT, workers, port)
        web = processes.started[-1]
        api = f"{base}/api/v1/definitions/{seeded.slug}/drafts/{seeded.version}/clauses/"
        cpu = {"web": processes.cpu_seconds(web),
               "worker": processes.cpu_seconds(worker) if worker else 0.0}
        concord = bench.run_clients(name="concord", url_of=lambda k: f"{api}{k}/vote/",
                                    seeded=seeded, threads=threads, seconds=seconds)
        self._cpu("concord", concord, processes, web, worker, cpu)
        fresh_after = bench.wait_fresh(seeded, timeout=60)
        processes.stop_all()
        bare = bench.RunResult(name="bare", seconds=0)
        if not skip_bare:
            base = processes.gunicorn("bare", "bare_upsert:application", bench.BARE_DIR, workers,
                                      port + 1 if port else 0)
            web = processes.started[-1]
            cpu = {"web": processes.cpu_seconds(web), "worker": 0.0}
            bare = bench.run_clients(name="bare", url_of=lambda k: f"{base}/bare/clauses/{k}/vote/",
                                     seeded=seeded, threads=threads, seconds=seconds)
            self._cpu("bare", bare, processes, web, None, cpu)
        return concord, bare, fresh_after

    def _cpu(self, name, run, processes, web, worker, before) -> None:
        """CPU per acknowledged write in the web workers (and the Celery worker) during the run."""
        writes = max(len(run.latencies), 1)
        web_ms = (processes.cpu_seconds(web) - before["web"]) * 1000 / writes
        line = f"{name}: web workers {web_ms:.1f} ms CPU per write"
        if worker is not None:
            worker_ms = (processes.cpu_seconds(worker) - before["worker"]) * 1000 / writes
            line += f", Celery worker {worker_ms:.1f} ms CPU per write"
        self.stdout.write(line)
