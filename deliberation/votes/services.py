"""Writes of votes: cast (one statement on PostgreSQL for the common cases), change, retract."""

from datetime import UTC

from django.db import OperationalError, connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.models import HistoricalRecords

from core.errors import Conflict, InvalidInput, NotAllowed
from core.transactions import atomic_with_retry, is_lock_conflict, prepared_cursor
from core.validation import check_text
from definition.models import Clause, Draft, Membership, StakeholderGroup
from deliberation.consensus.recompute import ensure_summary, mark_stale
from deliberation.models import (
    DISAPPROVING,
    ClauseSummary,
    Comment,
    Position,
    Vote,
)
from deliberation.rules import require_open
from deliberation.tasks import (
    schedule_clause_recompute,
)


def clause_votes_changed(clause_id: int) -> None:
    """Mark the clause's summary stale now (an appended change, no shared row); recompute it once
    the transaction commits."""
    mark_stale([clause_id])
    transaction.on_commit(lambda: schedule_clause_recompute(clause_id))


# The voter's membership and the draft's state in one statement. On PostgreSQL the draft row is
# KEY SHARE-locked: voters never wait on each other, but a concurrent close (FOR UPDATE) waits for
# the votes in flight, and a vote that waited on a close sees the draft closed.
VOTER_SQL = """
SELECT d.status, d.closes_at, m.id, g.id, g.slug, g.name
FROM definition_draft d
LEFT JOIN definition_membership m
  ON m.definition_id = d.definition_id AND m.user_id = %s AND m.status = 'verified'
LEFT JOIN definition_stakeholdergroup g ON g.id = m.group_id
WHERE d.id = %s
"""


# The history row django-simple-history would write for the vote upserted in CTE `v`, and the
# clause's change mark: written by the same statement as the vote (PostgreSQL).
HISTORY_AND_CHANGE_CTE = """h AS (
  INSERT INTO deliberation_historicalvote (id, position, rationale, created_at, updated_at,
    clause_id, voter_id, membership_id, group_id, history_date, history_change_reason,
    history_type, history_user_id)
  SELECT id, position, rationale, created_at, updated_at, clause_id, voter_id, membership_id,
    group_id, updated_at, NULL, {history_type}, {user}
  FROM v),
c AS (INSERT INTO deliberation_clausechange (clause_id) SELECT clause_id FROM v)"""


UPSERT_SQL = """
INSERT INTO deliberation_vote (clause_id, voter_id, membership_id, group_id, position, rationale,
                               created_at, updated_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (clause_id, voter_id) DO UPDATE SET
  membership_id = excluded.membership_id, group_id = excluded.group_id,
  position = excluded.position, rationale = excluded.rationale, updated_at = excluded.updated_at
WHERE deliberation_vote.position <> excluded.position
   OR deliberation_vote.rationale <> excluded.rationale
   OR deliberation_vote.group_id <> excluded.group_id
RETURNING id, created_at, created_at = updated_at
"""


# PostgreSQL: the upsert, its history row and the clause's change mark in one round trip.
UPSERT_CTE_SQL = "WITH v AS (" + UPSERT_SQL.replace(
    "RETURNING id, created_at, created_at = updated_at",
    "RETURNING id, clause_id, voter_id, membership_id, group_id, position, rationale, "
    "created_at, updated_at") + """),
""" + HISTORY_AND_CHANGE_CTE.format(
    history_type="CASE WHEN created_at = updated_at THEN '+' ELSE '~' END", user="%s") + """,
s AS (INSERT INTO deliberation_clausesummary ({summary_columns})
  SELECT clause_id, {summary_values} FROM v WHERE created_at = updated_at
  ON CONFLICT (clause_id) DO NOTHING)
SELECT id, created_at, created_at = updated_at FROM v
"""


# A first vote also creates the clause's (empty, stale) summary row if missing, as
# `ensure_summary` does: the columns with a default, filled with the model's defaults.
_SUMMARY_DEFAULTS = [f for f in ClauseSummary._meta.concrete_fields
                     if f.has_default() and f.column not in ("id", "clause_id")]


UPSERT_CTE_SQL = UPSERT_CTE_SQL.format(
    summary_columns=", ".join(["clause_id", "draft_id", *(f.column for f in _SUMMARY_DEFAULTS)]),
    summary_values=", ".join(["%s"] * (1 + len(_SUMMARY_DEFAULTS))))


def _summary_params(clause: Clause) -> list:
    return [clause.draft_id, *(f.get_default() for f in _SUMMARY_DEFAULTS)]


# PostgreSQL, every vote that passes the input checks: the voter and draft check (same KEY SHARE
# lock as VOTER_SQL), the upsert (only if something changed), its history row, the change mark,
# the summary row of a first vote, and for an oppose or block the objection comment (one per
# vote: the unique `vote_id` serialises concurrent writers of it) with its history row, in ONE
# autocommitted statement: no BEGIN/COMMIT round trips. The last columns are the unchanged vote
# (`v` empty: same position and rationale again). No row: not a member, or the draft takes no
# votes: the transactional path then gives the refusal.
VOTE_SQL = """
WITH m AS (
  SELECT m.id AS membership_id, g.id AS group_id, g.slug, g.name
  FROM definition_draft d
  JOIN definition_membership m
    ON m.definition_id = d.definition_id AND m.user_id = %(voter)s AND m.status = 'verified'
  JOIN definition_stakeholdergroup g ON g.id = m.group_id
  WHERE d.id = %(draft)s AND d.status = 'open' AND (d.closes_at IS NULL OR d.closes_at > %(now)s)
  FOR KEY SHARE OF d),
v AS (
  INSERT INTO deliberation_vote AS o (clause_id, voter_id, membership_id, group_id, position,
                                      rationale, created_at, updated_at)
  SELECT %(clause)s, %(voter)s, m.membership_id, m.group_id, %(position)s, %(rationale)s,
    %(now)s, %(now)s FROM m
  ON CONFLICT (clause_id, voter_id) DO UPDATE SET
    membership_id = excluded.membership_id, group_id = excluded.group_id,
    position = excluded.position, rationale = excluded.rationale, updated_at = excluded.updated_at
  WHERE o.position <> excluded.position OR o.rationale <> excluded.rationale
     OR o.group_id <> excluded.group_id
  RETURNING o.id, o.clause_id, o.voter_id, o.membership_id, o.group_id, o.position, o.rationale,
    o.created_at, o.updated_at),
""" + HISTORY_AND_CHANGE_CTE.format(
    history_type="CASE WHEN created_at = updated_at THEN '+' ELSE '~' END", user="%(user)s") + """,
s AS (INSERT INTO deliberation_clausesummary ({summary_columns})
  SELECT clause_id, {summary_values} FROM v WHERE created_at = updated_at
  ON CONFLICT (clause_id) DO NOTHING),
o AS (
  INSERT INTO deliberation_comment AS k (clause_id, author_id, parent_id, kind, body, quote,
    proposed_text, vote_id, author_verified, edited_at, hidden, hidden_reason, hidden_by_id,
    created_at)
  SELECT clause_id, voter_id, NULL, 'objection', rationale, '', '', id, true, NULL, false, '',
    NULL, updated_at
  FROM v WHERE position IN ({disapproving})
  ON CONFLICT (vote_id) DO UPDATE SET body = excluded.body, edited_at = excluded.created_at
  WHERE k.body <> excluded.body
  RETURNING k.*),
oh AS (
  INSERT INTO deliberation_historicalcomment (id, kind, body, quote, proposed_text,
    author_verified, edited_at, hidden, hidden_reason, created_at, history_date,
    history_change_reason, history_type, author_id, clause_id, hidden_by_id, history_user_id,
    parent_id, vote_id)
  SELECT id, kind, body, quote, proposed_text, author_verified, edited_at, hidden, hidden_reason,
    created_at, %(now)s, NULL, CASE WHEN edited_at IS NULL THEN '+' ELSE '~' END, author_id,
    clause_id, hidden_by_id, %(user)s, parent_id, vote_id
  FROM o)
SELECT m.membership_id, m.group_id, m.slug, m.name, v.id, v.created_at, e.id, e.created_at,
  e.updated_at
FROM m LEFT JOIN v ON true
LEFT JOIN deliberation_vote e
  ON v.id IS NULL AND e.clause_id = %(clause)s AND e.voter_id = %(voter)s
""".format(
    summary_columns=", ".join(["clause_id", "draft_id", *(f.column for f in _SUMMARY_DEFAULTS)]),
    summary_values=", ".join(f"%(summary{n})s" for n in range(1 + len(_SUMMARY_DEFAULTS))),
    disapproving=", ".join(f"'{p}'" for p in sorted(DISAPPROVING)))


def _one_statement_vote(actor, clause: Clause, position: str, rationale: str) -> Vote | None:
    """The one-statement path (see VOTE_SQL); None when the transactional path must run."""
    if (connection.vendor != "postgresql" or not getattr(actor, "is_authenticated", False)
            or (position in DISAPPROVING and not rationale)):
        return None
    now = timezone.now()
    params = {"voter": actor.pk, "draft": clause.draft_id, "clause": clause.pk, "now": now,
              "position": position, "rationale": rationale, "user": _history_user_id(),
              **{f"summary{n}": value for n, value in enumerate(_summary_params(clause))}}
    try:
        with prepared_cursor() as cursor:
            cursor.execute(VOTE_SQL, params)
            row = cursor.fetchone()
    except OperationalError as error:
        if is_lock_conflict(error) and not connection.in_atomic_block:
            return None  # the transactional path retries
        raise
    if row is None:
        return None
    membership_id, group_id, slug, name, vote_id, created_at, same_id, same_created, same_at = row
    if vote_id is None and same_id is None:
        return None  # unchanged, but the vote is not visible yet (a concurrent first vote)
    membership = _verified_membership(actor, clause.draft.definition_id, membership_id,
                                      group_id, slug, name)
    vote = Vote(pk=vote_id or same_id, clause=clause, voter=actor, membership=membership,
                group=membership.group, position=position, rationale=rationale)
    if vote_id is None:  # the same position and rationale again: nothing changed
        vote.created_at, vote.updated_at = _aware(same_created), _aware(same_at)
        return vote
    vote.created_at, vote.updated_at = _aware(created_at), now
    transaction.on_commit(lambda: schedule_clause_recompute(clause.pk))
    return vote


def _voter_and_open_draft(actor, draft: Draft) -> Membership:
    """The actor's verified membership in the draft's definition, checking that the draft takes
    votes (read afresh, locked against a concurrent close on PostgreSQL)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Only verified members of this definition may do this.")
    lock = " FOR KEY SHARE OF d" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(VOTER_SQL + lock, [actor.pk, draft.pk])
        row = cursor.fetchone()
    if row is None or row[2] is None:
        raise NotAllowed("Only verified members of this definition may do this.")
    status, closes_at, membership_id, group_id, slug, name = row
    closes_at = _aware(closes_at)
    draft.status, draft.closes_at = status, closes_at
    require_open(draft, "votes")
    return _verified_membership(actor, draft.definition_id, membership_id, group_id, slug, name)


def _verified_membership(actor, definition_id: int, membership_id: int, group_id: int, slug: str,
                         name: str) -> Membership:
    """The voter's membership and group as a raw query read them (no further query)."""
    group = StakeholderGroup(pk=group_id, definition_id=definition_id, slug=slug, name=name)
    return Membership(pk=membership_id, user=actor, definition_id=definition_id, group=group,
                      status=Membership.Status.VERIFIED)


def _aware(value):
    """A datetime read by a raw query: SQLite gives text or naive UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def cast_vote(*, actor, clause: Clause, position: str, rationale: str = "") -> Vote:
    """Cast or change the actor's position on a clause of an open draft.

    On PostgreSQL a valid vote is one statement (`_one_statement_vote`); a refusal, SQLite and a
    lock conflict run `_cast_vote` in a transaction. A section (a heading without body) takes no
    vote unless the definition's `sections_votable` says so."""
    require_votable(clause)
    if position in Position.values and isinstance(rationale, str) and len(rationale) <= 10000:
        vote = _one_statement_vote(actor, clause, position, rationale.strip())
        if vote is not None:
            return vote
    return _cast_vote(actor=actor, clause=clause, position=position, rationale=rationale)


def require_votable(clause: Clause) -> None:
    """Refuse a vote on a section of a definition that does not vote on sections (the
    definition is read only for a section, so a vote on a clause costs no query)."""
    if clause.is_section and not clause.draft.definition.sections_votable:
        raise Conflict(f"Clause {clause.key!r} is a section heading: sections are not voted on "
                       "in this definition.", field="sections_votable")


@atomic_with_retry
def _cast_vote(*, actor, clause: Clause, position: str, rationale: str = "") -> Vote:
    """Cast or change the actor's position on a clause of an open draft.

    The group is the member's group now; a later change of group never rewrites this vote.
    The rationale of an oppose or block is an objection, kept as a comment to disposition.
    One upsert; the vote's transaction touches no row another voter writes (the staleness of the
    summary is an appended `ClauseChange`), so concurrent votes neither queue nor deadlock."""
    membership = _voter_and_open_draft(actor, clause.draft)
    if position not in Position.values:
        raise InvalidInput(f"Choose one of {', '.join(Position.values)}.", field="position")
    rationale = check_text(rationale or "", "rationale", 10000).strip()
    if position in DISAPPROVING and not rationale:
        raise InvalidInput(f"A rationale is required to {position}.", field="rationale")
    vote, created, marked = _upsert_vote(actor, clause, membership, position, rationale)
    if created is None:  # the same position and rationale again: nothing changed
        return vote
    if position in DISAPPROVING:
        _record_objection(vote, created=created)
    if created and not marked:  # a first vote here: the clause may have no summary row yet
        ensure_summary(clause)  # (PostgreSQL: done by the upsert statement)
    if marked:
        transaction.on_commit(lambda: schedule_clause_recompute(clause.pk))
    else:
        clause_votes_changed(clause.pk)
    return vote


def _upsert_vote(actor, clause, membership, position, rationale
                 ) -> tuple[Vote, bool | None, bool]:
    """INSERT ... ON CONFLICT DO UPDATE (only if something changed) and the history row as
    `save()` would write it; on PostgreSQL also the clause's change mark, all in one statement.
    Returns the vote, whether it was created (None: unchanged) and whether the change is marked."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [clause.pk, actor.pk, membership.pk, membership.group.pk, position, rationale, stamp,
              stamp]
    one_statement = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if one_statement:
            cursor.execute(UPSERT_CTE_SQL, [*params, _history_user_id(), *_summary_params(clause)])
        else:
            cursor.execute(UPSERT_SQL, params)
        row = cursor.fetchone()
    if row is None:
        vote = Vote.objects.select_related("group").get(clause=clause, voter=actor)
        vote.clause, vote.voter = clause, actor
        return vote, None, False
    vote_id, created_at, created = row[0], row[1], bool(row[2])
    vote = Vote(pk=vote_id, clause=clause, voter=actor, membership=membership,
                group=membership.group, position=position, rationale=rationale,
                created_at=_aware(created_at), updated_at=now)
    if not one_statement:  # django-simple-history writes the history row
        post_save.send(sender=Vote, instance=vote, created=created, update_fields=None,
                       raw=False, using=connection.alias)
    return vote, created, one_statement


def _history_user_id() -> int | None:
    """Who django-simple-history would name on the history row: the request's user."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user.pk if getattr(user, "is_authenticated", False) else None


def _record_objection(vote: Vote, *, created: bool) -> None:
    objection = None if created else Comment.objects.filter(vote=vote).order_by("pk").first()
    if objection is None:
        Comment.objects.create(clause=vote.clause, author=vote.voter, kind=Comment.Kind.OBJECTION,
                               body=vote.rationale, vote=vote, author_verified=True)
    elif objection.body != vote.rationale:
        objection.body, objection.edited_at = vote.rationale, timezone.now()
        objection.save()


@atomic_with_retry
def retract_vote(*, actor, clause: Clause) -> None:
    """Withdraw the actor's position; the row goes, its history stays."""
    _voter_and_open_draft(actor, clause.draft)
    vote = (Vote.objects.select_for_update(of=("self",)).filter(clause=clause, voter=actor)
            .order_by("pk").first())
    if vote is None:
        raise InvalidInput("You have no vote on this clause.", field="position")
    vote.delete()
    clause_votes_changed(clause.pk)
