"""Server-drawn SVG charts of consensus figures. Pure: no Django, strings in, SVG strings out.

Every chart scales with its container (a viewBox and width 100%), carries a `<title>` and an
`aria-label`, and writes its figures as text too, so it reads without colour and prints as drawn.
Callers pass translated labels; nothing here is language-specific.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

POSITIONS = ("support", "accept", "abstain", "oppose", "block")
POSITION_COLOURS = {
    "support": "#1b7a3a", "accept": "#7cc48a", "abstain": "#c4c8cc",
    "oppose": "#e8894a", "block": "#b3261e",
}
LEVEL_COLOURS = {
    "strong": "#1b7a3a", "rough": "#2e6b3f", "contested": "#b85c00", "opposed": "#b3261e",
    "blocked": "#7a1010", "insufficient": "#6b7280", "none": "#4b5563",
}
GROUP_COLOURS = ("#1d4ed8", "#b3261e", "#1b7a3a", "#8a4baf", "#b85c00", "#0f766e")


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


# Positions also differ by texture, not by colour alone: accept is striped one way, oppose the
# other, block cross-hatched (support and abstain are plain, dark and light). Every chart that
# draws positions carries the same small patterns.
POSITION_FILLS = {"support": POSITION_COLOURS["support"], "accept": "url(#pos-accept)",
                  "abstain": POSITION_COLOURS["abstain"], "oppose": "url(#pos-oppose)",
                  "block": "url(#pos-block)"}


def _position_patterns() -> str:
    def stripes(name, angle, colour, line, cross=False):
        extra = (f'<line x1="0" y1="0" x2="5" y2="0" stroke="{line}" stroke-width="1.6"/>'
                 if cross else "")
        return (f'<pattern id="pos-{name}" width="5" height="5" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate({angle})"><rect width="5" height="5" fill="{colour}"/>'
                f'<line x1="0" y1="0" x2="0" y2="5" stroke="{line}" stroke-width="1.6"/>{extra}'
                '</pattern>')
    return ("<defs>" + stripes("accept", 45, POSITION_COLOURS["accept"], "#1b7a3a")
            + stripes("oppose", -45, POSITION_COLOURS["oppose"], "#7a3410")
            + stripes("block", 45, POSITION_COLOURS["block"], "#ffffff", cross=True) + "</defs>")


def _svg(width: float, height: float, label: str, body: str, css_class: str) -> str:
    return (f'<svg class="{css_class}" viewBox="0 0 {width:g} {height:g}" role="img" '
            f'aria-label="{_attr(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'preserveAspectRatio="xMinYMin meet"><title>{escape(label)}</title>{body}</svg>')


def pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def approval_colour(value: float | None) -> str:
    """Red (0) through pale yellow (0.5) to green (1); light enough for dark text on top."""
    if value is None:
        return "#eceef0"
    stops = ((0.0, (240, 150, 140)), (0.5, (250, 236, 150)), (1.0, (120, 196, 130)))
    value = min(max(value, 0.0), 1.0)
    (x0, c0), (x1, c1) = (stops[0], stops[1]) if value <= 0.5 else (stops[1], stops[2])
    t = (value - x0) / (x1 - x0)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(c0, c1, strict=True))


# Stacked bars ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarRow:
    """One group's counts of a clause, with its label and smoothed approval."""

    label: str
    counts: Mapping[str, int]
    approval: float | None
    quorate: bool = True


def stacked_bars(rows: Sequence[BarRow], *, title: str, position_labels: Mapping[str, str],
                 empty_label: str) -> str:
    """One horizontal bar per group: support | accept | abstain | oppose | block, by count."""
    width, label_w, bar_w, row_h = 360, 110, 190, 18
    parts = []
    for index, row in enumerate(rows):
        y = index * row_h
        parts.append(f'<text x="0" y="{y + 13}" class="lbl">{escape(row.label)}</text>')
        parts.append(_bar(row, label_w, y + 2, bar_w, row_h - 5, position_labels, empty_label))
        if not sum(row.counts.get(p, 0) for p in POSITIONS):
            continue  # "no votes yet" is written in the bar, not "(50%)"
        figure = pct(row.approval) if row.quorate else f"({pct(row.approval)})"
        parts.append(f'<text x="{width}" y="{y + 13}" class="num" text-anchor="end">'
                     f'{escape(figure)}</text>')
    label = f"{title}. {_counts_in_words(rows, position_labels, empty_label)}"
    return _svg(width, max(len(rows), 1) * row_h, label, _position_patterns() + "".join(parts),
                "bars")


def _counts_in_words(rows: Sequence[BarRow], position_labels: Mapping[str, str],
                     empty_label: str) -> str:
    """The bars' numbers as text (their accessible name): per group, each position's count."""
    groups = []
    for row in rows:
        counts = [f"{position_labels.get(p, p)} {row.counts.get(p, 0)}" for p in POSITIONS
                  if row.counts.get(p, 0)]
        groups.append(f"{row.label}: {', '.join(counts) if counts else empty_label}")
    return "; ".join(groups)


def _bar(row: BarRow, x0: float, y: float, width: float, height: float,
         position_labels: Mapping[str, str], empty_label: str) -> str:
    total = sum(row.counts.get(p, 0) for p in POSITIONS)
    if not total:
        return (f'<rect x="{x0}" y="{y}" width="{width}" height="{height}" fill="#f3f4f6" '
                f'stroke="#6b7280"><title>{escape(row.label)}: {escape(empty_label)}</title>'
                f'</rect><text x="{x0 + 6}" y="{y + height - 3}" class="empty">'
                f'{escape(empty_label)}</text>')
    parts, x = [], x0
    for position in POSITIONS:
        n = row.counts.get(position, 0)
        if not n:
            continue
        w = width * n / total
        tip = f"{row.label}: {position_labels.get(position, position)} {n}"
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{height}" '
                     f'fill="{POSITION_FILLS[position]}" stroke="#fff" stroke-width="1" '
                     f'data-position="{position}">'
                     f'<title>{escape(tip)}</title></rect>')
        x += w
    return "".join(parts)


def legend(position_labels: Mapping[str, str]) -> str:
    """The colour key of the stacked bars."""
    parts, x = [], 0
    for position in POSITIONS:
        label = position_labels.get(position, position)
        parts.append(f'<rect x="{x}" y="3" width="12" height="12" '
                     f'fill="{POSITION_FILLS[position]}" stroke="#57606a" stroke-width=".5"/>'
                     f'<text x="{x + 16}" y="14" class="lbl">{escape(label)}</text>')
        x += 22 + 8 * len(label) if label.isascii() else 22 + 15 * len(label)
    return _svg(x, 18, " · ".join(position_labels.get(p, p) for p in POSITIONS),
                _position_patterns() + "".join(parts), "legend")


# Heat map ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatRow:
    """A clause of the heat map: its number, key and title, its level (code and label), its
    page, and per group slug (approval, quorate, decisive votes)."""

    number: str
    key: str
    level: str
    level_label: str
    href: str
    cells: Mapping[str, tuple]  # slug -> (approval, quorate[, decisive votes])
    title: str = ""  # what people read (heading or first words); the key when empty


def heat_map(rows: Sequence[HeatRow], groups: Sequence[tuple[str, str]], *, title: str,
             level_heading: str, no_votes: str = "–", below_quorum: str = "") -> str:
    """Clauses down, groups across; cell colour = smoothed approval; a level badge per clause.
    A group that is not quorate on a clause shows its figure in parentheses on a hatched cell
    (`below_quorum` in its tooltip), a group without votes `no_votes`. The chart is one image:
    it holds no links (the table that goes with it does)."""
    label_w, cell_w, badge_w, row_h, head_h = 150, 74, 96, 24, 34
    width = label_w + cell_w * len(groups) + badge_w + 8
    parts = [_hatch_pattern(), _heat_header(groups, label_w, cell_w, head_h, level_heading)]
    for index, row in enumerate(rows):
        parts.append(_heat_row(row, groups, head_h + index * row_h, (label_w, cell_w, badge_w,
                               row_h), (no_votes, below_quorum)))
    return _svg(width, head_h + row_h * max(len(rows), 1), title, "".join(parts), "heatmap")


def _hatch_pattern() -> str:
    return ('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#d1d5db" stroke-width="2"/>'
            '</pattern></defs>')


def _heat_header(groups, label_w, cell_w, head_h, level_heading) -> str:
    parts = []
    for index, (_, name) in enumerate(groups):
        x = label_w + index * cell_w + cell_w / 2
        parts.append(f'<text x="{x:g}" y="{head_h - 10}" class="head" text-anchor="middle">'
                     f'{escape(_short(name, 11))}</text>')
    x = label_w + len(groups) * cell_w + 6
    parts.append(f'<text x="{x}" y="{head_h - 10}" class="head">{escape(level_heading)}</text>')
    return "".join(parts)


def _short(text: str, limit: int) -> str:
    # Wide (CJK) characters take two columns; curly quotes and ellipses do not.
    wide = any(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    limit = max(limit // 2, 3) if wide else limit
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _heat_row(row: HeatRow, groups, y, sizes, words) -> str:
    label_w, cell_w, badge_w, row_h = sizes
    name_of_row = row.title or row.key
    parts = [f'<text x="0" y="{y + 16}" class="lbl"><title>{escape(row.number)} '
             f'{escape(name_of_row)}</title>{escape(row.number)} '
             f'{escape(_short(name_of_row, 21))}</text>']
    for index, (slug, name) in enumerate(groups):
        parts.append(_heat_cell(row, slug, name, label_w + index * cell_w, y, cell_w, row_h,
                                words))
    x = label_w + len(groups) * cell_w + 6
    colour = LEVEL_COLOURS.get(row.level, "#4b5563")
    parts.append(f'<rect x="{x}" y="{y + 3}" width="{badge_w}" height="{row_h - 6}" rx="9" '
                 f'fill="{colour}"/><text x="{x + badge_w / 2:g}" y="{y + 16}" class="badge" '
                 f'text-anchor="middle">{escape(row.level_label)}</text>')
    return "".join(parts)


def _heat_cell(row: HeatRow, slug, name, x, y, cell_w, row_h, words) -> str:
    no_votes, below_quorum = words
    approval, quorate, *rest = (*row.cells.get(slug, (None, False)), None)
    decisive = rest[0]
    if decisive == 0 or approval is None:
        fill, figure, tip = "#f3f4f6", no_votes, no_votes
    elif quorate:
        fill, figure, tip = approval_colour(approval), pct(approval), pct(approval)
    else:
        figure = f"({pct(approval)})"
        fill, tip = "url(#hatch)", f"{figure} {below_quorum}".strip()
    return (f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{row_h - 2}" '
            f'fill="{fill}" data-group="{_attr(slug)}"><title>{escape(row.title or row.key)} · '
            f'{escape(name)}: {escape(tip)}</title></rect>'
            f'<text x="{x + cell_w / 2:g}" y="{y + 16}" class="num" text-anchor="middle">'
            f'{escape(figure)}</text>')


# Sparkline ---------------------------------------------------------------------------------------




def trend_chart(versions: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
                title: str, y_label: str) -> str:
    """Lines of approval (0..1) across versions, one per series (the first drawn bold): a y axis
    with 0, 50 and 100%, the versions under the x axis, and each point's value written by it."""
    width, height, left, right, top, bottom = 420, 190, 44, 16, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(versions) - 1, 1)

    def y_of(value: float) -> float:
        return top + (1 - value) * plot_h

    parts = [f'<text x="10" y="{top + plot_h / 2:.0f}" class="lbl axis" text-anchor="middle" '
             f'transform="rotate(-90 10 {top + plot_h / 2:.0f})">{escape(y_label)}</text>']
    for tick in (0, 0.5, 1):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:g}" y2="{y:g}" '
                     f'class="{"axis-line" if tick == 0 else "grid"}"/>'
                     f'<text x="{left - 4}" y="{y + 3:g}" class="lbl" text-anchor="end">'
                     f'{pct(tick)}</text>')
    for index, version in enumerate(versions):
        parts.append(f'<text x="{left + index * step:.1f}" y="{height - bottom + 14}" class="lbl" '
                     f'text-anchor="middle">{escape(_short(version, 10))}</text>')
    for number, (name, values) in enumerate(series):
        parts.append(_trend_series(number, name, values, left, step, y_of))
    return _svg(width, height, title, "".join(parts), "trend")


def _trend_series(number: int, name: str, values, left: float, step: float, y_of) -> str:
    colour = "#1b1f24" if number == 0 else GROUP_COLOURS[(number - 1) % len(GROUP_COLOURS)]
    coords = [(left + i * step, y_of(v), v) for i, v in enumerate(values) if v is not None]
    parts = [f'<g class="series{" main" if number == 0 else ""}" data-series="{escape(name)}">']
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                     f'stroke-width="{2.5 if number == 0 else 1.5}"/>')
    for x, y, value in coords:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                     f'<title>{escape(name)}: {pct(value)}</title></circle>')
        if number == 0:
            parts.append(f'<text x="{x + 5:.1f}" y="{y - 5:.1f}" class="lbl val">{pct(value)}'
                         '</text>')
    return "".join(parts) + "</g>"


# Scatter -----------------------------------------------------------------------------------------


def scatter(points: Sequence[tuple[float, float, int, str, int]], *, title: str,
            group_labels: Mapping[int, str], axis_labels: tuple[str, str] = ("", "")) -> str:
    """The 2-D opinion map: one marker per cell of members (x, y, opinion group, tip, count),
    coloured and shaped by opinion group, its area growing with the count; the tip names the
    members when given (votes public). Both axes are drawn with their name and end values."""
    size, pad, margin = 320, 16, 34
    if not points:
        return _svg(size + margin, size + margin, title, "", "scatter")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)

    def place(value, low):
        return pad + (value - low) / span * (size - 2 * pad)

    parts = [f'<rect x="{margin + 0.5}" y="0.5" width="{size - 1}" height="{size - 1}" '
             'class="frame"/>']
    for x, y, group, tip, count in sorted(points, key=lambda p: -p[4]):  # small ones on top
        colour = GROUP_COLOURS[group % len(GROUP_COLOURS)]
        parts.append(_marker(margin + place(x, min(xs)), size - place(y, min(ys)), group, colour,
                             f"{tip} · {group_labels.get(group, group)}", count))
    parts.append(_scatter_axes(size, margin, (min(xs), min(xs) + span), (min(ys), min(ys) + span),
                               axis_labels))
    return _svg(size + margin, size + margin, title, "".join(parts), "scatter")


def _scatter_axes(size: int, margin: int, x_range, y_range, labels: tuple[str, str]) -> str:
    bottom, mid = size + 14, margin + size / 2
    return "".join([
        f'<text x="{margin + 2}" y="{bottom}" class="lbl">{x_range[0]:.1f}</text>',
        f'<text x="{margin + size - 2}" y="{bottom}" class="lbl" text-anchor="end">'
        f'{x_range[1]:.1f}</text>',
        f'<text x="{mid:.0f}" y="{size + 28}" class="lbl axis" text-anchor="middle">'
        f'{escape(labels[0])} →</text>',
        f'<text x="{margin - 4}" y="{size - 2}" class="lbl" text-anchor="end">'
        f'{y_range[0]:.1f}</text>',
        f'<text x="{margin - 4}" y="10" class="lbl" text-anchor="end">{y_range[1]:.1f}</text>',
        f'<text x="12" y="{size / 2:.0f}" class="lbl axis" text-anchor="middle" '
        f'transform="rotate(-90 12 {size / 2:.0f})">{escape(labels[1])} →</text>'])


def _marker(cx: float, cy: float, group: int, colour: str, tip: str, count: int = 1) -> str:
    """A circle (even groups) or square (odd), its area proportional to the members it holds."""
    title = f"<title>{escape(tip)}</title>"
    radius = min(4.5 * math.sqrt(count), 16.0)
    if group % 2:
        side = radius * 1.77  # the square of the circle's area
        return (f'<rect x="{cx - side / 2:.1f}" y="{cy - side / 2:.1f}" width="{side:.1f}" '
                f'height="{side:.1f}" fill="{colour}" fill-opacity=".7" data-group="{group}" '
                f'data-count="{count}">{title}</rect>')
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{colour}" '
            f'fill-opacity=".7" data-group="{group}" data-count="{count}">{title}</circle>')
