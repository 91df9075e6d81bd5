"""The disposition of comments report: selector and GET .../dispositions/?format=json|csv|md."""

import csv
import io

import pytest

from definition.models import Definition
from deliberation.discussion.services import (
    acknowledge_disposition,
    hide_comment,
    post_comment,
    record_disposition,
)
from deliberation.votes.services import cast_vote

pytestmark = pytest.mark.django_db
URL = "/api/v1/definitions/osaid/drafts/0.0.8/dispositions/"


@pytest.fixture
def report(facilitator, members, published_draft):
    why, freedoms = (published_draft.clauses.get(key=k) for k in ("why", "freedoms"))
    suggestion = post_comment(actor=members["lawyers-1"], clause=freedoms, body="Say freely.",
                              kind="suggestion", proposed_text="Freely.")
    record_disposition(actor=facilitator, comment=suggestion, status="accepted",
                       response="Yes.")
    acknowledge_disposition(actor=members["lawyers-1"], comment=suggestion, satisfied=False,
                            note="Not enough.")
    objection = cast_vote(actor=members["companies-1"], clause=why, position="block",
                          rationale="=HYPERLINK(\"x\") is not a reason").objection
    reply = post_comment(actor=members["developers-1"], clause=freedoms, body="+1",
                         parent=suggestion)
    hidden = post_comment(actor=members["developers-2"], clause=freedoms, body="Spam.")
    hide_comment(actor=facilitator, comment=hidden, reason="Spam.")
    return {"suggestion": suggestion, "objection": objection, "reply": reply, "hidden": hidden}


def test_the_json_report_lists_top_level_comments_in_reading_order(api, report):
    data = api().get(URL).json()

    assert data["count"] == 3
    rows = data["results"]
    assert [(r["id"], r["number"], r["kind"]) for r in rows] == [
        (report["objection"].pk, "1.1", "objection"),
        (report["suggestion"].pk, "2", "suggestion"),
        (report["hidden"].pk, "2", "comment")]
    objection, suggestion, hidden = rows
    assert (objection["author"], objection["position"], objection["status"]) == (
        "companies-1", "block", None)
    assert {k: suggestion[k] for k in ("author", "status", "response", "acknowledgement",
                                       "acknowledgement_note", "proposed_text", "decided_by")} == {
        "author": "lawyers-1", "status": "accepted", "response": "Yes.",
        "acknowledgement": "not-satisfied", "acknowledgement_note": "Not enough.",
        "proposed_text": "Freely.", "decided_by": "facilitator"}
    assert (hidden["hidden"], hidden["body"], hidden["hidden_reason"]) == (True, "", "Spam.")


def test_objection_authors_are_withheld_when_votes_are_not_public(api, report, facilitator,
                                                                  member):
    Definition.objects.update(votes_public=False)

    for viewer, expected in ((None, None), (member, None), (facilitator, "companies-1")):
        rows = api(viewer).get(URL).json()["results"]
        assert rows[0]["author"] == expected
        assert rows[1]["author"] == "lawyers-1"  # suggestions are signed whatever the setting


def test_facilitators_see_the_text_of_hidden_comments(api, report, facilitator):
    rows = api(facilitator).get(URL).json()["results"]

    assert rows[2]["body"] == "Spam."


def test_the_csv_report_is_a_file_with_every_row(api, report):
    response = api().get(URL + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="osaid-0.0.8-dispositions.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["id"] for r in rows] == [str(report[k].pk) for k in ("objection", "suggestion",
                                                                 "hidden")]
    assert rows[0]["body"] == "'=HYPERLINK(\"x\") is not a reason"  # no formula in a sheet
    assert rows[1]["acknowledgement"] == "not-satisfied"


def test_the_markdown_report_is_a_file(api, report):
    response = api().get(URL + "?format=md")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="osaid-0.0.8-dispositions.md"'
    text = response.content.decode()
    assert text.startswith("# Disposition of comments: Open Source AI Definition 0.0.8\n\n"
                           "3 comments, suggestions and objections; 1 with a disposition.")
    assert (f"## #{report['suggestion'].pk} suggestion on 2 `freedoms`, by lawyers-1\n\n"
            "> Say freely.\n\nProposed text:\n\n> Freely.\n\n"
            "**Disposition:** accepted. Yes.\n\n"
            "**Acknowledgement:** not-satisfied. Not enough.") in text
    assert "_Hidden by the facilitators: Spam._" in text


def test_an_unknown_format_is_named(api, report):
    response = api().get(URL + "?format=pdf")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["format"]


def _more_comments(members, draft, n):
    clauses = list(draft.clauses.all())
    for i in range(n):
        post_comment(actor=members["legislators-2"], clause=clauses[i % len(clauses)],
                     body=f"Point {i}.")


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_the_report_takes_a_fixed_number_of_queries(api, report, members, published_draft,
                                                    django_assert_num_queries, fmt):
    client = api()
    client.get(URL)  # warm the caches of the first request
    with django_assert_num_queries(6 if fmt == "json" else 5) as small:  # +1: the appeals
        assert client.get(f"{URL}?format={fmt}").status_code == 200
    _more_comments(members, published_draft, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(f"{URL}?format={fmt}").status_code == 200
