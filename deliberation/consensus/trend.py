"""A clause's consensus across drafts (PRODUCT.md §4, last paragraph). Pure: no Django."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass

from deliberation.consensus.math import POSITIONS, ClauseFigures

_APPROVING = frozenset({"support", "accept"})
_DISAPPROVING = frozenset({"oppose", "block"})
_HEADLINE = ("balanced_approval", "bridging", "floor")


@dataclass(frozen=True)
class TrendPoint:
    """One draft's figures for a clause key, with the change since the previous draft."""

    version: str
    balanced_approval: float | None
    bridging: float | None
    floor: float | None
    level: str
    text_changed: bool
    delta_balanced: float | None
    delta_bridging: float | None
    delta_floor: float | None

    def as_dict(self) -> dict:
        """JSON-ready dict."""
        return asdict(self)


def build_trend(
    points: Sequence[tuple[str, ClauseFigures | Mapping, bool]],
) -> list[TrendPoint]:
    """Trend of one clause key over drafts given oldest first as (version, figures, text_changed).

    `figures` is a `ClauseFigures` or its stored `as_dict()`. A delta is current minus previous
    draft, None for the first draft or when either side is None (no quorate group).
    """
    trend: list[TrendPoint] = []
    previous: dict | None = None
    for version, figures, text_changed in points:
        current = _headline(figures)
        deltas = {name: _delta(current, previous, name) for name in _HEADLINE}
        trend.append(
            TrendPoint(
                version=version,
                level=current["level"],
                text_changed=bool(text_changed),
                **{name: current[name] for name in _HEADLINE},
                delta_balanced=deltas["balanced_approval"],
                delta_bridging=deltas["bridging"],
                delta_floor=deltas["floor"],
            )
        )
        previous = current
    return trend


def _headline(figures: ClauseFigures | Mapping) -> dict:
    if isinstance(figures, ClauseFigures):
        figures = figures.as_dict()
    return {name: figures[name] for name in (*_HEADLINE, "level")}


def _delta(current: dict, previous: dict | None, name: str) -> float | None:
    if previous is None or current[name] is None or previous[name] is None:
        return None
    return current[name] - previous[name]


def movement(
    prev_positions: Mapping[Hashable, tuple[str, str]],
    curr_positions: Mapping[Hashable, tuple[str, str]],
) -> dict[str, dict[str, int]]:
    """Per group, how voters who voted on both drafts moved between approving and disapproving.

    Both mappings are voter -> (group, position). Only voters present in both count, under the
    group recorded on their current vote. `to_approving` counts oppose/block -> support/accept,
    `to_disapproving` the reverse; moves from or to abstain (neither side) count in
    `both_versions` only.
    """
    result: dict[str, dict[str, int]] = {}
    for voter, (group, position) in curr_positions.items():
        if voter not in prev_positions:
            continue
        before = prev_positions[voter][1]
        _check(before)
        _check(position)
        tally = result.setdefault(
            group, {"to_approving": 0, "to_disapproving": 0, "both_versions": 0}
        )
        tally["both_versions"] += 1
        tally["to_approving"] += before in _DISAPPROVING and position in _APPROVING
        tally["to_disapproving"] += before in _APPROVING and position in _DISAPPROVING
    return dict(sorted(result.items()))


def _check(position: str) -> None:
    if position not in POSITIONS:
        raise ValueError(f"unknown position {position!r}; expected one of {POSITIONS}")
