"""Celery tasks: thin wrappers that take ids, re-fetch, and call the recompute services."""

import logging
import threading
import time
from contextlib import contextmanager

from celery import current_app as app
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.api_classes import redis_client
from core.degraded import Unavailable, broker_breaker, cache_breaker
from core.errors import Busy
from definition.models import Clause, Draft
from definition.services import close_expired_drafts
from deliberation.consensus import one_clause, opinions
from deliberation.consensus import recompute as consensus
from deliberation.discussion import counts, grouping, notifications

log = logging.getLogger(__name__)


def _debounce_key(clause_id: int) -> str:
    return f"concord:recompute:{clause_id}"


_deferred = threading.local()
# clause id -> monotonic time until which a recompute this process enqueued has not started yet
# (its countdown runs past it), so a vote committed before then is counted by that run.
_enqueued_until: dict[int, float] = {}


@contextmanager
def recompute_deferred():
    """Skip the per-vote recompute inside this block (bulk loads such as the demo seed).

    Votes still mark their clauses stale; the caller recomputes the drafts once afterwards (or the
    periodic job does)."""
    _deferred.active = True
    try:
        yield
    finally:
        _deferred.active = False


def schedule_clause_recompute(clause_id: int) -> None:
    """Run (in-process) or enqueue (debounced) the recompute of one clause. Call on commit.

    With a broker, the first vote in a window enqueues one delayed task and later votes in the
    window ride along. A dead broker only leaves the summary stale until the periodic job; after a
    failure we stop trying for a while (core.degraded), so that votes do not wait on timeouts."""
    if getattr(_deferred, "active", False):
        return
    if app.conf.task_always_eager:
        recompute_clause_task(clause_id)
        return
    if not (cache_breaker.available() and broker_breaker.available()):
        return
    window = settings.CONSENSUS_DEBOUNCE_SECONDS
    now = time.monotonic()
    if now < _enqueued_until.get(clause_id, 0.0):
        return  # our own enqueued run starts after now: no Redis round trip needed
    # The vote is committed: a Redis failure never fails the request, the summary stays stale.
    try:
        if not cache_breaker.call(_claim_debounce, _debounce_key(clause_id), window + 5):
            return
    except Unavailable:
        return
    try:
        broker_breaker.call(recompute_clause_task.apply_async, (clause_id,), countdown=window,
                            retry=False)
    except Unavailable:
        _forget_debounce(clause_id)
        log.info("clause %s stays stale until the periodic job", clause_id)
        return
    if len(_enqueued_until) > 10_000:
        _enqueued_until.clear()
    _enqueued_until[clause_id] = now + window * 0.9


def _claim_debounce(key: str, timeout: float) -> bool:
    """`cache.add` of a debounce key, on Redis through the one client the throttle reuses
    (the cache builds a new client object, ~0.3 ms of CPU, for every call)."""
    client = redis_client()
    if client is None:
        return cache.add(key, 1, timeout=timeout)
    return bool(client.set(cache.make_and_validate_key(key), 1, nx=True,
                           px=int(timeout * 1000)))


def forget_enqueued() -> None:
    """Forget this process's recently enqueued recomputes (after a queue purge, in tests)."""
    _enqueued_until.clear()


def _forget_debounce(clause_id: int) -> None:
    try:
        cache.delete(_debounce_key(clause_id))
    except Exception:  # noqa: BLE001 - Redis is down too; the key expires by itself
        pass


@shared_task(autoretry_for=(Busy,), retry_backoff=True, max_retries=5)
def recompute_clause_task(clause_id: int) -> int:
    # Cleared before reading votes, so a vote committed after this point schedules a new run.
    cache.delete(_debounce_key(clause_id))
    # One run counts every clause of the draft with pending changes; the runs scheduled for the
    # others then find nothing to do (a burst over many clauses costs a few runs, not one each).
    changed = consensus.pending_in_draft_of(clause_id)
    pending = {pk for pk, _ in changed}
    if clause_id in pending:
        draft_id = changed[0][1]
    else:
        row = Clause.objects.filter(pk=clause_id).values_list(
            "draft_id", "summary__computed_version").first()
        if row is None:
            return 0
        draft_id, computed_version = row
        if computed_version is not None and computed_version >= 0:
            return 0
    clause_ids = sorted({clause_id, *pending})
    if clause_ids == [clause_id]:  # the usual case: three round trips, no lock (one_clause)
        recomputed = one_clause.recompute_clause(draft_id=draft_id, clause_id=clause_id)
    else:
        recomputed = consensus.recompute(draft_id=draft_id, clause_ids=clause_ids)
    # A vote's objection (the vote statement writes it) may join a group of similar comments:
    # the regrouping runs in its own task, off this queue, where it is due.
    schedule_regroup(clause_ids)
    return recomputed


_regroup = threading.local()


def comments_changed(*clause_ids: int) -> None:
    """A comment of the clauses was posted, edited, hidden, restored, disposed or reopened:
    regroup their similar comments once the transaction commits (once per clause and commit)."""
    pending = getattr(_regroup, "pending", None)
    if pending is None:
        pending = _regroup.pending = set()
    pending.update(clause_ids)
    transaction.on_commit(_flush_regroup)


def _flush_regroup() -> None:
    pending, _regroup.pending = getattr(_regroup, "pending", set()), set()
    if pending:
        schedule_regroup(sorted(pending))


def _regroup_key(clause_id: int) -> str:
    return f"concord:regroup:{clause_id}"


def schedule_regroup(clause_ids: list[int]) -> None:
    """Run (in-process) or enqueue (debounced per clause: a burst of comments costs one run per
    GROUPING_DEBOUNCE_SECONDS) the regrouping of the clauses, which does nothing where the stored
    grouping is current. A dead broker leaves it behind until `regroup_stale_task`."""
    if getattr(_deferred, "active", False) or not clause_ids:
        return
    if app.conf.task_always_eager:
        regroup_clauses_task(clause_ids)
        return
    window = settings.GROUPING_DEBOUNCE_SECONDS
    try:
        due = [pk for pk in clause_ids
               if cache_breaker.call(_claim_debounce, _regroup_key(pk), window + 60)]
        if due:
            broker_breaker.call(regroup_clauses_task.apply_async, (due,), countdown=window,
                                retry=False)
    except Unavailable:
        log.info("the grouping of clauses %s stays behind until the periodic job", clause_ids)


@shared_task(autoretry_for=(Busy,), retry_backoff=True, max_retries=5)
def regroup_clauses_task(clause_ids: list[int]) -> int:
    """Regroup the similar comments of the clauses whose stored grouping is behind."""
    # Cleared before reading comments, so a comment committed after this point schedules a run.
    cache.delete_many([_regroup_key(pk) for pk in clause_ids])
    return grouping.regroup_stale(clause_ids=clause_ids)


@shared_task
def regroup_stale_task() -> int:
    """Periodic: regroup every clause of an open draft whose grouping is behind (comments written
    while the broker was down, or loaded in bulk), then fold the desk's counts of every clause
    (endorsements and the like add rows without making a grouping stale)."""
    drafts = Draft.objects.filter(status=Draft.Status.OPEN).values_list("pk", flat=True)
    regrouped = sum(grouping.regroup_stale(draft_id=pk) for pk in drafts)
    counts.fold()
    return regrouped


@shared_task
def refresh_stale_task() -> int:
    """Catch up every stale summary (votes after a broker outage, membership decisions)."""
    stale = consensus.stale_clause_ids()
    for draft_id, clause_ids in stale.items():
        consensus.recompute(draft_id=draft_id, clause_ids=clause_ids)
    return sum(len(ids) for ids in stale.values())


@shared_task
def refresh_open_draft_task(definition_id: int) -> int:
    """After a verification or revocation (queued by name from `definition.memberships`): recompute
    the definition's open draft, whose participation or counts changed. Skipped inside
    `recompute_deferred` (the bulk load recomputes once at its end)."""
    if getattr(_deferred, "active", False):
        return 0
    drafts = Draft.objects.filter(definition_id=definition_id, status=Draft.Status.OPEN)
    return sum(consensus.recompute(draft_id=pk) for pk in drafts.values_list("pk", flat=True))


@shared_task
def verify_open_drafts_task() -> int:
    """Recompute every open draft fully; log any stored figure that did not match."""
    mismatches = 0
    for draft_id in Draft.objects.filter(status=Draft.Status.OPEN).values_list("pk", flat=True):
        mismatches += consensus.verify_and_repair(draft_id=draft_id)
    return mismatches


@shared_task
def opinion_groups_task(draft_id: int) -> bool:
    return opinions.compute_opinion_groups(draft_id=draft_id) is not None


@shared_task
def refresh_opinion_groups_task() -> int:
    """Re-run the analysis of every open draft whose votes changed since the last one."""
    drafts = [d for d in Draft.objects.filter(status=Draft.Status.OPEN)
              if opinions.needs_opinion_update(d)]
    for draft in drafts:
        opinions.compute_opinion_groups(draft_id=draft.pk)
    return len(drafts)


@shared_task
def close_expired_drafts_task() -> int:
    return close_expired_drafts()


@shared_task
def notify_reply_task(comment_id: int) -> bool:
    """Email the author of the comment replied to (once)."""
    return notifications.notify_reply(comment_id=comment_id)


@shared_task
def notify_disposition_task(comment_id: int, decided_at: str) -> bool:
    """Email the author of a dispositioned comment or objection (once per decision)."""
    return notifications.notify_disposition(comment_id=comment_id, decided_at=decided_at)


@shared_task
def notify_appeal_task(appeal_id: int) -> bool:
    """Email the author of an appeal its decision (once)."""
    return notifications.notify_appeal(appeal_id=appeal_id)


@shared_task
def remind_closing_task() -> int:
    """Periodic: remind members who have not voted on every clause of a draft closing soon."""
    return notifications.remind_closing()
