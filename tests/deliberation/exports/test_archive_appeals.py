"""The archive holds the appeals (#15): each with the disposition appealed against, the
facilitators' answer and the decision; the public archive as the decision log shows them; a
restore brings them back with their place in the log."""

import json

import pytest

from definition.models import Definition, Event
from deliberation.discussion.appeals import answer_appeal, decide_appeal, file_appeal
from deliberation.discussion.services import acknowledge_disposition, record_disposition
from deliberation.exports.archive import build_archive
from deliberation.exports.archive_import import import_archive
from deliberation.models import Appeal, Comment

pytestmark = pytest.mark.django_db


def archive_of(definition, full=True):
    return json.loads(json.dumps(build_archive(definition=definition, full=full)))


@pytest.fixture
def appealed(voted_draft, members, facilitator, admin_user):
    """A denied appeal on the objection (answered first) and an open one on a comment."""
    objection = Comment.objects.get(kind="objection")
    denied = file_appeal(actor=members["legislators-1"], comment=objection, reason="Not heard.")
    answer_appeal(actor=facilitator, appeal=denied, answer="We heard it twice.")
    decide_appeal(actor=admin_user, appeal=denied, status="denied", reason="Answered in full.")
    comment = Comment.objects.get(body="Well put.")
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")
    acknowledge_disposition(actor=members["developers-1"], comment=comment, satisfied=False)
    pending = file_appeal(actor=members["developers-1"], comment=comment, reason="Why not?")
    return {"denied": denied, "open": pending, "objection": objection, "comment": comment}


def _by_reason(data: dict) -> dict:
    return {a["reason"]: a for a in data["appeals"]}


def test_the_complete_archive_holds_every_appeal_and_its_decision(voted_draft, appealed):
    data = archive_of(voted_draft.definition)
    appeals = _by_reason(data)
    assert set(appeals) == {"Not heard.", "Why not?"}
    denied = appeals["Not heard."]
    assert data["comments"][denied["comment"] - 1]["kind"] == "objection"
    assert (denied["author"], denied["status"], denied["disposition_status"],
            denied["disposition_response"], denied["disposition_decided_by"]) == (
        "legislators-1", "denied", "declined", "Kept as is.", "facilitator")
    assert (denied["answer"], denied["answered_by"]) == ("We heard it twice.", "facilitator")
    assert (denied["decision_reason"], denied["decided_by"]) == ("Answered in full.", "admin")
    assert denied["decided_at"] and denied["answered_at"] and denied["created_at"]
    pending = appeals["Why not?"]
    assert (pending["status"], pending["decided_by"], pending["decision_reason"]) == (
        "open", None, "")
    assert data["comments"][pending["comment"] - 1]["body"] == "Well put."


def test_the_log_points_at_the_archived_appeals(voted_draft, appealed):
    data = archive_of(voted_draft.definition)
    decided = next(e for e in data["events"] if e["kind"] == Event.Kind.APPEAL_DECIDED)
    appeal = data["appeals"][decided["data"]["appeal"] - 1]
    assert appeal["reason"] == "Not heard." and decided["reason"] == appeal["decision_reason"]
    assert decided["data"]["comment"] == appeal["comment"]


def test_the_public_archive_shows_what_the_log_makes_public(voted_draft, appealed):
    public = _by_reason(archive_of(voted_draft.definition, full=False))
    assert set(public) == {"Not heard.", "Why not?"}
    assert public["Not heard."]["decision_reason"] == "Answered in full."
    assert public["Not heard."]["answer"] == "We heard it twice."
    log = {e.reason for e in Event.objects.filter(kind__startswith="appeal")}
    assert {"Not heard.", "We heard it twice.", "Answered in full.", "Why not?"} <= log


def test_private_votes_keep_the_appellant_of_an_objection_pseudonymous(voted_draft, appealed):
    voted_draft.definition.votes_public = False
    voted_draft.definition.save()
    public = archive_of(voted_draft.definition, full=False)
    appeals = _by_reason(public)
    objection = public["comments"][appeals["Not heard."]["comment"] - 1]
    assert appeals["Not heard."]["author"] == objection["author"]
    assert appeals["Not heard."]["author"].startswith("voter-")
    assert appeals["Why not?"]["author"] == "developers-1"  # a comment is signed


def test_a_restore_brings_the_appeals_back(voted_draft, appealed, admin_user):
    first = archive_of(voted_draft.definition)
    Definition.objects.filter(slug="osaid").delete()
    assert not Appeal.objects.exists()
    import_archive(actor=admin_user, data=first)
    assert archive_of(Definition.objects.get(slug="osaid")) == first
    denied = Appeal.objects.get(reason="Not heard.")
    assert (denied.status, denied.comment.kind, denied.decided_by.username) == (
        "denied", "objection", "admin")
    assert Appeal.objects.get(reason="Why not?").status == "open"


def test_an_archive_from_before_appeals_restores_with_none(voted_draft, admin_user):
    data = archive_of(voted_draft.definition)
    del data["appeals"]
    Definition.objects.filter(slug="osaid").delete()
    import_archive(actor=admin_user, data=data)
    assert archive_of(Definition.objects.get(slug="osaid"))["appeals"] == []
