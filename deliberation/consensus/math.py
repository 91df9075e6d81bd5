"""Consensus figures of a clause, exactly as PRODUCT.md §4 defines them.

Pure: stdlib and numpy only, no Django. One vectorised core (`_summarize_block`) serves both
`summarize_clause` and `summarize_many`, so a clause summarised alone and in a batch gets the same
figures bit for bit, and the periodic "recompute and compare" job never sees spurious drift.

Exact thresholds. Levels compare figures with thresholds such as 2/3 and 0.6. Every p_g is a
rational number, so B, min(p) and D are rational too; a figure that sits exactly on a threshold
(B = 3/5 for p = 3/5, 3/5, 3/5) must match it even though float summation may land one ulp below.
We therefore decide with floats only when the figure is clearly away from the threshold (more than
1e-9, a million times the float error) and otherwise redo the comparison in exact `Fraction`
arithmetic. A threshold setting is read as the simple fraction it denotes when its float is that
fraction's float (0.6 -> 3/5, 2/3 -> 2/3), else as the exact value of the float. F (a Wilson bound,
irrational) is always compared as a float. Single p_g values never need this: IEEE division is
correctly rounded, so (3+1)/(4+2) and 2/3 give the same double.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from operator import itemgetter

import numpy as np

POSITIONS = ("support", "accept", "abstain", "oppose", "block")
LEVELS = ("blocked", "insufficient", "strong", "rough", "contested", "opposed", "none")
Z95 = 1.959964

_POSITION_INDEX = {name: i for i, name in enumerate(POSITIONS)}
_NEAR = 1e-9


@dataclass(frozen=True)
class Thresholds:
    """Definition settings that turn figures into a level (defaults of PRODUCT.md §4)."""

    quorum: int = 5
    min_groups: int = 3
    strong_min_approval: float = 2 / 3
    strong_floor: float = 0.5
    rough_balanced: float = 0.6
    rough_min_approval: float = 0.5
    contested_divergence: float = 0.3
    opposed_balanced: float = 0.4

    @classmethod
    def from_settings(
        cls, *, quorum: int, min_groups: int, thresholds: Mapping[str, float]
    ) -> Thresholds:
        """Build from a definition's settings; unknown keys are ignored, missing ones default."""
        names = {f.name for f in fields(cls)} - {"quorum", "min_groups"}
        chosen = {key: float(value) for key, value in thresholds.items() if key in names}
        return cls(quorum=int(quorum), min_groups=int(min_groups), **chosen)


@dataclass(frozen=True)
class GroupCounts:
    """Current votes of one stakeholder group on one clause (one vote per member)."""

    group: str
    support: int = 0
    accept: int = 0
    abstain: int = 0
    oppose: int = 0
    block: int = 0
    verified_members: int = 0


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """Per-group figures of a clause; keys of `as_dict` follow PRODUCT.md §5.1."""

    group: str
    support: int
    accept: int
    abstain: int
    oppose: int
    block: int
    decisive: int
    approval: float
    wilson_low: float
    wilson_high: float
    quorate: bool
    participation: float | None

    def as_dict(self) -> dict:
        """JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class ClauseFigures:
    """Every figure of §4 for one clause, groups sorted by slug."""

    level: str
    balanced_approval: float | None
    pooled_approval: float | None
    bridging: float | None
    floor: float | None
    weakest_group: str | None
    divergence: float | None
    enthusiasm: float
    sustained_blocks: int
    open_objections: int
    quorate_groups: int
    groups: tuple[GroupFigures, ...]

    def as_dict(self) -> dict:
        """JSON-ready dict with the keys of a §5.1 clause summary (minus key and timestamps)."""
        data = {name: getattr(self, name) for name in _SUMMARY_KEYS}
        data["groups"] = [group.as_dict() for group in self.groups]
        return data


_SUMMARY_KEYS = (
    "level",
    "balanced_approval",
    "pooled_approval",
    "bridging",
    "floor",
    "weakest_group",
    "divergence",
    "enthusiasm",
    "sustained_blocks",
    "open_objections",
)


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of successes/n, clamped to [0, 1]; (0.0, 1.0) when n == 0."""
    if n < 0 or not 0 <= successes <= max(n, 0):
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    low, high = _wilson(np.array([successes]), np.array([n]), z)
    return float(low[0]), float(high[0])


def smoothed_approval(approving: int, decisive: int) -> float:
    """Laplace-smoothed approval p = (y + 1) / (n + 2), as in Pol.is."""
    if not 0 <= approving <= decisive:
        raise ValueError(f"need 0 <= approving <= decisive, got {approving}/{decisive}")
    return (approving + 1) / (decisive + 2)


def summarize_clause(
    groups: Sequence[GroupCounts],
    *,
    sustained_blocks: int = 0,
    open_objections: int = 0,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so a shared default is safe
) -> ClauseFigures:
    """Summarise one clause from its per-group counts (order of `groups` does not matter)."""
    ordered = sorted(groups, key=lambda g: g.group)
    slugs = [g.group for g in ordered]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"duplicate group slugs in {slugs}")
    counts = np.array(
        [[[g.support, g.accept, g.abstain, g.oppose, g.block] for g in ordered]], dtype=np.int64
    ).reshape(1, len(ordered), len(POSITIONS))
    verified = np.array([[g.verified_members for g in ordered]], dtype=np.int64).reshape(1, -1)
    blocks = np.array([sustained_blocks], dtype=np.int64)
    objections = np.array([open_objections], dtype=np.int64)
    return _summarize_block(counts, verified, slugs, blocks, objections, thresholds)[0]


def summarize_many(
    rows: Iterable[tuple[Hashable, str, str, int]],
    *,
    groups: Iterable[str] = (),
    clauses: Iterable[Hashable] = (),
    verified_members: Mapping[str, int] | None = None,
    sustained_blocks: Mapping[Hashable, int] | None = None,
    open_objections: Mapping[Hashable, int] | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so a shared default is safe
) -> dict[Hashable, ClauseFigures]:
    """Summarise many clauses at once from the rows of a SQL `GROUP BY clause, group, position`.

    `rows` are `(clause_id, group_slug, position, count)`; repeated keys add up. `groups` lists
    every group to show (also those without votes) and `clauses` every clause to summarise (also
    those without votes). `verified_members` maps group slug -> verified members (for
    participation), the two other mappings clause_id -> count. Returns clause_id -> figures, in
    order of first appearance (`clauses`, `rows`, then the two mappings); every clause lists the
    same groups, so each result equals `summarize_clause` given those groups.
    """
    rows = rows if isinstance(rows, list | tuple) else list(rows)
    clause_ids, group_slugs, positions, amounts = (list(map(itemgetter(i), rows)) for i in range(4))
    named = [*clauses, *clause_ids, *(sustained_blocks or {}), *(open_objections or {})]
    clause_index = {c: i for i, c in enumerate(dict.fromkeys(named))}
    slugs = sorted(set(groups) | set(group_slugs))
    group_index = {slug: i for i, slug in enumerate(slugs)}
    counts = _tally((clause_ids, group_slugs, positions, amounts), clause_index, group_index)
    members = verified_members or {}
    verified = np.tile(np.array([members.get(s, 0) for s in slugs], np.int64), (len(counts), 1))
    blocks = _per_clause(sustained_blocks, clause_index)
    objections = _per_clause(open_objections, clause_index)
    figures = _summarize_block(counts, verified, slugs, blocks, objections, thresholds)
    return dict(zip(clause_index, figures, strict=True))


def _tally(columns, clause_index, group_index) -> np.ndarray:
    """Counts shaped (clauses, groups, positions) from row columns, summing repeated rows."""
    clause_ids, group_slugs, positions, amounts = columns
    shape = (len(clause_index), len(group_index), len(POSITIONS))
    size = len(amounts)
    clause_at = np.fromiter(map(clause_index.__getitem__, clause_ids), np.int64, size)
    group_at = np.fromiter(map(group_index.__getitem__, group_slugs), np.int64, size)
    try:
        position_at = np.fromiter(map(_POSITION_INDEX.__getitem__, positions), np.int64, size)
    except KeyError as error:
        raise ValueError(f"unknown position {error}; expected one of {POSITIONS}") from None
    weights = np.asarray(amounts, dtype=np.int64)
    if (weights < 0).any():
        raise ValueError("vote counts must be >= 0")
    flat = (clause_at * len(group_index) + group_at) * len(POSITIONS) + position_at
    # bincount sums in float64, exact for any count below 2**53.
    tally = np.bincount(flat, weights=weights, minlength=math.prod(shape))
    return tally.astype(np.int64).reshape(shape)


def _per_clause(values: Mapping[Hashable, int] | None, index: Mapping[Hashable, int]) -> np.ndarray:
    out = np.zeros(len(index), dtype=np.int64)
    for clause, value in (values or {}).items():
        out[index[clause]] = value
    return out


def _wilson(y: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Wilson bounds of y/n; [0, 1] where n == 0 (then y == 0 == n)."""
    n_f = np.where(n > 0, n, 1).astype(float)
    phat = y / n_f
    z2 = z * z
    denom = 1.0 + z2 / n_f
    centre = (phat + z2 / (2.0 * n_f)) / denom
    half = z * np.sqrt(phat * (1.0 - phat) / n_f + z2 / (4.0 * n_f * n_f)) / denom
    # At y = 0 and y = n the bounds are exactly 0 and 1; float rounding would miss by an ulp.
    low = np.where(y == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(y == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def _validate(counts: np.ndarray, verified: np.ndarray, *extra: np.ndarray) -> None:
    if (counts < 0).any() or (verified < 0).any() or any((e < 0).any() for e in extra):
        raise ValueError("vote counts, members, blocks and objections must be >= 0")


def _summarize_block(
    counts: np.ndarray,
    verified: np.ndarray,
    slugs: Sequence[str],
    blocks: np.ndarray,
    objections: np.ndarray,
    th: Thresholds,
) -> list[ClauseFigures]:
    """Figures of C clauses from counts shaped (C, groups, 5) with groups sorted by slug."""
    _validate(counts, verified, blocks, objections)
    approving = counts[..., 0] + counts[..., 1]
    decisive = approving + counts[..., 3] + counts[..., 4]
    p = (approving + 1) / (decisive + 2)
    low, high = _wilson(approving, decisive)
    quorate = decisive >= th.quorum
    over = _over_quorate(p, low, quorate)
    pooled = _ratio(approving.sum(axis=1), decisive.sum(axis=1))
    support, accept = counts[..., 0].sum(axis=1), counts[..., 1].sum(axis=1)
    enthusiasm = np.nan_to_num(_ratio(support, support + accept), nan=0.0)
    participation = _ratio(counts.sum(axis=2), verified)
    groups = _group_figures(counts, decisive, p, low, high, quorate, participation, slugs)
    levels = _levels(over, blocks, approving, decisive, quorate, th)
    weakest = [slugs[i] if i >= 0 else None for i in over["weakest"].tolist()]
    columns = zip(
        levels,
        *(_nullable(over[name]) for name in ("B", "C", "F", "D")),
        _nullable(pooled),
        weakest,
        enthusiasm.tolist(),
        blocks.tolist(),
        objections.tolist(),
        over["G"].tolist(),
        groups,
        strict=True,
    )
    return [
        ClauseFigures(lvl, b, pool, c, f, weak, d, e, s, o, g, grp)
        for lvl, b, c, f, d, pool, weak, e, s, o, g, grp in columns
    ]


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom with NaN where bottom == 0 (NaN later becomes None)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)


def _nullable(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def _over_quorate(p: np.ndarray, low: np.ndarray, quorate: np.ndarray) -> dict[str, np.ndarray]:
    """B, C, F, D, G, min p and the weakest group's index over the quorate groups of each clause."""
    count = quorate.sum(axis=1)
    sum_p = np.zeros(len(p))
    sum_log = np.zeros(len(p))
    # Column by column, left to right: a non-quorate group then adds an exact 0.0, so adding one
    # never moves B or C by even an ulp (numpy's pairwise sum would regroup the terms).
    for j in range(p.shape[1]):
        sum_p += np.where(quorate[:, j], p[:, j], 0.0)
        sum_log += np.where(quorate[:, j], np.log(p[:, j]), 0.0)
    some = count > 0
    divisor = np.maximum(count, 1)
    p_min = np.where(quorate, p, np.inf).min(axis=1, initial=np.inf)
    p_max = np.where(quorate, p, -np.inf).max(axis=1, initial=-np.inf)
    floor = np.where(quorate, low, np.inf).min(axis=1, initial=np.inf)
    return {
        "G": count,
        "B": np.where(some, sum_p / divisor, np.nan),
        "C": np.where(some, np.exp(sum_log / divisor), np.nan),
        "F": np.where(some, floor, np.nan),
        "D": np.where(some, p_max - np.where(some, p_min, 0.0), np.nan),
        "p_min": np.where(some, p_min, np.nan),
        "weakest": _weakest(p, low, quorate, floor),
    }


def _weakest(p: np.ndarray, low: np.ndarray, quorate: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Index of the quorate group with the lowest L (ties: lower p, then slug); -1 if none."""
    tied = quorate & (low == floor[:, None])
    lowest_p = np.where(tied, p, np.inf).min(axis=1, initial=np.inf)
    tied &= p == lowest_p[:, None]
    if tied.shape[1] == 0:
        return np.full(len(tied), -1)
    # Groups are sorted by slug, so the first tied column is the lowest slug.
    return np.where(tied.any(axis=1), tied.argmax(axis=1), -1)


def _group_figures(counts, decisive, p, low, high, quorate, participation, slugs):
    """Per clause, the tuple of GroupFigures (Python scalars, so they serialise as JSON)."""
    rows = zip(
        counts.tolist(),
        decisive.tolist(),
        p.tolist(),
        low.tolist(),
        high.tolist(),
        quorate.tolist(),
        participation.tolist(),
        strict=True,
    )
    return [
        tuple(
            GroupFigures(slug, *c, n, pg, lo, hi, q, None if math.isnan(part) else part)
            for slug, c, n, pg, lo, hi, q, part in zip(slugs, *row, strict=True)
        )
        for row in rows
    ]


def _levels(over, blocks, approving, decisive, quorate, th: Thresholds) -> list[str]:
    """Level of each clause: fast float comparisons, exact ones for figures near a threshold."""
    cuts = _exact_cuts(th)
    near = _near_threshold(over, th)
    values = zip(
        blocks.tolist(),
        over["G"].tolist(),
        over["p_min"].tolist(),
        over["B"].tolist(),
        over["F"].tolist(),
        over["D"].tolist(),
        near.tolist(),
        strict=True,
    )
    levels = []
    for i, (blocked, count, p_min, balanced, floor, spread, is_near) in enumerate(values):
        if is_near:
            p_min, balanced, spread = _exact_figures(approving[i], decisive[i], quorate[i])
            levels.append(_decide(blocked, count, p_min, balanced, floor, spread, th, cuts))
        else:
            levels.append(_decide(blocked, count, p_min, balanced, floor, spread, th, th))
    return levels


def _decide(blocked, count, p_min, balanced, floor, spread, th: Thresholds, cut) -> str:
    """The first rule of PRODUCT.md §4 that matches; `cut` holds the threshold values."""
    if blocked > 0:
        return "blocked"
    if count == 0 or count < th.min_groups:
        return "insufficient"
    if p_min >= cut.strong_min_approval and floor >= cut.strong_floor:
        return "strong"
    if balanced >= cut.rough_balanced and p_min >= cut.rough_min_approval:
        return "rough"
    if spread >= cut.contested_divergence:
        return "contested"
    if balanced < cut.opposed_balanced:
        return "opposed"
    return "none"


@dataclass(frozen=True)
class _Cuts:
    strong_min_approval: Fraction
    strong_floor: Fraction
    rough_balanced: Fraction
    rough_min_approval: Fraction
    contested_divergence: Fraction
    opposed_balanced: Fraction


def _exact_cuts(th: Thresholds) -> _Cuts:
    return _Cuts(**{f.name: _as_fraction(getattr(th, f.name)) for f in fields(_Cuts)})


def _as_fraction(value: float) -> Fraction:
    """The simple fraction a threshold denotes (0.6 -> 3/5), else the float's exact value."""
    exact = Fraction(value)
    simple = exact.limit_denominator(10**6)
    return simple if float(simple) == value else exact


def _near_threshold(over: dict[str, np.ndarray], th: Thresholds) -> np.ndarray:
    checks = (
        ("p_min", th.strong_min_approval),
        ("p_min", th.rough_min_approval),
        ("B", th.rough_balanced),
        ("B", th.opposed_balanced),
        ("D", th.contested_divergence),
    )
    near = np.zeros(len(over["G"]), dtype=bool)
    for name, cut in checks:
        near |= np.abs(np.nan_to_num(over[name], nan=np.inf) - cut) <= _NEAR
    return near


def _exact_figures(approving, decisive, quorate) -> tuple[Fraction, Fraction, Fraction]:
    """min p, B and D over the quorate groups of one clause, as exact fractions."""
    ps = [
        Fraction(int(y) + 1, int(n) + 2)
        for y, n, q in zip(approving, decisive, quorate, strict=True)
        if q
    ]
    return min(ps), sum(ps, Fraction(0)) / len(ps), max(ps) - min(ps)
