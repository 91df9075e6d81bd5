"""`atomic_with_retry`: a transaction that PostgreSQL's lock conflicts never turn into a failure.

Deadlocks and serialization failures are raised by the database (often at COMMIT, from a
deferred foreign-key check) to one of the transactions involved, which must start again. The
decorated function runs as `transaction.atomic`; when it is the outermost transaction, a conflict
reruns the whole function, a bounded number of times with a short random back-off, then gives
up with `Busy` (a domain error: 503 in the API, a message on the pages, never a 500). On-commit
hooks of a failed attempt are discarded with it. Inside an outer transaction (a test, a bulk
import) there is nothing to rerun from: the outer block owns the transaction and the error.
"""

import functools
import logging
import random
import time

from django.db import OperationalError, connection, transaction

from core.errors import Busy

log = logging.getLogger(__name__)
CONFLICTS = {"40001", "40P01"}  # serialization_failure, deadlock_detected
ATTEMPTS = 5


def is_lock_conflict(error: BaseException) -> bool:
    cause = getattr(error, "__cause__", None)
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return isinstance(error, OperationalError) and state in CONFLICTS


def atomic_with_retry(func=None, *, attempts: int = ATTEMPTS, backoff: float = 0.01):
    def decorate(func):
        atomic = transaction.atomic(func)

        @functools.wraps(func)
        def run(*args, **kwargs):
            if transaction.get_connection().in_atomic_block:
                return atomic(*args, **kwargs)
            for attempt in range(1, attempts + 1):
                try:
                    return atomic(*args, **kwargs)
                except OperationalError as error:
                    if not is_lock_conflict(error):
                        raise
                    if attempt == attempts:
                        raise Busy("The database is busy: nothing was saved, please try again."
                                   ) from error
                    log.warning("%s: lock conflict, attempt %s of %s: %s", func.__qualname__,
                                attempt, attempts, str(error).splitlines()[0])
                    time.sleep(backoff * attempt * random.uniform(1.0, 2.0))
            raise AssertionError("unreachable")

        return run

    return decorate(func) if func is not None else decorate


def prepared_cursor():
    """A cursor for the hot statements of a fixed text (the vote, its lookups): PostgreSQL plans
    each once per connection (psycopg 3 server-side binding, prepared). Django's cursors bind on
    the client, so every statement is planned again, and planning the vote's CTE costs more than
    running it (0.7 ms against 0.3-1 ms). Elsewhere (SQLite, psycopg 2): the usual cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql import base

    if not base.is_psycopg3:
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django disables preparing; only `prepare=True` prepares
        raw.prepare_threshold = 2**31
    return connection._prepare_cursor(_prepared_class(base.ServerBindingCursor)(raw))


@functools.cache
def _prepared_class(server_binding):
    class PreparedCursor(server_binding):
        def execute(self, query, params=None, **options):
            return super().execute(query, params, prepare=True)

    return PreparedCursor
