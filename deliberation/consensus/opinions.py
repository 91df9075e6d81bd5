"""Latent opinion groups of a draft (PRODUCT.md §4), computed in a background job and stored."""

from django.db.models import Count
from django.utils import timezone

from definition.models import Draft, Membership
from definition.selectors import list_clauses
from deliberation.consensus.opinion import opinion_groups
from deliberation.models import OpinionAnalysis, Vote


def compute_opinion_groups(*, draft_id: int) -> OpinionAnalysis | None:
    """Run the analysis over the counted votes of a draft and store it (member ids, not names).

    Returns None when the draft is gone. Deterministic: the seed is the draft id."""
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is None:
        return None
    keys = [clause.key for clause in list_clauses(draft=draft)]
    votes = list(Vote.objects.filter(clause__draft=draft, membership__status="verified")
                 .values_list("voter_id", "clause__key", "position"))
    declared = dict(Membership.objects.filter(definition=draft.definition_id, status="verified")
                    .values_list("user_id", "group__slug"))
    result = opinion_groups(votes, clause_keys=keys, declared_groups=declared, seed=draft.pk)
    analysis, _ = OpinionAnalysis.objects.update_or_create(
        draft=draft, defaults={"result": result.as_dict(), "computed_at": timezone.now(),
                               "votes_seen": len(votes)})
    return analysis


def needs_opinion_update(draft: Draft) -> bool:
    """Whether the votes changed in number since the stored analysis (cheap periodic check)."""
    current = Vote.objects.filter(clause__draft=draft).aggregate(n=Count("id"))["n"]
    analysis = OpinionAnalysis.objects.filter(draft=draft).first()
    return analysis is None or analysis.votes_seen != current
