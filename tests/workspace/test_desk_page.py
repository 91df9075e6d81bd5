"""The facilitator desk: every item is shown and actionable in place; each decision is logged."""

import re

import pytest
from django.urls import reverse

from definition.models import Event, Job, Membership
from deliberation.discussion.grouping import regroup_clause
from deliberation.models import Comment, Disposition, Flag
from deliberation.votes.services import cast_vote
from tests.factories import ClauseFactory, CommentFactory, DefinitionFactory, DraftFactory

pytestmark = pytest.mark.django_db

DESK = "/d/osaid/facilitate/"


def action(pk: int, name: str) -> str:
    return reverse("workspace:facilitate_comment", args=["osaid", pk, name])


@pytest.fixture
def comment(clause, members):
    return CommentFactory(clause=clause, author=members["lawyers-1"], body="Say *which* freedoms.",
                          author_verified=True)


@pytest.fixture
def block(clause, members):
    cast_vote(actor=members["companies-1"], clause=clause, position="block",
              rationale="This kills our business.")
    return Comment.objects.get(kind="objection")


def test_the_desk_lists_what_needs_acting_on_queue_by_queue(fac, applicant, comment, block,
                                                            user):
    Flag.objects.create(comment=comment, user=user, reason="Off topic")
    html = fac.get(DESK).content.decode()
    assert f'id="disposition-{comment.pk}"' in html and f'id="disposition-{block.pk}"' in html
    assert '<strong>2</strong> without disposition' in html
    assert '<strong>1</strong> objections and sustained blocks' in html
    assert '<strong>1</strong> pending members' in html and '<strong>1</strong> flagged' in html
    assert "14 days left in the comment period" in html
    assert "/d/osaid/v/0.0.8/recompute/" in html
    members = fac.get(DESK + "?queue=members").content.decode()
    assert "Example Law LLP" in members and "Advises an AI vendor" in members
    objections = fac.get(DESK + "?queue=objections").content.decode()
    assert f'id="disposition-{block.pk}"' in objections
    assert f'id="disposition-{comment.pk}"' not in objections
    flags = fac.get(DESK + "?queue=flags").content.decode()
    assert f'id="flag-{comment.pk}"' in flags and "Off topic" in flags


def test_a_declined_block_stays_sustained_in_the_objections_queue(fac, block):
    fac.post(action(block.pk, "disposition"), {"status": "declined", "response": "No."})
    html = fac.get(DESK + "?queue=objections").content.decode()
    assert f'id="block-{block.pk}"' in html
    assert f'id="disposition-{block.pk}"' not in fac.get(DESK).content.decode()


def test_an_action_returns_to_the_queue_it_came_from(fac, comment):
    page = "http://testserver" + DESK + "?queue=comments&sort=support"
    response = fac.post(action(comment.pk, "disposition"),
                        {"status": "declined", "response": "No."}, HTTP_REFERER=page)
    assert response["Location"] == DESK + "?queue=comments&sort=support"
    elsewhere = fac.post(action(comment.pk, "disposition"), {"status": "declined",
                                                              "response": "No."},
                         HTTP_REFERER="http://evil.example" + DESK + "?queue=flags")
    assert elsewhere["Location"] == DESK


def test_verifying_a_member_changes_the_row_and_logs_it(fac, applicant):
    response = fac.post(reverse("workspace:decide_member", args=["osaid", applicant.pk, "verify"]))
    assert response.status_code == 302 and response["Location"] == DESK
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.VERIFIED
    assert Event.objects.filter(kind="member-verified", data__membership=applicant.pk).count() == 1


def test_verifying_with_htmx_returns_the_done_fragment(fac, applicant):
    url = reverse("workspace:decide_member", args=["osaid", applicant.pk, "verify"])
    response = fac.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "applicant verified." in response.content.decode()


def test_rejecting_records_the_public_reason(fac, applicant):
    url = reverse("workspace:decide_member", args=["osaid", applicant.pk, "reject"])
    fac.post(url, {"reason": "Not a lawyer"})
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.REJECTED
    assert Event.objects.get(kind="member-rejected").reason == "Not a lawyer"


def test_deciding_twice_shows_the_error_beside_the_item(fac, applicant):
    url = reverse("workspace:decide_member", args=["osaid", applicant.pk, "verify"])
    fac.post(url)
    response = fac.post(url, follow=True)
    html = response.content.decode()
    assert "Status: This membership is verified" in html
    assert Event.objects.filter(kind="member-verified").count() == 1


def test_recording_a_disposition(fac, comment, next_draft):
    response = fac.post(action(comment.pk, "disposition"),
                        {"status": "accepted", "response": "Listed now.", "addressed_in": "0.0.9"})
    assert response.status_code == 302
    disposition = Disposition.objects.get(comment=comment)
    assert (disposition.status, disposition.response) == ("accepted", "Listed now.")
    assert disposition.addressed_in == next_draft
    event = Event.objects.get(kind="disposition")
    assert event.reason == "Listed now." and event.data["comment"] == comment.pk
    assert f'id="disposition-{comment.pk}"' not in fac.get(DESK).content.decode()


def test_a_disposition_without_response_names_the_field(fac, comment):
    response = fac.post(action(comment.pk, "disposition"), {"status": "declined", "response": ""},
                        follow=True)
    assert "Response: This field is required." in response.content.decode()
    assert not Disposition.objects.exists()


def test_an_unknown_addressed_in_draft_names_the_field(fac, comment):
    response = fac.post(action(comment.pk, "disposition"),
                        {"status": "accepted", "response": "Ok", "addressed_in": "9.9"},
                        follow=True)
    assert "Addressed in: No such draft." in response.content.decode()
    assert not Disposition.objects.exists()


def test_overruling_a_block_needs_a_public_reason(fac, block):
    response = fac.post(action(block.pk, "disposition"), {"status": "overruled", "response": ""},
                        follow=True)
    assert "Response: This field is required." in response.content.decode()
    fac.post(action(block.pk, "disposition"),
             {"status": "overruled", "response": "Every other group supports it."})
    assert Event.objects.get(kind="block-overruled").reason == "Every other group supports it."
    objections = fac.get(DESK + "?queue=objections").content.decode()
    assert f'id="block-{block.pk}"' not in objections
    assert f'id="disposition-{block.pk}"' not in objections


def test_hiding_and_restoring_are_logged_publicly(fac, comment, client):
    fac.post(action(comment.pk, "hide"), {"reason": "Personal attack"})
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Personal attack"
    log = client.get("/d/osaid/activity/").content.decode()
    assert f"Comment #{comment.pk} hidden" in log and "Personal attack" in log
    fac.post(action(comment.pk, "restore"), {"reason": "Apology received"})
    comment.refresh_from_db()
    assert not comment.hidden
    assert Event.objects.get(kind="comment-restored").reason == "Apology received"


def test_hiding_without_reason_names_the_field(fac, comment):
    response = fac.post(action(comment.pk, "hide"), {"reason": " "}, follow=True)
    assert "Reason: This field is required." in response.content.decode()
    comment.refresh_from_db()
    assert not comment.hidden


def test_dismissing_flags(fac, comment, user):
    Flag.objects.create(comment=comment, user=user, reason="Spam?")
    fac.post(action(comment.pk, "dismiss-flags"))
    assert not Flag.objects.filter(resolved=False).exists()
    assert Event.objects.filter(kind="flags-resolved").count() == 1


def test_recompute_creates_a_job(fac, published_draft):
    response = fac.post(reverse("workspace:recompute", args=["osaid", "0.0.8"]))
    assert response.status_code == 302
    assert Job.objects.filter(kind="recompute", draft=published_draft).count() == 1


def test_a_comment_of_another_definition_is_404(fac, facilitator):
    other = DefinitionFactory(slug="other")
    other.facilitators.add(facilitator)
    draft = DraftFactory(definition=other, version="1")
    foreign = CommentFactory(clause=ClauseFactory(draft=draft, key="x", body="X"))
    assert fac.post(action(foreign.pk, "hide"), {"reason": "no"}).status_code == 404


def test_every_label_of_an_answer_form_names_its_field(fac, comment, block, members, clause):
    """Each form's labels point at its fields (an `id` built from the comment's id), and the
    options rendered once for the page are in each: overruling only for a block."""
    CommentFactory(clause=clause, author=members["lawyers-2"], body=comment.body)  # a group
    regroup_clause(clause.pk)
    html = fac.get(DESK).content.decode()
    ids = set(re.findall(r'<(?:select|textarea|input)[^>]* id="([^"]+)"', html))
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids, target
    assert f'id="group-addressed-{comment.pk}"' in html and f'id="addressed-{block.pk}"' in html
    block_form = html[html.index(f'id="status-{block.pk}"'):]
    assert 'value="overruled"' in block_form[:block_form.index("</select>")]
    group_form = html[html.index(f'id="group-status-{comment.pk}"'):]
    assert 'value="overruled"' not in group_form[:group_form.index("</select>")]
    assert 'value="next"' in group_form[:group_form.index("</form>")]
