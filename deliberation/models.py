"""The app's models, defined per feature (votes/, discussion/, consensus/), gathered for Django."""

from deliberation.consensus.models import (
    ClauseChange,
    ClauseSummary,
    GroupSummary,
    Level,
    OpinionAnalysis,
    with_pending_changes,
)
from deliberation.discussion.models import (
    DISPOSITION_STATUSES,
    Appeal,
    Comment,
    CommentCount,
    CommentGrouping,
    CommentItemCount,
    Disposition,
    Endorsement,
    Flag,
)
from deliberation.votes.models import APPROVING, DISAPPROVING, Position, Vote

__all__ = [
    "APPROVING", "Appeal", "DISAPPROVING", "DISPOSITION_STATUSES", "ClauseChange",
    "ClauseSummary", "Comment", "CommentCount", "CommentGrouping", "CommentItemCount",
    "Disposition", "Endorsement", "Flag", "GroupSummary", "Level", "OpinionAnalysis", "Position",
    "Vote", "with_pending_changes",
]
