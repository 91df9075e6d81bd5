"""The recompute of one clause after a vote, without locks: read, compute, compare-and-set.

The general recompute (`recompute.recompute`) takes the summary's row lock in a transaction before
it reads anything: six round trips (the draft, BEGIN, the lock, the read, the write, COMMIT). After
a vote on the open draft, `recompute_clause` instead reads the draft's settings and the summary's
stamp (`computed_at`) in one prepared statement, everything the figures count in a second
(`recompute.SCOPED_SQL`), computes, and writes summary, per-group rows and consumed changes in a
third that applies only if the summary still has the stamp it read: three round trips in
autocommit, each planned once per connection.

Why the figures never go back: a write lands only on the state its reader saw, so of two
recomputes that read the same state one writes and the other finds the stamp changed; it reads
again (a later snapshot, counting at least what the winner counted) and tries once more, and
after `ATTEMPTS` falls back to the locked path. A vote committed after the read leaves its change
pending, exactly as in the locked path. PostgreSQL only; elsewhere, and for a closed draft (its
members frozen at close) or a clause without its summary row, the general path runs.
"""

import json

from django.db import connection
from django.utils import timezone

from core.transactions import prepared_cursor
from definition.models import Definition, Draft
from deliberation.consensus import recompute
from deliberation.consensus.math import Thresholds
from deliberation.models import ClauseChange, ClauseSummary, GroupSummary

ATTEMPTS = 3

HEAD_SQL = f"""
SELECT d.status, d.members_at_close IS NULL, f.id, f.membership_version, f.quorum,
       f.min_groups, f.thresholds, s.id, s.computed_version, s.computed_at
FROM {Draft._meta.db_table} d
JOIN {Definition._meta.db_table} f ON f.id = d.definition_id
LEFT JOIN {ClauseSummary._meta.db_table} s ON s.clause_id = %s AND s.draft_id = d.id
WHERE d.id = %s
"""

_SUMMARY = ClauseSummary._meta.db_table
_GROUPS = GroupSummary._meta.db_table
_ASSIGN = ", ".join(f"{name} = %s::{kind}" for name, kind in recompute.WRITE_COLUMNS[1:])
_GROUP_NAMES = ", ".join(name for name, _ in recompute.GROUP_COLUMNS)
_OLD = ", ".join(f"{_GROUPS}.{f}" for f in recompute.GROUP_FIELDS)
_NEW = ", ".join(f"EXCLUDED.{f}" for f in recompute.GROUP_FIELDS)
_GROUP_ASSIGN = ", ".join(f"{f} = EXCLUDED.{f}" for f in recompute.GROUP_FIELDS)

# One text whatever the clause: the per-group rows and the consumed changes go as arrays.
WRITE_SQL = f"""
WITH u AS (UPDATE {_SUMMARY} SET {_ASSIGN}
           WHERE id = %s AND computed_at IS NOT DISTINCT FROM %s::timestamptz RETURNING id),
g AS (INSERT INTO {_GROUPS} ({_GROUP_NAMES})
      SELECT * FROM {recompute.unnest_sql(recompute.GROUP_COLUMNS)} WHERE EXISTS (SELECT 1 FROM u)
      ON CONFLICT (summary_id, group_id) DO UPDATE SET {_GROUP_ASSIGN}
      WHERE ({_OLD}) IS DISTINCT FROM ({_NEW})),
r AS (DELETE FROM {_GROUPS} WHERE summary_id = %s AND NOT (group_id = ANY(%s::bigint[]))
      AND EXISTS (SELECT 1 FROM u)),
x AS (DELETE FROM {ClauseChange._meta.db_table} WHERE id = ANY(%s::bigint[])
      AND EXISTS (SELECT 1 FROM u))
SELECT COUNT(*) FROM u
"""


def recompute_clause(*, draft_id: int, clause_id: int) -> int:
    """Recompute and store one clause's summary (see the module); returns 1 when written, 0
    when the draft is gone."""
    if connection.vendor == "postgresql":
        for _ in range(ATTEMPTS):
            head = _head(draft_id, clause_id)
            if head is None:  # gone, closed, or without its summary row: the general path
                break
            if _attempt(head, clause_id):
                return 1
    return recompute.recompute(draft_id=draft_id, clause_ids=[clause_id])


def _head(draft_id: int, clause_id: int) -> tuple | None:
    """What the fast path needs before it counts (`HEAD_SQL`), or None where it does not apply."""
    with prepared_cursor() as cursor:
        cursor.execute(HEAD_SQL, [clause_id, draft_id])
        head = cursor.fetchone()
    if head is None:
        return None
    status, live_members, *_, summary_id, _, _ = head
    if status != Draft.Status.OPEN or not live_members or summary_id is None:
        return None
    return head


def _attempt(head: tuple, clause_id: int) -> bool:
    """Count, compute and write if the summary is still as `head` read it: False when another
    recompute wrote it in between."""
    (_, _, definition_id, membership_version, quorum, min_groups, thresholds, summary_id,
     computed_version, stamp) = head
    if isinstance(thresholds, str):
        thresholds = json.loads(thresholds)
    pending, slugs, figures = recompute.scoped_figures(
        definition_id, Thresholds.from_settings(quorum=quorum, min_groups=min_groups,
                                                thresholds=thresholds or {}), [clause_id])
    consumed = sorted(pending.get(clause_id, []))
    return _write(summary_id, stamp, figures[clause_id], slugs, membership_version,
                  max([computed_version, 0, *consumed]), consumed)


def _write(summary_id, stamp, figures, slugs, membership_version, watermark, consumed) -> bool:
    group_ids = {slug: pk for pk, slug in slugs.items()}
    groups = [(summary_id, group_ids[g.group], *(getattr(g, f) for f in recompute.GROUP_FIELDS))
              for g in figures.groups]
    values = [getattr(figures, f) for f in recompute.SUMMARY_FIELDS]
    params = [*values, watermark, membership_version, timezone.now(), summary_id, stamp,
              *recompute.as_columns(groups, len(recompute.GROUP_COLUMNS)),
              summary_id, [row[1] for row in groups], consumed]
    with prepared_cursor() as cursor:
        cursor.execute(WRITE_SQL, params)
        return cursor.fetchone()[0] == 1
