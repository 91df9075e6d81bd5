"""Writes of votes, comments, endorsements, flags, moderation and dispositions."""

from datetime import UTC

from django.db import OperationalError, connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.models import HistoricalRecords

from config.errors import Conflict, InvalidInput, NotAllowed
from config.transactions import atomic_with_retry, is_lock_conflict, prepared_cursor
from definition.models import Clause, Draft, Event, Job, Membership, StakeholderGroup
from definition.notifications import enqueue
from definition.permissions import require_facilitator, verified_membership
from definition.selectors import list_clauses
from definition.services import log_event, update_clause

from .models import (
    DISAPPROVING,
    ClauseSummary,
    Comment,
    Disposition,
    Endorsement,
    Flag,
    Position,
    Vote,
)
from .recompute import ensure_summary, mark_stale
from .tasks import (
    enqueue_job,
    notify_disposition_task,
    notify_reply_task,
    recompute_draft_task,
    schedule_clause_recompute,
)


def _check_text(value, field: str, max_length: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidInput("Must be text.", field=field)
    if required and not value.strip():
        raise InvalidInput("This field is required.", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"At most {max_length} characters.", field=field)
    return value


def require_open(draft: Draft, what: str) -> None:
    if draft.status != Draft.Status.OPEN:
        raise Conflict(f"Draft {draft.version} is {draft.status}: {what} are not accepted.",
                       field="draft")
    if draft.closes_at is not None and draft.closes_at <= timezone.now():
        raise Conflict(f"The comment period of {draft.version} has ended.", field="draft")


def _votes_changed(clause_id: int) -> None:
    """Mark the clause's summary stale now (an appended change, no shared row); recompute it once
    the transaction commits."""
    mark_stale([clause_id])
    transaction.on_commit(lambda: schedule_clause_recompute(clause_id))


def require_member(actor, definition):
    membership = verified_membership(actor, definition)
    if membership is None:
        raise NotAllowed("Only verified members of this definition may do this.")
    return membership


# Votes -----------------------------------------------------------------------------------------


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
    lock conflict run `_cast_vote` in a transaction."""
    if position in Position.values and isinstance(rationale, str) and len(rationale) <= 10000:
        vote = _one_statement_vote(actor, clause, position, rationale.strip())
        if vote is not None:
            return vote
    return _cast_vote(actor=actor, clause=clause, position=position, rationale=rationale)


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
    rationale = _check_text(rationale or "", "rationale", 10000).strip()
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
        _votes_changed(clause.pk)
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
    _votes_changed(clause.pk)


# Comments --------------------------------------------------------------------------------------


def check_comment_permission(actor, clause: Clause) -> bool:
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Sign in to comment.")
    is_member = verified_membership(actor, clause.draft.definition) is not None
    if clause.draft.definition.comments_members_only and not is_member:
        raise NotAllowed("Only verified members may comment on this definition.")
    return is_member


def _check_comment_content(clause, kind, body, quote, proposed_text) -> None:
    if kind not in Comment.Kind.values:
        raise InvalidInput(f"Choose one of {', '.join(Comment.Kind.values)}.", field="kind")
    _check_text(body, "body", 20000, required=True)
    _check_text(quote, "quote", 5000)
    _check_text(proposed_text, "proposed_text", 20000)
    if kind == Comment.Kind.SUGGESTION and not proposed_text.strip():
        raise InvalidInput("A suggestion needs the proposed wording.", field="proposed_text")
    if kind != Comment.Kind.SUGGESTION and proposed_text:
        raise InvalidInput("Only a suggestion proposes text.", field="proposed_text")
    if quote and quote not in clause.body and quote not in clause.heading:
        raise InvalidInput("The quote must be an exact passage of the clause.", field="quote")


@transaction.atomic
def post_comment(*, actor, clause: Clause, body: str, kind: str = "comment",
                 parent: Comment | None = None, quote: str = "", proposed_text: str = ""
                 ) -> Comment:
    """Comment on a clause of an open draft, or reply to a comment on it."""
    is_member = check_comment_permission(actor, clause)
    require_open(clause.draft, "comments")
    _check_comment_content(clause, kind, body, quote, proposed_text)
    if parent is not None and parent.clause_id != clause.pk:
        raise InvalidInput("The parent comment is on another clause.", field="parent")
    comment = Comment.objects.create(clause=clause, author=actor, parent=parent, kind=kind,
                                     body=body.strip(), quote=quote, proposed_text=proposed_text,
                                     author_verified=is_member)
    if parent is not None and parent.author_id != actor.pk:
        transaction.on_commit(lambda: enqueue(notify_reply_task, comment.pk))
    return comment


@transaction.atomic
def edit_comment(*, actor, comment: Comment, changes: dict) -> Comment:
    """The author edits their comment; the earlier text stays in history, shown as edited."""
    if comment.author_id != getattr(actor, "pk", None):
        raise NotAllowed("Only the author may edit a comment.")
    if comment.kind == Comment.Kind.OBJECTION and comment.vote_id:
        raise Conflict("Edit an objection by changing your vote's rationale.", field="body")
    unknown = set(changes) - {"body", "quote", "proposed_text"}
    if unknown:
        raise InvalidInput("This field cannot be edited.", field=sorted(unknown)[0])
    merged = {"body": comment.body, "quote": comment.quote,
              "proposed_text": comment.proposed_text, **changes}
    _check_comment_content(comment.clause, comment.kind, merged["body"], merged["quote"],
                           merged["proposed_text"])
    for field, value in merged.items():
        setattr(comment, field, value)
    comment.edited_at = timezone.now()
    comment.save()
    return comment


@transaction.atomic
def endorse_comment(*, actor, comment: Comment) -> Endorsement:
    """A verified member +1s a suggestion. Endorsing twice keeps one endorsement."""
    require_member(actor, comment.clause.draft.definition)
    if comment.kind != Comment.Kind.SUGGESTION:
        raise InvalidInput("Only suggestions can be endorsed.", field="comment")
    endorsement, _ = Endorsement.objects.get_or_create(comment=comment, user=actor)
    return endorsement


@transaction.atomic
def flag_comment(*, actor, comment: Comment, reason: str = "") -> Flag:
    """Any signed-in user flags a comment for the facilitators' review."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Sign in to flag.")
    _check_text(reason, "reason", 500)
    flag, _ = Flag.objects.get_or_create(comment=comment, user=actor, defaults={"reason": reason})
    return flag


@transaction.atomic
def hide_comment(*, actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a public reason. Nothing is deleted; the log records it."""
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    _check_text(reason, "reason", 2000, required=True)
    comment.hidden, comment.hidden_reason, comment.hidden_by = True, reason.strip(), actor
    comment.save()
    comment.flags.update(resolved=True)
    log_event(definition=definition, draft=comment.clause.draft, kind=Event.Kind.COMMENT_HIDDEN,
              actor=actor, reason=reason, summary=f"Comment #{comment.pk} hidden",
              data={"comment": comment.pk})
    return comment


@transaction.atomic
def restore_comment(*, actor, comment: Comment, reason: str = "") -> Comment:
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    if not comment.hidden:
        raise Conflict("This comment is not hidden.", field="hidden")
    comment.hidden, comment.hidden_reason, comment.hidden_by = False, "", None
    comment.save()
    log_event(definition=definition, draft=comment.clause.draft, kind=Event.Kind.COMMENT_RESTORED,
              actor=actor, reason=reason, summary=f"Comment #{comment.pk} restored",
              data={"comment": comment.pk})
    return comment


# Dispositions ----------------------------------------------------------------------------------


def _check_duplicate_of(comment: Comment, status: str, duplicate_of) -> None:
    if duplicate_of is None:
        return
    if status != Disposition.Status.DUPLICATE:
        raise InvalidInput("Only a duplicate names the comment it repeats.", field="duplicate_of")
    if duplicate_of.pk == comment.pk:
        raise InvalidInput("A comment cannot duplicate itself.", field="duplicate_of")
    if duplicate_of.clause.draft.definition_id != comment.clause.draft.definition_id:
        raise InvalidInput("duplicate_of must be a comment of this definition.",
                           field="duplicate_of")


def _check_disposition(comment: Comment, status: str, response: str, addressed_in) -> None:
    if comment.parent_id is not None:
        raise InvalidInput("Only top-level comments get a disposition.", field="comment")
    if status not in Disposition.Status.values:
        raise InvalidInput(f"Choose one of {', '.join(Disposition.Status.values)}.",
                           field="status")
    _check_text(response, "response", 10000, required=True)
    # Read the vote afresh: the voter may have moved off `block` since the comment was loaded.
    is_block = Vote.objects.filter(pk=comment.vote_id, position=Position.BLOCK).exists()
    if status == Disposition.Status.OVERRULED and not is_block:
        raise InvalidInput("Only a sustained block can be overruled.", field="status")
    definition = comment.clause.draft.definition
    if addressed_in is not None and addressed_in.definition_id != definition.pk:
        raise InvalidInput("addressed_in must be a draft of this definition.",
                           field="addressed_in")


@transaction.atomic
def record_disposition(*, actor, comment: Comment, status: str, response: str,
                       addressed_in: Draft | None = None,
                       duplicate_of: Comment | None = None) -> Disposition:
    """Record (or revise) the facilitators' answer to a comment, suggestion or objection.

    A revised answer asks the author to acknowledge again; the author is emailed either way."""
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    _check_disposition(comment, status, response, addressed_in)
    _check_duplicate_of(comment, status, duplicate_of)
    disposition, _ = Disposition.objects.select_for_update().get_or_create(
        comment=comment, defaults={"status": status, "response": response,
                                   "decided_at": timezone.now(), "decided_by": actor})
    disposition.status, disposition.response = status, response
    disposition.addressed_in, disposition.duplicate_of = addressed_in, duplicate_of
    disposition.decided_by, disposition.decided_at = actor, timezone.now()
    disposition.acknowledged_satisfied, disposition.acknowledgement_note = None, ""
    disposition.acknowledged_at = None
    disposition.save()
    decided_at = disposition.decided_at.isoformat()
    transaction.on_commit(lambda: enqueue(notify_disposition_task, comment.pk, decided_at))
    if comment.vote_id is not None:  # an objection: open objections and blocks change
        _votes_changed(comment.clause_id)
    kind = Event.Kind.BLOCK_OVERRULED if status == "overruled" else Event.Kind.DISPOSITION
    log_event(definition=definition, draft=comment.clause.draft, kind=kind, actor=actor,
              reason=response, summary=f"{comment.kind.capitalize()} #{comment.pk}: {status}",
              data={"comment": comment.pk, "status": status, "clause": comment.clause.key,
                    **({"duplicate_of": duplicate_of.pk} if duplicate_of else {})})
    return disposition


@transaction.atomic
def acknowledge_disposition(*, actor, comment: Comment, satisfied: bool, note: str = ""
                            ) -> Disposition:
    """The author says whether the disposition of their comment satisfies them."""
    if comment.author_id != getattr(actor, "pk", None):
        raise NotAllowed("Only the author may acknowledge a disposition.")
    disposition = Disposition.objects.select_for_update().filter(comment=comment).first()
    if disposition is None:
        raise Conflict("This comment has no disposition yet.", field="comment")
    if not isinstance(satisfied, bool):
        raise InvalidInput("Must be true or false.", field="satisfied")
    disposition.acknowledged_satisfied = satisfied
    disposition.acknowledgement_note = _check_text(note or "", "note", 5000)
    disposition.acknowledged_at = timezone.now()
    disposition.save()
    return disposition


# Jobs ------------------------------------------------------------------------------------------


@transaction.atomic
def request_recompute(*, actor, draft: Draft) -> Job:
    """A facilitator asks for a full recompute of a draft (consensus and opinion groups)."""
    require_facilitator(actor, draft.definition)
    job = Job.objects.create(kind="recompute", definition=draft.definition, draft=draft,
                             created_by=actor)
    transaction.on_commit(lambda: enqueue_job(recompute_draft_task, job))
    return job


# The facilitators' workspace ----------------------------------------------------------------------

APPLIED_STATUSES = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)
MAX_BULK = 500


def _check_applicable(comment: Comment, draft: Draft) -> None:
    if comment.kind != Comment.Kind.SUGGESTION or comment.parent_id is not None:
        raise InvalidInput("Only a top-level suggestion can be applied.", field="comment")
    if comment.hidden:
        raise Conflict("This suggestion is hidden.", field="comment")
    source = comment.clause.draft
    if source.definition_id != draft.definition_id or source.pk == draft.pk:
        raise InvalidInput("Apply a suggestion on an earlier draft of this definition.",
                           field="draft")


def _clause_for_suggestion(comment: Comment, draft: Draft) -> Clause:
    """The clause of `draft` with the suggestion's key, else the one clause derived from it."""
    key = comment.clause.key
    clauses = list_clauses(draft=draft)
    same = [c for c in clauses if c.key == key] or [c for c in clauses if key in c.derived_from]
    if len(same) != 1:
        found = "no clause" if not same else "several clauses"
        raise Conflict(f"Draft {draft.version} has {found} for {key!r}.", field="draft")
    same[0].draft = draft
    return same[0]


def _credit_suggestion(actor, comment: Comment, draft: Draft, response: str) -> None:
    disposition = Disposition.objects.select_for_update().filter(comment=comment).first()
    if disposition is None or disposition.status not in APPLIED_STATUSES:
        record_disposition(actor=actor, comment=comment, status=Disposition.Status.ACCEPTED,
                           response=response or f"Applied in draft {draft.version}.",
                           addressed_in=draft)
    elif disposition.addressed_in_id is None:
        disposition.addressed_in = draft
        disposition.save(update_fields=["addressed_in"])


@transaction.atomic
def apply_suggestion(*, actor, comment: Comment, draft: Draft, response: str = "") -> Clause:
    """Put a suggestion's proposed text into the same clause of an editing draft, in one action.

    Unless the suggestion is already accepted (or partially), it is recorded `accepted`, addressed
    in `draft` (logged, and its author emailed); an acceptance without a draft gets this one."""
    require_facilitator(actor, draft.definition)
    _check_applicable(comment, draft)
    _check_text(response or "", "response", 10000)
    clause = update_clause(actor=actor, clause=_clause_for_suggestion(comment, draft),
                           changes={"body": comment.proposed_text})
    _credit_suggestion(actor, comment, draft, response)
    return clause


def _check_duplicates(comments, of: Comment, draft: Draft | None) -> list[Comment]:
    comments = list(dict.fromkeys(comments))
    if not comments or len(comments) > MAX_BULK:
        raise InvalidInput(f"Choose 1 to {MAX_BULK} comments.", field="comments")
    if of.parent_id is not None:
        raise InvalidInput("The original must be a top-level comment.", field="of")
    for comment in comments:
        if draft is not None and comment.clause.draft_id != draft.pk:
            raise InvalidInput(f"Comment {comment.pk} is not on draft {draft.version}.",
                               field="comments")
        if comment.pk == of.pk:
            raise InvalidInput("A comment cannot duplicate itself.", field="comments")
    return comments


@transaction.atomic
def record_duplicates(*, actor, comments: list[Comment], of: Comment, response: str,
                      draft: Draft | None = None) -> list[Disposition]:
    """Disposition many comments as `duplicate` of one, with one response (each logged and
    emailed like any disposition). With `draft`, every comment must be on it."""
    require_facilitator(actor, of.clause.draft.definition)
    comments = _check_duplicates(comments, of, draft)
    return [record_disposition(actor=actor, comment=comment, status=Disposition.Status.DUPLICATE,
                               response=response, duplicate_of=of)
            for comment in comments]


@transaction.atomic
def resolve_flags(*, actor, comment: Comment, reason: str = "") -> int:
    """Dismiss the open flags on a comment without hiding it; logged. Returns how many."""
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    _check_text(reason or "", "reason", 2000)
    flags = list(Flag.objects.select_for_update().filter(comment=comment, resolved=False))
    if not flags:
        raise Conflict("This comment has no open flag.", field="comment")
    for flag in flags:
        flag.resolved = True
        flag.save(update_fields=["resolved"])
    log_event(definition=definition, draft=comment.clause.draft, kind=Event.Kind.FLAGS_RESOLVED,
              actor=actor, reason=reason, summary=f"Flags on comment #{comment.pk} dismissed",
              data={"comment": comment.pk, "flags": len(flags)})
    return len(flags)
