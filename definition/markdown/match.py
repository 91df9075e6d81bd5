"""Carry keys across drafts: match a parsed draft's clauses to the previous draft's."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from definition.markdown.parse import (
    FOOTNOTE_TAIL,
    MAX_KEY_LENGTH,
    ClauseLike,
    KeyMatch,
    ParsedClause,
    ParsedDraft,
    dedupe_key,
)
from definition.markdown.render import as_clause


def _norm(text: str) -> str:
    return " ".join(text.split())


def _match_text(clause: ParsedClause) -> str:
    if clause.kind == "section":
        return _norm(clause.heading)
    # Footnotes are appended after the clause's own text; compare the text itself.
    return _norm(FOOTNOTE_TAIL.split(clause.body, maxsplit=1)[0])


def _exact_text(clause: ParsedClause) -> tuple[bool, str]:
    is_section = clause.kind == "section"
    return is_section, _norm(clause.heading if is_section else clause.body)


@dataclass
class _Matching:
    old: list[ParsedClause]
    new: list[ParsedClause]
    threshold: float
    pairs: dict[int, tuple[int, float, str]]  # new index -> (old index, score, how)

    def free_old(self, section: bool) -> list[int]:
        used = {oi for oi, _, _ in self.pairs.values()}
        return [
            i for i, c in enumerate(self.old) if i not in used and (c.kind == "section") is section
        ]

    def free_new(self, section: bool) -> list[int]:
        return [
            i
            for i, c in enumerate(self.new)
            if i not in self.pairs and (c.kind == "section") is section
        ]


def _match_exact(m: _Matching) -> None:
    buckets: dict[tuple[bool, str], list[int]] = defaultdict(list)
    for oi, clause in enumerate(m.old):
        buckets[_exact_text(clause)].append(oi)
    for ni, clause in enumerate(m.new):
        bucket = buckets.get(_exact_text(clause))
        if bucket:
            # Among identical texts prefer the clause that already has this key.
            oi = next((o for o in bucket if m.old[o].key == clause.key), bucket[0])
            bucket.remove(oi)
            m.pairs[ni] = (oi, 1.0, "exact")


def _greedy(m: _Matching, candidates: list[tuple[float, float, int, int]], how: str) -> None:
    """Assign the best-ranked (rank, similarity, new, old) pairs first, each clause at most once."""
    used_old = {oi for oi, _, _ in m.pairs.values()}
    for rank, score, ni, oi in sorted(candidates, key=lambda c: (-c[0], c[2], c[3])):
        if ni not in m.pairs and oi not in used_old and rank >= m.threshold:
            m.pairs[ni] = (oi, round(score, 4), how)
            used_old.add(oi)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text)


def _bag(tokens: list[str]) -> frozenset[tuple[str, int]]:
    """Tokens numbered by occurrence: the size of an intersection is the multiset overlap.

    That overlap is what ``SequenceMatcher.quick_ratio`` counts, but set intersection runs in C,
    which keeps 500 x 500 clauses fast.
    """
    seen: Counter = Counter()
    bag = []
    for token in tokens:
        seen[token] += 1
        bag.append((token, seen[token]))
    return frozenset(bag)


def _bonus(m: _Matching, ni: int, oi: int, parent_map: dict[str | None, str | None]) -> float:
    new, old = m.new[ni], m.old[oi]
    same_key = 0.1 if new.key == old.key else 0.0
    same_parent = 0.05 if parent_map.get(new.parent_key, new.parent_key) == old.parent_key else 0.0
    return same_key + same_parent


def _match_similar(m: _Matching) -> None:
    """Pair lightly edited clauses by word-level similarity, helped by same key and parent."""
    parent_map = {m.new[ni].key: m.old[oi].key for ni, (oi, _, _) in m.pairs.items()}
    new_tokens = {ni: _tokens(_match_text(m.new[ni])) for ni in m.free_new(section=False)}
    new_bags = {ni: _bag(tokens) for ni, tokens in new_tokens.items()}
    matcher = SequenceMatcher(autojunk=False)
    candidates: list[tuple[float, float, int, int]] = []
    for oi in m.free_old(section=False):
        old_tokens = _tokens(_match_text(m.old[oi]))
        old_bag = _bag(old_tokens)
        matcher.set_seq2(old_tokens)
        for ni, tokens in new_tokens.items():
            bonus = _bonus(m, ni, oi, parent_map)
            total = (len(tokens) + len(old_tokens)) or 1
            floor = (m.threshold - bonus) * total / 2  # matched tokens needed to reach threshold
            if min(len(tokens), len(old_tokens)) < floor or len(old_bag & new_bags[ni]) < floor:
                continue
            matcher.set_seq1(tokens)
            ratio = matcher.ratio()
            candidates.append((ratio + bonus, ratio, ni, oi))
    _greedy(m, candidates, "similar")


def _child_overlap(m: _Matching) -> dict[tuple[int, int], float]:
    """Share of a section's direct children that matched children of an old section."""
    old_index = {c.key: i for i, c in enumerate(m.old)}
    new_index = {c.key: i for i, c in enumerate(m.new)}
    sizes_old = Counter(c.parent_key for c in m.old)
    sizes_new = Counter(c.parent_key for c in m.new)
    shared: Counter = Counter()
    for ni, (oi, _, _) in m.pairs.items():
        new_parent, old_parent = m.new[ni].parent_key, m.old[oi].parent_key
        if new_parent in new_index and old_parent in old_index:
            shared[(new_index[new_parent], old_index[old_parent])] += 1
    return {
        (sn, so): count / max(sizes_new[m.new[sn].key], sizes_old[m.old[so].key])
        for (sn, so), count in shared.items()
    }


def _match_sections(m: _Matching) -> None:
    """Pair sections whose headings are alike or whose children mostly matched."""
    overlap = _child_overlap(m)
    matcher = SequenceMatcher(autojunk=False)
    candidates: list[tuple[float, float, int, int]] = []
    free_new = m.free_new(section=True)
    for oi in m.free_old(section=True):
        matcher.set_seq2(_match_text(m.old[oi]).lower())
        for ni in free_new:
            matcher.set_seq1(_match_text(m.new[ni]).lower())
            score = max(matcher.ratio(), overlap.get((ni, oi), 0.0))
            candidates.append((score, score, ni, oi))
    _greedy(m, candidates, "heading")


def _final_keys(m: _Matching) -> list[str]:
    old_keys = {c.key for c in m.old}
    taken = old_keys | {c.key for c in m.new}
    keys: list[str] = []
    for ni, clause in enumerate(m.new):
        if ni in m.pairs:
            keys.append(m.old[m.pairs[ni][0]].key)
        elif clause.key in old_keys:
            # Same key means same clause, so an unmatched clause may not take an old key.
            renamed = dedupe_key(clause.key, taken)
            taken.add(renamed)
            keys.append(renamed)
        else:
            keys.append(clause.key)
    return keys


def match_keys(
    previous: Sequence[ClauseLike], parsed: ParsedDraft, *, threshold: float = 0.6
) -> tuple[ParsedDraft, list[KeyMatch]]:
    """Give parsed clauses the keys of the previous draft's clauses they continue.

    One-to-one: identical text first, then similar text (word-level SequenceMatcher ratio, a small
    bonus for the same derived key or parent), then sections by heading or by matched children.
    Unmatched clauses keep their derived key unless an old clause owns it, then get a suffix.
    """
    m = _Matching([as_clause(c, i) for i, c in enumerate(previous)], parsed.clauses, threshold, {})
    _match_exact(m)
    _match_similar(m)
    _match_sections(m)
    keys = _final_keys(m)
    renames = {c.key: key for c, key in zip(m.new, keys, strict=True)}
    clauses = [
        replace(c, key=key, parent_key=renames.get(c.parent_key, c.parent_key))
        for c, key in zip(m.new, keys, strict=True)
    ]
    matches = [
        KeyMatch(key, m.old[m.pairs[i][0]].key, m.pairs[i][1], m.pairs[i][2])
        if i in m.pairs
        else KeyMatch(key, None, 0.0, "new")
        for i, key in enumerate(keys)
    ]
    return replace(parsed, clauses=clauses), matches


_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def rename_keys(parsed: ParsedDraft, renames: dict[str, str]) -> ParsedDraft:
    """The parsed draft with some keys replaced (what a facilitator typed in the import
    preview); children follow their parent's new key. ValueError names the first bad key: not
    a slug of at most MAX_KEY_LENGTH characters, or taken by another clause."""
    renames = {old: new.strip() for old, new in renames.items() if new.strip() != old}
    for new in renames.values():
        if not _KEY.match(new) or len(new) > MAX_KEY_LENGTH:
            raise ValueError(f"{new!r} is not a key: lowercase letters, digits and single "
                             f"dashes, at most {MAX_KEY_LENGTH} characters.")
    keys = [renames.get(c.key, c.key) for c in parsed.clauses]
    taken = Counter(keys)
    duplicate = next((k for k in keys if taken[k] > 1), None)
    if duplicate:
        raise ValueError(f"Two clauses would have the key {duplicate!r}.")
    clauses = [replace(c, key=renames.get(c.key, c.key),
                       parent_key=renames.get(c.parent_key, c.parent_key)
                       if c.parent_key else None) for c in parsed.clauses]
    return replace(parsed, clauses=clauses)
