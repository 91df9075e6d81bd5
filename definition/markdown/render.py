"""Render clauses back to Markdown that re-imports as the same clauses and keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from definition.markdown.parse import (
    ClauseLike,
    ParsedClause,
    clause_field,
    parse_markdown,
)


def as_clause(clause: ClauseLike, index: int = 0) -> ParsedClause:
    heading = clause_field(clause, "heading", "") or ""
    body = clause_field(clause, "body", "") or ""
    kind = clause_field(clause, "kind", None) or ("section" if heading else "paragraph")
    position = clause_field(clause, "position", None)
    return ParsedClause(
        key=clause_field(clause, "key"),
        heading=heading,
        body=body,
        parent_key=clause_field(clause, "parent_key", None),
        position=index if position is None else position,
        kind=kind,
    )


def _tree_order(clauses: list[ParsedClause]) -> list[tuple[ParsedClause, int]]:
    """Pre-order (clause, depth) by position; a parent that is absent makes a top-level clause."""
    keys = {clause.key for clause in clauses}
    children: dict[str | None, list[ParsedClause]] = defaultdict(list)
    for clause in clauses:
        children[clause.parent_key if clause.parent_key in keys else None].append(clause)
    ordered: list[tuple[ParsedClause, int]] = []

    def visit(parent: str | None, depth: int) -> None:
        for child in sorted(children[parent], key=lambda c: c.position):
            ordered.append((child, depth))
            visit(child.key, depth + 1)

    visit(None, 0)
    return ordered


def _emit(
    ordered: list[tuple[ParsedClause, int]], marked: set[str], title: str, version: str
) -> str:
    parts = [f"# {title}"] if title else []
    if version:
        parts.append(f"#### version {version}")
    for clause, depth in ordered:
        explicit = clause.key in marked
        if clause.kind == "section":
            suffix = f" {{#{clause.key}}}" if explicit else ""
            parts.append(f"{'#' * min(depth + 2, 6)} {clause.heading}{suffix}")
            if clause.body:
                parts.append(clause.body)
        else:
            marker = f"<!-- clause: {clause.key} -->\n" if explicit else ""
            parts.append(marker + clause.body)
    return "\n\n".join(parts) + "\n"


def render_markdown(clauses: Sequence[ClauseLike], *, title: str = "", version: str = "") -> str:
    """Write clauses back as Markdown that ``parse_markdown`` turns into the same clauses.

    Headings get depth + 2 (H2 for top-level sections). A clause whose key the parser would not
    derive by itself gets an explicit key marker, so renamed keys survive a round trip.
    """
    ordered = _tree_order([as_clause(c, i) for i, c in enumerate(clauses)])
    marked: set[str] = set()
    text = _emit(ordered, marked, title, version)
    # Each pass marks the clauses whose derived key differs; reserving their keys can shift a
    # later clause's dedupe suffix, hence the loop (almost always one or two passes).
    for _ in range(len(ordered) + 1):
        parsed = parse_markdown(text).clauses
        if len(parsed) != len(ordered):
            return text  # a body holding several blocks cannot come back as one clause
        wrong = {c.key for (c, _), p in zip(ordered, parsed, strict=True) if c.key != p.key}
        if wrong <= marked:
            return text
        marked |= wrong
        text = _emit(ordered, marked, title, version)
    return text


