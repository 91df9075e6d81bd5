"""The pure text-similarity module that groups alike comments on one clause."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from deliberation.discussion.similarity import (
    DEFAULT_THRESHOLD,
    Text,
    cosine,
    group_similar,
    similarity,
    terms,
    tfidf,
)

OBJECTIONS = [
    "Training data must be released in full, otherwise nobody can study the model.",
    "The full training data must be released; otherwise nobody can study the model!",
    "Without the full **training data** released, nobody can study the model.",
    "The weights should be licensed under an OSI-approved licence.",
]


def test_terms_ignore_case_and_markdown_and_include_word_pairs():
    assert terms("**Open** _weights_") == ["open", "weights", "open weights"]


def test_chinese_text_is_read_as_character_pairs():
    assert terms("训练数据") == ["训练", "练数", "数据", "训练 练数", "练数 数据"]


def test_tfidf_matches_scikit_learn_on_the_same_terms():
    ours = tfidf(OBJECTIONS)
    vectorizer = TfidfVectorizer(analyzer=terms)
    theirs = vectorizer.fit_transform(OBJECTIONS).toarray()
    vocabulary = vectorizer.vocabulary_
    for row, vector in zip(theirs, ours, strict=True):
        dense = np.zeros(len(vocabulary))
        for term, weight in vector.items():
            dense[vocabulary[term]] = weight
        assert np.allclose(dense, row, atol=1e-12)


def test_identical_texts_have_similarity_one_and_unrelated_texts_zero():
    assert similarity("Release the data.", "release the DATA") == pytest.approx(1.0)
    assert similarity("Release the data.", "Weights under a licence") == 0.0


def test_rephrased_objections_on_one_clause_form_one_group():
    texts = [Text(id=n, clause="data", body=body) for n, body in enumerate(OBJECTIONS)]
    assert group_similar(texts) == [[0, 1, 2]]


def test_alike_comments_on_different_clauses_are_never_grouped():
    texts = [Text(id=1, clause="data", body=OBJECTIONS[0]),
             Text(id=2, clause="code", body=OBJECTIONS[0])]
    assert group_similar(texts) == []


def test_groups_are_connected_parts_and_largest_come_first():
    texts = [Text(id="a", clause="x", body="alpha beta gamma delta"),
             Text(id="b", clause="x", body="alpha beta gamma delta epsilon"),
             Text(id="c", clause="x", body="beta gamma delta epsilon"),
             Text(id="d", clause="y", body="open weights"),
             Text(id="e", clause="y", body="open weights please")]
    assert group_similar(texts) == [["a", "b", "c"], ["d", "e"]]


def test_a_higher_threshold_splits_groups():
    texts = [Text(id=n, clause="data", body=body) for n, body in enumerate(OBJECTIONS)]
    assert group_similar(texts, threshold=0.99) == []


def test_empty_and_markup_only_texts_join_no_group():
    texts = [Text(id=1, clause="x", body=""), Text(id=2, clause="x", body="**"),
             Text(id=3, clause="x", body="")]
    assert group_similar(texts) == []


def test_chinese_objections_are_grouped():
    texts = [Text(id=1, clause="x", body="必须完整公开训练数据"),
             Text(id=2, clause="x", body="训练数据必须完整公开"),
             Text(id=3, clause="x", body="权重应采用开放许可证")]
    assert group_similar(texts) == [[1, 2]]


@given(st.lists(st.text(max_size=40), min_size=2, max_size=8))
def test_cosine_is_symmetric_and_within_zero_and_one(bodies):
    vectors = tfidf(bodies)
    for a in vectors:
        for b in vectors:
            value = cosine(a, b)
            assert -1e-9 <= value <= 1 + 1e-9
            assert value == pytest.approx(cosine(b, a))


@given(st.lists(st.sampled_from(OBJECTIONS + ["weights", "data data"]), min_size=2, max_size=7),
       st.randoms())
def test_grouping_does_not_depend_on_input_order(bodies, rng):
    texts = [Text(id=n, clause="c", body=body) for n, body in enumerate(bodies)]
    shuffled = texts[:]
    rng.shuffle(shuffled)
    as_sets = lambda groups: {frozenset(g) for g in groups}  # noqa: E731
    assert as_sets(group_similar(texts)) == as_sets(group_similar(shuffled))


def _pairwise_reference(texts, threshold):
    """Every pair compared, as the desk first did: the definition the fast path must match."""
    from collections import defaultdict

    from deliberation.discussion.similarity import cosine, tfidf

    groups = []
    by_clause = defaultdict(list)
    for text in texts:
        by_clause[text.clause].append(text)
    for items in by_clause.values():
        vectors = tfidf([t.body for t in items])
        parent = list(range(len(items)))

        def root(i, parent=parent):
            while parent[i] != i:
                i = parent[i]
            return i

        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                if vectors[i] and cosine(vectors[i], vectors[j]) >= threshold:
                    parent[root(j)] = root(i)
        found = defaultdict(list)
        for i, t in enumerate(items):
            found[root(i)].append(t.id)
        groups += [ids for ids in found.values() if len(ids) > 1]
    return sorted(sorted(g) for g in groups)


@pytest.mark.parametrize("seed", range(5))
def test_copies_and_skipped_pairs_give_the_groups_of_every_pair_compared(seed):
    import random

    rng = random.Random(seed)
    phrases = ["the data must be shared", "weights are enough", "training code is needed",
               "nothing to add", "", "*Data* must be **shared**", "open the weights"]
    texts = [Text(id=n, clause=rng.randrange(3), body=" ".join(
        rng.choice(phrases) for _ in range(rng.randrange(1, 3)))) for n in range(120)]
    fast = sorted(sorted(g) for g in group_similar(texts))
    assert fast == _pairwise_reference(texts, DEFAULT_THRESHOLD)
    assert any(len(g) > 10 for g in fast)  # copies do group


def test_a_thousand_copies_on_one_clause_group_quickly():
    import time

    texts = [Text(id=n, clause=1, body="Bench objection.") for n in range(1000)]
    start = time.process_time()
    assert group_similar(texts) == [list(range(1000))]
    assert time.process_time() - start < 1.0  # one node, not half a million comparisons
