"""Re-voting help on a new draft (reads only): which clauses are new, changed or unchanged since
the draft it was based on, the viewer's position there, their progress and what is still to vote.

A clause's predecessor is the clause of the previous draft with the same key, else the first key
it declares in `derived_from` (renames, splits), as in `consensus.selectors._lineage`.
"""

from django.db.models import Exists, OuterRef

from definition.models import Clause, Draft, Membership
from deliberation.models import Vote

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
TO_VOTE_LIMIT = 100


def previous_draft(draft: Draft) -> Draft | None:
    """The published draft this one was based on, if any."""
    base = draft.based_on
    if base is None or base.status == Draft.Status.EDITING:
        return None
    return base


def votable(clause: Clause) -> bool:
    """Sections (a heading without body) are not voted on."""
    return bool(clause.body)


def _predecessors(clauses: list[Clause], old: list[Clause]) -> dict[int, Clause]:
    by_key = {c.key: c for c in old}
    found = {}
    for clause in clauses:
        keys = [clause.key, *(clause.derived_from or [])]
        previous = next((by_key[k] for k in keys if k in by_key), None)
        if previous is not None:
            found[clause.pk] = previous
    return found


def _status(clause: Clause, previous: Clause | None) -> str:
    if previous is None:
        return NEW
    same = (previous.heading, previous.body) == (clause.heading, clause.body)
    return UNCHANGED if same else CHANGED


def list_revote_marks(*, draft: Draft, clauses: list[Clause], user) -> dict[int, dict]:
    """Per clause id of `draft`: `status` (new, changed, unchanged), `since` (the previous
    version), `previous` (the clause there) and `previous_vote` (the viewer's current vote on it).
    Empty when the draft was not based on a published draft. Two queries at most."""
    base = previous_draft(draft)
    if base is None:
        return {}
    old = list(Clause.objects.filter(draft=base).only("id", "key", "heading", "body"))
    previous_of = _predecessors(clauses, old)
    old_votes = {}
    if getattr(user, "is_authenticated", False):
        old_votes = {v.clause_id: v for v in Vote.objects.filter(clause__draft=base, voter=user)}
    marks = {}
    for clause in clauses:
        previous = previous_of.get(clause.pk)
        marks[clause.pk] = {"status": _status(clause, previous), "since": base.version,
                            "previous": previous,
                            "previous_vote": old_votes.get(previous.pk) if previous else None}
    return marks


def revote_help(*, draft: Draft, rows: list[dict], user, clauses: list | None = None) -> dict:
    """Give each reader row its `revote` mark and sum up the viewer's progress over the whole
    draft (`clauses`, when the rows are one page of it): `progress` (voted, votable, still to
    vote, how many unchanged positions can be carried forward)."""
    clauses = [row["clause"] for row in rows] if clauses is None else clauses
    marks = list_revote_marks(draft=draft, clauses=clauses, user=user)
    for row in rows:
        row["revote"] = marks.get(row["clause"].pk)
    voted = set()
    if getattr(user, "is_authenticated", False):
        voted = set(Vote.objects.filter(clause__draft=draft, voter=user)
                    .values_list("clause_id", flat=True))
    ballot = [clause for clause in clauses if votable(clause)]
    to_vote = [clause for clause in ballot if clause.pk not in voted]
    carriable = [clause for clause in to_vote if marks.get(clause.pk)
                 and marks[clause.pk]["status"] == UNCHANGED and marks[clause.pk]["previous_vote"]]
    base = previous_draft(draft)
    return {"progress": {"voted": len(ballot) - len(to_vote), "votable": len(ballot),
                         "to_vote": to_vote, "carriable": len(carriable),
                         "since": base.version if base else None}}


def list_still_to_vote(*, user) -> list[dict]:
    """Per open draft where the user is a verified member: the clauses they have not voted on
    yet (at most TO_VOTE_LIMIT each), with counts. Two queries whatever the data size."""
    if not getattr(user, "is_authenticated", False):
        return []
    definitions = Membership.objects.filter(user=user, status=Membership.Status.VERIFIED).values(
        "definition_id")
    drafts = list(Draft.objects.filter(status=Draft.Status.OPEN, definition__in=definitions)
                  .select_related("definition").order_by("closes_at", "pk"))
    if not drafts:
        return []
    mine = Vote.objects.filter(clause=OuterRef("pk"), voter=user)
    clauses = (Clause.objects.filter(draft__in=drafts).exclude(body="")
               .annotate(voted=Exists(mine)).only("id", "key", "heading", "body", "draft_id",
                                                  "position").order_by("draft_id", "position",
                                                                       "id"))
    by_draft = {d.pk: {"draft": d, "voted": 0, "votable": 0, "to_vote": []} for d in drafts}
    for clause in clauses:
        entry = by_draft[clause.draft_id]
        entry["votable"] += 1
        if clause.voted:
            entry["voted"] += 1
        elif len(entry["to_vote"]) < TO_VOTE_LIMIT:
            entry["to_vote"].append(clause)
    return [entry for entry in by_draft.values() if entry["voted"] < entry["votable"]]
