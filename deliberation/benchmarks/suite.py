"""`manage.py bench`: every figure of PRODUCT.md §8 at three sizes, in one table.

Sizes (fixed seeds, COPY-loaded by `benchmarks.consensus`): 10k votes (50 clauses x 200 members),
100k (200 x 500), 1M (500 x 2,000). Per size: full recompute against the plain GROUP BY in the
same run, one clause after one vote, the opinion groups, then every page and API answer through
gunicorn (2 workers, production settings over plain HTTP), query counts in-process. Once: the PDF
of 200 clauses and the vote-write ratio of `bench_votes`.
"""

import gc
import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests
from django.db import connection, transaction

from definition.models import Definition, Draft
from deliberation.benchmarks import consensus, pages
from deliberation.benchmarks import votes as vote_bench
from deliberation.consensus import recompute
from deliberation.consensus.opinions import compute_opinion_groups
from deliberation.discussion import grouping

SIZES = {"10k": (50, 200), "100k": (200, 500), "1M": (500, 2000)}  # clauses, members
PAGE_TARGET_MS = 100.0
TARGETS = {"recompute / GROUP BY": 2.0, "one clause": 10.0, "PDF 200 clauses": 5000.0,
           "opinion groups": 60000.0, "worker peak memory": 512.0, "recompute slope": 1.1}


@dataclass
class Row:
    figure: str
    size: str
    median: float
    p95: float | None = None
    unit: str = "ms"
    baseline: float | None = None
    target: float | None = None
    at_least: bool = False  # a floor (vote-write ratio), not a ceiling
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.median / self.baseline if self.baseline else None

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        value = self.ratio if self.baseline else (self.p95 if self.p95 is not None
                                                  else self.median)
        return value >= self.target if self.at_least else value <= self.target


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    echo: Callable[[str], None] | None = None  # each row as it is measured

    def add(self, *rows: Row) -> None:
        self.rows.extend(rows)
        for row in rows if self.echo else ():
            self.echo(_line(row))


def slug_of(size: str) -> tuple[str, str]:
    """The definition slug and user prefix of a size (1M shares `bench_consensus --keep` data)."""
    if size == "1M":
        return consensus.SLUG, "bench-"
    return f"bench-{size.lower()}", f"bench{size.lower()}-"


def load(size: str, *, seed: int, reuse: bool) -> consensus.BenchData:
    clauses, members = SIZES[size]
    slug, prefix = slug_of(size)
    data = (consensus.existing(votes=clauses * members, clauses=clauses, slug=slug)
            if reuse else None)
    return data or consensus.build(votes=clauses * members, clauses=clauses, seed=seed, slug=slug,
                                   prefix=prefix)


def _ms(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples) * 1000, pages.percentile(samples, 0.95) * 1000


@contextmanager
def storing_clock(spent: list[float]):
    """Add to `spent` the time the recompute spends writing summaries (both storing steps)."""
    originals = {name: getattr(recompute, name) for name in STORING}

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[-1] += time.perf_counter() - start
        return wrapper

    for name, function in originals.items():
        setattr(recompute, name, timed(function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(recompute, name, function)


STORING = ("_bulk_write", "_store_groups")


def engine_rows(size: str, data: consensus.BenchData, repeats: int) -> list[Row]:
    """Full recompute against the GROUP BY (interleaved), the part of it spent storing, and one
    clause after one vote."""
    base, full, storing = [], [], []
    recompute.recompute(draft_id=data.draft_id)
    with storing_clock(storing):
        for _ in range(repeats):
            storing.append(0.0)
            base.append(consensus._timed(lambda: consensus.baseline(data.draft_id)))
            full.append(consensus._timed(lambda: recompute.recompute(draft_id=data.draft_id)))
    one = consensus.time_one_clause(data, 25, slug=slug_of(size)[0])
    base_ms, full_ms = _ms(base), _ms(full)
    # The issue sets the ratio at 1M votes (its 499 ms against 197 ms). At the small sizes a
    # fixed cost (the lock, a dozen round trips, the writes, the math of 50 or 200 clauses:
    # about 16 ms) outweighs a GROUP BY of a few ms: their ratio is printed, not judged.
    at_scale = size == "1M"
    return [Row("GROUP BY (baseline)", size, *base_ms),
            Row("full recompute", size, *full_ms, baseline=base_ms[0],
                target=TARGETS["recompute / GROUP BY"] if at_scale else None,
                note=f"{data.votes:,} votes" + ("" if at_scale else "; ratio judged at 1M")),
            Row("  of which storing", size, *_ms(storing), note="summary + per-group rows"),
            Row("one clause", size, one["one_clause_ms"], one["one_clause_p95_ms"],
                target=TARGETS["one clause"])]


def slope_row(report: Report, votes: dict[str, int]) -> Row:
    """Log-log slope of the full recompute time against the number of votes (1 = linear)."""
    medians = {r.size: r.median for r in report.rows if r.figure == "full recompute"}
    xs = [math.log(votes[s]) for s in medians]
    ys = [math.log(medians[s]) for s in medians]
    slope = float(np.polyfit(xs, ys, 1)[0]) if len(xs) > 1 else float("nan")
    return Row("recompute slope (log-log)", "all", slope, unit="",
               target=TARGETS["recompute slope"])


def opinion_row(size: str, data: consensus.BenchData) -> Row:
    start = time.perf_counter()
    compute_opinion_groups(draft_id=data.draft_id)
    elapsed = (time.perf_counter() - start) * 1000
    return Row("opinion groups (job)", size, elapsed, target=TARGETS["opinion groups"],
               note=f"{data.members:,} members x {len(data.clause_ids)} clauses")


def grouping_row(size: str, data: consensus.BenchData) -> Row:
    """The desk's stored grouping of similar comments, computed for every clause (seeding COPYs
    the objections, so nothing grouped them): the job's time; the desk row then measures the
    steady state."""
    start = time.perf_counter()
    regrouped = grouping.regroup_stale(draft_id=data.draft_id)
    elapsed = (time.perf_counter() - start) * 1000
    with connection.cursor() as cursor:  # as after the seed: the visibility map, the statistics
        cursor.execute("VACUUM ANALYZE deliberation_comment")
        # The seed's COPY counted each objection as an item of its own (one count row each)
        # until this grouping folded them: compact the count tables, as after any bulk load.
        cursor.execute("VACUUM FULL ANALYZE deliberation_commentcount, "
                       "deliberation_commentitemcount")
    return Row("desk grouping (job)", size, elapsed,
               note=f"{regrouped} clauses regrouped, {pages.undisposed(slug_of(size)[0]):,} "
                    "undisposed")


def page_rows(size: str, base: str, repeats: int) -> list[Row]:
    slug = slug_of(size)[0]
    draft = Draft.objects.get(definition__slug=slug)
    paths = pages.page_paths(slug, draft.version, draft.clauses.order_by("position")[0].key)
    rows, session = [], requests.Session()
    for name, path in paths.items():
        timing = pages.time_get(session, base + path, repeats)
        note = f"{timing.size / 1024:.0f} KiB, HTTP {timing.status}"
        if timing.conditional is not None:
            note += f", conditional GET {timing.conditional}"
        rows.append(Row(name, size, timing.median_ms, timing.p95_ms, target=PAGE_TARGET_MS,
                        note=note))
    return rows


# The facilitator desk, as its facilitator sees it: counted at every size, and timed in-process
# (it is not a page of the table: its rows say how it grows with the undisposed comments).
DESK_PATH = "/d/{slug}/facilitate/"


# The desk's default view, then a sort, a queue and two filters (each with a known value).
DESK_VIEWS = {"": "", "support": "?sort=support", "objections": "?queue=objections",
              "group": "?group={group}", "clause": "?clause={clause}"}


@contextmanager
def _own_heap_frozen():
    """Time in-process without the benchmark's own heap: what it has built by then (the seeds,
    earlier rows) moves out of the collector's reach (`gc.freeze`), as a web worker's heap
    holds none of it. Without this, three runs in a row each had one desk request in 25 at
    160-190 ms (another view each time) that 25 more requests in a fresh process never
    showed: a full collection over the benchmark's heap, by every sign."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def desk_rows(size: str, repeats: int = 5) -> list[Row]:
    """The desk as its facilitator sees it, in-process after one warm-up, over the stored
    grouping (`grouping_row` computed it): the default view and each of DESK_VIEWS."""
    slug = slug_of(size)[0]
    draft = Draft.objects.get(definition__slug=slug)
    values = {"group": draft.definition.groups.order_by("position", "pk")[0].slug,
              "clause": draft.clauses.order_by("position")[0].key}
    user, undisposed, rows = pages.facilitator_of(slug), pages.undisposed(slug), []
    for name, query in DESK_VIEWS.items():
        path = DESK_PATH.format(slug=slug) + query.format(**values)
        with _own_heap_frozen():
            timing = pages.time_in_process(path, repeats, user=user)
        label = "desk (facilitator, in-process)" + (f" {name}" if name else "")
        rows.append(Row(label, size, timing.median_ms, timing.p95_ms, target=PAGE_TARGET_MS,
                        note=f"{timing.size / 1024:.0f} KiB, HTTP {timing.status}, "
                             f"{undisposed:,} undisposed"))
    return rows


def query_rows(sizes: list[str]) -> list[Row]:
    """Queries per page at each size; pinned means the same count at every size measured."""
    counts = {}
    for size in sizes:
        slug = slug_of(size)[0]
        draft = Draft.objects.get(definition__slug=slug)
        paths = pages.page_paths(slug, draft.version, draft.clauses.order_by("position")[0].key)
        paths["desk"] = DESK_PATH.format(slug=slug)
        counts[size] = pages.query_counts(paths, facilitator=pages.facilitator_of(slug))
    rows = []
    for name in counts[sizes[0]]:
        measured = [s for s in sizes if name in counts[s]]
        per_size = [counts[s][name] for s in measured]
        pinned = len(set(per_size)) == 1
        rows.append(Row(f"queries: {name}", "all", per_size[-1], unit="q",
                        note=("pinned " if pinned else "NOT PINNED ") + " / ".join(
                            f"{s} {n}" for s, n in zip(measured, per_size, strict=True))))
    return rows


def pdf_row(repeats: int = 3) -> Row:
    """The PDF export of a 200-clause draft with both annexes (data rolled back)."""
    from deliberation.benchmarks.exports import build_draft
    from deliberation.exports import export_draft

    samples = []
    with transaction.atomic():
        draft = build_draft(clauses=200, members=20, rng=random.Random(7))
        for _ in range(repeats):
            start = time.perf_counter()
            export_draft(draft=draft, fmt="pdf", annexes=("consensus", "dispositions"))
            samples.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    return Row("PDF 200 clauses", "200 clauses", *_ms(samples), target=TARGETS["PDF 200 clauses"])


def vote_ratio_row(seconds: float) -> Row:
    """`bench_votes` as it runs alone: Concord's vote API against the bare upsert endpoint."""
    from deliberation.management.commands.bench_votes import Command as BenchVotes

    vote_bench.prepare_bare_table()
    seeded = vote_bench.seed(members=50, clauses=10)
    processes = vote_bench.Processes(Path(tempfile.mkdtemp(prefix="bench-votes-")))
    try:
        command = BenchVotes()
        concord, bare, _ = command._run(processes, seeded, 16, seconds, 2, False, 0)
    finally:
        processes.stop_all()
    problems = vote_bench.check_concord(seeded, concord) + vote_bench.check_bare(seeded, bare)
    errors = len(concord.errors) + len(bare.errors)
    Definition.objects.filter(slug=seeded.slug).delete()
    return Row("vote writes/s concord/bare", "50 x 10", concord.writes_per_s,
               baseline=bare.writes_per_s, unit="/s", target=0.5, at_least=True,
               note=f"{errors} errors, {len(problems)} integrity problems")


def render(report: Report) -> str:
    head = (f"{'figure':<28}{'size':>12}{'median':>10}{'p95':>10}{'baseline':>10}{'ratio':>7}"
            f"{'target':>9} {'pass':<5} note")
    return "\n".join([head, "-" * len(head), *map(_line, report.rows)])


def _line(r: Row) -> str:
    return (f"{r.figure:<28}{r.size:>12}{_num(r.median, r.unit):>10}"
            f"{_num(r.p95, r.unit):>10}{_num(r.baseline, r.unit):>10}"
            f"{_num(r.ratio, ''):>7}{_target(r):>9} {_verdict(r.passed):<5} {r.note}")


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if unit in ("q",) or abs(value) >= 100 else f"{value:.2f}"


def _target(row: Row) -> str:
    if row.target is None:
        return ""
    return ("≥" if row.at_least else "≤") + f"{row.target:g}"


def _verdict(passed: bool | None) -> str:
    return "" if passed is None else ("ok" if passed else "FAIL")
