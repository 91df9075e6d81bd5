"""Word diffs, redlines and clause-by-clause comparison of drafts."""

from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from definition.diffing import (
    ClauseChange,
    compare_clauses,
    plain_text,
    redline_markdown,
    text_diff,
    word_diff,
)
from definition.markdown import match_keys, parse_markdown

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "osaid"


def corpus_text(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"the OSAID corpus is not at {CORPUS} (../shared beside the repo root)")
    return path.read_text(encoding="utf-8")


def joined(ops, keep):
    return "".join(text for op, text in ops if op in ("equal", keep))


def clause(key, body="", heading="", derived_from=None):
    return {"key": key, "body": body, "heading": heading, "derived_from": derived_from or []}


def statuses(changes):
    return [(c.key, c.status) for c in changes]


# ---------------------------------------------------------------- word_diff

TEXT = st.text(alphabet="ab ,.\n-é", max_size=40)


@given(TEXT, TEXT)
def test_word_diff_rebuilds_both_texts(old, new):
    ops = word_diff(old, new)
    assert joined(ops, "delete") == old
    assert joined(ops, "insert") == new
    assert all(text for _, text in ops)


def test_word_diff_of_equal_texts_is_one_equal_run():
    assert word_diff("Same words.", "Same words.") == [("equal", "Same words.")]
    assert word_diff("", "") == []


def test_word_diff_replaces_whole_words_not_letters():
    assert word_diff("the quick brown fox", "the slow red fox") == [
        ("equal", "the "),
        ("delete", "quick brown"),
        ("insert", "slow red"),
        ("equal", " fox"),
    ]


def test_word_diff_separates_punctuation_from_words():
    assert word_diff("terms, made", "terms; made") == [
        ("equal", "terms"),
        ("delete", ","),
        ("insert", ";"),
        ("equal", " made"),
    ]


def test_word_diff_of_real_corpus_edits_rebuilds_both():
    old = corpus_text("osaid-0.0.8.md")
    new = corpus_text("osaid-0.0.9.md")
    ops = word_diff(old, new)
    assert joined(ops, "delete") == old
    assert joined(ops, "insert") == new


# ---------------------------------------------------------------- redline


def test_redline_marks_deletions_and_insertions_in_criticmarkup():
    assert redline_markdown("grant the freedoms to:", "grant the freedoms[^1] to:") == (
        "grant the freedoms{++[^1]++} to:"
    )
    assert redline_markdown("the quick fox", "the slow fox") == "the {--quick--}{++slow++} fox"


def test_redline_never_marks_bare_whitespace():
    assert redline_markdown("a  b", "a b") == "a b"
    assert redline_markdown("one two three", "one three") == "one {--two--} three"


def test_redline_marks_each_line_of_a_multi_line_change():
    assert redline_markdown("keep\nold one\nold two", "keep") == (
        "keep\n{--old one--}\n{--old two--}")


def test_redline_of_identical_text_is_the_text_without_markup():
    assert redline_markdown("**Use** it.", "**Use** it.") == "Use it."


def test_redline_marks_cannot_be_confused_with_the_texts_own_emphasis():
    # #14 item 6: the text's bold used to read as ******modify****** (bold inside insertion marks).
    assert redline_markdown("Use, study, **modify** and share.",
                            "Use, study, **modify**, **improve** and share.") == (
        "Use, study, modify{++, improve++} and share.")
    assert redline_markdown("**Use** the system for *any* purpose.",
                            "**Use** the system for *every* purpose.") == (
        "Use the system for {--any--}{++every++} purpose.")


def test_words_are_compared_without_markdown_markup():
    assert text_diff("Use, study, modify and share.", "Use, study, **modify** and share.") == [
        ("equal", "Use, study, modify and share.")]
    assert text_diff("See [the text](https://a.example).",
                     "See [the text](https://b.example).") == [("equal", "See the text.")]


def test_plain_text_keeps_paragraphs_items_and_footnotes():
    text = ("**Use** the *system*[^1] for `any` purpose.\n\n- one\n- **two**\n\n"
            "[^1]: A [note](https://x.example).\n")
    assert plain_text(text) == ("Use the system[^1] for any purpose.\n\none\ntwo\n\n"
                                "[^1]: A note.")
    assert plain_text("No markup here.") == "No markup here."
    assert plain_text("") == ""


# ---------------------------------------------------------------- compare_clauses


def test_same_key_is_changed_or_unchanged():
    old = [clause("a", "Same."), clause("b", "Old."), clause("c", "", heading="Scope")]
    new = [clause("a", "Same."), clause("b", "New."), clause("c", "", heading="Scope of it")]
    changes = compare_clauses(old, new)
    assert statuses(changes) == [("a", "unchanged"), ("b", "changed"), ("c", "changed")]
    assert changes[1].diff == [("delete", "Old"), ("insert", "New"), ("equal", ".")]
    assert (changes[2].heading_old, changes[2].heading_new) == ("Scope", "Scope of it")


def test_removed_clauses_follow_their_old_predecessor():
    old = [clause("a"), clause("b"), clause("c"), clause("d")]
    new = [clause("x"), clause("a"), clause("d")]
    changes = compare_clauses(old, new)
    assert statuses(changes) == [
        ("x", "added"),
        ("a", "unchanged"),
        ("b", "removed"),
        ("c", "removed"),
        ("d", "unchanged"),
    ]
    assert changes[2].old_key == "b" and changes[2].new_key is None


def test_a_removed_first_clause_leads_the_list():
    changes = compare_clauses([clause("a"), clause("b")], [clause("b")])
    assert statuses(changes) == [("a", "removed"), ("b", "unchanged")]


def test_derived_from_a_vanished_key_is_a_rename_diffed_against_it():
    old = [clause("model", "**Model**: parameters.")]
    new = [clause("weights", "**Weights**: parameters.", derived_from=["model"])]
    [change] = compare_clauses(old, new)
    assert (change.status, change.old_key, change.new_key) == ("renamed", "model", "weights")
    assert ("delete", "Model") in change.diff and ("insert", "Weights") in change.diff


def test_a_split_renames_every_part_and_removes_nothing():
    old = [clause("ab", "A and B.")]
    new = [clause("a", "A.", derived_from=["ab"]), clause("b", "B.", derived_from=["ab"])]
    changes = compare_clauses(old, new)
    assert [(c.key, c.status, c.old_key) for c in changes] == [
        ("a", "renamed", "ab"),
        ("b", "renamed", "ab"),
    ]


def test_a_merge_reports_its_first_source_and_consumes_the_rest():
    old = [clause("a", "A."), clause("b", "B."), clause("c", "C.")]
    new = [clause("ab", "A and B.", derived_from=["a", "b"])]
    changes = compare_clauses(old, new)
    assert [(c.key, c.status, c.old_key) for c in changes] == [
        ("ab", "renamed", "a"),
        ("c", "removed", "c"),
    ]


def test_derived_from_a_key_still_present_is_an_addition():
    old = [clause("a", "A.")]
    new = [clause("a", "A."), clause("a-bis", "A again.", derived_from=["a"])]
    assert statuses(compare_clauses(old, new)) == [("a", "unchanged"), ("a-bis", "added")]


def test_compare_accepts_objects_as_well_as_dicts():
    old = [SimpleNamespace(key="a", heading="", body="One.")]
    new = [SimpleNamespace(key="a", heading="", body="Two.", derived_from=None)]
    [change] = compare_clauses(old, new)
    assert change == ClauseChange(
        key="a",
        status="changed",
        old_key="a",
        new_key="a",
        old_text="One.",
        new_text="Two.",
        heading_old="",
        heading_new="",
        diff=[("delete", "One"), ("insert", "Two"), ("equal", ".")],
    )


# ---------------------------------------------------------------- OSAID 0.0.8 -> 0.0.9


@pytest.fixture
def osaid_changes():
    old = parse_markdown(corpus_text("osaid-0.0.8.md"))
    new, _ = match_keys(old.clauses, parse_markdown(corpus_text("osaid-0.0.9.md")))
    return old, new, compare_clauses(old.clauses, new.clauses)


def by_status(changes):
    grouped = defaultdict(list)
    for change in changes:
        grouped[change.status].append(change.key)
    return grouped


def test_0_0_9_adds_the_models_and_weights_section(osaid_changes):
    _, _, changes = osaid_changes
    added = by_status(changes)["added"]
    assert "open-source-models-open-source" in added
    section = [c for c in changes if c.key == "open-source-models-open-source"][0]
    assert section.heading_new == "Open Source models and Open Source weights"
    assert any("“system,”" in c.new_text for c in changes if c.status == "added")


def test_0_0_9_drops_the_checklist_and_its_table(osaid_changes):
    old, _, changes = osaid_changes
    removed = set(by_status(changes)["removed"])
    old_rows = {c.key for c in old.clauses if c.kind == "row"}
    assert {"checklist-evaluate-machine-learning"} | old_rows <= removed
    assert len(old_rows) == 33
    assert not any(c.status == "removed" and c.old_text.startswith("- **") for c in changes)


def test_0_0_9_keeps_the_four_freedoms_word_for_word(osaid_changes):
    _, _, changes = osaid_changes
    freedoms = [
        c for c in changes if c.key.startswith("open-source-ai-") and "**" in c.new_text
    ]
    assert [(c.key[len("open-source-ai-") :], c.status) for c in freedoms] == [
        ("use", "unchanged"),
        ("study", "unchanged"),
        ("modify", "unchanged"),
        ("share", "unchanged"),
    ]


def test_0_0_9_turns_model_into_weights_under_the_same_key(osaid_changes):
    _, _, changes = osaid_changes
    [weights] = [c for c in changes if c.new_text.startswith("- **Weights:**")]
    assert weights.old_text.startswith("- **Model**: The model parameters.")
    assert weights.status == "changed"
    inserted = " ".join(text for op, text in weights.diff if op == "insert")
    assert "OSI-approved terms[^2]" in inserted
    assert "[^2]: The Open Source AI Definition does not take any stance" in inserted
    assert ("delete", "Model") in weights.diff


def test_0_0_9_merges_the_preamble_paragraphs(osaid_changes):
    _, _, changes = osaid_changes
    preamble = [c for c in changes if c.key.startswith("need-open-source")]
    assert [(c.status, c.old_text[:18]) for c in preamble[1:]] == [
        ("changed", "Open Source has de"),
        ("removed", "Everyone needs the"),
    ]
