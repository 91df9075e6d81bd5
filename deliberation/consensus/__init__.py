"""Consensus mathematics of PRODUCT.md §4: pure functions, no Django."""

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
