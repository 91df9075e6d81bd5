"""Consensus: what PRODUCT.md §4 computes and how it is kept fresh.

`math`, `opinion` and `trend` are pure (numpy and scikit-learn only, no Django): the figures,
levels, opinion groups and trends from plain counts, re-exported here. `models` stores the
summaries and the pending changes; `recompute` counts votes in SQL and stores the figures;
`opinions` stores the opinion-group analysis; `selectors` reads summaries for pages and the API;
`services` queues a facilitator's recompute; `api` serves it. The Django modules may import core,
definition and deliberation's votes and discussion models; the pure ones import nothing of Concord.
"""

from deliberation.consensus.math import (
    LEVELS,
    POSITIONS,
    Z95,
    ClauseFigures,
    GroupCounts,
    GroupFigures,
    Thresholds,
    smoothed_approval,
    summarize_clause,
    summarize_many,
    wilson_interval,
)

__all__ = [
    "LEVELS",
    "POSITIONS",
    "Z95",
    "ClauseFigures",
    "GroupCounts",
    "GroupFigures",
    "Thresholds",
    "smoothed_approval",
    "summarize_clause",
    "summarize_many",
    "wilson_interval",
]
