"""CSV of a draft's ballot (one row per current vote) and of its comments."""

import csv
import io

from deliberation.exports import export_ballot, export_comments
from deliberation.exports.tables import pseudonym


def rows(export):
    return list(csv.DictReader(io.StringIO(export.content.decode())))


def test_the_ballot_has_one_row_per_current_vote_with_names_when_public(voted_draft, user):
    export = export_ballot(draft=voted_draft, viewer=user)
    assert export.filename == "osaid-0.0.8-ballot.csv"
    ballot = rows(export)
    assert len(ballot) == 16
    row = next(r for r in ballot if r["voter"] == "legislators-1" and r["clause"] == "freedoms")
    assert (row["group"], row["position"], row["rationale"], row["number"]) == (
        "legislators", "oppose", "Too broad.", "2")


def test_the_ballot_uses_pseudonyms_when_votes_are_private(voted_draft, user, facilitator):
    voted_draft.definition.votes_public = False
    voted_draft.definition.save()
    voters = {r["voter"] for r in rows(export_ballot(draft=voted_draft, viewer=user))}
    assert pseudonym(voted_draft.definition, "lawyers-2") in voters
    assert not any(v.startswith(("lawyers", "developers")) for v in voters)
    named = {r["voter"] for r in rows(export_ballot(draft=voted_draft, viewer=facilitator))}
    assert "lawyers-2" in named


def test_the_comments_csv_has_dispositions_and_acknowledgements(voted_draft, user):
    comments = rows(export_comments(draft=voted_draft, viewer=user, moderator=False))
    objection = next(r for r in comments if r["kind"] == "objection")
    assert (objection["disposition"], objection["response"], objection["acknowledged"]) == (
        "declined", "Kept as is.", "not-satisfied")
    assert len(comments) == 2
