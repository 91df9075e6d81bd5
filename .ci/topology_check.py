"""The HTTP half of .ci/prod-topology: drives the running production topology through its API.

Usage: topology_check.py BASE_URL ADMIN_USERNAME ADMIN_PASSWORD. Stdlib only (it talks HTTP like
any client would); prints one line per step and exits non-zero at the first failure.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

BASE, ADMIN, ADMIN_PASSWORD = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
API = BASE + "/api/v1/"
D = API + "definitions/topology/"
MEMBER, MEMBER_PASSWORD = "ci-member", "a long topology passphrase"
DRAFT = """# Topology

## Scope

**Use** The system may be used for any purpose.

**Study** Anyone may study how the system works.
"""


class Failed(Exception):
    pass


def call(method: str, url: str, body=None, *, token: str | None = None, expect: int = 200,
         headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method.upper(),
                                     headers={"Accept": "application/json", **(headers or {})})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, response_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, response_headers = error.code, error.read(), error.headers
    if status != expect:
        raise Failed(f"{method.upper()} {url}: {status}, expected {expect}: {raw[:400]!r}")
    kind = response_headers.get("Content-Type", "")
    return (json.loads(raw) if raw and "json" in kind else raw), response_headers


def step(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", flush=True)


def token_of(username: str, password: str) -> str:
    body, _ = call("post", API + "auth/token/", {"username": username, "password": password})
    return body["token"]


def wait_fresh(key: str, *, expect: dict, timeout: float = 20.0) -> float:
    """Seconds until the clause's summary is fresh and counts exactly `expect` positions."""
    start = time.monotonic()
    while True:
        body, _ = call("get", D + f"drafts/1.0/clauses/{key}/consensus/")
        counts = {p: sum(g[p] for g in body["groups"]) for p in expect}
        if not body["stale"] and body["computed_at"] and counts == expect:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise Failed(f"the summary of {key} is not fresh after {timeout:.0f} s: "
                         f"stale={body['stale']} computed_at={body['computed_at']} {counts}")
        time.sleep(0.05)


def main() -> None:
    health, _ = call("get", BASE + "/healthz")
    if health != {"status": "ok", "database": "ok", "broker": "ok"}:
        raise Failed(f"/healthz: {health}")
    step(f"GET /healthz -> 200 {json.dumps(health)}")

    css, headers = call("get", BASE + "/static/css/concord.css")
    if b".vote-block" not in css:
        raise Failed("/static/css/concord.css is not the stylesheet")
    step(f"GET /static/css/concord.css -> 200, {len(css)} bytes ({headers.get('Cache-Control')})")

    page, headers = call("get", BASE + "/")
    csp = headers.get("Content-Security-Policy", "")
    if "script-src 'self'" not in csp or "unsafe-inline" in csp:
        raise Failed(f"/ has no strict Content-Security-Policy: {csp!r}")
    _, proxied = call("get", BASE + "/", headers={"X-Forwarded-Proto": "https"})
    if "max-age=" not in proxied.get("Strict-Transport-Security", ""):
        raise Failed("no HSTS header behind an https proxy")
    step("GET / -> 200 with a CSP without inline script; HSTS when the proxy says https")

    admin = token_of(ADMIN, ADMIN_PASSWORD)
    call("post", API + "definitions/", {"slug": "topology", "title": "Topology check"},
         token=admin, expect=201)
    call("post", D + "drafts/import/", {"version": "1.0", "markdown": DRAFT}, token=admin,
         expect=201)
    closes_at = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    call("post", D + "drafts/1.0/publish/", {"closes_at": closes_at}, token=admin)
    step("admin (createsuperuser) created a definition, imported draft 1.0 and published it")

    call("post", API + "auth/register/", {"username": MEMBER, "password": MEMBER_PASSWORD,
                                          "email": "ci-member@example.org"}, expect=201)
    member = token_of(MEMBER, MEMBER_PASSWORD)
    call("post", D + "memberships/", {"group": "developers"}, token=member, expect=201)
    pending, _ = call("get", D + "memberships/?status=pending", token=admin)
    (membership,) = pending["results"]
    call("post", D + f"memberships/{membership['id']}/verify/", {}, token=admin)
    step(f"{MEMBER} registered, applied to developers and was verified")

    clauses, _ = call("get", D + "drafts/1.0/")
    key = clauses["clauses"][-1]["key"]
    call("put", D + f"drafts/1.0/clauses/{key}/vote/", {"position": "support"}, token=member)
    seconds = wait_fresh(key, expect={"support": 1, "oppose": 0})
    step(f"PUT vote support on {key!r}; summary fresh through the worker in {seconds:.2f} s")
    call("put", D + f"drafts/1.0/clauses/{key}/vote/",
         {"position": "oppose", "rationale": "Too broad."}, token=member)
    seconds = wait_fresh(key, expect={"support": 0, "oppose": 1})
    step(f"PUT vote oppose on {key!r}; summary fresh again in {seconds:.2f} s")

    export_job(admin)

    health, _ = call("get", BASE + "/healthz")
    step(f"GET /healthz -> 200 {json.dumps(health)}")


def export_job(admin: str) -> None:
    """A draft above the job threshold (300 clauses) exports through a worker: the file it writes
    under MEDIA_ROOT is then downloaded through web."""
    body = "\n\n".join(f"Paragraph {n} of the large draft." for n in range(301))
    call("post", D + "drafts/import/", {"version": "2.0", "markdown": "# Large\n\n" + body},
         token=admin, expect=201)
    job, _ = call("get", D + "drafts/2.0/export/?format=md", token=admin, expect=202)
    start = time.monotonic()
    while job["state"] not in ("done", "failed"):
        if time.monotonic() - start > 60:
            raise Failed(f"export job {job['id']} still {job['state']} after 60 s")
        time.sleep(0.2)
        job, _ = call("get", API + f"jobs/{job['id']}/", token=admin)
    if job["state"] != "done":
        raise Failed(f"export job {job['id']} failed: {job.get('error')}")
    content, _ = call("get", BASE + job["result_url"] if job["result_url"].startswith("/")
                      else job["result_url"], token=admin, headers={"Accept": "*/*"})
    if b"Paragraph 300 of the large draft." not in content:
        raise Failed("the exported file does not hold the draft")
    step(f"GET export of a 302-clause draft -> 202, job done by a worker in "
         f"{time.monotonic() - start:.2f} s, {len(content)} bytes downloaded through web")


if __name__ == "__main__":
    try:
        main()
    except (Failed, urllib.error.URLError, KeyError, ValueError) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
