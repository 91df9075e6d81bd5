"""The Markdown export of a draft, and its round trip through the importer."""

import hashlib

from definition import editing, services
from definition.exports import content_hash
from definition.markdown import parse_markdown
from definition.selectors import list_clauses
from deliberation.exports import export_draft
from tests.helpers import import_corpus_file


def texts(draft):
    return [(c.key, c.parent_key, c.heading, c.body) for c in list_clauses(draft=draft)]


def markdown(draft, annexes=()):
    return export_draft(draft=draft, fmt="md", annexes=annexes).content.decode()


def test_every_corpus_version_round_trips_through_the_export(corpus_dir, definition, facilitator):
    previous = None
    for index, path in enumerate(sorted(corpus_dir.glob("osaid-*.md"))):
        draft = import_corpus_file(actor=facilitator, definition=definition, path=path,
                                   based_on=previous)
        again, _ = services.import_draft(actor=facilitator, definition=definition,
                                         version=f"re-{index}", markdown=markdown(draft),
                                         based_on=draft)
        assert texts(again) == texts(draft), path.name
        previous = draft


def test_annexes_do_not_come_back_as_clauses(voted_draft, facilitator):
    text = markdown(voted_draft, ("consensus", "dispositions"))
    parsed = parse_markdown(text)
    assert [c.key for c in parsed.clauses] == ["preamble", "why", "freedoms"]
    assert parsed.version == voted_draft.version


def test_it_shows_title_version_status_dates_and_hash(published_draft):
    text = markdown(published_draft)
    expected = content_hash(list_clauses(draft=published_draft))
    assert text.startswith("<!--\nconcord-export: draft\n")
    assert "# Open Source AI Definition\n" in text
    assert "#### version 0.0.8\n" in text
    assert "| Status | open |" in text
    assert f"| Published | {published_draft.published_at.isoformat(timespec='seconds')} |" in text
    assert f"| Content hash | {expected} |" in text


def test_the_content_hash_is_the_sha256_of_keys_and_text(published_draft):
    clauses = list_clauses(draft=published_draft)
    joined = "".join("\x1f".join((c.key, c.parent_key or "", c.heading, c.body)) + "\x1e"
                     for c in clauses)
    assert content_hash(clauses) == "sha256:" + hashlib.sha256(joined.encode()).hexdigest()


def test_clauses_are_numbered_with_key_anchors(published_draft):
    text = markdown(published_draft)
    assert "## 1 Preamble {#preamble}" in text
    assert '<a id="why"></a>**1.1**' in text
    assert "<!-- clause: why -->\nOpen Source has demonstrated benefits." in text
    assert '<a id="freedoms"></a>**2**' in text


def test_footnotes_travel_with_their_clause(editing_draft, facilitator):
    clause = editing_draft.clauses.get(key="freedoms")
    editing.update_clause(actor=facilitator, clause=clause,
                           changes={"body": "Use and share.[^1]\n\n[^1]: After the FSD."})
    text = markdown(editing_draft)
    assert "Use and share.[^1]\n\n[^1]: After the FSD." in text
    assert {c.key: c.body for c in parse_markdown(text).clauses}["freedoms"].endswith(
        "[^1]: After the FSD.")


def test_consensus_annex_gives_level_figures_and_group_table(voted_draft):
    text = markdown(voted_draft, ("consensus",))
    assert "## Annex A. Consensus" in text
    entry = text[text.index("### 2 `freedoms`"):]
    assert entry.startswith(
        "### 2 `freedoms`: contested\n\nB 0.62 · C 0.57 · F 0.00 · P 0.75 · D 0.50")
    assert "| legislators | 0.25 |" in entry  # (0 + 1) / (2 + 2): two opposing members
    assert "| developers | 0.75 |" in entry


def test_dispositions_annex_lists_status_response_and_acknowledgement(voted_draft):
    text = markdown(voted_draft, ("dispositions",))
    assert "## Annex B. Disposition of comments" in text
    assert "objection on 2 `freedoms`, by legislators-1" in text
    assert "**Disposition:** declined. Kept as is." in text
    assert "**Acknowledgement:** not satisfied. Still too broad." in text
    assert "**Disposition:** none yet." in text  # the comment on `why`


def test_objection_authors_are_not_named_when_votes_are_private(voted_draft):
    voted_draft.definition.votes_public = False
    voted_draft.definition.save()
    text = markdown(voted_draft, ("dispositions",))
    assert "by a member (votes are not public)" in text
    assert "by legislators-1" not in text


def test_consensus_annex_reads_each_clause_in_a_sentence(voted_draft):
    text = markdown(voted_draft, ("consensus",))
    entry = text[text.index("### 2 `freedoms`"):]
    assert ("\n\nGroups disagree: approval is 75% among Developers but only 25% among "
            "Legislators.\n\n| group |") in entry
    assert "All 4 groups mostly approve; least convinced: Companies (75%)." in text
    assert "`preamble`" not in text[text.index("## Annex A"):]  # a section: not counted


def test_consensus_annex_says_no_votes_yet(published_draft):
    text = markdown(published_draft, ("consensus",))
    assert "### 2 `freedoms`: insufficient\n\nB – · C – · F – · P – · D – · " in text
    assert text.count("\n\nNo votes yet.") == 2
