"""Displayed clause numbers (`2.1`), derived from the clause tree. Pure: no Django."""

from collections import defaultdict
from collections.abc import Iterable, Mapping


def number_tree(nodes: Iterable[tuple[int, int | None, int]]) -> Mapping[int, str]:
    """Map node id -> dotted number, from (id, parent_id, position) rows.

    Siblings are numbered 1.. in position order (ties by id); a node whose parent is missing is
    treated as top-level so that a broken tree still numbers every clause.
    """
    rows = list(nodes)
    ids = {node_id for node_id, _, _ in rows}
    children: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for node_id, parent_id, position in rows:
        children[parent_id if parent_id in ids else None].append((position, node_id))
    numbers: dict[int, str] = {}
    stack = [(None, "")]
    while stack:
        parent_id, prefix = stack.pop()
        for index, (_, node_id) in enumerate(sorted(children.get(parent_id, [])), start=1):
            numbers[node_id] = f"{prefix}{index}"
            stack.append((node_id, f"{prefix}{index}."))
    return numbers
