"""Voting on the reader and the clause page: htmx partials, plain posts, rationale, permissions."""

import re

import pytest

from deliberation.models import Vote
from tests.helpers import url

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_visitors_see_disabled_vote_buttons_and_how_to_vote(client, published_draft):
    html = client.get(url("reader", published_draft)).content.decode()
    assert "<fieldset disabled>" in html
    assert "join a stakeholder group to vote" in html


def test_registered_users_who_are_not_members_cannot_vote(user_client, clause):
    html = user_client.get(url("clause", clause.draft, "freedoms")).content.decode()
    assert "<fieldset disabled>" in html
    response = user_client.post(url("vote", clause.draft, "freedoms"), {"position": "support"})
    assert response.status_code == 403
    assert "Only verified members of this definition may do this." in response.content.decode()
    assert not Vote.objects.exists()


def test_verified_members_see_enabled_vote_buttons(member_client, published_draft):
    html = member_client.get(url("reader", published_draft)).content.decode()
    assert "<fieldset disabled>" not in html
    assert 'id="vote-freedoms-support"' in html and "You vote as a member of" in html


@pytest.mark.django_db(transaction=True)
def test_htmx_vote_returns_the_block_with_fresh_bars(member_client, member, clause):
    # A real commit: the in-process recompute runs before the view re-reads the summary.
    response = member_client.post(url("vote", clause.draft, "freedoms"),
                                  {"position": "support"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="vote-block" id="vote-freedoms"')
    assert "<html" not in html
    assert re.search(r'id="vote-freedoms-support"\s+class="pos pos-support" aria-pressed="true"',
                     html)
    assert 'data-position="support"' in html  # the bars were re-read after the recompute
    assert Vote.objects.get(voter=member).position == "support"


def test_oppose_without_rationale_names_the_field_and_opens_it(member_client, clause):
    response = member_client.post(url("vote", clause.draft, "freedoms"),
                                  {"position": "oppose", "rationale": ""}, **HTMX)
    html = response.content.decode()
    assert "Rationale: A rationale is required to oppose." in html
    assert 'aria-invalid="true"' in html
    assert '<div class="rationale" hidden>' not in html
    assert not Vote.objects.exists()


def test_block_with_rationale_is_recorded_as_an_objection(member_client, member, clause,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(url("vote", clause.draft, "freedoms"),
                           {"position": "block", "rationale": "Weights must be open."}, **HTMX)
    vote = Vote.objects.get(voter=member)
    assert vote.position == "block" and vote.objection.body == "Weights must be open."
    html = member_client.get(url("clause", clause.draft, "freedoms")).content.decode()
    assert "1 sustained block" in html and "Weights must be open." in html


def test_plain_post_votes_and_redirects_back(member_client, member, clause):
    reader = url("reader", clause.draft)
    response = member_client.post(url("vote", clause.draft, "freedoms"),
                                  {"position": "accept", "next": reader})
    assert response.status_code == 302 and response["Location"] == reader
    assert Vote.objects.get(voter=member).position == "accept"


def test_plain_post_never_redirects_off_site(member_client, clause):
    response = member_client.post(url("vote", clause.draft, "freedoms"),
                                  {"position": "accept", "next": "https://evil.example/"})
    assert response["Location"].startswith("/d/osaid/v/0.0.8/c/freedoms/")


def test_plain_post_error_goes_to_the_clause_page_with_the_rationale(member_client, clause):
    response = member_client.post(url("vote", clause.draft, "freedoms"), {"position": "block"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="rationale" hidden>' not in html
    # The message beside the field, which says it is invalid and gets the focus (#14 item 7).
    field = re.search(r'<textarea id="rationale-freedoms"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="vote-error-freedoms"' in field
    assert "autofocus" in field
    after = html[html.index(field):]
    assert re.match(r'[^<]*</textarea>\s*<p class="error" id="vote-error-freedoms" role="alert">'
                    r"Rationale: A rationale is required to block.</p>", after[len(field):])
    assert 'value="block" id="vote-freedoms-rationale-submit"' in html
    assert "Block with this rationale" in html
    assert '<div class="messages"' not in html  # no flash at the top


def test_plain_post_of_oppose_with_a_rationale_from_its_own_button(member_client, member,
                                                                    clause):
    html = member_client.get(url("clause", clause.draft, "freedoms")).content.decode()
    assert 'value="oppose" id="vote-freedoms-rationale-submit"' in html
    member_client.post(url("vote", clause.draft, "freedoms"),
                       {"position": "oppose", "rationale": "Too narrow."})
    assert Vote.objects.get(voter=member).position == "oppose"


def test_retract_removes_the_vote(member_client, member, clause):
    member_client.post(url("vote", clause.draft, "freedoms"), {"position": "support"}, **HTMX)
    html = member_client.post(url("vote", clause.draft, "freedoms"), {"position": "retract"},
                              **HTMX).content.decode()
    assert not Vote.objects.filter(voter=member).exists()
    assert 'aria-pressed="true"' not in html


def test_closed_draft_refuses_votes(member_client, clause):
    clause.draft.__class__.objects.filter(pk=clause.draft.pk).update(status="closed")
    html = member_client.post(url("vote", clause.draft, "freedoms"), {"position": "support"},
                              **HTMX).content.decode()
    assert "is closed: votes are not accepted" in html
    assert "This draft is not open for votes." in html


def test_stale_block_polls_only_with_a_broker(member_client, clause, settings):
    from config.celery import app
    from deliberation.consensus.recompute import ensure_summary, mark_stale

    ensure_summary(clause)
    mark_stale([clause.pk])
    block = url("vote_block", clause.draft, "freedoms")
    assert 'hx-trigger="every 1s"' not in member_client.get(block).content.decode()
    app.conf.task_always_eager = False
    try:
        html = member_client.get(block).content.decode()
    finally:
        app.conf.task_always_eager = True
    assert 'hx-trigger="every 1s"' in html and "updating…" in html
