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


FORMULAS = ("=HYPERLINK(\"http://evil.example\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx")


def test_every_csv_cell_that_starts_like_a_formula_stays_text(voted_draft, facilitator,
                                                              members):
    """Ballot rationales, comment bodies and disposition responses are prefixed with a quote."""
    from deliberation.models import Comment, Vote

    votes = list(Vote.objects.filter(clause__draft=voted_draft).order_by("pk")[:len(FORMULAS)])
    for vote, formula in zip(votes, FORMULAS, strict=True):
        Vote.objects.filter(pk=vote.pk).update(rationale=formula)
    objection = Comment.objects.get(clause__draft=voted_draft, kind="objection")
    Comment.objects.filter(pk=objection.pk).update(body="=1+1", quote="@cmd")
    objection.disposition.response = "+danger"
    objection.disposition.save()

    def exact_rows(export):  # keeps a carriage return inside a quoted cell
        return list(csv.DictReader(io.StringIO(export.content.decode(), newline="")))

    rationales = {r["rationale"] for r in exact_rows(export_ballot(draft=voted_draft,
                                                                   viewer=facilitator))}
    comment = next(r for r in exact_rows(export_comments(draft=voted_draft, viewer=facilitator,
                                                         moderator=True))
                   if r["kind"] == "objection")

    assert {"'" + formula for formula in FORMULAS} <= rationales
    assert (comment["body"], comment["quote"], comment["response"]) == (
        "'=1+1", "'@cmd", "'+danger")


def test_one_function_writes_every_csv_of_the_site():
    """No module but core.spreadsheets builds a csv.writer, so no CSV escapes its own way."""
    from pathlib import Path

    from core import spreadsheets

    root = Path(spreadsheets.__file__).resolve().parents[1]
    writers = sorted(str(path.relative_to(root))
                     for app in ("accounts", "config", "core", "definition", "deliberation",
                                 "workspace")
                     for path in (root / app).rglob("*.py") if "csv.writer(" in path.read_text())
    assert writers == ["core/spreadsheets.py"]
    assert spreadsheets.spreadsheet_cell("=1") == "'=1"
    assert spreadsheets.spreadsheet_cell("plain") == "plain"
    assert spreadsheets.spreadsheet_cell(None) == ""
    assert spreadsheets.spreadsheet_cell(3) == "3"
