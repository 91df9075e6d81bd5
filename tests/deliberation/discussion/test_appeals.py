"""Appeals: an author not satisfied with a disposition appeals; an admin upholds (the comment is
reopened) or denies it with reasons; public in the log, the report and the clause page."""

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Event
from deliberation.discussion.appeals import answer_appeal, decide_appeal, file_appeal
from deliberation.discussion.services import acknowledge_disposition, record_disposition
from deliberation.models import Appeal, ClauseSummary, Disposition
from deliberation.votes.services import cast_vote
from tests.factories import CommentFactory, UserFactory
from tests.helpers import client_for, client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(clause, member):
    return CommentFactory(clause=clause, author=member, body="Name the four freedoms.",
                          author_verified=True)


@pytest.fixture
def unsatisfied(comment, facilitator, member):
    record_disposition(actor=facilitator, comment=comment, status="declined",
                       response="The preamble says it.")
    acknowledge_disposition(actor=member, comment=comment, satisfied=False, note="It does not.")
    return comment


@pytest.fixture
def other_admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_an_unsatisfied_author_appeals_and_it_is_logged(unsatisfied, member):
    appeal = file_appeal(actor=member, comment=unsatisfied, reason="The preamble is silent.")

    row = Appeal.objects.get()
    assert (row.pk, row.status, row.reason) == (appeal.pk, "open", "The preamble is silent.")
    assert (row.disposition_status, row.disposition_response) == ("declined",
                                                                  "The preamble says it.")
    event = Event.objects.get(kind=Event.Kind.APPEAL_FILED)
    assert event.actor == member and event.data["appeal"] == appeal.pk
    assert event.reason == "The preamble is silent."


def test_only_the_author_appeals(unsatisfied, members):
    with pytest.raises(NotAllowed):
        file_appeal(actor=members["lawyers-1"], comment=unsatisfied, reason="Me too.")
    assert Appeal.objects.count() == 0


def test_an_author_must_say_not_satisfied_first(comment, facilitator, member):
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")
    with pytest.raises(Conflict):
        file_appeal(actor=member, comment=comment, reason="Unfair.")
    acknowledge_disposition(actor=member, comment=comment, satisfied=True)
    with pytest.raises(Conflict):
        file_appeal(actor=member, comment=comment, reason="Unfair.")
    assert Appeal.objects.count() == 0


def test_a_comment_without_disposition_cannot_be_appealed(comment, member):
    with pytest.raises(Conflict):
        file_appeal(actor=member, comment=comment, reason="Nobody answered.")


def test_one_appeal_per_disposition(unsatisfied, member, admin_user):
    appeal = file_appeal(actor=member, comment=unsatisfied, reason="Silent.")
    with pytest.raises(Conflict):
        file_appeal(actor=member, comment=unsatisfied, reason="Again.")
    decide_appeal(actor=admin_user, appeal=appeal, status="denied", reason="It is clear.")
    with pytest.raises(Conflict):
        file_appeal(actor=member, comment=unsatisfied, reason="Again.")
    assert Appeal.objects.count() == 1


def test_the_reason_is_required(unsatisfied, member):
    with pytest.raises(InvalidInput) as error:
        file_appeal(actor=member, comment=unsatisfied, reason="  ")
    assert error.value.field == "reason"


def test_an_upheld_appeal_reopens_the_comment_and_mails_the_author(
        unsatisfied, member, admin_user, mailbox, django_capture_on_commit_callbacks):
    appeal = file_appeal(actor=member, comment=unsatisfied, reason="Silent.")
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide_appeal(actor=admin_user, appeal=appeal, status="upheld",
                                reason="The preamble is indeed silent.")

    assert (decided.status, decided.decided_by) == ("upheld", admin_user)
    assert not Disposition.objects.filter(comment=unsatisfied).exists()
    assert Disposition.history.filter(comment_id=unsatisfied.pk).count() >= 2  # kept in history
    event = Event.objects.get(kind=Event.Kind.APPEAL_DECIDED)
    assert event.data["status"] == "upheld" and event.reason == "The preamble is indeed silent."
    assert [m.subject for m in mailbox if "appeal" in m.subject] == [
        f"[{unsatisfied.clause.draft.definition.title}] Your appeal #{appeal.pk}: upheld"]


def test_a_denied_appeal_keeps_the_disposition(unsatisfied, member, admin_user):
    appeal = file_appeal(actor=member, comment=unsatisfied, reason="Silent.")
    decide_appeal(actor=admin_user, appeal=appeal, status="denied", reason="It says so.")
    assert Disposition.objects.get(comment=unsatisfied).status == "declined"
    with pytest.raises(Conflict):
        decide_appeal(actor=admin_user, appeal=appeal, status="upheld", reason="Changed mind.")


def test_facilitators_answer_but_only_admins_decide(unsatisfied, member, facilitator):
    appeal = file_appeal(actor=member, comment=unsatisfied, reason="Silent.")
    answer_appeal(actor=facilitator, appeal=appeal, answer="See the preamble's second line.")
    with pytest.raises(NotAllowed):
        decide_appeal(actor=facilitator, appeal=appeal, status="upheld", reason="Fine.")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer, appeal.answered_by) == (
        "open", "See the preamble's second line.", facilitator)
    assert Event.objects.filter(kind=Event.Kind.APPEAL_ANSWERED).count() == 1


def test_an_admin_who_recorded_the_disposition_does_not_decide_its_appeal(
        comment, member, admin_user, other_admin):
    record_disposition(actor=admin_user, comment=comment, status="declined", response="No.")
    acknowledge_disposition(actor=member, comment=comment, satisfied=False)
    appeal = file_appeal(actor=member, comment=comment, reason="Unfair.")
    with pytest.raises(NotAllowed):
        decide_appeal(actor=admin_user, appeal=appeal, status="denied", reason="Mine stands.")
    assert decide_appeal(actor=other_admin, appeal=appeal, status="denied",
                         reason="It stands.").status == "denied"


def test_upholding_an_appeal_against_an_overruled_block_sustains_it_again(
        clause, members, facilitator, admin_user):
    voter = members["companies-1"]
    objection = cast_vote(actor=voter, clause=clause, position="block",
                          rationale="No data, no openness.").objection
    record_disposition(actor=facilitator, comment=objection, status="overruled",
                       response="The others agree.")
    acknowledge_disposition(actor=voter, comment=objection, satisfied=False)
    appeal = file_appeal(actor=voter, comment=objection, reason="Nobody answered the point.")
    decide_appeal(actor=admin_user, appeal=appeal, status="upheld", reason="Answer it.")
    from deliberation.consensus.recompute import recompute

    recompute(draft_id=clause.draft_id)
    assert ClauseSummary.objects.get(clause=clause).sustained_blocks == 1


# API ---------------------------------------------------------------------------------------------


def test_the_appeal_flow_through_the_api(unsatisfied, member, admin_user, definition):
    response = client_for(member).post(f"/api/v1/comments/{unsatisfied.pk}/appeal/",
                                       {"reason": "Silent."}, format="json")
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert (appeal["status"], appeal["author"], appeal["disposition_status"]) == (
        "open", member.username, "declined")
    again = client_for(member).post(f"/api/v1/comments/{unsatisfied.pk}/appeal/",
                                    {"reason": "Again."}, format="json")
    assert again.status_code == 409
    bad = client_for(admin_user).post(f"/api/v1/appeals/{appeal['id']}/decide/",
                                      {"status": "open", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    decided = client_for(admin_user).post(f"/api/v1/appeals/{appeal['id']}/decide/",
                                          {"status": "upheld", "reason": "Answer it."},
                                          format="json")
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["decided_by"]) == ("upheld", "admin")
    listed = client_for(None).get("/api/v1/definitions/osaid/appeals/").json()
    assert listed["count"] == 1 and listed["results"][0]["decision_reason"] == "Answer it."
    assert client_for(None).get("/api/v1/definitions/osaid/appeals/?status=open").json()[
        "count"] == 0
    report = client_for(None).get("/api/v1/definitions/osaid/drafts/0.0.8/dispositions/").json()
    row = next(r for r in report["results"] if r["id"] == unsatisfied.pk)
    assert (row["status"], row["appeal"], row["appeal_decision"]) == (None, "upheld",
                                                                      "Answer it.")


# Pages -------------------------------------------------------------------------------------------


def test_the_author_appeals_from_the_clause_page(unsatisfied, member, members):
    page = "/d/osaid/v/0.0.8/c/freedoms/"
    html = client_of(member).get(page).content.decode()
    assert f'id="appeal-reason-{unsatisfied.pk}"' in html
    assert "appeal-reason" not in client_of(members["lawyers-1"]).get(page).content.decode()
    response = client_of(member).post(f"/comments/{unsatisfied.pk}/appeal/",
                                      {"reason": "The preamble is silent."})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    html = client_of(None).get(page).content.decode()
    assert f'id="appeal-{appeal.pk}"' in html and "The preamble is silent." in html
    assert "Waiting for an admin" in html
    again = client_of(member).get(page).content.decode()
    assert f'id="appeal-reason-{unsatisfied.pk}"' not in again


def test_the_decision_log_page_shows_the_appeal(unsatisfied, member, admin_user):
    appeal = file_appeal(actor=member, comment=unsatisfied, reason="Silent.")
    decide_appeal(actor=admin_user, appeal=appeal, status="denied", reason="It stands.")
    html = client_of(None).get("/d/osaid/activity/").content.decode()
    assert f"Appeal #{appeal.pk} on comment #{unsatisfied.pk}: denied" in html
    assert "It stands." in html
