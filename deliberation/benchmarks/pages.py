"""Pages and API answers of the benchmark data, timed through gunicorn over plain HTTP.

Sequential requests (one client, keep-alive), anonymous, after a warm-up: median and p95 of the
wall time, the size of the body, and the 304 of a conditional GET where the answer carries an
ETag. Query counts are read in-process (Django's test client) so they can be compared across sizes.
"""

import statistics
from dataclasses import dataclass
from pathlib import Path

import requests
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from definition.models import Definition


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    size: int
    status: int
    conditional: int | None = None  # status of a GET with If-None-Match, when an ETag came back


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def page_paths(slug: str, version: str, key: str) -> dict[str, str]:
    """The pages and API answers of PRODUCT.md §6 and §5 the issue names, by figure name."""
    draft, api = f"/d/{slug}/v/{version}/", f"/api/v1/definitions/{slug}/drafts/{version}/"
    return {
        "reader": draft, "clause page": f"{draft}c/{key}/", "consensus page": f"{draft}consensus/",
        "overview": f"/d/{slug}/", "draft consensus API": f"{api}consensus/",
        "clause consensus API": f"{api}clauses/{key}/consensus/",
        "votes API": f"{api}clauses/{key}/votes/", "activity": f"/d/{slug}/activity/",
        "opinion groups page": f"{draft}opinion-groups/",
        "opinion groups API": f"{api}opinion-groups/",
    }


def time_get(session: requests.Session, url: str, repeats: int, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        session.get(url, timeout=60)
    samples, response = [], None
    for _ in range(repeats):
        response = session.get(url, timeout=60)
        samples.append(response.elapsed.total_seconds())
    timing = Timing(statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000,
                    len(response.content), response.status_code)
    etag = response.headers.get("ETag")
    if etag:
        timing.conditional = session.get(url, headers={"If-None-Match": etag},
                                         timeout=60).status_code
    return timing


def worker_peak_mib(master_pid: int) -> float:
    """The largest peak resident set (VmHWM) among the gunicorn master's workers (Linux)."""
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=float("nan"))


def time_in_process(path: str, repeats: int, *, user: User, warm: bool = True) -> Timing:
    """Median and p95 of a page rendered in this process (Django's test client, logged in)."""
    import time

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if warm:
        client.get(path)
    samples, response = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
    return Timing(statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000,
                  len(response.content), response.status_code)


def undisposed(slug: str) -> int:
    """Top-level visible comments of the definition without a disposition (the desk's work)."""
    from deliberation.models import Comment

    return Comment.objects.filter(clause__draft__definition__slug=slug, parent=None,
                                  hidden=False, disposition__isnull=True).count()


def facilitator_of(slug: str) -> User:
    """The benchmark's facilitator of a definition (created once)."""
    user, _ = User.objects.get_or_create(username=f"bench-facilitator-{slug}"[:150])
    Definition.objects.get(slug=slug).facilitators.add(user)
    return user


def query_counts(paths: dict[str, str], *, facilitator: User) -> dict[str, int]:
    """SQL queries of each page, in-process: anonymous, and the desk as its facilitator."""
    counts = {}
    anonymous, desk = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    desk.force_login(facilitator)
    for name, path in paths.items():
        client = desk if name == "desk" else anonymous
        client.get(path)  # warm: per-process caches (labels, URL resolvers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
    return counts
