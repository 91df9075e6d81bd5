"""The generated changelog cites, per clause, the dispositions the draft answers (with those
"addressed in the next draft"), the suggestions taken with their authors, and open blocks."""

import pytest

from deliberation.discussion.services import record_disposition
from deliberation.votes.services import cast_vote
from tests.factories import CommentFactory
from workspace.changelog import generate_changelog

pytestmark = pytest.mark.django_db


def test_the_changelog_cites_answers_suggestions_and_open_blocks(facilitator, members,
                                                                  published_draft, next_draft):
    freedoms = published_draft.clauses.get(key="freedoms")
    asked = CommentFactory(clause=freedoms, author=members["lawyers-1"], body="Which ones?")
    record_disposition(actor=facilitator, comment=asked, status="accepted",
                       response="Listed in the next draft.\nSecond line.", addressed_in_next=True)
    taken = CommentFactory(clause=freedoms, author=members["lawyers-2"], kind="suggestion",
                           body="Shorter.", proposed_text="Use, study, modify, share.")
    record_disposition(actor=facilitator, comment=taken, status="accepted", response="Yes.",
                       addressed_in=next_draft)
    block = cast_vote(actor=members["companies-1"], clause=freedoms, position="block",
                      rationale="No data.").objection
    unrelated = CommentFactory(clause=freedoms, author=members["lawyers-1"], body="Later.")
    record_disposition(actor=facilitator, comment=unrelated, status="deferred", response="Later.")

    text = generate_changelog(draft=next_draft)

    number = [c for c in next_draft.clauses.all() if c.key == "freedoms"][0]
    assert "### Suggestions taken" in text
    assert f"suggestion #{taken.pk} accepted. Suggested by @lawyers-2." in text
    assert "### Comments answered" in text
    assert (f"`freedoms`: comment #{asked.pk} by @lawyers-1, accepted: "
            "Listed in the next draft.") in text
    assert f"#{unrelated.pk}" not in text
    assert "### Blocks still open" in text
    assert f"`freedoms`: block #{block.pk} by @companies-1 is still sustained." in text
    assert number.key == "freedoms"
