"""Reads that only the web pages need, each in a fixed number of queries whatever the data size.

Consensus figures are never computed here: they come from the stored summaries through
`consensus_selectors.get_draft_consensus` / `get_clause_consensus`.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Q

from definition.models import Clause, Definition, Draft, Membership
from definition.selectors import get_live_membership, list_clauses, list_drafts
from deliberation.consensus import selectors as consensus_selectors
from deliberation.models import Comment, OpinionAnalysis, Vote

SEARCH_LIMIT = 50
PROFILE_LIMIT = 200


def my_votes(*, user, draft: Draft) -> dict[int, Vote]:
    """The viewer's current votes on the draft's clauses, by clause id."""
    if not user.is_authenticated:
        return {}
    return {vote.clause_id: vote for vote in Vote.objects.filter(clause__draft=draft, voter=user)}


def my_vote(*, user, clause: Clause) -> Vote | None:
    if not user.is_authenticated:
        return None
    return Vote.objects.filter(clause=clause, voter=user).first()


def comment_counts(*, draft: Draft) -> dict[int, int]:
    """Visible comments per clause id (replies included, hidden ones not)."""
    rows = (Comment.objects.filter(clause__draft=draft, hidden=False).values_list("clause_id")
            .annotate(n=Count("id")).order_by())
    return dict(rows)


def group_names(definition: Definition) -> list[tuple[str, str]]:
    return list(definition.groups.values_list("slug", "name"))


def draft_rows(*, draft: Draft, user) -> dict:
    """Everything the reader shows: every clause in order with its stored summary, the viewer's
    vote and its comment count, plus the viewer's membership and the group names."""
    clauses = list_clauses(draft=draft)
    consensus = consensus_selectors.get_draft_consensus(draft=draft)
    summaries = {row["key"]: row for row in consensus["clauses"]}
    votes, counts = my_votes(user=user, draft=draft), comment_counts(draft=draft)
    rows = [{"clause": clause, "summary": summaries[clause.key], "vote": votes.get(clause.pk),
             "comments": counts.get(clause.pk, 0)} for clause in clauses]
    return {"rows": rows, "consensus": consensus, "groups": group_names(draft.definition),
            **memberships(user=user, definition=draft.definition)}


def memberships(*, user, definition: Definition) -> dict:
    """`applied`: the viewer's live membership (pending too, for the tabs and hints);
    `membership`: the same if verified (who may vote), else None. One query."""
    applied = get_live_membership(user=user, definition=definition)
    verified = applied if applied and applied.status == Membership.Status.VERIFIED else None
    return {"applied": applied, "membership": verified}


def clause_summary(*, clause: Clause) -> dict:
    """One clause's stored summary (the vote block after a vote)."""
    return consensus_selectors.get_clause_consensus(clause=clause, trend=False)


def live_drafts(*, definition: Definition, viewer) -> list[Draft]:
    return list(list_drafts(definition=definition, viewer=viewer))


def current_of(drafts: list[Draft]) -> Draft | None:
    """As `definition.selectors.current_draft`, over drafts already read."""
    for status in (Draft.Status.OPEN, Draft.Status.FINAL, Draft.Status.CLOSED):
        matching = [d for d in drafts if d.status == status]
        if matching:
            return matching[-1]
    return None


def top_level_comments(*, draft: Draft):
    """The comments that take a disposition: top-level ones, in reading order of their clause."""
    return (Comment.objects.filter(clause__draft=draft, parent=None)
            .select_related("author", "clause", "disposition__addressed_in")
            .order_by("clause__position", "clause_id", "created_at", "id"))


def opinion_analysis(*, draft: Draft, viewer) -> dict | None:
    analysis = OpinionAnalysis.objects.filter(draft=draft).first()
    if analysis is None:
        return None
    analysis.draft = draft
    return {"computed_at": analysis.computed_at,
            **consensus_selectors.opinion_result_for(analysis, viewer=viewer)}


def profile(*, user) -> dict:
    """The viewer's memberships, current votes and comments, newest first."""
    memberships = Membership.objects.filter(user=user).select_related("definition", "group")
    votes = (Vote.objects.filter(voter=user)
             .select_related("clause__draft__definition", "group")
             .order_by("-updated_at")[:PROFILE_LIMIT])
    comments = (Comment.objects.filter(author=user)
                .select_related("clause__draft__definition", "disposition")
                .order_by("-created_at")[:PROFILE_LIMIT])
    return {"memberships": list(memberships), "votes": list(votes), "comments": list(comments)}


def search(*, query: str) -> dict:
    """Clauses of published drafts and visible comments matching the query: PostgreSQL
    full-text search when available, a plain substring match elsewhere."""
    clauses = (Clause.objects.exclude(draft__status=Draft.Status.EDITING)
               .select_related("draft__definition"))
    comments = (Comment.objects.filter(hidden=False)
                .exclude(clause__draft__status=Draft.Status.EDITING)
                .select_related("author", "clause__draft__definition"))
    if connection.vendor == "postgresql":
        clauses = _full_text(clauses, query, "heading", "body")
        comments = _full_text(comments, query, "body")
    else:
        clauses = clauses.filter(Q(heading__icontains=query) | Q(body__icontains=query))
        comments = comments.filter(body__icontains=query).order_by("-created_at")
    return {"clauses": list(clauses[:SEARCH_LIMIT]), "comments": list(comments[:SEARCH_LIMIT])}


def _full_text(queryset, query: str, *fields: str):
    config = getattr(settings, "SEARCH_CONFIG", "simple")
    vector = SearchVector(*fields, config=config)
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query).order_by("-rank", "pk"))
