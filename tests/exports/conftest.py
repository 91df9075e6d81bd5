"""Drafts to export: the OSAID corpus imported version by version, and a small voted draft."""

from datetime import timedelta

import pytest
from django.utils import timezone

from definition import services
from definition.models import Draft
from deliberation.consensus.recompute import recompute
from deliberation.models import Disposition
from tests.factories import ClauseFactory, CommentFactory, DraftFactory, VoteFactory, open_draft


def import_corpus_file(*, actor, definition, path, based_on=None, version=None) -> Draft:
    text = path.read_text(encoding="utf-8")
    version = version or path.stem.removeprefix("osaid-")
    draft, _ = services.import_draft(actor=actor, definition=definition, version=version,
                                     markdown=text, based_on=based_on,
                                     changelog=f"Imported from `{path.name}`.")
    return draft


@pytest.fixture
def voted_draft(definition, facilitator, members, published_draft):
    """0.0.8 open, with votes from every group, an objection with a disposition and a comment."""
    definition.quorum = 2  # two members per group: every group that votes is quorate
    definition.save()
    freedoms = published_draft.clauses.get(key="freedoms")
    why = published_draft.clauses.get(key="why")
    positions = {"developers": "support", "lawyers": "accept", "legislators": "oppose",
                 "companies": "support"}
    for name, user in members.items():
        group = name.rsplit("-", 1)[0]
        membership = user.memberships.get()
        VoteFactory(clause=freedoms, membership=membership, position=positions[group],
                    rationale="Too broad." if positions[group] == "oppose" else "")
        VoteFactory(clause=why, membership=membership, position="support")
    objection = CommentFactory(clause=freedoms, author=members["legislators-1"], kind="objection",
                               body="Too broad.", author_verified=True,
                               vote=freedoms.votes.get(voter=members["legislators-1"]))
    Disposition.objects.create(comment=objection, status="declined", response="Kept as is.",
                               decided_at=timezone.now(), decided_by=facilitator,
                               acknowledged_satisfied=False,
                               acknowledgement_note="Still too broad.")
    CommentFactory(clause=why, author=members["developers-1"], body="Well put.",
                   author_verified=True)
    recompute(draft_id=published_draft.pk)
    return published_draft


def big_draft(definition, *, clauses: int, version: str = "9.9") -> Draft:
    draft = DraftFactory(definition=definition, version=version)
    sections = 10
    per = max(clauses // sections - 1, 1)
    for s in range(sections):
        section = ClauseFactory(draft=draft, key=f"section-{s}", heading=f"Section {s + 1}",
                                body="", kind="section", position=s)
        for c in range(per):
            ClauseFactory(draft=draft, key=f"s{s}-clause-{c}", parent=section, position=c,
                          body=f"Clause {c} of section {s}: the system may be used for any "
                               f"purpose and without having to ask for permission.[^{s}-{c}]"
                               f"\n\n[^{s}-{c}]: A footnote of clause {c}.")
    Draft.objects.filter(pk=draft.pk).update(
        status=Draft.Status.OPEN, published_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=7))
    return open_draft(draft)
