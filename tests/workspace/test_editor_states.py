"""The editor (#15): suggestions show applied / conflicting / open; applying one over another
applied suggestion asks first; clauses collapsed, filtered to changed ones or those with
suggestions."""

import pytest

from core.errors import Conflict
from deliberation.discussion.services import apply_suggestion
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

EDITOR = "/d/osaid/v/0.0.9/edit/"


@pytest.fixture
def rivals(clause, members):
    return [CommentFactory(clause=clause, author=members[name], kind="suggestion", body="Better.",
                           proposed_text=text)
            for name, text in (("lawyers-1", "Use and share."), ("lawyers-2", "Study and share."))]


def _state(html: str, pk: int) -> str:
    item = html.split(f'id="suggestion-{pk}"')[1].split("</article>")[0]
    return next(s for s in ("applied", "conflicting", "open") if f"suggestion-{s}" in item)


def test_an_applied_suggestion_is_marked_and_loses_its_apply_button(fac, facilitator, rivals,
                                                                    next_draft):
    first, second = rivals
    html = fac.get(EDITOR).content.decode()
    assert (_state(html, first.pk), _state(html, second.pk)) == ("open", "open")
    apply_suggestion(actor=facilitator, comment=first, draft=next_draft)

    html = fac.get(EDITOR).content.decode()
    assert (_state(html, first.pk), _state(html, second.pk)) == ("applied", "conflicting")
    first_item = html.split(f'id="suggestion-{first.pk}"')[1].split("</article>")[0]
    assert "/apply/" not in first_item
    second_item = html.split(f'id="suggestion-{second.pk}"')[1].split("</article>")[0]
    assert f"Suggestion #{first.pk} by lawyers-1 is applied" in second_item
    assert f'id="replace-{second.pk}"' in second_item


def test_applying_over_an_applied_suggestion_asks_first(fac, facilitator, rivals, next_draft):
    first, second = rivals
    apply_suggestion(actor=facilitator, comment=first, draft=next_draft)
    with pytest.raises(Conflict) as error:
        apply_suggestion(actor=facilitator, comment=second, draft=next_draft)
    assert error.value.field == "replace"
    assert next_draft.clauses.get(key="freedoms").body == "Use and share."

    url = f"/d/osaid/v/0.0.9/edit/apply/{second.pk}/"
    fac.post(url, {})
    assert next_draft.clauses.get(key="freedoms").body == "Use and share."
    fac.post(url, {"replace": "yes"})
    assert next_draft.clauses.get(key="freedoms").body == "Study and share."


def test_the_api_asks_too(api, facilitator, rivals, next_draft):
    first, second = rivals
    apply_suggestion(actor=facilitator, comment=first, draft=next_draft)
    url = f"/api/v1/comments/{second.pk}/apply/"
    refused = api(facilitator).post(url, {"draft": "0.0.9"}, format="json")
    assert refused.status_code == 409 and "replace" in refused.json()["errors"]
    done = api(facilitator).post(url, {"draft": "0.0.9", "replace": True}, format="json")
    assert done.status_code == 200 and done.json()["body"] == "Study and share."


def test_clauses_are_collapsed_and_filtered(fac, facilitator, rivals, next_draft):
    next_draft.clauses.filter(key="why").update(body="Edited.")
    html = fac.get(EDITOR).content.decode()
    assert html.count('<details class="clause-edit" hx-get=') == 3  # closed, forms come on opening
    changed = fac.get(EDITOR + "?only=changed").content.decode()
    assert 'id="e-why"' in changed and 'id="e-freedoms"' not in changed
    with_suggestions = fac.get(EDITOR + "?only=suggestions").content.decode()
    assert 'id="e-freedoms"' in with_suggestions and 'id="e-why"' not in with_suggestions
    assert "2 suggestions" in with_suggestions
