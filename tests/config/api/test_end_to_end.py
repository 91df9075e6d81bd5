"""PRODUCT.md §3, steps 1 to 6, through HTTP only, with the real OSAID drafts 0.0.8 and 0.0.9."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from definition.models import Clause, Definition, Draft, Event, Membership
from deliberation.models import Comment, Disposition, Vote

pytestmark = pytest.mark.django_db

API = "/api/v1/"
D = API + "definitions/osaid/"
PASSWORD = "correct horse battery staple"
PEOPLE = {"dev-ana": "developers", "dev-bo": "developers", "law-cy": "lawyers",
          "leg-di": "legislators", "co-ed": "companies"}


class Http:
    """A client that signs in through the API, and checks each status as it goes."""

    def __init__(self, token: str | None = None):
        self.client = APIClient()
        if token:
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    def __call__(self, method: str, path: str, body=None, *, expect: int = 200):
        url = path if path.startswith("/") else API + path
        response = getattr(self.client, method)(url, body, format="json") if body is not None \
            else getattr(self.client, method)(url)
        assert response.status_code == expect, (method, url, response.content[:500])
        return response.json() if response.content else None

    @classmethod
    def sign_up(cls, username: str) -> "Http":
        anonymous = cls()
        anonymous("post", "auth/register/", {"username": username, "password": PASSWORD,
                                              "email": f"{username}@example.org"}, expect=201)
        return cls.sign_in(username)

    @classmethod
    def sign_in(cls, username: str) -> "Http":
        token = cls()("post", "auth/token/", {"username": username, "password": PASSWORD})
        return cls(token["token"])


def all_clauses(http: Http, version: str) -> list[dict]:
    return http("get", D + f"drafts/{version}/")["clauses"]


def test_the_osaid_process_from_0_0_8_to_0_0_9(admin_user, corpus_dir):
    text_008 = (corpus_dir / "osaid-0.0.8.md").read_text()
    text_009 = (corpus_dir / "osaid-0.0.9.md").read_text()
    visitor = Http()

    # 1. An admin creates the definition and names two facilitators.
    admin = Http.sign_in("admin")
    admin("post", "definitions/", {"slug": "osaid", "title": "Open Source AI Definition",
                                   "summary": "What Open Source means for AI."}, expect=201)
    facilitators = {name: Http.sign_up(name) for name in ("stef", "mer")}
    for name in facilitators:
        admin("post", D + "facilitators/", {"username": name}, expect=201)
    definition = Definition.objects.get(slug="osaid")
    assert sorted(definition.facilitators.values_list("username", flat=True)) == ["mer", "stef"]
    assert sorted(visitor("get", D)["facilitators"]) == ["mer", "stef"]
    stef = facilitators["stef"]

    # 2. A facilitator imports 0.0.8 from Markdown, reviews it and publishes it.
    imported = stef("post", D + "drafts/import/", {"version": "0.0.8", "markdown": text_008},
                    expect=201)
    keys_008 = [c["key"] for c in imported["clauses"]]
    assert len(keys_008) >= 10 and "preamble" in keys_008
    assert Clause.objects.filter(draft__version="0.0.8").count() == len(keys_008)
    assert [c["key"] for c in all_clauses(stef, "0.0.8")] == keys_008
    visitor("get", D + "drafts/0.0.8/", expect=404)  # seen by its facilitators until published
    closes_at = (timezone.now() + timedelta(days=14)).isoformat()
    stef("post", D + "drafts/0.0.8/publish/", {"closes_at": closes_at})
    assert Draft.objects.get(version="0.0.8").status == Draft.Status.OPEN
    assert visitor("get", D)["current_draft"] == "0.0.8"

    # 3. People sign up, apply to a group with their affiliation; facilitators verify them.
    people = {name: Http.sign_up(name) for name in PEOPLE}
    for name, group in PEOPLE.items():
        people[name]("post", D + "memberships/", {"group": group, "affiliation": f"{name} Org",
                                                  "conflict_of_interest": "None."}, expect=201)
    pending = stef("get", D + "memberships/?status=pending")["results"]
    assert sorted(m["user"] for m in pending) == sorted(PEOPLE)
    for membership in pending:
        facilitators["mer"]("post", D + f"memberships/{membership['id']}/verify/", {})
    assert Membership.objects.filter(status="verified").count() == len(PEOPLE)

    # 4. Members vote on each clause, comment, quote, suggest and reply.
    everything = all_clauses(people["dev-ana"], "0.0.8")
    clauses = [c for c in everything if c["body"].strip()]  # sections take no vote (§2)
    section = next(c for c in everything if not c["body"].strip())
    people["dev-ana"]("put", D + f"drafts/0.0.8/clauses/{section['key']}/vote/",
                      {"position": "support"}, expect=409)
    for name in PEOPLE:
        for clause in clauses:
            people[name]("put", D + f"drafts/0.0.8/clauses/{clause['key']}/vote/",
                         {"position": "support"})
    assert Vote.objects.filter(clause__draft__version="0.0.8").count() == \
        len(PEOPLE) * len(clauses)
    target = next(c for c in clauses if "benefits" in c["body"])
    k = D + f"drafts/0.0.8/clauses/{target['key']}/"
    people["law-cy"]("put", k + "vote/", {"position": "block",
                                          "rationale": "“Massive benefits” is not a legal term."})
    question = people["leg-di"]("post", k + "comments/", {
        "body": "Which benefits?", "kind": "question", "quote": "massive benefits"}, expect=201)
    people["dev-bo"]("post", k + "comments/", {"body": "Autonomy and transparency.",
                                               "parent": question["id"]}, expect=201)
    suggestion = people["co-ed"]("post", k + "comments/", {
        "body": "Less grand, please.", "kind": "suggestion",
        "proposed_text": target["body"].replace("massive benefits", "benefits")}, expect=201)
    people["dev-ana"]("post", f"comments/{suggestion['id']}/endorse/", {})
    threads = visitor("get", k + "comments/")["results"]
    assert {t["kind"] for t in threads} == {"objection", "question", "suggestion"}
    assert next(t for t in threads if t["kind"] == "question")["replies"][0]["author"] == "dev-bo"
    assert visitor("get", f"{API}comments/{suggestion['id']}/")["endorsements"] == 1
    ballot = visitor("get", k + "votes/")
    assert ballot["count"] == len(PEOPLE)

    # 5. The facilitator records dispositions; authors acknowledge them.
    objection = next(t for t in threads if t["kind"] == "objection")
    stef("post", f"comments/{suggestion['id']}/disposition/",
         {"status": "accepted", "response": "We will drop “massive” in 0.0.9."})
    stef("post", f"comments/{objection['id']}/disposition/",
         {"status": "resolved", "response": "Addressed by the accepted suggestion."})
    stef("post", f"comments/{question['id']}/disposition/",
         {"status": "resolved", "response": "Answered in the thread."})
    people["co-ed"]("post", f"comments/{suggestion['id']}/acknowledge/", {"satisfied": True})
    assert Disposition.objects.count() == 3
    assert Disposition.objects.get(comment_id=suggestion["id"]).acknowledged_satisfied is True
    people["law-cy"]("post", f"comments/{objection['id']}/acknowledge/", {"satisfied": False},
                     expect=200)

    # 6. The facilitator makes 0.0.9 from 0.0.8, publishes it (0.0.8 closes); votes continue.
    draft_009 = stef("post", D + "drafts/import/", {"version": "0.0.9", "markdown": text_009,
                                                    "based_on": "0.0.8"}, expect=201)
    assert draft_009["based_on"] == "0.0.8"
    kept = {m["new_key"] for m in draft_009["matches"] if m["old_key"] == m["new_key"]}
    assert "preamble" in kept and len(kept) >= 10  # 0.0.9 dropped the checklist table
    visitor("get", D + "compare/?from=0.0.8&to=0.0.9", expect=404)  # not published yet
    comparison = stef("get", D + "compare/?from=0.0.8&to=0.0.9")
    statuses = {c["status"] for c in comparison["changes"]}
    assert "changed" in statuses and statuses <= {"added", "removed", "changed", "unchanged",
                                                  "renamed"}
    stef("patch", D + "drafts/0.0.9/", {"changelog": "Dropped “massive”; added a section."})
    stef("post", D + "drafts/0.0.9/publish/", {"closes_at": closes_at})
    assert dict(Draft.objects.values_list("version", "status")) == {"0.0.8": "closed",
                                                                    "0.0.9": "open"}
    people["dev-ana"]("put", k + "vote/", {"position": "accept"}, expect=409)
    clause_009 = next(c["key"] for c in all_clauses(visitor, "0.0.9") if c["body"].strip())
    people["dev-ana"]("put", D + f"drafts/0.0.9/clauses/{clause_009}/vote/",
                      {"position": "accept"})
    assert Vote.objects.filter(clause__draft__version="0.0.9").count() == 1
    assert Vote.objects.filter(clause__draft__version="0.0.8").count() == \
        len(PEOPLE) * len(clauses)
    history = visitor("get", D + "drafts/0.0.9/clauses/preamble/history/")
    assert [v["version"] for v in history["versions"]] == ["0.0.8", "0.0.9"]
    log = [e["kind"] for e in visitor("get", D + "activity/")["results"]]
    assert log[:2] == ["draft-published", "draft-closed"]
    assert {"definition-created", "facilitator-added", "member-verified", "disposition",
            "draft-created"} <= set(log)
    assert Comment.objects.filter(clause__draft__version="0.0.8").count() == 4
    assert Event.objects.filter(kind="member-verified").count() == len(PEOPLE)
