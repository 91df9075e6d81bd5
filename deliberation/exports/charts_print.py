"""Server-drawn SVG bars for print (PDF annexes). Pure: no Django.

The consensus annex lists clauses one per line; beside a block of lines sits ONE SVG with a strip
per line: the stakeholder groups side by side, each a small horizontal bar of its smoothed
approval p with the Wilson 95% interval as a whisker, and ticks at 0.5 and 2/3 (the approval the
`rough` and `strong` levels ask of every group). The SVG holds no text (the columns of the lines
name the groups in the same order), few nodes (one path per colour for all its strips) and few
path commands, because WeasyPrint lays out and draws every element, node and point one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

CELL = 26  # px per group, gap included
BAR = 22  # px of the full (p = 1) bar
LINE = 12  # px per strip: the line height of the annex's lines (9pt)
BAR_HEIGHT = 7
MARKS = (0.5, 2 / 3)
EMPTY = "#e8e8e8"


def _colour(approval: float, quorate: bool) -> str:
    if not quorate:
        return "#b8b8b8"
    if approval >= 2 / 3:
        return "#2e7d32"
    if approval >= 0.5:
        return "#9e9d24"
    return "#c62828"


def _x(column: int, value: float) -> float:
    return column * CELL + max(0.0, min(1.0, value)) * BAR


def strip_width(columns: int) -> int:
    return max(columns, 1) * CELL - (CELL - BAR)


def approval_strips(rows: Sequence[Sequence[dict | None]], *, columns: int,
                    skip: int = 0) -> str:
    """One SVG of LINE pixels per row (after `skip` blank lines, e.g. for a header): per row and
    column a group's figures (dicts: approval, wilson_low/high, quorate) or None for none.
    Each column is a grey lane the height of the rows, crossed by white lines at 0.5 and 2/3;
    bars are thick strokes (two points each), one path per colour."""
    width, height = strip_width(columns), (len(rows) + skip) * LINE
    top, bottom = skip * LINE + 1, height - 1
    bars: dict[str, list[str]] = {}
    whiskers = []
    for index, groups in enumerate(rows):
        mid = (index + skip) * LINE + LINE / 2
        for column, g in enumerate(groups):
            if g is None:
                continue
            colour = _colour(g["approval"], g["quorate"])
            bars.setdefault(colour, []).append(
                f"M{column * CELL} {mid:g}H{_x(column, g['approval']):.1f}")
            whiskers.append(f"M{_x(column, g['wilson_low']):.1f} {mid:g}"
                            f"H{_x(column, g['wilson_high']):.1f}")
    lanes = "".join(f"M{column * CELL + BAR / 2:g} {top}V{bottom}" for column in range(columns))
    marks = "".join(f"M{_x(column, v):.1f} {top}V{bottom}"
                    for column in range(columns) for v in MARKS)
    paths = "".join(f'<path d="{"".join(d)}" stroke="{colour}" stroke-width="{BAR_HEIGHT}"/>'
                    for colour, d in bars.items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">'
            f'<path d="{lanes}" stroke="{EMPTY}" stroke-width="{BAR}"/>{paths}'
            f'<path d="{marks}" stroke="#fff" stroke-width="0.8"/>'
            f'<path d="{"".join(whiskers) or "M0 0"}" stroke="#222" stroke-width="0.7"/></svg>')


def approval_bars(groups: Sequence[dict]) -> str:
    """A single strip: the groups given, side by side."""
    return approval_strips([list(groups)], columns=len(groups))
