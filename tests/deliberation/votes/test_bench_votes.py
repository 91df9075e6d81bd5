"""`manage.py bench_votes` end to end, briefly, so that the benchmark machinery cannot rot.

Real gunicorn (and, with REDIS_URL, a real Celery worker) against the test database; the full
benchmark (20 s per endpoint) is not run in CI."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from deliberation.models import Vote


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_short_benchmark_run_reports_both_endpoints_and_a_clean_ballot():
    out = StringIO()
    call_command("bench_votes", members=6, clauses=2, threads=2, seconds=2,
                 port=int(os.environ.get("BENCH_VOTES_PORT", "0")), stdout=out)
    report = out.getvalue()
    assert "concord" in report and "bare" in report and "ratio concord/bare:" in report
    assert ", 0 problems;" in report
    assert Vote.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_bare_vote")
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_the_benchmark_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_votes", seconds=1)
