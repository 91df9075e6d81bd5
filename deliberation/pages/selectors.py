"""Reads that only the web pages need, each in a fixed number of queries whatever the data size.

Consensus figures are never computed here: they come from the stored summaries through
`consensus_selectors.get_draft_consensus` / `get_clause_consensus`.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Max, Q

from core.conditional import etag_of
from definition.models import Clause, Definition, Draft, Membership
from definition.selectors import get_live_membership, list_clauses, list_drafts
from deliberation.consensus import selectors as consensus_selectors
from deliberation.discussion.selectors import attach_replies, list_threads
from deliberation.models import Comment, Disposition, OpinionAnalysis, Vote
from deliberation.pages.paging import LIST_PAGE_SIZE, page_of_list
from deliberation.votes.selectors import list_ballot

SEARCH_LIMIT = 50
PROFILE_LIMIT = 200


def get_my_votes(*, user, draft: Draft, clause_ids: list[int] | None = None) -> dict[int, Vote]:
    """The viewer's current votes on the draft's clauses (or on `clause_ids`), by clause id."""
    if not user.is_authenticated:
        return {}
    votes = Vote.objects.filter(clause__draft=draft, voter=user)
    if clause_ids is not None:
        votes = votes.filter(clause_id__in=clause_ids)
    return {vote.clause_id: vote for vote in votes}


def get_my_vote(*, user, clause: Clause) -> Vote | None:
    if not user.is_authenticated:
        return None
    return Vote.objects.filter(clause=clause, voter=user).first()


def get_comment_counts(*, draft: Draft, clause_ids: list[int] | None = None) -> dict[int, int]:
    """Visible comments per clause id (replies included, hidden ones not)."""
    comments = Comment.objects.filter(hidden=False)
    if clause_ids is None:
        comments = comments.filter(clause__draft=draft)
    else:  # the clauses' own ids: no join, an index-only count (`comment_visible_clause`)
        comments = comments.filter(clause_id__in=clause_ids)
    return dict(comments.values_list("clause_id").annotate(n=Count("*")).order_by())


def list_group_names(definition: Definition) -> list[tuple[str, str]]:
    return list(definition.groups.values_list("slug", "name"))


def get_reader_rows(*, draft: Draft, user, clauses: list[Clause] | None = None) -> dict:
    """Everything the reader shows: every clause in order (or the given page of them) with its
    stored summary, the viewer's vote and its comment count, plus the viewer's membership and
    the group names."""
    whole = clauses is None
    clauses = list_clauses(draft=draft) if whole else clauses
    consensus = consensus_selectors.get_draft_consensus(draft=draft,
                                                        clauses=None if whole else clauses)
    summaries = {row["key"]: row for row in consensus["clauses"]}
    scope = None if whole else [c.pk for c in clauses]
    votes = get_my_votes(user=user, draft=draft, clause_ids=scope)
    counts = get_comment_counts(draft=draft, clause_ids=scope)
    sections_votable = draft.definition.sections_votable
    rows = [{"clause": clause, "summary": summaries[clause.key], "vote": votes.get(clause.pk),
             "comments": counts.get(clause.pk, 0),
             "section": clause.is_section and not sections_votable} for clause in clauses]
    return {"rows": rows, "consensus": consensus, "groups": list_group_names(draft.definition),
            **get_memberships(user=user, definition=draft.definition)}


def get_memberships(*, user, definition: Definition) -> dict:
    """`applied`: the viewer's live membership (pending too, for the tabs and hints);
    `membership`: the same if verified (who may vote), else None. One query."""
    applied = get_live_membership(user=user, definition=definition)
    verified = applied if applied and applied.status == Membership.Status.VERIFIED else None
    return {"applied": applied, "membership": verified}


def reader_etag(request, *, draft: Draft, page) -> str:
    """What a closed draft's reader page shows that can still change: the stored figures (a late
    recompute), the visible comments of the page (moderation), the definition's membership
    version (the viewer's group line); plus the viewer, language and page (`etag_of`)."""
    ids = [c.pk for c in page.items]
    freshness = consensus_selectors.draft_freshness(draft=draft)
    comments = Comment.objects.filter(clause_id__in=ids, hidden=False).aggregate(
        n=Count("id"), last=Max("id"))
    return etag_of(request, "reader", draft.pk, draft.status, draft.definition.membership_version,
                   page.number, freshness["computed_at"], freshness["stale"], comments["n"],
                   comments["last"])


def ballot_page(*, actor, clause: Clause, number: str) -> dict:
    """One page of a clause's ballot (`?ballot=`), in a fixed two queries however many voted."""
    votes = list_ballot(actor=actor, clause=clause).order_by("updated_at", "id")
    count = votes.count()
    page, offset, pages = page_of_list(count, number)
    return {"votes": list(votes[offset:offset + LIST_PAGE_SIZE]), "count": count, "page": page,
            "pages": pages, "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < pages else None}


def thread_page(*, clause: Clause, number: str) -> dict:
    """One page of a clause's threads (`?threads=`) with their replies, in three queries."""
    threads = list_threads(clause=clause)
    count = threads.count()
    page, offset, pages = page_of_list(count, number)
    return {"threads": attach_replies(clause=clause,
                                      threads=threads[offset:offset + LIST_PAGE_SIZE]),
            "count": count, "page": page, "pages": pages,
            "previous": page - 1 if page > 1 else None, "next": page + 1 if page < pages else None}


def get_clause_summary(*, clause: Clause) -> dict:
    """One clause's stored summary (the vote block after a vote)."""
    return consensus_selectors.get_clause_consensus(clause=clause, trend=False)


def list_live_drafts(*, definition: Definition, viewer) -> list[Draft]:
    return list(list_drafts(definition=definition, viewer=viewer))


def get_current_of(drafts: list[Draft]) -> Draft | None:
    """As `definition.selectors.get_current_draft`, over drafts already read."""
    for status in (Draft.Status.OPEN, Draft.Status.FINAL, Draft.Status.CLOSED):
        matching = [d for d in drafts if d.status == status]
        if matching:
            return matching[-1]
    return None


def list_top_level_comments(*, draft: Draft, status: str = ""):
    """The comments that take a disposition: top-level ones, in reading order of their clause;
    `status` keeps those with that disposition ("none": those without one)."""
    comments = (Comment.objects.filter(clause__draft=draft, parent=None)
                .select_related("author", "clause", "disposition__addressed_in")
                .order_by("clause__position", "clause_id", "created_at", "id"))
    if status == "none":
        return comments.filter(disposition__isnull=True)
    if status in Disposition.Status.values:
        return comments.filter(disposition__status=status)
    return comments


def get_opinion_analysis(*, draft: Draft, viewer) -> dict | None:
    analysis = OpinionAnalysis.objects.filter(draft=draft).first()
    if analysis is None:
        return None
    analysis.draft = draft
    return {"computed_at": analysis.computed_at,
            **consensus_selectors.get_opinion_result(analysis, viewer=viewer)}


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
