"""Which comments on one clause say the same thing: TF-IDF over words and word pairs, cosine.

Pure module (no Django), so the facilitators' desk can group near-identical objections and answer
them together. Markdown markup and case are ignored; Chinese and Japanese text, which has no spaces,
is read as overlapping pairs of characters. Two texts are similar when the cosine of their TF-IDF
vectors reaches the threshold; groups are the connected parts of that relation, computed per clause
only, so comments on different clauses never share a group.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.5

_MARKUP = re.compile(r"[*_`>#~\[\]()|]+|https?://\S+")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+", re.UNICODE)
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")


@dataclass(frozen=True)
class Text:
    """One comment: an id of the caller's choosing, the clause it is on, and its text."""

    id: Hashable
    clause: Hashable
    body: str


def terms(text: str) -> list[str]:
    """Words and adjacent word pairs of the text, lower-cased, without Markdown markup."""
    words: list[str] = []
    for token in _TOKEN.findall(_MARKUP.sub(" ", text.lower())):
        if _CJK_RUN.match(token):
            words.extend(token[i:i + 2] for i in range(max(1, len(token) - 1)))
        else:
            words.append(token)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def tfidf(documents: Sequence[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (smoothed IDF, as scikit-learn's default) of the documents."""
    counts = [Counter(terms(doc)) for doc in documents]
    return _weights(counts, counts)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def similarity(first: str, second: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same words)."""
    a, b = tfidf([first, second])
    return cosine(a, b)


def group_similar(texts: Iterable[Text], *, threshold: float = DEFAULT_THRESHOLD
                  ) -> list[list[Hashable]]:
    """Groups of two or more ids whose texts are alike, each in input order, largest first."""
    by_clause: dict[Hashable, list[Text]] = defaultdict(list)
    for text in texts:
        by_clause[text.clause].append(text)
    groups = [group for items in by_clause.values() for group in _groups(items, threshold)]
    return sorted(groups, key=len, reverse=True)


def _groups(items: list[Text], threshold: float) -> list[list[Hashable]]:
    """Connected parts of the similarity relation among one clause's texts.

    Texts with the same terms (a copied objection, a campaign) have the same vector, so they are
    one node: each distinct text is compared once, its IDF counted over every copy. A pair whose
    nodes are already connected is not compared, so a large group costs about one comparison per
    member instead of one per pair."""
    by_text: dict[str, Counter] = {}  # copies are read once (shared, never mutated)
    for item in items:
        if item.body not in by_text:
            by_text[item.body] = Counter(terms(item.body))
    counts = [by_text[item.body] for item in items]
    node_of: dict[frozenset, int] = {}
    nodes: list[Counter] = []
    members: list[list[Hashable]] = []
    for item, count in zip(items, counts, strict=True):
        key = frozenset(count.items()) if count else None  # texts without terms never group
        node = node_of.get(key) if key is not None else None
        if node is None:
            node = len(nodes)
            nodes.append(count)
            members.append([])
            if key is not None:
                node_of[key] = node
        members[node].append(item.id)
    vectors = _weights(nodes, counts)
    parent = list(range(len(nodes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(nodes)):
        if not vectors[i]:
            continue
        for j in range(i + 1, len(nodes)):
            if root(i) != root(j) and vectors[j] and cosine(vectors[i], vectors[j]) >= threshold:
                parent[root(j)] = root(i)
    grouped: dict[int, list[Hashable]] = defaultdict(list)
    for i, ids in enumerate(members):
        grouped[root(i)].extend(ids)
    order = {item.id: n for n, item in enumerate(items)}
    return [sorted(ids, key=order.__getitem__) for ids in grouped.values() if len(ids) > 1]


def _weights(nodes: list[Counter], counts: list[Counter]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors of the distinct texts, the document frequency over every text (as
    `tfidf` over all of them would give)."""
    frequency = Counter(term for count in counts for term in count)
    n = len(counts)
    vectors = []
    for count in nodes:
        weights = {t: c * (math.log((1 + n) / (1 + frequency[t])) + 1) for t, c in count.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    return vectors
