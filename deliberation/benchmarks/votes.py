"""`manage.py bench_votes`: the vote API under concurrent load, against a bare Django + DRF upsert.

Seeds members (in groups, each with an API token) and an open draft, starts gunicorn (2 workers,
production-like settings) and, with REDIS_URL, a Celery worker for the recomputes; then T client
threads PUT votes for S seconds, first to Concord's vote API, then to `bench/bare_upsert.py` (same
gunicorn worker count, same PostgreSQL, its own table). Each client owns its members, so the last
acknowledged write of every (member, clause) is known and checked against what is stored.
"""

import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from definition.models import Clause, Definition, Draft, Membership, StakeholderGroup
from deliberation.models import Vote

ROOT = Path(__file__).resolve().parents[2]  # the project (manage.py, bench/)
BARE_DIR = ROOT / "bench"
GROUPS = ("developers", "lawyers", "legislators", "companies")
POSITIONS = ("support", "accept", "abstain", "oppose", "block")
BARE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_bare_vote (
    id bigserial PRIMARY KEY, member_id bigint NOT NULL, clause varchar(100) NOT NULL,
    position varchar(10) NOT NULL, updated_at timestamptz NOT NULL,
    UNIQUE (member_id, clause))
"""


@dataclass
class Seeded:
    slug: str
    version: str
    clause_keys: list[str]
    tokens: dict[int, str]  # user id -> token key
    draft_id: int


@dataclass
class RunResult:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (user id, clause key) -> the last acknowledged position, and positions of failed writes
    acked: dict[tuple[int, str], str] = field(default_factory=dict)
    uncertain: dict[tuple[int, str], set[str]] = field(default_factory=dict)

    @property
    def writes_per_s(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def seed(*, members: int, clauses: int) -> Seeded:
    """A fresh definition (unique slug per run) with groups, verified members with tokens and an
    open draft of `clauses` clauses."""
    run = uuid.uuid4().hex[:8]
    with transaction.atomic():
        definition = Definition.objects.create(slug=f"bench-votes-{run}",
                                               title="Vote benchmark")
        groups = [StakeholderGroup.objects.create(definition=definition, slug=slug,
                                                  name=slug.title(), position=n)
                  for n, slug in enumerate(GROUPS)]
        draft = Draft.objects.create(definition=definition, version="1.0")
        Clause.objects.bulk_create([Clause(draft=draft, key=f"clause-{n}", body=f"Clause {n}.",
                                           position=n) for n in range(clauses)])
        users = User.objects.bulk_create([User(username=f"benchvote-{run}-{n}", password="!")
                                          for n in range(members)])
        Membership.objects.bulk_create(
            [Membership(user=u, definition=definition, group=groups[n % len(groups)],
                        status=Membership.Status.VERIFIED) for n, u in enumerate(users)])
        tokens = Token.objects.bulk_create([Token(user=u, key=secrets.token_hex(20))
                                            for u in users])
        Draft.objects.filter(pk=draft.pk).update(
            status=Draft.Status.OPEN, published_at=timezone.now(),
            closes_at=timezone.now() + timezone.timedelta(days=30))
    return Seeded(definition.slug, draft.version, [f"clause-{n}" for n in range(clauses)],
                  {t.user_id: t.key for t in tokens}, draft.pk)


def create_database() -> bool:
    """Create the benchmark's database if it does not exist yet (through the maintenance
    database, as Django's test runner does); True when it was created."""
    try:
        connection.ensure_connection()
        return False
    except OperationalError:
        pass
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return True


def prepare_bare_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(BARE_TABLE)
        cursor.execute("TRUNCATE bench_bare_vote")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database this process uses, for the processes it starts."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env() -> dict[str, str]:
    """Production-like settings, except a vote throttle the load would otherwise hit, and plain
    HTTP on loopback (no TLS proxy in front: the HTTPS redirect would answer every request 301)."""
    return {**os.environ, "DATABASE_URL": database_url(), "CONCORD_DEV": "false",
            "DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "SECRET_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "THROTTLE_VOTES": "1000000/min",
            "LOG_LEVEL": "WARNING", **({"REDIS_URL": settings.REDIS_URL}
                                       if settings.REDIS_URL else {})}


class Processes:
    """Subprocesses started by the benchmark, stopped (by pid) on exit."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, args: list[str], cwd: Path) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("w")
        process = subprocess.Popen(args, cwd=cwd, env=server_env(), stdout=log,
                                   stderr=subprocess.STDOUT)
        self.started.append(process)
        return process

    def gunicorn(self, name: str, app: str, cwd: Path, workers: int, port: int = 0) -> str:
        port = port or free_port()
        process = self.start(name, [sys.executable, "-m", "gunicorn", app, "-w", str(workers),
                                    "-b", f"127.0.0.1:{port}", "--timeout", "60"], cwd)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, self.log(name)
            try:
                requests.get(base + "/api/v1/", timeout=10)
                return base
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start: {self.log(name)}") from None
                time.sleep(0.2)

    def celery_worker(self) -> subprocess.Popen:
        return self.start("celery", [sys.executable, "-m", "celery", "-A", "config", "worker",
                                     "-l", "warning", "-c", "1", "-n",
                                     f"bench-{uuid.uuid4().hex[:6]}@localhost",
                                     "--without-gossip", "--without-mingle",
                                     "--without-heartbeat"], ROOT)

    def cpu_seconds(self, process: subprocess.Popen) -> float:
        """User + system CPU of a running process and its descendants (Linux /proc; 0 elsewhere)."""
        tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        total, todo = 0, [process.pid]
        while todo:
            pid = todo.pop()
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(stat[11]) + int(stat[12])  # utime, stime
                todo += [int(c) for c in
                         Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except (OSError, IndexError, ValueError):
                continue
        return total / tick

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text()[-3000:]

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop(process)


def _body(position: str, n: int) -> dict:
    rationale = f"Objection {n}." if position in ("oppose", "block") else ""
    return {"position": position, "rationale": rationale}


def run_clients(*, name: str, url_of: Callable[[str], str], seeded: Seeded, threads: int,
                seconds: float, seed_value: int = 7) -> RunResult:
    """T threads, each with its own members and a keep-alive session, PUT votes until time's up."""
    result = RunResult(name=name, seconds=seconds)
    users = sorted(seeded.tokens)
    owned = [users[n::threads] for n in range(threads)]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed_value * 1000 + n)
        session = requests.Session()
        latencies, errors, acked, uncertain = [], [], {}, {}
        count = 0
        while owned[n] and time.monotonic() < stop_at:
            user = rng.choice(owned[n])
            key = rng.choice(seeded.clause_keys)
            position = rng.choice(POSITIONS)
            count += 1
            start = time.perf_counter()
            try:
                response = session.put(url_of(key), json=_body(position, count), timeout=30,
                                       headers={"Authorization": f"Token {seeded.tokens[user]}"})
                ok = response.status_code == 200
                problem = f"{response.status_code}: {response.text[:200]}"
            except requests.RequestException as error:
                ok, problem = False, f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - start
            if ok:
                latencies.append(elapsed)
                acked[(user, key)] = position
                uncertain.pop((user, key), None)
            else:
                errors.append(problem)
                uncertain.setdefault((user, key), set()).add(position)
        session.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors.extend(errors)
            result.acked.update(acked)
            result.uncertain.update(uncertain)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result.seconds = time.monotonic() - started
    return result


def _check(stored: dict[tuple[int, str], list[str]], result: RunResult) -> list[str]:
    problems = []
    for pair, positions in stored.items():
        if len(positions) != 1:
            problems.append(f"{pair}: {len(positions)} current votes")
    for pair, position in result.acked.items():
        allowed = {position} | result.uncertain.get(pair, set())
        found = stored.get(pair, [None])[0]
        if found not in allowed:
            problems.append(f"{pair}: stored {found}, last acknowledged {position}")
    for pair in stored.keys() - result.acked.keys() - result.uncertain.keys():
        problems.append(f"{pair}: a vote nobody acknowledged")
    return problems


def check_concord(seeded: Seeded, result: RunResult) -> list[str]:
    """Read the ballot back: one current vote per (member, clause), equal to the last ack."""
    stored: dict[tuple[int, str], list[str]] = {}
    for voter, key, position in Vote.objects.filter(clause__draft_id=seeded.draft_id) \
            .values_list("voter_id", "clause__key", "position"):
        stored.setdefault((voter, key), []).append(position)
    return _check(stored, result)


def check_bare(seeded: Seeded, result: RunResult) -> list[str]:
    stored: dict[tuple[int, str], list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT member_id, clause, position FROM bench_bare_vote")
        for member, key, position in cursor.fetchall():
            stored.setdefault((member, key), []).append(position)
    return _check(stored, result)


def wait_fresh(seeded: Seeded, timeout: float) -> float | None:
    """Seconds until no voted clause of the draft shows stale figures (None: not within timeout)."""
    from deliberation.consensus.selectors import get_draft_consensus

    start = time.monotonic()
    draft = Draft.objects.select_related("definition").get(pk=seeded.draft_id)
    voted = set(Vote.objects.filter(clause__draft=draft).values_list("clause__key", flat=True))
    while time.monotonic() - start < timeout:
        rows = get_draft_consensus(draft=draft)["clauses"]
        if not any(row["stale"] or row["computed_at"] is None
                   for row in rows if row["key"] in voted):
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def table(concord: RunResult, bare: RunResult) -> str:
    lines = [f"{'endpoint':<10} {'writes':>7} {'writes/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
             f"{'errors':>7}"]
    for run in (concord, bare):
        lines.append(f"{run.name:<10} {len(run.latencies):>7} {run.writes_per_s:>9.1f} "
                     f"{run.percentile(0.5):>8.1f} {run.percentile(0.95):>8.1f} "
                     f"{len(run.errors):>7}")
    ratio = concord.writes_per_s / bare.writes_per_s if bare.writes_per_s else float("nan")
    lines.append(f"ratio concord/bare: {ratio:.2f}")
    return "\n".join(lines)


def median_ms(run: RunResult) -> float:
    return statistics.median(run.latencies) * 1000 if run.latencies else float("nan")
