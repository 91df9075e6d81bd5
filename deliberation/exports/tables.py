"""CSV exports of a draft: its ballot (one row per current vote) and its comments.

Voters are named when the definition's votes are public or the viewer facilitates it; otherwise
each voter gets a stable pseudonym (the same in every export of the definition), and the authors
of objections, which are vote rationales, get the same pseudonym.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count

from core.spreadsheets import write_csv
from deliberation.models import Comment, Vote
from deliberation.votes.selectors import can_see_voters

BALLOT_COLUMNS = ("clause", "number", "voter", "group", "position", "rationale", "counted",
                  "created_at", "updated_at")
COMMENT_COLUMNS = ("id", "clause", "number", "parent", "kind", "author", "author_verified",
                   "created_at", "edited_at", "hidden", "hidden_reason", "quote", "body",
                   "proposed_text", "endorsements", "disposition", "response", "addressed_in",
                   "decided_by", "decided_at", "acknowledged", "acknowledgement_note")


def pseudonym(definition, username: str) -> str:
    """A stable stand-in for a voter: keyed on the site secret, so it cannot be reversed."""
    seed = f"{settings.SECRET_KEY}:{definition.slug}:{username}".encode()
    return "voter-" + hashlib.sha256(seed).hexdigest()[:10]


def _csv(columns, rows) -> bytes:
    return write_csv(columns, rows).encode()


def _iso(value) -> str:
    return value.isoformat() if value else ""


def ballot_csv(draft, clauses, *, viewer) -> bytes:
    """Every current vote on the draft, in reading order of the clauses."""
    named = can_see_voters(viewer, draft.definition)
    order = {c.pk: (i, c.number) for i, c in enumerate(clauses)}
    votes = (Vote.objects.filter(clause__draft=draft)
             .select_related("voter", "group", "clause", "membership").order_by("created_at", "id"))
    rows = []
    for vote in sorted(votes, key=lambda v: order[v.clause_id][0]):
        name = vote.voter.username
        rows.append((vote.clause.key, order[vote.clause_id][1],
                     name if named else pseudonym(draft.definition, name), vote.group.slug,
                     vote.position, vote.rationale, vote.membership.status == "verified",
                     _iso(vote.created_at), _iso(vote.updated_at)))
    return _csv(BALLOT_COLUMNS, rows)


def _author(comment, definition, named: bool) -> str:
    if comment.kind == Comment.Kind.OBJECTION and not named:
        return pseudonym(definition, comment.author.username)
    return comment.author.username


def _disposition_cells(comment) -> tuple:
    d = getattr(comment, "disposition", None)
    if d is None:
        return ("",) * 7
    acknowledged = {None: "", True: "satisfied", False: "not-satisfied"}[d.acknowledged_satisfied]
    return (d.status, d.response, d.addressed_in.version if d.addressed_in_id else "",
            d.decided_by.username if d.decided_by_id else "", _iso(d.decided_at), acknowledged,
            d.acknowledgement_note)


def _comment_row(comment, number: str, definition, named: bool, moderator: bool) -> tuple:
    withheld = comment.hidden and not moderator
    text = ("", "", "") if withheld else (comment.quote, comment.body, comment.proposed_text)
    return (comment.pk, comment.clause.key, number, comment.parent_id or "", comment.kind,
            _author(comment, definition, named), comment.author_verified,
            _iso(comment.created_at), _iso(comment.edited_at), comment.hidden,
            comment.hidden_reason, *text, comment.endorsement_count, *_disposition_cells(comment))


def comments_csv(draft, clauses, *, viewer, moderator: bool) -> bytes:
    """Every comment and reply on the draft, with its disposition; hidden text for moderators."""
    named = can_see_voters(viewer, draft.definition)
    order = {c.pk: (i, c.number) for i, c in enumerate(clauses)}
    comments = (Comment.objects.filter(clause__draft=draft)
                .select_related("author", "clause", "disposition__addressed_in",
                                "disposition__decided_by")
                .annotate(endorsement_count=Count("endorsements")).order_by("created_at", "id"))
    rows = [_comment_row(c, order[c.clause_id][1], draft.definition, named, moderator)
            for c in sorted(comments, key=lambda c: order[c.clause_id][0])]
    return _csv(COMMENT_COLUMNS, rows)
