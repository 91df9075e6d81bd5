"""Splitting Markdown drafts into clauses, rendering them back, and matching keys across drafts."""

import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from definition.markdown import (
    EXPORT_BEGIN,
    EXPORT_END,
    MAX_KEY_LENGTH,
    KeyMatch,
    ParsedDraft,
    match_keys,
    minimum_clause_count,
    parse_markdown,
    render_markdown,
)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "osaid"
KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def corpus_text(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"the OSAID corpus is not at {CORPUS} (../shared beside the repo root)")
    return path.read_text(encoding="utf-8")


def corpus_names() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("osaid-*.md")) or ["osaid-missing.md"]


def by_key(draft: ParsedDraft) -> dict:
    return {clause.key: clause for clause in draft.clauses}


def norm(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- structure

NESTED = """\
# Title

## Alpha

Intro.

### Beta

#### Gamma

Deep.

## Delta

Last.
"""


def test_it_nests_sections_by_heading_level():
    draft = parse_markdown(NESTED)
    got = [(c.key, c.kind, c.parent_key, c.position) for c in draft.clauses]
    assert draft.title == "Title"
    assert got == [
        ("alpha", "section", None, 0),
        ("alpha-1", "paragraph", "alpha", 0),
        ("beta", "section", "alpha", 1),
        ("gamma", "section", "beta", 0),
        ("gamma-1", "paragraph", "gamma", 0),
        ("delta", "section", None, 1),
        ("delta-1", "paragraph", "delta", 0),
    ]
    assert by_key(draft)["beta"].heading == "Beta"
    assert by_key(draft)["beta"].body == ""


def test_it_reads_the_version_line_under_the_title_as_metadata():
    draft = parse_markdown("# T\n\n#### version 0.0.7.1\n\n## A\n\nText.\n")
    assert draft.version == "0.0.7.1"
    assert [c.key for c in draft.clauses] == ["a", "a-1"]


def test_a_version_heading_after_content_is_an_ordinary_section():
    draft = parse_markdown("# T\n\nText.\n\n#### version 2\n")
    assert draft.version == ""
    assert [c.heading for c in draft.clauses] == ["", "version 2"]


def test_it_drops_leading_metadata_comments_and_reads_crlf():
    draft = parse_markdown(
        "<!--\nsource: x\n-->\n<!-- more -->\r\n# T\r\n\r\n## A\r\n\r\nText.\r\n"
    )
    assert draft.title == "T"
    assert [(c.key, c.body) for c in draft.clauses] == [("a", ""), ("a-1", "Text.")]


LISTS = """\
## Freedoms

The freedoms to:

- **Use** the system.
- **Study:** how it works.
- A **bold** word later.
- Plain item
    - nested one
    - nested two

Closing words.
"""


def test_bold_led_items_are_keyed_by_their_bold_text():
    keys = [c.key for c in parse_markdown(LISTS).clauses]
    assert keys == [
        "freedoms",
        "freedoms-1",
        "freedoms-use",
        "freedoms-study",
        "freedoms-2",
        "freedoms-3",
        "freedoms-4",
    ]


def test_a_nested_list_stays_inside_its_parent_item():
    clauses = by_key(parse_markdown(LISTS))
    assert clauses["freedoms-3"].kind == "item"
    assert clauses["freedoms-3"].body == "- Plain item\n    - nested one\n    - nested two"
    assert clauses["freedoms-4"].body == "Closing words."


TABLE = """\
## Components

| Component | Licence |
|---|---|
| **Code** |  |
| – Training | OSI-approved |
"""


def test_each_table_row_is_a_clause_that_renders_alone_with_its_header():
    rows = [c for c in parse_markdown(TABLE).clauses if c.kind == "row"]
    assert [r.key for r in rows] == ["components-1", "components-2"]
    assert rows[1].body == "| Component | Licence |\n|---|---|\n| – Training | OSI-approved |"
    alone = parse_markdown(rows[1].body).clauses
    assert [(c.kind, c.body) for c in alone] == [("row", rows[1].body)]


def test_block_quotes_before_the_first_heading_are_front_matter():
    text = "# T\n\n> Note: one.\n>\n> two.\n\n> Another.\n\n## A\n"
    clauses = parse_markdown(text).clauses
    assert [(c.key, c.kind, c.parent_key) for c in clauses[:2]] == [
        ("front-1", "quote", None),
        ("front-2", "quote", None),
    ]
    assert clauses[0].body == "> Note: one.\n>\n> two."


FOOTNOTES = """\
## A

Freedoms[^1] apply.

- **Weights:** terms[^2].
    - sub item

Again[^1].

[^1]: Derived from the FSD.

[^2]: No stance on licences,
    continued here.

[^9]: Nobody cites me.
"""


def test_a_footnote_joins_the_first_clause_that_cites_it():
    clauses = by_key(parse_markdown(FOOTNOTES))
    assert clauses["a-1"].body == "Freedoms[^1] apply.\n\n[^1]: Derived from the FSD."
    assert clauses["a-weights"].body.endswith(
        "    - sub item\n\n[^2]: No stance on licences,\n    continued here."
    )
    assert clauses["a-2"].body == "Again[^1]."


def test_an_unreferenced_footnote_is_its_own_clause_at_the_end():
    last = parse_markdown(FOOTNOTES).clauses[-1]
    assert (last.key, last.kind, last.parent_key) == ("footnote-9", "footnote", None)
    assert last.body == "[^9]: Nobody cites me."


def test_duplicate_headings_get_numbered_keys():
    keys = [c.key for c in parse_markdown("## Scope\n\n## Scope\n\n### Scope\n").clauses]
    assert keys == ["scope", "scope-2", "scope-3"]


def test_long_headings_are_cut_at_a_word_boundary():
    heading = "word " * 40
    keys = [c.key for c in parse_markdown(f"## {heading}\n\n## {heading}\n\nText.\n").clauses]
    assert all(KEY.match(k) and len(k) <= MAX_KEY_LENGTH for k in keys)
    # short keys (issue #14): five words of the heading, a clause inside takes about three
    assert keys == ["word-word-word-word-word", "word-word-word-word-word-2",
                    "word-word-word-word-1"]


def test_explicit_key_markers_win_and_stay_out_of_the_text():
    text = "## Preamble {#intro}\n\n<!-- clause: why -->\nBecause.\n\nMore.\n"
    clauses = parse_markdown(text).clauses
    assert [(c.key, c.heading, c.body) for c in clauses] == [
        ("intro", "Preamble", ""),
        ("why", "", "Because."),
        ("intro-2", "", "More."),
    ]


def test_a_derived_key_steps_aside_for_a_later_explicit_one():
    text = "## A\n\nFirst.\n\n<!-- clause: a-1 -->\nSecond.\n"
    assert [c.key for c in parse_markdown(text).clauses] == ["a", "a-1-2", "a-1"]


def test_parsing_is_deterministic():
    assert parse_markdown(FOOTNOTES + LISTS) == parse_markdown(FOOTNOTES + LISTS)


# ---------------------------------------------------------------- render


def test_render_round_trips_structure_text_and_keys():
    draft = parse_markdown("# T\n\n> q\n\n" + LISTS + TABLE + FOOTNOTES)
    again = parse_markdown(render_markdown(draft.clauses, title=draft.title))
    assert again == draft


def test_render_marks_renamed_keys_so_they_survive():
    draft = parse_markdown(NESTED + LISTS + FOOTNOTES)
    renames = {"alpha": "first", "freedoms-use": "use", "a-2": "again", "footnote-9": "note"}
    clauses = [
        replace(
            c, key=renames.get(c.key, c.key), parent_key=renames.get(c.parent_key, c.parent_key)
        )
        for c in draft.clauses
    ]
    text = render_markdown(clauses, title="T")
    assert "## Alpha {#first}" in text
    assert "<!-- clause: use -->\n- **Use** the system." in text
    assert "{#delta}" not in text and "clause: delta-1" not in text
    assert parse_markdown(text).clauses == clauses


def test_render_derives_heading_levels_from_the_tree():
    clauses = [
        {"key": "a", "heading": "A", "body": "", "parent_key": None, "position": 0},
        {"key": "b", "heading": "B", "body": "", "parent_key": "a", "position": 0},
        {"key": "b-1", "heading": "", "body": "Text.", "parent_key": "b", "position": 0},
    ]
    text = render_markdown(clauses, title="T", version="1.0")
    assert text == "# T\n\n#### version 1.0\n\n## A\n\n### B\n\nText.\n"


def test_render_orders_siblings_by_position():
    clauses = [
        {"key": "s", "heading": "S", "body": "", "parent_key": None, "position": 0},
        {"key": "s-2", "heading": "", "body": "Two.", "parent_key": "s", "position": 1},
        {"key": "s-1", "heading": "", "body": "One.", "parent_key": "s", "position": 0},
    ]
    assert render_markdown(clauses) == "## S\n\nOne.\n\nTwo.\n"


# ---------------------------------------------------------------- match_keys

OLD = """\
## Scope

This definition covers AI systems and their components.

- **Use** the system for any purpose.
- **Study** how the system works.

## Checklist

| Component | Terms |
|---|---|
| Code | OSI |
"""

NEW = """\
## Scope of this text

This definition covers AI systems and all their components.

- **Use** the system for any purpose.
- **Study** how the system works.

A brand new paragraph nobody saw before.

## Weights

Weights are parameters.
"""


def test_match_keys_keeps_old_keys_for_same_and_edited_text():
    old = parse_markdown(OLD).clauses
    draft, matches = match_keys(old, parse_markdown(NEW))
    got = {m.new_key: (m.old_key, m.how) for m in matches}
    assert got["scope"] == ("scope", "heading")  # its children matched, its heading changed
    assert got["scope-1"] == ("scope-1", "similar")
    assert got["scope-use"] == ("scope-use", "exact")
    assert got["scope-study"] == ("scope-study", "exact")
    assert got["weights"] == (None, "new")
    assert [c.parent_key for c in draft.clauses if c.kind != "section"][:4] == ["scope"] * 4


def test_a_new_clause_never_takes_an_unmatched_old_key():
    old = parse_markdown("## A\n\nOld words about cats.\n").clauses
    draft, matches = match_keys(old, parse_markdown("## A\n\nEntirely different dog text.\n"))
    assert [c.key for c in draft.clauses] == ["a", "a-1-2"]
    assert matches[1] == KeyMatch("a-1-2", None, 0.0, "new")


def test_match_keys_is_one_to_one():
    old = parse_markdown("## A\n\nSame text here.\n").clauses
    draft, matches = match_keys(old, parse_markdown("## A\n\nSame text here.\n\nSame text here.\n"))
    assert [m.how for m in matches] == ["exact", "exact", "new"]
    assert len({c.key for c in draft.clauses}) == 3


def test_match_keys_handles_500_by_500_clauses_quickly():
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
    paragraphs = [
        " ".join(words[(i * 7 + j * 5) % len(words)] + str(i % (j + 3)) for j in range(30))
        for i in range(500)
    ]
    old = parse_markdown("\n\n".join(paragraphs)).clauses
    edited = [p + " amended" if i % 2 else p for i, p in enumerate(reversed(paragraphs))]
    started = time.perf_counter()
    _, matches = match_keys(old, parse_markdown("\n\n".join(edited)))
    assert time.perf_counter() - started < 20
    assert sum(m.how == "exact" for m in matches) == 250
    assert sum(m.how == "similar" for m in matches) == 250


# ---------------------------------------------------------------- the OSAID corpus


@pytest.mark.parametrize("name", corpus_names())
def test_every_corpus_draft_parses_with_unique_valid_keys(name):
    draft = parse_markdown(corpus_text(name))
    keys = [c.key for c in draft.clauses]
    assert draft.title.startswith("The Open Source AI Definition")
    assert len(keys) == len(set(keys)) > 10
    assert all(KEY.match(k) and len(k) <= MAX_KEY_LENGTH for k in keys)


@pytest.mark.parametrize("name", corpus_names())
def test_every_corpus_draft_round_trips_through_render(name):
    draft = parse_markdown(corpus_text(name))
    text = render_markdown(draft.clauses, title=draft.title, version=draft.version)
    assert parse_markdown(text) == draft


@pytest.mark.parametrize("name", ["osaid-0.0.8.md", "osaid-0.0.9.md"])
def test_the_four_freedoms_are_four_clauses(name):
    items = [c for c in parse_markdown(corpus_text(name)).clauses if c.kind == "item"]
    freedoms = [c for c in items if c.parent_key == "open-source-ai"]
    assert [c.key.rsplit("-", 1)[1] for c in freedoms] == ["use", "study", "modify", "share"]
    assert freedoms[0].body.startswith("- **Use** the system for any purpose")


def test_corpus_footnotes_travel_with_the_clause_that_cites_them():
    text = corpus_text("osaid-0.0.9.md")
    definitions = dict(re.findall(r"^\[\^(\d+)\]: (.+)$", text, re.MULTILINE))
    clauses = parse_markdown(text).clauses
    for label, definition in definitions.items():
        citing = [c for c in clauses if f"[^{label}]" in c.body.split("\n\n")[0]]
        assert definition in citing[0].body
    assert (
        "Free Software Definition" in by_key(parse_markdown(text))["open-source-ai-2"].body
    )


def test_checklist_table_rows_each_become_one_clause():
    text = corpus_text("osaid-0.0.9-checklist.md")
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    data_rows = [line for line in table_lines if not re.match(r"^\|(-|\s)*\|", line)]
    headers = [line for line in data_rows if "components | Legal frameworks" in line]
    rows = [c for c in parse_markdown(text).clauses if c.kind == "row"]
    assert len(rows) == len(data_rows) - len(headers) == 26
    assert [r.body.splitlines()[-1] for r in rows] == [r for r in data_rows if r not in headers]
    assert rows[-1].body.startswith("| Optional components | Legal frameworks |\n|---|---|\n")


def test_match_keys_keeps_the_key_of_every_unchanged_corpus_clause():
    old = parse_markdown(corpus_text("osaid-0.0.8.md")).clauses
    new = parse_markdown(corpus_text("osaid-0.0.9.md"))

    def text_of(clause):
        return norm(clause.heading if clause.kind == "section" else clause.body)

    old_by_text = {}
    for clause in old:
        old_by_text.setdefault(text_of(clause), []).append(clause.key)
    expected = {
        i: old_by_text[text_of(c)][0]
        for i, c in enumerate(new.clauses)
        if len(old_by_text.get(text_of(c), [])) == 1
    }
    matched, _ = match_keys(old, new)
    assert len(expected) == 8  # 3 headings, the four freedoms, the preferred-form heading
    assert {i: matched.clauses[i].key for i in expected} == expected


# The import cap's fast lower bound -------------------------------------------------------------

_PIECES = ["# ", "#", "## ", "x", "\n", "\n\n", "```", "~~~", "<!--", "-->", "<div>", "<pre>",
           "</pre>", "- ", "> ", "    ", "{#k}", "1.2 ", "version 3", "[^1]: f", "[^1]",
           "|a|b|\n|-|-|\n", "---", "<!-- clause: k -->\n", EXPORT_BEGIN, EXPORT_END]


def test_the_minimum_clause_count_counts_a_flood_of_headings_without_parsing():
    flood = "# Title\n\n" + "".join(f"## Heading {i}\n\nText.\n\n" for i in range(10_000))

    assert minimum_clause_count(flood) == 9_999  # 10,000 sections, less title and version


def test_the_minimum_clause_count_ignores_headings_in_code_comments_and_html():
    text = ("# T\n\n```\n# not\n\n# not\n```\n\n## A\n\n<!--\n# no\n\n# no\n-->\n\n"
            "<pre>\n\n# no\n</pre>\n\n## B\n")

    assert minimum_clause_count(text) == 1 <= len(parse_markdown(text).clauses)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_the_minimum_clause_count_never_exceeds_what_the_parser_finds(parts):
    text = "".join(parts)
    assert minimum_clause_count(text) <= len(parse_markdown(text).clauses)


@pytest.mark.parametrize(("heading", "key"), [
    ("Why we need Open Source Artificial Intelligence (AI)",
     "need-open-source-artificial-intelligence"),
    ("What is Open Source AI", "open-source-ai"),
    ("Out of scope issues", "out-scope-issues"),
    ("How we can get the benefits of Open Source AI", "get-benefits-open-source-ai"),
    ("The", "the"),
    ("开源人工智能", "section"),
])
def test_section_keys_are_short_words_of_their_heading(heading, key):
    assert parse_markdown(f"## {heading}\n\nText.\n").clauses[0].key == key


def test_an_osaid_import_gives_readable_keys():
    keys = [c.key for c in parse_markdown(corpus_text("osaid-1.0.md")).clauses]
    assert "need-open-source-artificial-intelligence" in keys
    assert "need-open-source-1" in keys
    assert max(len(k) for k in keys) <= 45
