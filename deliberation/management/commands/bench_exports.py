"""`manage.py bench_exports`: Markdown and PDF export time of a 200-clause draft with both
annexes (PRODUCT.md §7; target: the PDF in at most 5 s). Builds its data in a transaction that
is rolled back, so it leaves nothing behind."""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from deliberation.benchmarks.exports import build_draft
from deliberation.exports import export_draft

TARGET_PDF_S = 5.0
ANNEXES = ("consensus", "dispositions")


class Command(BaseCommand):
    help = "Time the Markdown and PDF exports of a draft with both annexes."

    def add_arguments(self, parser):
        parser.add_argument("--clauses", type=int, default=200)
        parser.add_argument("--members", type=int, default=20)
        parser.add_argument("--repeats", type=int, default=3)

    def handle(self, *args, clauses, members, repeats, **options):
        with transaction.atomic():
            draft = build_draft(clauses=clauses, members=members, rng=random.Random(7))
            for fmt, target in (("md", None), ("pdf", TARGET_PDF_S)):
                self._time(draft, fmt, repeats, target)
            transaction.set_rollback(True)

    def _time(self, draft, fmt, repeats, target):
        times, cpu, size = [], [], 0
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(export_draft(draft=draft, fmt=fmt, annexes=ANNEXES).content)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        best = min(times)
        verdict = "" if target is None else ("  ok" if best <= target else "  MISSED")
        target_text = "" if target is None else f" (target {target:g} s)"
        self.stdout.write(f"{fmt:<4} {draft.clauses.count()} clauses, both annexes: best "
                          f"{best:.2f} s of {repeats} (CPU {min(cpu):.2f} s), "
                          f"{size / 1024:.0f} KiB{target_text}"
                          f"{verdict}")
