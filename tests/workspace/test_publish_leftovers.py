"""Publishing safely: the publish page shows what the closing draft leaves behind and asks for a
confirmation with a public reason; dispositions "addressed in the next draft" resolve then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from definition.models import Draft, Event
from deliberation.discussion.appeals import file_appeal
from deliberation.discussion.services import acknowledge_disposition, record_disposition
from deliberation.models import ClauseSummary, Disposition
from deliberation.votes.services import cast_vote
from tests.factories import CommentFactory
from workspace.publishing import get_leftovers

pytestmark = pytest.mark.django_db

PUBLISH = "/d/osaid/v/0.0.9/publish/"


def local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def leftovers(published_draft, members, facilitator):
    freedoms = published_draft.clauses.get(key="freedoms")
    open_comment = CommentFactory(clause=freedoms, author=members["lawyers-1"], body="Open.")
    cast_vote(actor=members["companies-1"], clause=freedoms, position="block", rationale="No.")
    appealed = CommentFactory(clause=freedoms, author=members["lawyers-2"], body="Appealed.")
    record_disposition(actor=facilitator, comment=appealed, status="declined", response="No.")
    acknowledge_disposition(actor=members["lawyers-2"], comment=appealed, satisfied=False)
    file_appeal(actor=members["lawyers-2"], comment=appealed, reason="Unheard.")
    return {"open": open_comment}


def test_the_leftovers_of_the_closing_draft(next_draft, leftovers, published_draft):
    found = get_leftovers(draft=next_draft)
    assert found.closing == published_draft
    assert (found.undisposed, found.sustained_blocks, found.open_appeals) == (2, 1, 1)


def test_clauses_whose_level_fell_against_the_draft_before(definition, published_draft,
                                                          next_draft):
    older = Draft.objects.create(definition=definition, version="0.0.7")
    why = published_draft.clauses.get(key="why")
    old_why = older.clauses.create(key="why", body="Old.", position=0)
    old_freedoms = older.clauses.create(key="freedoms", body="Old.", position=1)
    Draft.objects.filter(pk=older.pk).update(status="closed")
    Draft.objects.filter(pk=published_draft.pk).update(based_on=older)
    ClauseSummary.objects.create(clause=old_why, draft=older, level="strong")
    ClauseSummary.objects.create(clause=old_freedoms, draft=older, level="contested")
    ClauseSummary.objects.create(clause=why, draft=published_draft, level="contested")
    ClauseSummary.objects.create(clause=published_draft.clauses.get(key="freedoms"),
                                 draft=published_draft, level="rough")
    fallen = get_leftovers(draft=next_draft).fallen
    assert fallen == [("why", why.heading, "strong", "contested")]


def test_the_publish_page_warns_and_asks_for_a_reason(fac, next_draft, leftovers):
    html = fac.get(PUBLISH).content.decode()
    assert "Draft 0.0.8 closes with open items" in html
    assert "2 comments without disposition" in html and "1 sustained block" in html
    assert "1 open appeal" in html and 'id="confirm-leftovers"' in html

    unconfirmed = fac.post(PUBLISH, {"closes_at": local(timedelta(days=9)), "changelog": "C"})
    assert unconfirmed.status_code == 409
    assert "leaves open items" in unconfirmed.content.decode()
    no_reason = fac.post(PUBLISH, {"closes_at": local(timedelta(days=9)), "changelog": "C",
                                   "confirm": "yes"})
    assert no_reason.status_code == 409
    next_draft.refresh_from_db()
    assert next_draft.status == "editing"

    done = fac.post(PUBLISH, {"closes_at": local(timedelta(days=9)), "changelog": "C",
                              "confirm": "yes", "reason": "The period is over; 0.0.9 answers."})
    assert done.status_code == 302
    event = Event.objects.get(kind=Event.Kind.PUBLISHED_WITH_OPEN_ITEMS)
    assert event.reason == "The period is over; 0.0.9 answers."
    assert (event.data["undisposed"], event.data["sustained_blocks"],
            event.data["open_appeals"]) == (2, 1, 1)
    assert event.draft.version == "0.0.8"


def test_nothing_left_publishes_without_confirmation(fac, next_draft, published_draft):
    assert "closes with open items" not in fac.get(PUBLISH).content.decode()
    response = fac.post(PUBLISH, {"closes_at": local(timedelta(days=9)), "changelog": "C"})
    assert response.status_code == 302
    assert not Event.objects.filter(kind=Event.Kind.PUBLISHED_WITH_OPEN_ITEMS).exists()


def test_addressed_in_the_next_draft_resolves_when_it_is_published(
        fac, facilitator, published_draft, members):
    comment = CommentFactory(clause=published_draft.clauses.get(key="why"),
                             author=members["lawyers-1"], body="Say why.")
    response = fac.post(f"/d/osaid/facilitate/comments/{comment.pk}/disposition/",
                        {"status": "accepted", "response": "In the next draft.",
                         "addressed_in": "next"})
    assert response.status_code == 302
    disposition = Disposition.objects.get(comment=comment)
    assert (disposition.addressed_in, disposition.addressed_in_next) == (None, True)
    from definition.editing import start_next_draft

    start_next_draft(actor=facilitator, definition=published_draft.definition, version="0.0.9")
    fac.post(PUBLISH, {"closes_at": local(timedelta(days=9)), "changelog": "C"})
    disposition.refresh_from_db()
    assert (disposition.addressed_in.version, disposition.addressed_in_next) == ("0.0.9", False)


API_PUBLISH = "/api/v1/definitions/osaid/drafts/0.0.9/publish/"


def _closes_at() -> str:
    return (timezone.now() + timedelta(days=9)).isoformat()


def _nothing_written(next_draft, published_draft, events: int) -> bool:
    next_draft.refresh_from_db()
    published_draft.refresh_from_db()
    return (next_draft.status, published_draft.status, Event.objects.count()) == (
        "editing", "open", events)


def test_the_api_asks_for_the_same_confirmation_as_the_page(api, facilitator, next_draft,
                                                           published_draft, leftovers):
    events = Event.objects.count()
    refused = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at()}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert list(body["errors"]) == ["confirm"]
    assert "2 comment(s) without disposition, 1 sustained block(s), 1 open appeal(s)" in \
        body["detail"]
    assert body["leftovers"] == {"closing": "0.0.8", "undisposed": 2, "sustained_blocks": 1,
                                 "open_appeals": 1, "fallen": []}
    assert _nothing_written(next_draft, published_draft, events)

    reason_only = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at(),
                                                      "reason": "Out of time."}, format="json")
    assert reason_only.status_code == 409 and list(reason_only.json()["errors"]) == ["confirm"]
    no_reason = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at(), "confirm": True,
                                                    "reason": "  "}, format="json")
    assert no_reason.status_code == 409 and list(no_reason.json()["errors"]) == ["reason"]
    assert no_reason.json()["leftovers"]["undisposed"] == 2
    assert _nothing_written(next_draft, published_draft, events)


def test_the_api_publishes_with_confirmation_and_logs_the_reason(api, facilitator, next_draft,
                                                                 leftovers):
    response = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at(), "confirm": True,
                                                   "reason": "Out of time."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"
    event = Event.objects.get(kind=Event.Kind.PUBLISHED_WITH_OPEN_ITEMS)
    assert (event.reason, event.data["undisposed"], event.data["open_appeals"]) == (
        "Out of time.", 2, 1)
    assert event.draft.version == "0.0.8"


def test_the_api_names_the_clauses_whose_level_fell(api, facilitator, definition,
                                                    published_draft, next_draft):
    older = Draft.objects.create(definition=definition, version="0.0.7")
    ClauseSummary.objects.create(clause=older.clauses.create(key="why", body="Old.", position=0),
                                 draft=older, level="strong")
    Draft.objects.filter(pk=older.pk).update(status="closed")
    Draft.objects.filter(pk=published_draft.pk).update(based_on=older)
    ClauseSummary.objects.create(clause=published_draft.clauses.get(key="why"),
                                 draft=published_draft, level="contested")
    refused = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at()}, format="json")
    assert refused.status_code == 409
    assert refused.json()["leftovers"]["fallen"] == [
        {"key": "why", "heading": "", "level_before": "strong", "level": "contested"}]
    assert "1 clause(s) whose level fell (why)" in refused.json()["detail"]


def test_the_api_publishes_without_confirmation_when_nothing_is_left(api, facilitator,
                                                                     next_draft):
    response = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at()}, format="json")
    assert response.status_code == 200
    assert not Event.objects.filter(kind=Event.Kind.PUBLISHED_WITH_OPEN_ITEMS).exists()


def test_a_confirmation_that_is_not_a_boolean_names_the_field(api, facilitator, next_draft,
                                                              leftovers):
    response = api(facilitator).post(API_PUBLISH, {"closes_at": _closes_at(), "confirm": "maybe",
                                                   "reason": "R."}, format="json")
    assert response.status_code == 400 and "confirm" in response.json()["errors"]


def test_the_api_records_addressed_in_the_next_draft(api, facilitator, published_draft, members):
    comment = CommentFactory(clause=published_draft.clauses.get(key="why"),
                             author=members["lawyers-1"], body="Say why.")
    response = api(facilitator).post(f"/api/v1/comments/{comment.pk}/disposition/",
                                     {"status": "accepted", "response": "Next time.",
                                      "addressed_in_next": True}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["addressed_in"], response.json()["addressed_in_next"]) == (None, True)
    both = api(facilitator).post(f"/api/v1/comments/{comment.pk}/disposition/",
                                 {"status": "accepted", "response": "Both.",
                                  "addressed_in": "0.0.8", "addressed_in_next": True},
                                 format="json")
    assert both.status_code == 400 and "addressed_in" in both.json()["errors"]


def test_the_schema_describes_the_confirmation(api, db):
    schema = api().get("/api/v1/schema/?format=json").json()
    publish = schema["paths"]["/api/v1/definitions/{d}/drafts/{v}/publish/"]["post"]
    body = publish["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    fields = schema["components"]["schemas"][body]["properties"]
    assert {"closes_at", "confirm", "reason"} <= set(fields)
    assert "409" in fields["confirm"]["description"]
    refused = publish["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert "leftovers" in schema["components"]["schemas"][refused.split("/")[-1]]["properties"]
