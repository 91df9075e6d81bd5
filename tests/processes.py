"""Real processes for the tests that need them: Celery workers (one per queue, as the README
says to run them), redis-server on a spare port, gunicorn. Each is stopped by its own pid."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from deliberation.benchmarks.votes import database_url  # the test database, for started processes

ROOT = Path(__file__).resolve().parents[1]
QUEUES = ("consensus", "exports", "notifications")


def purge_queues(app) -> None:
    with app.connection_for_write() as conn:
        for queue in QUEUES:
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:  # noqa: BLE001 - a queue never declared has nothing to purge
                pass


def start_worker(app, log_path: Path, *, queues: str, name: str, concurrency: int = 2,
                 env: dict | None = None, beat: bool = False, ping: bool = True
                 ) -> subprocess.Popen:
    """`celery -A config worker -Q <queues> -n <name>@...`, in its own process group (so that a
    test can SIGKILL the worker with its pool), answering a ping before this returns."""
    node = f"{name}-{uuid.uuid4().hex[:6]}@localhost"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "warning",
               "-Q", queues, "-n", node, "-c", str(concurrency),
               "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if beat:
        command += ["-B", "-s", str(log_path.with_suffix(".beat"))]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url(), **(env or {})},
        stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    process.node = node
    if ping:
        try:
            _wait_for_ping(app, process, node, log_path)
        except BaseException:
            stop(process)  # a worker that never answered must not outlive its test
            raise
    return process


def _wait_for_ping(app, process: subprocess.Popen, node: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[node], timeout=0.5):
        assert process.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, f"{node} did not answer within 60 s"


def stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """Stop a process started here (and its process group: a worker's pool), by its pid."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process group: the worker and its pool die at once, as on a crash."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert time.monotonic() < deadline, f"nothing listens on {port} after {timeout} s"
        time.sleep(0.05)


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server program")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=(folder / f"redis-{port}.log").open("a"), stderr=subprocess.STDOUT,
        start_new_session=True)
    wait_port(port)
    return process
