"""What each endpoint does, through HTTP, with the shapes of PRODUCT.md §5.1."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination

from accounts.models import User
from definition.models import Clause, Definition, Draft, Event, Membership
from deliberation.models import Comment, Disposition, Endorsement, Flag, Vote

pytestmark = pytest.mark.django_db

D = "/api/v1/definitions/osaid/"
V8, V9 = D + "drafts/0.0.8/", D + "drafts/0.0.9/"
K8 = V8 + "clauses/freedoms/"
PASSWORD = "a long enough passphrase"


def in_days(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


# Accounts ---------------------------------------------------------------------------------------


def test_it_registers_a_user_without_echoing_the_password(api, db):
    response = api().post("/api/v1/auth/register/",
                          {"username": "ada", "email": "ada@example.org", "password": PASSWORD},
                          format="json")

    assert response.status_code == 201
    assert response.json() == {"username": "ada", "email": "ada@example.org"}
    assert User.objects.get(username="ada").check_password(PASSWORD)


def test_it_refuses_a_weak_password_and_a_taken_username(api, user):
    weak = api().post("/api/v1/auth/register/",
                      {"username": "bob", "email": "b@example.org", "password": "123"},
                      format="json")
    taken = api().post("/api/v1/auth/register/",
                       {"username": "Registered", "email": "r@example.org", "password": PASSWORD},
                       format="json")

    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    assert taken.status_code == 409 and "username" in taken.json()["errors"]


def test_it_issues_a_token_that_authenticates(api, user, definition):
    response = api().post("/api/v1/auth/token/",
                          {"username": "registered", "password": "correct horse battery staple"},
                          format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=user).key
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(D + "memberships/").status_code == 200


# Definitions, groups, memberships ---------------------------------------------------------------


def test_an_admin_creates_a_definition_with_its_default_settings(api, admin_user):
    response = api(admin_user).post("/api/v1/definitions/",
                                    {"slug": "osd", "title": "Open Source Definition"},
                                    format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["current_draft"] is None
    assert body["settings"]["quorum"] == 5 and body["settings"]["votes_public"] is True
    assert body["settings"]["thresholds"]["rough_balanced"] == 0.6
    assert Definition.objects.get(slug="osd").groups.count() == 4


def test_a_facilitator_changes_settings_and_it_is_logged(api, facilitator, definition):
    response = api(facilitator).patch(
        D, {"title": "OSAID", "settings": {"quorum": 3, "votes_public": False,
                                           "thresholds": {"rough_balanced": 0.7}}},
        format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "OSAID" and body["facilitators"] == ["facilitator"]
    assert body["settings"]["quorum"] == 3 and body["settings"]["votes_public"] is False
    assert body["settings"]["thresholds"]["rough_balanced"] == 0.7
    assert Event.objects.filter(kind="settings-changed").exists()


def test_a_threshold_out_of_range_names_the_field(api, facilitator, definition):
    response = api(facilitator).patch(D, {"settings": {"thresholds": {"rough_balanced": 2}}},
                                      format="json")

    assert response.status_code == 400
    assert "settings.thresholds.rough_balanced" in response.json()["errors"]


def test_groups_are_listed_and_added(api, facilitator, definition):
    added = api(facilitator).post(D + "groups/", {"slug": "academia", "name": "Academia"},
                                  format="json")
    listed = api().get(D + "groups/").json()

    assert added.status_code == 201
    assert [g["slug"] for g in listed["results"]][-1] == "academia"
    assert set(listed["results"][0]) >= {"slug", "name", "description"}


def test_memberships_apply_list_and_decide(api, facilitator, user, definition):
    applied = api(user).post(D + "memberships/", {"group": "lawyers", "affiliation": "ACME",
                                                  "conflict_of_interest": "None."}, format="json")
    membership_id = applied.json()["id"]

    assert applied.status_code == 201
    assert applied.json() | {"created_at": None} == {
        "id": membership_id, "user": "registered", "group": "lawyers", "status": "pending",
        "affiliation": "ACME", "conflict_of_interest": "None.", "created_at": None,
        "decided_by": None, "decided_at": None, "decision_reason": ""}
    pending = api(facilitator).get(D + "memberships/?status=pending").json()
    assert [m["id"] for m in pending["results"]] == [membership_id]
    verified = api(facilitator).post(D + f"memberships/{membership_id}/verify/", {},
                                     format="json")
    assert verified.json()["status"] == "verified"
    assert verified.json()["decided_by"] == "facilitator"
    assert api(facilitator).get(D + "memberships/?status=pending").json()["count"] == 0
    revoked = api(facilitator).post(D + f"memberships/{membership_id}/revoke/",
                                    {"reason": "Changed employer."}, format="json")
    assert revoked.json()["status"] == "revoked"
    assert Event.objects.filter(kind="member-revoked", reason="Changed employer.").exists()


def test_revoking_needs_a_reason_and_a_verified_member(api, facilitator, world):
    pending_id = world["pending"].pk

    no_reason = api(facilitator).post(D + f"memberships/{world['membership'].pk}/revoke/", {},
                                      format="json")
    not_verified = api(facilitator).post(D + f"memberships/{pending_id}/revoke/",
                                         {"reason": "x"}, format="json")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert not_verified.status_code == 409


def test_members_see_only_their_own_membership(api, world, cast):
    listed = api(cast["member"]).get(D + "memberships/").json()

    assert [m["user"] for m in listed["results"]] == ["member"]


def test_a_membership_of_another_definition_is_404(api, facilitator, world, other_definition):
    other = Membership.objects.filter(definition=other_definition).first()

    response = api(facilitator).post(D + f"memberships/{other.pk}/verify/", {}, format="json")

    assert response.status_code == 404


def test_an_admin_names_a_facilitator(api, admin_user, user, definition):
    response = api(admin_user).post(D + "facilitators/", {"username": "registered"},
                                    format="json")
    missing = api(admin_user).post(D + "facilitators/", {"username": "nobody"}, format="json")

    assert response.status_code == 201 and response.json() == {"username": "registered"}
    assert definition.facilitators.filter(pk=user.pk).exists()
    assert missing.status_code == 400 and "username" in missing.json()["errors"]


# Drafts -----------------------------------------------------------------------------------------


def test_a_draft_reads_with_all_its_clauses_in_order(api, published_draft):
    body = api().get(V8).json()

    assert body["version"] == "0.0.8" and body["status"] == "open" and body["based_on"] is None
    assert [(c["key"], c["number"], c["parent"]) for c in body["clauses"]] == [
        ("preamble", "1", None), ("why", "1.1", "preamble"), ("freedoms", "2", None)]
    assert set(body["clauses"][0]) >= {"key", "number", "heading", "body", "parent", "position",
                                       "derived_from"}


def test_a_draft_based_on_another_copies_every_clause(api, facilitator, published_draft):
    response = api(facilitator).post(D + "drafts/", {"version": "0.0.9", "based_on": "0.0.8",
                                                     "changelog": "Clearer."}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["based_on"] == "0.0.8" and body["status"] == "editing"
    assert [c["key"] for c in body["clauses"]] == ["preamble", "why", "freedoms"]
    assert Clause.objects.filter(draft__version="0.0.9").count() == 3


def test_importing_markdown_returns_the_match_report(api, facilitator, published_draft):
    markdown = ("# OSAID\n\n## Preamble\n\nOpen Source has demonstrated many benefits.\n\n"
                "Use, study, modify and share.\n\nA brand new paragraph.\n")

    response = api(facilitator).post(D + "drafts/import/", {"version": "0.0.9",
                                                            "markdown": markdown,
                                                            "based_on": "0.0.8"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["based_on"] == "0.0.8"
    matches = {m["new_key"]: m for m in body["matches"]}
    assert (matches["freedoms"]["old_key"], matches["freedoms"]["how"]) == ("freedoms", "exact")
    assert (matches["why"]["old_key"], matches["why"]["how"]) == ("why", "similar")
    assert {m["how"] for m in body["matches"]} <= {"exact", "similar", "heading", "new"}
    assert [c["key"] for c in body["clauses"]] == [m["new_key"] for m in body["matches"]]


def test_importing_markdown_without_clauses_is_400(api, facilitator, definition):
    response = api(facilitator).post(D + "drafts/import/", {"version": "1", "markdown": "   "},
                                     format="json")

    assert response.status_code == 400 and "markdown" in response.json()["errors"]


def test_an_editing_draft_is_edited_and_deleted(api, facilitator, world):
    patched = api(facilitator).patch(V9, {"version": "0.0.9-rc", "changelog": "Tidied."},
                                     format="json")
    deleted = api(facilitator).delete(D + "drafts/0.0.9-rc/")

    assert patched.status_code == 200 and patched.json()["changelog"] == "Tidied."
    assert deleted.status_code == 204
    assert not Draft.objects.filter(version__startswith="0.0.9").exists()


def test_publishing_opens_the_draft_and_closes_the_open_one(api, facilitator, world):
    closes_at = in_days(20)

    # the world's 0.0.8 leaves comments without disposition: publishing confirms it (#15)
    response = api(facilitator).post(V9 + "publish/", {"closes_at": closes_at, "confirm": True,
                                                       "reason": "The period is over."},
                                     format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "open" and response.json()["published_at"]
    assert Draft.objects.get(version="0.0.8").status == "closed"
    assert api().get(D).json()["current_draft"] == "0.0.9"


def test_close_then_finalize(api, facilitator, world):
    closed = api(facilitator).post(V8 + "close/", {"reason": "Done."}, format="json")
    final = api(facilitator).post(V8 + "finalize/", {}, format="json")
    again = api(facilitator).post(V8 + "finalize/", {}, format="json")

    assert closed.json()["status"] == "closed" and final.json()["status"] == "final"
    assert again.status_code == 409
    assert api().get(D).json()["current_draft"] == "0.0.8"


# Clauses ----------------------------------------------------------------------------------------


def test_clauses_are_added_edited_and_deleted_while_editing(api, facilitator, world):
    client = api(facilitator)
    added = client.post(V9 + "clauses/", {"key": "scope", "heading": "Scope", "body": "All AI.",
                                          "position": 0}, format="json")
    child = client.post(V9 + "clauses/", {"key": "scope-note", "body": "Note.",
                                          "parent": "scope"}, format="json")
    renamed = client.patch(V9 + "clauses/freedoms/", {"key": "four-freedoms"}, format="json")
    deleted = client.delete(V9 + "clauses/preamble/")

    assert added.status_code == 201 and added.json()["number"] == "1"
    assert child.json()["number"] == "1.1" and child.json()["parent"] == "scope"
    assert renamed.json()["derived_from"] == ["freedoms"]
    assert deleted.status_code == 204
    keys = [c["key"] for c in client.get(V9 + "clauses/").json()["results"]]
    assert keys == ["scope", "scope-note", "four-freedoms"]


def test_a_clause_history_shows_every_version_with_diffs(api, world, facilitator):
    body = api(facilitator).get(V8 + "clauses/freedoms/history/").json()
    public = api().get(V8 + "clauses/freedoms/history/").json()

    assert body["key"] == "freedoms"
    versions = body["versions"]
    assert [v["version"] for v in versions] == ["0.0.7", "0.0.8", "0.0.9"]
    assert [v["version"] for v in public["versions"]] == ["0.0.7", "0.0.8"]  # 0.0.9 is editing
    assert [v["changed"] for v in versions] == [True, True, False]
    assert versions[0]["diff"] == [] and versions[1]["previous_version"] == "0.0.7"
    assert {"op": "insert", "text": ", modify and share"} in versions[1]["diff"] or any(
        op["op"] == "insert" for op in versions[1]["diff"])


def test_compare_reports_each_key(api, facilitator, world):
    client = api(facilitator)
    client.patch(V9 + "clauses/freedoms/", {"body": "Use, study, change and share."},
                 format="json")
    client.post(V9 + "clauses/", {"key": "new-one", "body": "Added."}, format="json")
    client.delete(V9 + "clauses/preamble/")

    body = client.get(D + "compare/?from=0.0.8&to=0.0.9").json()

    statuses = {c["key"]: c["status"] for c in body["changes"]}
    assert (body["from"], body["to"]) == ("0.0.8", "0.0.9")
    assert statuses == {"freedoms": "changed", "new-one": "added", "preamble": "removed",
                        "why": "removed"}
    changed = next(c for c in body["changes"] if c["key"] == "freedoms")
    assert {"op": "delete", "text": "modify"} in changed["diff"]
    assert {"op": "insert", "text": "change"} in changed["diff"]


# Votes ------------------------------------------------------------------------------------------


def test_a_member_votes_changes_and_retracts(api, member, clause):
    client = api(member)
    first = client.put(K8 + "vote/", {"position": "support"}, format="json")
    second = client.put(K8 + "vote/", {"position": "oppose", "rationale": "Vague."},
                        format="json")

    assert first.status_code == 200
    assert set(first.json()) >= {"position", "rationale", "group", "updated_at"}
    assert second.json()["position"] == "oppose" and second.json()["group"] == "developers"
    assert Comment.objects.get(kind="objection").body == "Vague."
    assert client.delete(K8 + "vote/").status_code == 204
    assert not Vote.objects.exists()
    assert client.delete(K8 + "vote/").status_code == 400


def test_the_ballot_lists_current_votes_paginated(api, members, clause, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 3)
    for name in ("developers-1", "lawyers-1", "legislators-1", "companies-1"):
        api(members[name]).put(K8 + "vote/", {"position": "accept"}, format="json")

    first = api().get(K8 + "votes/").json()
    second = api().get(K8 + "votes/?page=2").json()

    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    assert second["previous"] and len(second["results"]) == 1
    assert set(first["results"][0]) == {"voter", "group", "position", "rationale", "updated_at"}


# Comments ---------------------------------------------------------------------------------------


def test_comments_come_as_threads_with_their_replies(api, member, user, clause):
    top = api(member).post(K8 + "comments/", {"body": "Why share?", "kind": "question",
                                              "quote": "share"}, format="json").json()
    reply = api(user).post(K8 + "comments/", {"body": "Because.", "parent": top["id"]},
                           format="json").json()
    api(member).post(K8 + "comments/", {"body": "Thanks.", "parent": reply["id"]}, format="json")

    threads = api().get(K8 + "comments/").json()

    assert threads["count"] == 1
    thread = threads["results"][0]
    assert thread["quote"] == "share" and thread["author_verified"] is True
    assert [(r["body"], r["parent"]) for r in thread["replies"]] == [
        ("Because.", top["id"]), ("Thanks.", reply["id"])]
    assert thread["replies"][0]["author_verified"] is False


def test_a_suggestion_needs_proposed_text_and_a_quote_must_be_exact(api, member, clause):
    no_text = api(member).post(K8 + "comments/", {"body": "Better:", "kind": "suggestion"},
                               format="json")
    bad_quote = api(member).post(K8 + "comments/", {"body": "Hm", "quote": "not there"},
                                 format="json")

    assert "proposed_text" in no_text.json()["errors"]
    assert "quote" in bad_quote.json()["errors"]


def test_the_author_edits_and_it_shows_edited(api, world, cast):
    url = f"/api/v1/comments/{world['comment'].pk}/"

    response = api(cast["member"]).patch(url, {"body": "Reworded."}, format="json")

    assert response.status_code == 200
    assert response.json()["body"] == "Reworded." and response.json()["edited"] is True


def test_disposition_then_acknowledgement(api, world, cast):
    suggestion = world["suggestion"]
    response = api(cast["facilitator"]).post(
        f"/api/v1/comments/{suggestion.pk}/disposition/",
        {"status": "accepted", "response": "Applied.", "addressed_in": "0.0.9"}, format="json")
    acknowledged = api(cast["user"]).post(f"/api/v1/comments/{suggestion.pk}/acknowledge/",
                                          {"satisfied": False, "note": "Half of it."},
                                          format="json")

    assert response.status_code == 200
    assert response.json()["addressed_in"] == "0.0.9"
    assert acknowledged.json()["acknowledged_satisfied"] is False
    shown = api().get(f"/api/v1/comments/{suggestion.pk}/").json()["disposition"]
    assert shown["status"] == "accepted" and shown["acknowledgement_note"] == "Half of it."
    assert Event.objects.filter(kind="disposition").count() == 1


def test_a_disposition_with_an_unknown_status_or_draft_names_the_field(api, world, cast):
    url = f"/api/v1/comments/{world['suggestion'].pk}/disposition/"
    client = api(cast["facilitator"])

    bad_status = client.post(url, {"status": "maybe", "response": "x"}, format="json")
    bad_draft = client.post(url, {"status": "accepted", "response": "x", "addressed_in": "7"},
                            format="json")

    assert "status" in bad_status.json()["errors"]
    assert "addressed_in" in bad_draft.json()["errors"]
    assert not Disposition.objects.filter(comment=world["suggestion"]).exists()


def test_members_endorse_suggestions_once(api, world, cast):
    url = f"/api/v1/comments/{world['suggestion'].pk}/endorse/"

    api(cast["member"]).post(url, {}, format="json")
    response = api(cast["member"]).post(url, {}, format="json")

    assert response.json()["endorsements"] == 1
    assert Endorsement.objects.count() == 1


def test_flag_hide_and_restore(api, world, cast):
    comment = world["comment"]
    flagged = api(cast["user"]).post(f"/api/v1/comments/{comment.pk}/flag/", {"reason": "Rude."},
                                     format="json")
    hidden = api(cast["facilitator"]).post(f"/api/v1/comments/{comment.pk}/hide/",
                                           {"reason": "Personal attack."}, format="json")

    assert flagged.status_code == 201
    assert hidden.json()["hidden"] is True and hidden.json()["body"] == "I have a point."
    public = api().get(f"/api/v1/comments/{comment.pk}/").json()
    assert public["hidden"] and public["body"] == "" and public["hidden_reason"] == \
        "Personal attack."
    assert Flag.objects.get().resolved is True
    restored = api(cast["facilitator"]).post(f"/api/v1/comments/{comment.pk}/restore/", {},
                                             format="json")
    assert restored.json()["hidden"] is False
    assert api().get(f"/api/v1/comments/{comment.pk}/").json()["body"] == "I have a point."


# Activity ---------------------------------------------------------------------------------------


def test_the_activity_log_is_public_newest_first(api, facilitator, world):
    api(facilitator).post(V8 + "close/", {"reason": "Enough."}, format="json")

    body = api().get(D + "activity/").json()

    latest = body["results"][0]
    assert latest["kind"] == "draft-closed" and latest["reason"] == "Enough."
    assert latest["actor"] == "facilitator" and latest["draft"] == "0.0.8"
    assert set(body) == {"count", "next", "previous", "results"}
