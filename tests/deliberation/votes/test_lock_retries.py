"""A deadlock or serialization failure reruns the whole transaction, a bounded number of times."""

import pytest
from django.db import OperationalError, transaction

from core.errors import Busy
from core.transactions import ATTEMPTS, atomic_with_retry

pytestmark = pytest.mark.django_db(transaction=True)


class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__("deadlock detected")
        self.sqlstate = sqlstate


def _conflict(sqlstate="40P01") -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _PgError(sqlstate)
    return error


def test_a_deadlock_reruns_the_transaction_and_drops_the_failed_attempts_hooks(monkeypatch):
    monkeypatch.setattr("core.transactions.time.sleep", lambda _: None)
    calls, hooks = [], []

    @atomic_with_retry
    def write():
        calls.append(1)
        attempt = len(calls)
        transaction.on_commit(lambda: hooks.append(attempt))
        if attempt < 3:
            raise _conflict("40P01" if attempt == 1 else "40001")
        return "written"

    assert write() == "written"
    assert len(calls) == 3
    assert hooks == [3]


def test_a_conflict_that_outlasts_the_retries_is_busy_not_a_500(monkeypatch):
    monkeypatch.setattr("core.transactions.time.sleep", lambda _: None)
    calls = []

    @atomic_with_retry
    def write():
        calls.append(1)
        raise _conflict()

    with pytest.raises(Busy) as exc:
        write()
    assert len(calls) == ATTEMPTS and exc.value.status_code == 503


def test_other_database_errors_are_not_retried():
    calls = []

    @atomic_with_retry
    def write():
        calls.append(1)
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError):
        write()
    assert len(calls) == 1


def test_inside_an_outer_transaction_the_outer_block_owns_the_error():
    calls = []

    @atomic_with_retry
    def write():
        calls.append(1)
        raise _conflict()

    with pytest.raises(OperationalError), transaction.atomic():
        write()
    assert len(calls) == 1
